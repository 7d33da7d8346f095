"""Log loss and cross-entropy computed from the logits: a confidently wrong point costs
about the size of its logit and still pulls with slope p − t. Checked the way the app
measures a Step (its report), on both engines, against a float64 plain-torch reference,
and in the exported script.

Before, the loss read the probability, clamped to [1e-7, 1 − 1e-7]: the `and` example
below gave loss 4.03 and ∂L/∂b = 0 where the true values are 5.0 and −0.25."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from export_helpers import act, dense, import_script, run_main, sequential, write_script

from laegna_gui.core.custom_data import points_to_settings
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.compiled.engine import numba_error
from laegna_gui.engine.export_weights import save_weights
from laegna_gui.engine.trainer import Trainer

F64 = torch.float64
ENGINES = ["torch", pytest.param("compiled", marks=pytest.mark.skipif(bool(numba_error()), reason="no numba"))]


def and_wrong() -> Project:
    """The `and` preset (4 corners, one of them class 1; full batch, SGD, rate 1) with both
    weights 0 and the bias −20: every point gets z = −20, so the class-1 corner is
    confidently wrong (its sigmoid rounds to 0 in float32, below the old clamp)."""
    weights = {"dense1.weight": np.zeros((1, 2), np.float32), "dense1.bias": np.array([-20.0], np.float32)}
    return replace(load_preset("and"), weights=weights)


def three_classes_wrong(gap: float = 40.0) -> Project:
    """input → dense 3 → softmax, weights 0 and biases (gap, 0, 0): every point's logits are
    (gap, 0, 0), and every point is of class 1 or 2 — confidently wrong by `gap`."""
    points = {"task": "classification", "n_outputs": 3, "feature_names": ["a", "b"],
              "x": [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.0, -0.5], [1.0, 1.0], [-2.0, 0.5]],
              "y": [1, 2, 1, 2, 2, 1]}
    weights = {"dense1.weight": np.zeros((3, 2), np.float32),
               "dense1.bias": np.array([gap, 0.0, 0.0], np.float32)}
    return Project(sequential(dense(3), act("softmax")), points_to_settings(points, 0.3),
                   TrainingSettings(loss="cross_entropy", optimizer="sgd", learning_rate=0.1, batch_size=0),
                   seed=1, weights=weights)


def reference(project: Project, trainer: Trainer) -> tuple[float, dict[str, np.ndarray]]:
    """Loss and gradients of the one dense layer in float64, written out in plain torch:
    log loss as mean(log(1 + e^z) − t·z), cross-entropy as mean(log Σ e^z − z[label])."""
    w = torch.tensor(project.weights["dense1.weight"], dtype=F64, requires_grad=True)
    b = torch.tensor(project.weights["dense1.bias"], dtype=F64, requires_grad=True)
    z = torch.as_tensor(trainer.data.x_train, dtype=F64) @ w.T + b
    labels = torch.as_tensor(trainer.data.y_train, dtype=torch.long)
    if z.shape[1] == 1:
        t = labels.to(F64)[:, None]
        loss = (torch.logaddexp(torch.zeros_like(z), z) - t * z).mean()
    else:
        loss = (torch.logsumexp(z, dim=1) - z[torch.arange(len(z)), labels]).mean()
    loss.backward()
    return loss.item(), {"dense1.weight": w.grad.numpy(), "dense1.bias": b.grad.numpy()}


def one_step(project: Project, engine: str):
    trainer = Trainer(project)
    trainer.engine_choice = engine
    report = trainer.step()
    assert trainer.engine_name.startswith(engine)
    return trainer, report


@pytest.mark.parametrize("engine", ENGINES)
def test_a_confidently_wrong_point_costs_its_logit_and_still_pulls(engine):
    project = and_wrong()
    trainer, report = one_step(project, engine)
    assert report.loss_before == pytest.approx(5.0, abs=1e-4)  # (3·softplus(−20) + softplus(20)) / 4
    assert report.gradients["dense1.bias"][0] == pytest.approx(-0.25, abs=1e-6)  # mean(σ(z) − t)
    loss, gradients = reference(project, trainer)
    assert report.loss_before == pytest.approx(loss, rel=1e-6)
    for name, grad in gradients.items():
        np.testing.assert_allclose(report.gradients[name], grad, rtol=1e-5, atol=1e-8, err_msg=name)
    # the step SGD took with rate 1 is the whole gradient
    np.testing.assert_allclose(report.updates["dense1.bias"], 0.25, rtol=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_confidently_wrong_softmax_costs_the_logit_gap(engine):
    project = three_classes_wrong(gap=40.0)
    trainer, report = one_step(project, engine)
    assert report.loss_before == pytest.approx(40.0, rel=1e-6)  # log(e^40 + 2) − 0
    loss, gradients = reference(project, trainer)
    assert report.loss_before == pytest.approx(loss, rel=1e-6)
    # the wrong class is pushed down, the true ones up, by p − t: (1, −½, −½)
    np.testing.assert_allclose(report.gradients["dense1.bias"], [1.0, -0.5, -0.5], atol=1e-6)
    for name, grad in gradients.items():
        np.testing.assert_allclose(report.gradients[name], grad, rtol=1e-5, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("make", [and_wrong, three_classes_wrong], ids=["log-loss", "cross-entropy"])
def test_both_engines_measure_the_same_loss_from_the_logits(make):
    torch_trainer, torch_report = one_step(make(), "torch")
    if numba_error():
        pytest.skip("no numba")
    compiled, compiled_report = one_step(make(), "compiled")
    assert compiled_report.loss_after == pytest.approx(torch_report.loss_after, rel=1e-6)
    for name, grad in torch_report.gradients.items():
        np.testing.assert_allclose(compiled_report.gradients[name], grad, rtol=1e-6, atol=1e-9, err_msg=name)
    assert compiled.evaluate() == torch_trainer.evaluate()


@pytest.mark.parametrize("make", [and_wrong, three_classes_wrong], ids=["log-loss", "cross-entropy"])
def test_the_exported_script_measures_the_same_loss(make, tmp_path, monkeypatch, capsys):
    project = make()
    trainer = Trainer(project)
    save_weights(tmp_path / "wrong.pt", project, trainer.weights())
    module = import_script(write_script(project, 1, tmp_path))
    reported = run_main(module, monkeypatch, capsys, "--weights", str(tmp_path / "wrong.pt"))
    expected = trainer.evaluate()
    assert expected.train_loss == pytest.approx(5.0 if make is and_wrong else 40.0, rel=1e-5)
    assert reported["train_loss"] == pytest.approx(expected.train_loss, rel=1e-6)
    assert reported["train_accuracy"] == expected.train_accuracy


def _saturating() -> Project:
    """The `and` data at a learning rate high enough that logits pass ±17, where a float32
    sigmoid is exactly 0 or 1, within the first steps."""
    return replace(load_preset("and"), training=replace(load_preset("and").training, learning_rate=60.0))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_exported_script_trains_through_saturated_sigmoids_as_the_app(engine, tmp_path, monkeypatch, capsys):
    project, steps = _saturating(), 12
    trainer = Trainer(project)
    trainer.engine_choice = engine
    trainer.run(steps)
    logits = trainer.network.scored(torch.as_tensor(trainer.data.x_train))[1]
    assert logits.abs().max() > 17  # the case is one the old clamp got wrong
    module = import_script(write_script(project, steps, tmp_path))
    reported = run_main(module, monkeypatch, capsys)
    metrics = trainer.evaluate()
    assert reported["train_loss"] == pytest.approx(metrics.train_loss, rel=1e-5, abs=1e-7)
    assert reported["train_accuracy"] == metrics.train_accuracy


def test_a_dropout_after_the_sigmoid_leaves_no_logits_to_read():
    """Sigmoid → dropout → output: the loss reads the (dropped-out) probability, as before."""
    project = replace(load_preset("and"), graph=sequential(dense(1), act("sigmoid"), ("dropout", {"p": 0.2})))
    trainer = Trainer(project)
    assert trainer.network.logits_id is None and trainer.objective.fuses
    output, logits = trainer.network.scored(torch.as_tensor(trainer.data.x_train))
    assert logits is None and output.shape == (4, 1)
