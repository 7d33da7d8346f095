"""Finite differences check backprop: the numerical slope of a Step's batch loss for each weight
of a layer, at the weights the step started from, against the gradient the step computed —
and against a float64 gradient computed here by hand, independently of the engine."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.finite_differences import CheckCancelled, check_layer, short
from laegna_gui.engine.trainer import Trainer

from graph_builders import act, dense, sequential

ENGINES = ("torch", "compiled")


def make_project(graph, data: DatasetSettings | str, **training) -> Project:
    if isinstance(data, str):
        data = DatasetSettings(name=data, samples=200, noise=0.15, test_fraction=0.5)
    return Project(graph, data, TrainingSettings(**training), seed=0)


def stepped(project, engine: str, steps: int = 3):
    trainer = Trainer(project)
    trainer.engine_choice = engine
    for _ in range(steps):
        report = trainer.step()
    assert trainer.engine_name.startswith(engine)
    return trainer, report


def tanh_project():
    graph = sequential(dense(5), act("tanh"), dense(1), act("tanh"))
    return make_project(graph, "xor", loss="mse", batch_size=10, learning_rate=0.1)


def softmax_project(**training):
    graph = sequential(dense(6), act("tanh"), dense(3), act("softmax"))
    data = DatasetSettings(name="spiral3", samples=300, noise=0.02, test_fraction=0.3)
    return make_project(graph, data, loss="cross_entropy", batch_size=16, optimizer="adam",
                        learning_rate=0.01, **training)


def by_hand(report, classes: bool) -> dict[str, np.ndarray]:
    """The float64 gradient of the batch loss at the weights before the step, written out:
    dense → tanh → dense, then tanh and mean squared error, or softmax cross-entropy."""
    w = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in report.weights_before.items()}
    x = torch.tensor(report.batch.x, dtype=torch.float64)
    hidden = torch.tanh(x @ w["dense1.weight"].T + w["dense1.bias"])
    z = hidden @ w["dense2.weight"].T + w["dense2.bias"]
    if classes:
        loss = F.cross_entropy(z, torch.tensor(report.batch.y, dtype=torch.long))
    else:
        target = torch.tensor(report.batch.y, dtype=torch.float64)[:, None] * 2 - 1  # tanh: −1/+1
        loss = ((torch.tanh(z) - target) ** 2).mean()
    loss.backward()
    return {k: t.grad.numpy() for k, t in w.items()}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("classes", [False, True], ids=["tanh-mse", "softmax-cross-entropy"])
def test_finite_differences_match_backprop_and_a_float64_gradient_by_hand(engine, classes):
    _, report = stepped(softmax_project() if classes else tanh_project(), engine)
    exact = by_hand(report, classes)
    for layer in ("dense1", "dense2"):
        check = check_layer(report, layer)
        assert check.relative < 1e-5 and check.agrees, check.numbers()
        assert set(check.numerical) == {f"{layer}.weight", f"{layer}.bias"}
        for name, slopes in check.numerical.items():
            assert slopes.dtype == np.float64 and slopes.shape == report.gradients[name].shape
            np.testing.assert_allclose(slopes, exact[name], rtol=1e-6, atol=1e-9 * np.abs(exact[name]).max())
            np.testing.assert_array_equal(check.backprop[name], report.gradients[name])
        assert check.meaning().startswith("Backprop's slopes agree with the numerical ones to ")
        assert check.meaning().endswith(": backprop is right.")


def test_a_perturbed_gradient_is_caught():
    _, report = stepped(tanh_project(), "torch")
    gradient = report.gradients["dense1.weight"]
    wrong = gradient.copy()
    wrong[1, 0] += 1e-3 * np.abs(gradient).max()
    bad = replace(report, gradients={**report.gradients, "dense1.weight": wrong})
    check = check_layer(bad, "dense1")
    assert not check.agrees and check.relative == pytest.approx(1e-3, rel=1e-2)
    difference = np.abs(check.numerical["dense1.weight"] - check.backprop["dense1.weight"])
    assert np.unravel_index(difference.argmax(), difference.shape) == (1, 0)
    assert check.meaning().startswith(
        "Backprop's slopes differ from the numerical ones by 1e-3 (relative): a bug in backprop")
    assert check_layer(report, "dense1").agrees  # the step's own gradient


@pytest.mark.parametrize("engine", ENGINES)
def test_the_check_reproduces_the_steps_loss_batch_norm_dropout_l2_and_clipping(engine):
    """The step's dropout masks, batch statistics and penalty are part of the loss its gradient
    is the slope of; clipping is undone before comparing."""
    graph = sequential(dense(8), ("batch_norm", {}), act("relu"), ("dropout", {"p": 0.3}), dense(3), act("softmax"))
    data = DatasetSettings(name="spiral3", samples=300, noise=0.02, test_fraction=0.3)
    project = make_project(graph, data, loss="cross_entropy", batch_size=16, regularization="l2", reg_rate=0.01,
                           clip=True, clip_norm=0.1)
    _, report = stepped(project, engine)
    assert report.clipped
    for layer in ("dense1", "dense2"):
        check = check_layer(report, layer)
        assert check.agrees, check.numbers()
        assert 0 < check.clip_factor < 1 and "clipped the gradient" in check.meaning()


def test_the_straight_through_step_is_named_when_it_disagrees():
    project = make_project(sequential(dense(1), act("step")), "xor", loss="mse", batch_size=0)
    _, report = stepped(project, "torch", 1)
    check = check_layer(report, "dense1")
    assert not check.agrees
    assert "step activation's backward uses a made-up slope" in check.meaning()


def test_a_cancelled_check_stops_and_progress_counts_every_entry():
    _, report = stepped(tanh_project(), "torch", 1)
    seen: list[tuple[int, int]] = []
    check_layer(report, "dense1", progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, 15) for i in range(15)]  # 5×2 weights and 5 biases
    with pytest.raises(CheckCancelled):
        check_layer(report, "dense1", cancelled=lambda: True)


def test_the_step_keeps_its_batch_frozen():
    trainer, report = stepped(tanh_project(), "torch", 1)
    batch = report.batch
    assert batch.x.shape == (10, 2) and batch.y.shape == (10,)
    assert not batch.x.flags.writeable and not batch.y.flags.writeable
    assert batch.settings == trainer.settings and batch.seed == trainer.seed


@pytest.mark.parametrize("value,text", [(0, "0"), (3e-9, "3e-9"), (2.4e-7, "2e-7"), (0.25, "0.25"), (1.0, "1")])
def test_short_numbers(value, text):
    assert short(value) == text
