"""The exported PyTorch script: it rebuilds the same data and network and trains to the
numbers the app reaches, run with plain Python."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch
from export_helpers import (
    act, dense, import_script, make_project, merge_graph, run_main, sequential, write_script,
)

from laegna_gui.core.custom_data import points_to_settings
from laegna_gui.core.datasets import GENERATORS, DatasetSettings, make_dataset
from laegna_gui.core.errors import GraphError, LaegnaError, TrainingDiverged
from laegna_gui.core.nodes import ACTIVATIONS
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import OPTIMIZERS, TrainingSettings
from laegna_gui.engine.batches import BatchSchedule
from laegna_gui.engine.compiled import schedule
from laegna_gui.engine.compiled.engine import numba_error
from laegna_gui.engine.export_script import pytorch_script
from laegna_gui.engine.export_weights import save_weights
from laegna_gui.engine.trainer import Trainer

ENGINES = ["torch", pytest.param("compiled", marks=pytest.mark.skipif(bool(numba_error()), reason="no numba"))]
BIG_SEEDS = [4294967295, 2**63 + 12345, 2**64 - 1]


def _trained(project: Project, steps: int, engine: str = "auto") -> Trainer:
    trainer = Trainer(project)
    trainer.engine_choice = engine
    trainer.run(steps)
    return trainer


def _merge_project() -> Project:
    """Every node type, NAdam, L2, clipping; 105 training points in batches of 8 leave one
    point over, which batch norm must skip (the epoch ends early)."""
    return make_project(merge_graph(), DatasetSettings("spiral3", 150, 0.05, 0.3), seed=3, loss="cross_entropy",
                        optimizer="nadam", learning_rate=0.01, batch_size=8, regularization="l2",
                        reg_rate=0.001, clip=True, clip_norm=0.5)


def _run_plain_python(path, *args: str) -> dict:
    """Run the script in a fresh interpreter (-I: no PYTHONPATH, no user site); its last line."""
    done = subprocess.run([sys.executable, "-I", str(path), *args], capture_output=True, text=True,
                          cwd=path.parent, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _assert_same_metrics(reported: dict, trainer: Trainer) -> None:
    metrics = trainer.evaluate()
    # the script replays the app's arithmetic step by step; only float32 rounding may differ
    assert reported["test_loss"] == pytest.approx(metrics.test_loss, rel=1e-5, abs=1e-7)
    assert reported["train_loss"] == pytest.approx(metrics.train_loss, rel=1e-5, abs=1e-7)
    assert reported["test_accuracy"] == metrics.test_accuracy
    assert reported["train_accuracy"] == metrics.train_accuracy


@pytest.mark.parametrize("make", [lambda: load_preset("xor"), lambda: load_preset("sine"), _merge_project],
                         ids=["xor", "sine-regression", "merge-graph"])
def test_the_script_run_with_plain_python_reaches_the_apps_numbers(make, tmp_path):
    project, steps = make(), 300
    path = write_script(project, steps, tmp_path)
    reported = _run_plain_python(path)
    trainer = _trained(project, steps)
    assert reported["steps"] == steps
    _assert_same_metrics(reported, trainer)
    if project.dataset.name == "sine":
        assert reported["test_accuracy"] is None


def _dropout_project(seed: int = 0, **training) -> Project:
    """Two dropout layers (different masks: different places in the order), no batch norm;
    84 training points in batches of 10."""
    graph = sequential(dense(8), act("relu"), ("dropout", {"p": 0.25}), dense(8), act("tanh"),
                       ("dropout", {"p": 0.5}), dense(1), act("sigmoid"))
    return make_project(graph, "moons", seed=seed, **{"loss": "bce", "optimizer": "adam", "learning_rate": 0.02,
                                                      "batch_size": 10, **training})


def _batch_norm_project(seed: int = 0) -> Project:
    """Batch norm and dropout; 70 training points in batches of 23 leave one point over at
    the end of every epoch, which batch norm must skip."""
    graph = sequential(dense(6), ("batch_norm", {}), act("relu"), ("dropout", {"p": 0.4}), dense(1),
                       act("sigmoid"))
    return make_project(graph, DatasetSettings("moons", 100, 0.1, 0.3), seed=seed, loss="bce",
                        optimizer="momentum", momentum=0.8, learning_rate=0.05, batch_size=23)


@pytest.fixture(scope="module")
def scripts(tmp_path_factory) -> dict:
    """Exported scripts, imported (their functions, not main): "batch norm" (with dropout too)
    and "plain" (dropout, no batch norm)."""
    folder = tmp_path_factory.mktemp("scripts")
    return {"batch norm": import_script(write_script(_merge_project(), 10, folder, "with_bn.py")),
            "plain": import_script(write_script(_dropout_project(), 10, folder, "plain.py"))}


@pytest.fixture
def script(scripts):
    return scripts["batch norm"]


@pytest.mark.parametrize(("n", "seed", "epoch"), [
    (1, 0, 0), (1, 4294967295, 7), (2, 0, 0), (2, 1, 1), (5, 7, 3), (105, 3, 0), (105, 3, 11),
    *[(97, seed, epoch) for seed in BIG_SEEDS for epoch in (0, 2, 2**40)],
])
def test_the_scripts_shuffle_is_the_apps(script, n, seed, epoch):
    assert script.epoch_order(n, seed, epoch) == schedule.epoch_order(n, seed, epoch).tolist()


@pytest.mark.parametrize(("seed", "step", "salt", "rows", "width", "p"), [
    (0, 0, 0, 1, 1, 0.5), (3, 17, 4, 8, 6, 0.3), (3, 18, 4, 8, 6, 0.3), (3, 17, 5, 8, 6, 0.3),
    (4294967295, 123456, 2, 13, 5, 0.95), (2**63 + 12345, 2**35, 9, 3, 7, 0.05), (2**64 - 1, 1, 1, 70, 16, 0.5),
    (11, 2, 3, 4, 5, 0.0),
])
def test_the_scripts_dropout_mask_is_the_apps(script, seed, step, salt, rows, width, p):
    keep = script.dropout_keep(seed, step, salt, rows, width, p)
    assert keep.shape == (rows, width) and keep.dtype == bool
    np.testing.assert_array_equal(keep, schedule.dropout_keep(seed, step, salt, rows, width, p))


def test_the_scripts_dropout_layer_drops_what_the_apps_drops(script):
    layer = script.Dropout(0.3, seed=4294967295, salt=4)
    layer.step = 9
    x = torch.linspace(-1, 1, 8 * 6, dtype=torch.float32).reshape(8, 6)
    expected = x * (torch.from_numpy(schedule.dropout_keep(4294967295, 9, 4, 8, 6, 0.3)).to(torch.float32)
                    * torch.tensor(1 / 0.7, dtype=torch.float32))
    assert torch.equal(layer.train()(x), expected)
    assert torch.equal(layer.eval()(x), x)


@pytest.mark.parametrize("kind", ["plain", "batch norm"])
@pytest.mark.parametrize(("n", "size"), [(1, 1), (2, 2), (7, 3), (105, 8), (84, 10), (70, 3)])
def test_the_scripts_batches_are_the_apps(scripts, monkeypatch, kind, n, size):
    """Several epochs of batches; with batch norm an epoch ends when one point would be left."""
    batch_norm = kind == "batch norm"
    if batch_norm and n < 2:
        return  # refused on export: batch norm needs two points
    module = scripts[kind]
    monkeypatch.setattr(module, "SEED", 4294967295)
    monkeypatch.setattr(module, "BATCH_SIZE", size)
    drawn = module.batches(n)
    app = BatchSchedule(n, 4294967295, batch_norm)
    for _ in range(4 * app.steps_per_epoch(size) + 1):
        np.testing.assert_array_equal(next(drawn).numpy(), app.next(size))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("make", [lambda: _dropout_project(seed=4294967295), lambda: _batch_norm_project(seed=5)],
                         ids=["dropout", "batch-norm-odd-last-batch"])
def test_dropout_and_batch_norm_train_as_in_the_app_on_either_engine(make, engine, tmp_path, monkeypatch,
                                                                       capsys):
    project, steps = make(), 150
    module = import_script(write_script(project, steps, tmp_path))
    trainer = _trained(project, steps, engine)
    assert trainer.engine_name.startswith(engine)
    _assert_same_metrics(run_main(module, monkeypatch, capsys), trainer)


def test_the_script_evaluates_exported_weights_without_training(tmp_path):
    project = _merge_project()
    trainer = _trained(project, 120)
    save_weights(tmp_path / "trained.pt", project, trainer.weights(), trainer.step_count)
    path = write_script(project, 5, tmp_path)
    reported = _run_plain_python(path, "--weights", "trained.pt")
    assert reported["steps"] == 0
    _assert_same_metrics(reported, trainer)


def test_the_script_imports_only_the_standard_library_torch_and_numpy():
    source = pytorch_script(_merge_project(), 100)
    tree = ast.parse(source)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported == {"argparse", "json", "math", "numpy", "torch", "torch.nn.functional"}
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"exec", "eval", "pickle", "base64", "compile", "__import__"}
    assert 'if __name__ == "__main__":' in source
    assert max(len(line) for line in source.splitlines()) <= 100


@pytest.mark.parametrize("settings", [
    *[DatasetSettings(name, 60, 0.1, 0.3) for name in GENERATORS],
    DatasetSettings("xor", 4, 0.0, 0.0, {"variant": "corners"}),
    DatasetSettings("and", 50, 0.2, 0.5, {"variant": "cloud"}),
    DatasetSettings("line", 40, 0.05, 0.25, {"slope": -1.5, "intercept": 0.7}),
    *[DatasetSettings(name, 61, 0.2, 0.3, {"variant": "playground"}) for name in ("xor", "circle", "gauss", "spiral")],
    DatasetSettings("formula", 50, 0.1, 0.3, {"formula": "label = x1·x2 > 0"}),
    DatasetSettings("formula", 40, 0.05, 0.25, {"formula": "y = sin(3·x1) + x2^2"}),
    points_to_settings({"task": "classification", "n_outputs": 3, "feature_names": ["a", "b c"],
                        "x": [[0.1, -2.5], [1e-9, 3.0], [2.25, 0.5], [-0.75, 1.0], [0.3, 0.3]],
                        "y": [0, 2, 1, 1, 0]}, 0.4),
    points_to_settings({"task": "regression", "n_outputs": 1, "feature_names": ["t"],
                        "x": [[0.5], [1.5], [2.5], [3.5]], "y": [1.25, -0.5, 2.0, 0.1]}, 0.25),
], ids=lambda s: s.name + ("-" + str(s.options) if s.options else ""))
def test_make_data_rebuilds_exactly_the_apps_dataset(settings, tmp_path):
    data = make_dataset(settings, seed=7)
    graph = sequential(dense(1 if data.task == "classification" and data.n_outputs == 2 else data.n_outputs))
    project = Project(graph, settings, TrainingSettings(), seed=7)
    module = import_script(write_script(project, 10, tmp_path))
    for made, expected in zip(module.make_data(), (data.x_train, data.y_train, data.x_test, data.y_test)):
        assert made.dtype == expected.dtype
        np.testing.assert_array_equal(made, expected)


@pytest.mark.parametrize("function", [f for f in ACTIVATIONS if f != "softmax"])
def test_every_activation_trains_as_in_the_app(function, tmp_path, monkeypatch, capsys):
    loss = "bce" if function == "sigmoid" else "mse"
    project = make_project(sequential(dense(5), act(function, slope=0.2), dense(1), act(function, slope=0.2)),
                           "xor", seed=1, loss=loss, learning_rate=0.1, optimizer="momentum", momentum=0.5)
    module = import_script(write_script(project, 60, tmp_path))
    _assert_same_metrics(run_main(module, monkeypatch, capsys), _trained(project, 60))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("loss", ["mse", "half_mse", "mae", "cross_entropy", "hinge"])
def test_every_loss_and_optimizer_trains_as_in_the_app(loss, optimizer, tmp_path, monkeypatch, capsys):
    last = [] if loss == "hinge" else [act("softmax")]
    project = make_project(sequential(dense(6), act("tanh"), dense(3), *last), "spiral3", seed=2, loss=loss,
                           optimizer=optimizer, learning_rate=0.05, momentum=0.7, batch_size=0,
                           regularization="l1", reg_rate=0.002)
    module = import_script(write_script(project, 25, tmp_path))
    _assert_same_metrics(run_main(module, monkeypatch, capsys), _trained(project, 25))


def test_random_search_runs_with_plain_python_and_keeps_the_apps_nudges(tmp_path):
    """Its own loop, without gradients (dropout off: it judges nudges in eval mode), L1 included."""
    project = _dropout_project(seed=9, optimizer="random_search", learning_rate=0.05, regularization="l1",
                               reg_rate=0.001, clip=True)
    source = pytorch_script(project, 200)
    assert "backward" not in source and "CLIP_NORM" not in source and "def nudge_noise" in source
    assert max(len(line) for line in source.splitlines()) <= 100
    reported = _run_plain_python(write_script(project, 200, tmp_path))
    _assert_same_metrics(reported, _trained(project, 200))


def test_a_single_signed_output_with_hinge_loss_trains_as_in_the_app(tmp_path, monkeypatch, capsys):
    project = make_project(sequential(dense(4), act("relu"), dense(1)), "moons", seed=4, loss="hinge",
                           optimizer="nesterov", momentum=0.9, learning_rate=0.02, batch_size=3, clip=True)
    module = import_script(write_script(project, 80, tmp_path))
    _assert_same_metrics(run_main(module, monkeypatch, capsys), _trained(project, 80))


def test_awkward_node_names_become_python_names_that_work(tmp_path, monkeypatch, capsys):
    ids = {"input1": "input", "dense1": "lambda", "bn1": "bn-1", "act1": "torch", "drop1": "x",
           "dense2": "Network", "add1": "sum", "cat1": "self", "dense3": "logits", "output1": "F"}
    project = replace(_merge_project(), graph=merge_graph(ids))
    module = import_script(write_script(project, 40, tmp_path))
    _assert_same_metrics(run_main(module, monkeypatch, capsys), _trained(project, 40))
    keys = set(module.Network().state_dict())
    assert {"lambda_.weight", "bn_1.running_mean", "Network_.weight", "logits_.weight"} <= keys


def test_the_steps_option_overrides_the_exported_count(tmp_path, monkeypatch, capsys):
    project = load_preset("line")
    module = import_script(write_script(project, 500, tmp_path))
    assert module.STEPS == 500
    reported = run_main(module, monkeypatch, capsys, "--steps", "30")
    assert reported["steps"] == 30
    _assert_same_metrics(reported, _trained(project, 30))


def test_a_diverging_run_stops_with_a_message_at_the_apps_step(tmp_path, monkeypatch):
    """Large normal-initialised weights in three ReLU layers at a high rate (like the
    exploding preset, whose seed may change): the script blows up where the app does."""
    relu = act("relu")
    graph = sequential(dense(16, init="normal"), relu, dense(16, init="normal"), relu, dense(16, init="normal"),
                       relu, dense(1, init="normal"))
    project = make_project(graph, DatasetSettings("sine", 200, 0.05, 0.3), seed=0, loss="mse", optimizer="sgd",
                           learning_rate=0.3, batch_size=10)
    trainer = Trainer(project)
    with pytest.raises(TrainingDiverged, match=r"diverged at step \d+: the loss became") as diverged:
        trainer.run(200)
    step = int(str(diverged.value).split("step ")[1].split(":")[0])
    module = import_script(write_script(project, 200, tmp_path))
    monkeypatch.setattr(sys, "argv", ["exported.py"])
    with pytest.raises(SystemExit, match=f"training diverged at step {step}: the loss became"):
        module.main()


def test_a_network_that_cannot_train_is_refused_with_the_reason():
    project = load_preset("xor")
    project.graph.remove_edge("dense1", "activation1")
    with pytest.raises(GraphError, match="wire"):
        pytorch_script(project, 100)
    with pytest.raises(LaegnaError, match="steps"):
        pytorch_script(load_preset("xor"), -1)


def test_a_project_name_cannot_break_out_of_the_docstring(tmp_path):
    project = replace(load_preset("and"), name='evil """ name\\', description='ends with a quote"\n"""; import os')
    source = pytorch_script(project, 10)
    tree = ast.parse(source)
    assert ast.get_docstring(tree).startswith("evil")
    assert sum(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body) == 7  # torch.nn.functional too
    assert "import os" not in source.split('"""')[-1]
