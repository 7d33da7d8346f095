"""`laegna-gui export`: script, weights and CSVs from the command line; bad input exits 2."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from laegna_gui.cli import main
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import save_project
from laegna_gui.engine.trainer import Trainer


def _run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laegna_gui", *args], capture_output=True, text=True, cwd=cwd)


def _network_class(script):
    spec = importlib.util.spec_from_file_location(f"cli_export_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Network


def _csv_rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_a_preset_is_trained_then_every_output_is_written(tmp_path):
    done = _run("export", "xor", "--steps", "200", "--python", "xor.py", "--weights", "xor.pt",
                "--history", "history.csv", "--dataset", "data.csv", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result["written"]) == {"python", "weights", "history", "dataset"}
    trainer = Trainer(load_preset("xor"))
    trainer.run(200)
    metrics = trainer.evaluate()
    assert (result["steps"], result["test_loss"], result["test_accuracy"]) == (200, metrics.test_loss,
                                                                                metrics.test_accuracy)

    assert "STEPS = 200" in (tmp_path / "xor.py").read_text(encoding="utf-8")
    model = _network_class(tmp_path / "xor.py")()
    model.load_state_dict(torch.load(tmp_path / "xor.pt", weights_only=True), strict=True)
    model.eval()
    with torch.no_grad():
        predicted = model(torch.as_tensor(trainer.data.x_test)).numpy()
    np.testing.assert_allclose(predicted, trainer.predict(trainer.data.x_test), rtol=1e-6, atol=1e-7)

    history = _csv_rows(tmp_path / "history.csv")
    assert history[0]["step"] == "0" and history[-1]["step"] == "200"
    assert history[-1]["epoch"] == str(trainer.epoch)
    assert float(history[-1]["test_loss"]) == metrics.test_loss
    assert len(_csv_rows(tmp_path / "data.csv")) == load_preset("xor").dataset.samples


@pytest.mark.parametrize("args, message", [
    (("export", "xor", "--steps", "-3", "--python", "x.py"), "--steps must be a whole number from 0 to 10000000"),
    (("export", "xor", "--steps", "10000001", "--python", "x.py"), "from 0 to 10000000"),  # refused before training
    (("export", "no-such-preset", "--python", "x.py"), "neither a project file nor a preset"),
    (("export", "xor"), "nothing to export"),
])
def test_bad_input_exits_2_with_one_error_line(args, message, tmp_path):
    done = _run(*args, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_a_project_files_stored_weights_are_exported_without_training(tmp_path, capsys):
    trainer = Trainer(load_preset("spiral"))
    trainer.run(40)
    project = replace(load_preset("spiral"), weights=trainer.weights())
    save_project(project, tmp_path / "mine.laegna")
    assert main(["export", str(tmp_path / "mine.laegna"), "--weights", str(tmp_path / "w.pt")]) == 0
    assert "w.pt (trained weights)" in capsys.readouterr().out
    state = torch.load(tmp_path / "w.pt", weights_only=True)
    np.testing.assert_array_equal(state["dense2.weight"].numpy(), project.weights["dense2.weight"])


@pytest.mark.parametrize("extra, message", [
    (["--weights", "w.pt"], "has no trained weights: add --steps N"),
    (["--history", "h.csv"], "--history needs a training run"),
    (["--python", "missing/x.py"], "does not exist"),
    (["--python", "."], "is a folder"),
    (["--history", "same.csv", "--dataset", "same.csv", "--steps", "5"], "the same file"),
])
def test_requests_that_cannot_be_met_say_why(extra, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "xor", *extra]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_network_writes_nothing_at_all(tmp_path, monkeypatch, capsys):
    project = load_preset("xor")
    project.graph.remove_edge("dense2", "activation2")
    save_project(project, tmp_path / "broken.laegna")
    monkeypatch.chdir(tmp_path)
    assert main(["export", "broken.laegna", "--dataset", "d.csv", "--python", "b.py"]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.laegna"]
