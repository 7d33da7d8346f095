"""`laegna-gui compare` and `laegna-gui sweep`: the JSON and text they print, the PNG they
write, their refusals (exit 2, one line) and Ctrl-C."""

from __future__ import annotations

import _thread
import io
import json
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PIL import Image

from laegna_gui.cli import main
from laegna_gui.cli_compare import interruptible
from laegna_gui.core.presets import load_preset
from laegna_gui.core.variations import parse_axis
from laegna_gui.engine.cancel import TrainingCancelled
from laegna_gui.engine.compare import race
from laegna_gui.engine.run_result import weights_sha256
from laegna_gui.engine.trainer import Trainer

RUN_KEYS = {"setting", "initial_weights_sha256", "train_loss", "test_loss", "test_accuracy", "steps_to_best",
            "best_test_loss", "diverged", "starts_fresh"}


def _main(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_json_has_a_run_per_setting_with_the_issues_keys(capsys):
    code, out, _ = _main(capsys, "compare", "circle", "--vary", "learning_rate=0.03,0.3", "--steps", "300", "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"runs", "verdict"}
    assert [run["setting"] for run in result["runs"]] == [{"learning_rate": 0.03}, {"learning_rate": 0.3}]
    start = weights_sha256(Trainer(load_preset("circle")).weights())
    for run in result["runs"]:
        assert set(run) == RUN_KEYS
        assert run["initial_weights_sha256"] == start
        assert isinstance(run["train_loss"], float) and isinstance(run["test_loss"], float)
        assert 0 <= run["test_accuracy"] <= 1
        assert run["steps_to_best"] in range(0, 301, 6) and run["diverged"] is None and run["starts_fresh"] == []
    slow, fast = result["runs"]
    assert fast["best_test_loss"] < slow["best_test_loss"] / 2  # circle learns far faster at 0.3
    assert result["verdict"].startswith("learning_rate=0.3 reached the lower test loss")
    assert "× lower than learning_rate=0.03" in result["verdict"]


def test_compare_json_numbers_are_the_engines(capsys):
    """What is printed is what a race of the same settings measures (no rounding on the way)."""
    _, out, _ = _main(capsys, "compare", "sine", "--vary", "width=4,8", "--steps", "30", "--json")
    printed = json.loads(out)["runs"]
    project = load_preset("sine")
    runs = race(project, [(c,) for c in parse_axis("width=4,8", project, "--vary")], 30).runs
    for line, run in zip(printed, runs):
        assert line["test_loss"] == run.metrics.test_loss and line["test_accuracy"] is None  # regression
        assert (line["steps_to_best"], line["best_test_loss"]) == run.best
        assert line["starts_fresh"] == list(run.fresh_layers)


def test_compare_text_is_a_table_with_notes_and_the_verdict(capsys):
    code, out, _ = _main(capsys, "compare", "circle", "--vary", "width.dense1=4,8", "--steps", "20")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "compare circle: 20 steps from the same start"
    assert lines[1] == "width.dense1=8: dense1 and dense2 have another shape: they start from their own initialisation"
    header = next(line for line in lines if line.startswith("setting"))
    assert all(word in header for word in ("train loss", "test loss", "test acc", "best at", "diverged"))
    assert any(line.startswith("width.dense1=4 ") for line in lines)
    assert lines[-1].startswith("verdict: width.dense1=")


def test_compare_out_writes_a_png_of_curves_and_boundaries(tmp_path, capsys):
    out = tmp_path / "race.png"
    code, text, _ = _main(capsys, "compare", "circle", "--vary", "optimizer=sgd,adam", "--steps", "20",
                          "--out", str(out))
    assert code == 0 and text.splitlines()[-1] == f"wrote {out}"
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.format == "PNG" and image.width == 1200 and image.height > 600
    assert len(image.convert("RGB").getcolors(1 << 20)) > 100  # curves, boundaries and text, not a blank


def test_sweep_json_is_a_grid_of_cells(capsys):
    code, out, _ = _main(capsys, "sweep", "circle", "--grid", "learning_rate=0.03,0.3", "--grid", "width=2,4,8",
                         "--steps", "20", "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"rows", "columns", "cells", "verdict"}
    assert result["rows"] == {"key": "learning_rate", "values": [0.03, 0.3]}
    assert result["columns"] == {"key": "width", "values": [2, 4, 8]}
    assert [len(row) for row in result["cells"]] == [3, 3]
    assert result["cells"][1][2]["setting"] == {"learning_rate": 0.3, "width": 8}
    assert all(set(cell) == RUN_KEYS for row in result["cells"] for cell in row)
    # the same width, the same start: only the rate differs along a column
    assert result["cells"][0][1]["initial_weights_sha256"] == result["cells"][1][1]["initial_weights_sha256"]


def test_sweep_text_and_png(tmp_path, capsys):
    out = tmp_path / "grid.png"
    code, text, _ = _main(capsys, "sweep", "circle", "--grid", "learning_rate=0.03,0.3", "--grid", "width=2,4",
                          "--steps", "20", "--out", str(out))
    lines = text.splitlines()
    assert code == 0
    assert lines[0] == "sweep circle: learning_rate × width, 20 steps from the same start"
    assert lines[1:3] == [  # each note once, named by the setting that brings it
        "width=2: dense1 and dense2 have another shape: they start from their own initialisation",
        "width=4: dense2 and dense3 have another shape: they start from their own initialisation"]
    table = lines[lines.index("") + 1:]
    assert table[0].startswith("test loss (accuracy)") and "width=2" in table[0] and "width=4" in table[0]
    assert table[1].startswith("learning_rate=0.03") and table[2].startswith("learning_rate=0.3")
    assert lines[-2].startswith("verdict: ") and lines[-1] == f"wrote {out}"
    assert Image.open(out).format == "PNG"


@pytest.mark.parametrize("args, phrase", [
    (["compare", "circle", "--vary", "lr=0.3"], "unknown setting 'lr'; valid keys: loss, optimizer, learning_rate"),
    (["compare", "circle", "--vary", "learning_rate=fast"], "learning_rate: expected a number, got 'fast'"),
    (["compare", "circle", "--vary", "optimizer=adamw"], "optimizer: 'adamw' is not one of"),
    (["compare", "circle", "--vary", "learning_rate=0.1", "--vary", "learning_rate=0.3"], "given twice"),
    (["compare", "circle", "--vary", "learning_rate=0.01,0.03,0.1,0.3", "--vary", "optimizer=sgd,adam,nadam"],
     "at most 10 runs"),
    (["compare", "circle", "--vary", "learning_rate=0.3", "--steps", "0"], "--steps must be a whole number from 1"),
    (["compare", "circle", "--vary", "learning_rate=0.3", "--steps", "-5"], "--steps must be a whole number"),
    (["compare", "circle", "--vary", "learning_rate=0.3", "--out", "no-such-folder/x.png"], "--out"),
    (["compare", "circle", "--vary", "learning_rate=0.3", "--out", "x.gif"], "--out must name a .png file"),
    (["compare", "circle"], "the following arguments are required: --vary"),
    (["compare", "no-such-preset", "--vary", "learning_rate=0.3"], "neither a project file nor a preset"),
    (["sweep", "circle", "--grid", "learning_rate=0.001,0.003,0.01,0.03,0.1,0.3", "--grid", "width=2,4"],
     "at most 5×5; learning_rate has 6 values"),
    (["sweep", "circle", "--grid", "learning_rate=0.03,0.3"], "sweep needs two --grid settings"),
    (["sweep", "circle", "--grid", "width=2,4", "--grid", "width.dense9=3"], "'dense9' is not a dense node"),
])
def test_bad_input_exits_2_with_one_error_line(tmp_path, monkeypatch, capsys, args, phrase):
    monkeypatch.chdir(tmp_path)
    try:
        code, out, err = _main(capsys, *args)
    except SystemExit as exc:  # argparse's own refusals
        (code, (out, err)) = exc.code, capsys.readouterr()
    assert code == 2, err
    assert out == "" and list(tmp_path.iterdir()) == []
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and phrase in lines[0], lines


def test_an_unknown_key_through_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "laegna_gui", "sweep", "xor", "--grid", "rate=1,2", "--grid",
                             "width=2,4"], capture_output=True, text=True, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: unknown setting 'rate'; valid keys: loss, optimizer, learning_rate")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_ctrl_c_raises_the_cancel_token_and_stops_the_race():
    """Ctrl-C (here: interrupt_main) while a long race trains: the worker is cancelled and
    the main thread gets KeyboardInterrupt, which the command reports as interrupted."""
    project = load_preset("circle")
    runs = [(c,) for c in parse_axis("learning_rate=0.03,0.3", project, "--vary")]
    started, tokens, stopped = threading.Event(), [], []

    def work(cancel):
        tokens.append(cancel)
        started.set()
        try:
            return race(project, runs, 10_000_000, cancel)  # hours, unless cancelled
        except TrainingCancelled:
            stopped.append(True)
            raise

    threading.Thread(target=lambda: (started.wait(), _thread.interrupt_main()), daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        interruptible(work)
    assert tokens[0].requested and stopped == [True]
    assert not any(t.name == "laegna-race" for t in threading.enumerate())


def test_ctrl_c_exits_130_saying_nothing_was_written(monkeypatch, capsys):
    def interrupted(_work):
        raise KeyboardInterrupt

    monkeypatch.setattr("laegna_gui.cli_compare.interruptible", interrupted)
    code, out, err = _main(capsys, "compare", "circle", "--vary", "learning_rate=0.3")
    assert (code, out, err) == (130, "", "interrupted: nothing was written\n")


def test_the_readme_examples_run_and_say_what_the_readme_shows(tmp_path, monkeypatch, capsys):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    compare = "laegna-gui compare circle --vary optimizer=sgd,adam --steps 1000"
    sweep = ("laegna-gui sweep circle --grid learning_rate=0.03,0.1,0.3 --grid width=2,4,8 --steps 1000 "
             "--out sweep.png")
    assert compare in readme and sweep in readme
    code, out, _ = _main(capsys, *shlex.split(compare)[1:])
    assert code == 0 and out.splitlines()[0] in readme
    assert out.splitlines()[-1].startswith("verdict: optimizer=adam reached the lower test loss")
    code, out, _ = _main(capsys, *shlex.split(sweep)[1:])
    assert code == 0 and (tmp_path / "sweep.png").stat().st_size > 0
    assert len([line for line in out.splitlines() if line.startswith("learning_rate=")]) == 3
