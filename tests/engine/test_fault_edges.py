"""Edge cases of divergence detection and reproducibility."""

from __future__ import annotations

import math

import numpy as np
import torch

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.objective import Objective
from laegna_gui.engine.trainer import Trainer


def test_bce_on_a_nan_output_gives_a_nan_loss_not_an_exception():
    objective = Objective("bce", "classification", 1, "sigmoid")
    target = torch.tensor([[1.0], [0.0]])
    loss = objective(torch.tensor([[float("nan")], [0.5]]), None, target)
    assert math.isnan(loss.item())
    logits = torch.tensor([[float("nan")], [0.0]])  # from the logits, too: divergence is seen
    assert math.isnan(objective(torch.sigmoid(logits), logits, target).item())


def test_cross_entropy_on_a_nan_logit_gives_a_nan_loss():
    objective = Objective("cross_entropy", "classification", 3, "softmax")
    logits = torch.tensor([[float("nan"), 1.0, 2.0], [0.0, 1.0, 2.0]])
    assert math.isnan(objective(torch.softmax(logits, 1), logits, torch.tensor([0, 2])).item())


def test_bce_stays_finite_when_a_sigmoid_saturates():
    """Only reached without logits (a dropout between the sigmoid and the output)."""
    objective = Objective("bce", "classification", 1, "sigmoid")
    output = torch.tensor([[1.0], [0.0]], requires_grad=True)
    loss = objective(output, None, torch.tensor([[0.0], [1.0]]))
    loss.backward()
    assert math.isfinite(loss.item()) and torch.isfinite(output.grad).all()


def test_huge_but_finite_weights_are_not_mistaken_for_divergence():
    trainer = Trainer(load_preset("xor"))
    weights = trainer.network.named_trainables()
    with torch.no_grad():
        for p in weights.values():
            p.fill_(3e38)
    assert trainer.guard.finite()
    with torch.no_grad():
        weights["dense2.bias"][0] = float("inf")  # written through to the flat buffer
    assert not trainer.guard.finite()


def test_dropout_runs_are_reproducible_from_the_seed():
    def run(earlier_seed: int) -> dict[str, np.ndarray]:
        project = load_preset("xor")
        g = project.graph
        g.remove_edge("activation1", "dense2")
        g.add_node("dropout", {"p": 0.5}, node_id="drop")
        g.add_edge("activation1", "drop")
        g.add_edge("drop", "dense2")
        torch.manual_seed(earlier_seed)  # whatever ran before must not matter
        trainer = Trainer(project)
        trainer.run(30)
        return trainer.weights()

    first, second = run(1), run(2)
    assert all(np.array_equal(first[k], second[k]) for k in first)
