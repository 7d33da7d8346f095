"""The headless command line: exit codes, JSON output, saved results."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from laegna_gui import __version__
from laegna_gui.cli import main
from laegna_gui.core.presets import load_preset, preset_names
from laegna_gui.core.project_file import load_project, save_project
from laegna_gui.engine.trainer import Trainer


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "laegna_gui", *args], capture_output=True, text=True)


def test_version_through_python_dash_m():
    result = _run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"laegna-gui {__version__}"


def test_presets_json_lists_every_shipped_preset_in_lesson_order(capsys):
    assert main(["presets", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(p["name"] for p in listed) == preset_names()
    assert [p["name"] for p in listed][:2] == ["xor", "perceptron-xor"]  # the order they teach in
    assert all(p["lesson"] and len(p["lesson"]) < 100 for p in listed)
    assert {"xor", "perceptron-xor", "and", "or", "circle", "spiral", "spiral3", "sine", "line",
            "affine3d"} <= set(preset_names())
    assert all(p["description"] for p in listed)


def test_train_out_saves_weights_that_reproduce_the_result(tmp_path, capsys):
    out = tmp_path / "trained.laegna"
    assert main(["train", "xor", "--steps", "50", "--seed", "3", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    project = load_project(out)
    assert project.seed == 3 and project.weights is not None
    metrics = Trainer(project).evaluate()
    assert metrics.test_loss == pytest.approx(result["test_loss"], rel=1e-6)
    assert result["steps"] == 50


@pytest.mark.parametrize("args, phrase", [
    (["train", "no-such-preset"], "neither a project file nor a preset"),
    (["train", "missing.laegna"], "cannot read"),
    (["train", "xor", "--steps", "many"], "invalid int value"),
    (["train", "xor", "--steps", "-1"], "--steps"),
    (["bogus-command", "x"], "invalid choice"),
])
def test_bad_input_exits_2_with_one_error_line_and_no_traceback(tmp_path, args, phrase):
    result = subprocess.run([sys.executable, "-m", "laegna_gui", *args], capture_output=True, text=True,
                            cwd=tmp_path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("error:") and phrase in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content, phrase", [
    (b"", "not valid JSON"),
    (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "not a text file"),
    (b'{"format": "laegna-project", "version": 1, "graph": {"nodes": [', "not valid JSON"),
    (b'{"format": "something-else"}', "format"),
])
def test_corrupt_project_file_is_refused_cleanly(tmp_path, content, phrase):
    bad = tmp_path / "bad.laegna"
    bad.write_bytes(content)
    result = _run("train", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and phrase in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_network_is_refused_with_the_validation_message(tmp_path):
    project = load_preset("xor")
    project.graph.remove_edge("dense1", "activation1")
    save_project(project, tmp_path / "broken.laegna")
    result = _run("train", str(tmp_path / "broken.laegna"))
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "wire" in result.stderr


def test_human_readable_train_output_names_each_metric(capsys):
    assert main(["train", "line", "--steps", "20"]) == 0
    out = capsys.readouterr().out
    for key in ("steps", "epochs", "train_loss", "test_loss", "test_accuracy", "seconds"):
        assert key in out
    assert np.isfinite(float(out.split("test_loss")[1].split()[0]))
