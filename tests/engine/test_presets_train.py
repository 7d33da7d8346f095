"""The acceptance numbers: shipped presets trained headless through `laegna-gui train --json`."""

from __future__ import annotations

import json

import pytest

from laegna_gui.cli import main
from laegna_gui.core.presets import load_preset

KEYS = {"steps", "epochs", "train_loss", "test_loss", "train_accuracy", "test_accuracy", "seconds", "engine"}


def train(capsys, *args: str) -> dict:
    """Run the real CLI entry point and parse its one line of JSON."""
    capsys.readouterr()
    assert main(["train", *args, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(result) == KEYS
    assert result["engine"] in ("compiled (numba)", "torch")
    return result


def check_counts(result: dict, name: str, steps: int) -> None:
    project = load_preset(name)
    n_train = project.dataset.samples - round(project.dataset.samples * project.dataset.test_fraction)
    if project.dataset.options.get("variant") == "corners":
        n_train = 4  # the four corners are both the training and the test set
    batch = project.training.batch_size if project.training.batch_size > 0 else n_train
    assert result["steps"] == steps
    assert result["epochs"] == steps // -(-n_train // batch)  # whole epochs done
    assert result["seconds"] >= 0


CLASSIFIERS = [  # (preset, extra arguments, steps, check on the test accuracy)
    ("xor", ["--seed", "0"], 3000, lambda acc: acc >= 0.95),
    ("perceptron-xor", [], 5000, lambda acc: acc <= 0.80),  # one step unit cannot learn xor
    ("and", [], 3000, lambda acc: acc == 1.0),
    ("or", [], 3000, lambda acc: acc == 1.0),
]


@pytest.mark.parametrize("name,extra,steps,good", CLASSIFIERS, ids=[c[0] for c in CLASSIFIERS])
def test_classification_presets(capsys, name, extra, steps, good):
    result = train(capsys, name, "--steps", str(steps), *extra)
    check_counts(result, name, steps)
    assert good(result["test_accuracy"]), result
    assert 0.0 <= result["train_accuracy"] <= 1.0 and result["train_loss"] >= 0


REGRESSIONS = [("sine", 5000, 0.02), ("line", 3000, 0.005), ("affine3d", 3000, 0.001)]


@pytest.mark.parametrize("name,steps,limit", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_regression_presets(capsys, name, steps, limit):
    result = train(capsys, name, "--steps", str(steps))
    check_counts(result, name, steps)
    assert result["test_loss"] < limit, result
    assert result["train_accuracy"] is None and result["test_accuracy"] is None  # JSON null


def test_spiral3_learns_three_arms(capsys):
    # The slowest acceptance check (about 13 s on two cores); kept as one test, never skipped.
    result = train(capsys, "spiral3", "--steps", "20000")
    check_counts(result, "spiral3", 20000)
    assert result["test_accuracy"] >= 0.90, result


def test_seed_option_changes_the_run_and_out_saves_weights(capsys, tmp_path):
    first = train(capsys, "line", "--steps", "50", "--seed", "1", "--out", str(tmp_path / "line.laegna"))
    same = train(capsys, str(tmp_path / "line.laegna"), "--steps", "0")
    other = train(capsys, "line", "--steps", "50", "--seed", "2")
    assert same["steps"] == 0 and same["test_loss"] == first["test_loss"]  # the saved weights
    assert other["test_loss"] != first["test_loss"]
