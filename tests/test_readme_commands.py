"""The README's example commands, run as written (in a scratch folder): each still works and
still says what the README claims of it."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from laegna_gui.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def run_documented(command: str, capsys, shown: str | None = None) -> tuple[int, str, str]:
    """Run a `laegna-gui …` command that the README shows (as `shown`, if it shows a
    synopsis of it rather than the command itself), in this process."""
    shown = shown or command
    assert shown in README.replace("\n", " "), f"the README no longer shows: {shown}"
    capsys.readouterr()
    words = shlex.split(command)
    assert words[0] == "laegna-gui"
    code = main(words[1:])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def scratch(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_train_xor_reaches_the_accuracy_the_readme_names(capsys):
    code, out, _ = run_documented("laegna-gui train xor --steps 3000 --seed 0 --json", capsys)
    result = json.loads(out)
    assert code == 0 and result["test_accuracy"] >= 0.99 and result["engine"] == "compiled (numba)"
    assert set(result) == {"steps", "epochs", "train_loss", "test_loss", "train_accuracy", "test_accuracy",
                           "seconds", "engine"}  # the keys the README lists


def test_the_perceptron_never_gets_past_three_corners(capsys):
    assert "`perceptron-xor` (a single neuron) never\ngets past 3 of the 4 corners" in README
    code, out, _ = run_documented("laegna-gui train perceptron-xor --json", capsys,
                                  shown="laegna-gui train TARGET [--steps N] [--seed S] [--out FILE] [--json]")
    assert code == 0 and json.loads(out)["test_accuracy"] <= 0.75


def test_a_diverging_run_exits_1_with_one_error_line(capsys):
    assert "exits with status 1 and one `error:` line" in README
    code, out, err = run_documented("laegna-gui train exploding --json", capsys,
                                    shown="laegna-gui train TARGET [--steps N] [--seed S] [--out FILE] [--json]")
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 1 and out == "" and len(errors) == 1 and "diverged at step" in errors[0]


def test_the_readme_screenshot_command(scratch):
    """In its own process: the command makes and ends its own application."""
    command = "laegna-gui screenshot xor --steps 1500 --out docs/screenshot.png"
    assert command in README
    (scratch / "docs").mkdir()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "laegna_gui", *shlex.split(command)[1:]], cwd=scratch, env=env,
                          capture_output=True, text=True, timeout=300)
    png = scratch / "docs" / "screenshot.png"
    assert done.returncode == 0, done.stderr[-1000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "after 1500 iterations" in done.stdout


def test_the_readme_export_commands_and_the_script_they_write(capsys, scratch):
    command = ("laegna-gui export xor --steps 3000 --python xor.py --weights xor.pt --history loss.csv "
               "--dataset data.csv")
    code, _, _ = run_documented(command, capsys)
    assert code == 0
    assert all((scratch / name).stat().st_size > 0 for name in ("xor.py", "xor.pt", "loss.csv", "data.csv"))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    assert "python xor.py --weights xor.pt   # loads the trained weights and only evaluates" in README
    done = subprocess.run([sys.executable, "xor.py", "--weights", "xor.pt"], cwd=scratch, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == {"test_loss", "test_accuracy", "train_loss", "train_accuracy", "steps"}
    assert result["test_accuracy"] >= 0.95  # the trained weights, evaluated


def test_version_presets_and_prepare_kernels(capsys):
    code, out, _ = run_documented("laegna-gui presets --json", capsys, shown="laegna-gui presets [--json]")
    assert code == 0 and {p["name"] for p in json.loads(out)} >= {"xor", "circle", "spiral3"}
    code, _, _ = run_documented("laegna-gui prepare-kernels", capsys)
    assert code == 0
    with pytest.raises(SystemExit) as version:
        run_documented("laegna-gui --version", capsys)
    assert version.value.code == 0


@pytest.mark.gl
def test_the_readme_3d_screenshot_command_under_xvfb_run(scratch):
    """The README's example for a 3-D view, as written: `xvfb-run -a` starts its own X server
    (test_gl_session.py runs this on Xvfb, where .ci/run has installed xvfb-run)."""
    command = ("xvfb-run -a laegna-gui screenshot affine3d --steps 800 --view affine-fit --out fit.png")
    assert command in README.replace("\n", " ")
    words = shlex.split(command)
    assert words[:2] == ["xvfb-run", "-a"]
    # `laegna-gui` is this checkout's entry point: run it by module with this Python
    argv = ["xvfb-run", "-a", sys.executable, "-m", "laegna_gui", *words[3:]]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # xcb on the server xvfb-run starts, as a user's shell would
    done = subprocess.run(argv, cwd=scratch, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("fit.png (after 800 iterations")
    from PySide6.QtGui import QImage

    image = QImage(str(scratch / "fit.png"))
    assert (image.width(), image.height()) == (1400, 860)  # the documented default size


def test_the_lesson_check_example_prints_what_the_readme_shows(capsys):
    code, out, _ = run_documented("laegna-gui lesson-check dying-relu dying-relu --steps 300", capsys)
    shown = README.split("laegna-gui lesson-check dying-relu dying-relu --steps 300\n```", 1)[1]
    shown = shown.split("```text\n", 1)[1].split("```", 1)[0]
    assert code == 0 and out == shown
