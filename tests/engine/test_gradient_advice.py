"""A vanishing gradient's warning names the cause the probes see and the fixes that fit it:
dead ReLU units (lower rate, leaky ReLU, He), squashing sigmoid/tanh layers (ReLU, fewer
layers, batch norm) or plain depth (fewer layers, batch norm, skip connections)."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.probes import VANISHING_RATIO, LayerActivity, gradient_warning, vanishing_advice
from laegna_gui.engine.trainer import Trainer

SUGGESTS_RELU = ("Try ReLU", "use ReLU", "Use ReLU")


def test_dying_relu_names_the_dead_units_and_the_fixes_that_fit():
    trainer = Trainer(load_preset("dying-relu"))  # with the engine it picks, as the window does
    for _ in range(40):
        trainer.step()
    probes = trainer.snapshot().probes
    dead = probes.dead_fraction
    assert max(dead.values()) >= 0.5, dead  # the lesson: units have died
    norms = probes.layer_gradient_norms
    assert norms["dense1"] / norms["dense3"] < VANISHING_RATIO
    count = round(8 * dead["activation1"]) + round(8 * dead["activation2"])
    warning = probes.gradient_warning
    assert warning.startswith(f"Vanishing gradients: {count} of 16 ReLU units are dead (never active on the data)")
    for fix in ("lower the learning rate", "use leaky ReLU", "He initialisation"):
        assert fix in warning, warning
    assert not any(s in warning for s in SUGGESTS_RELU), warning
    assert trainer.network.training  # probing left the network as training needs it


def test_vanishing_sigmoids_get_the_squashing_advice():
    trainer = Trainer(load_preset("vanishing"))
    trainer.step()
    warning = trainer.snapshot().probes.gradient_warning
    assert warning.startswith("Vanishing gradients: backprop multiplies the gradient by the slopes of 8 sigmoid "
                              "layers, at most 0.25 for a sigmoid: 0.2"), warning  # 0.24 on average
    assert warning.endswith("Use ReLU, fewer layers or batch norm.")
    assert "dead" not in warning and "skip connections" not in warning


def test_saturated_tanh_layers_are_said_to_saturate():
    project = load_preset("vanishing").copy()
    hidden = [n for n in project.graph.topological_order() if project.graph.node(n).type == "activation"][:-1]
    for node in hidden:
        project.graph.set_params(node, {"function": "tanh"})
    trainer = Trainer(project)
    # biases of 3 push every hidden tanh to its flat top, where its slope is about 0.01
    trainer.network.load_weights({k: np.full_like(v, 3.0) for k, v in trainer.weights().items()
                                  if k.endswith(".bias") and not k.startswith("dense9")})
    trainer.step()
    warning = trainer.snapshot().probes.gradient_warning
    assert " of 8 tanh layers saturate (slope near 0 for most points)" in warning, warning
    assert warning.endswith("Use ReLU, fewer layers or batch norm.")


def test_without_a_cause_in_sight_the_advice_is_for_depth():
    depth = vanishing_advice(1e-6, LayerActivity(slopes={"activation1": ("sigmoid", 0.24)}))  # shrinks 4×, not 10×
    assert depth == vanishing_advice(1e-6, None)
    assert depth.startswith("Vanishing gradients: the first layer gets 1.0e-06 of the last layer's gradient")
    assert "fewer layers" in depth and "skip connections" in depth and "ReLU" not in depth
    order = ["input1", "dense1", "activation1", "dense2", "output1"]
    assert gradient_warning({"dense1": 1e-9, "dense2": 1.0}, order) == vanishing_advice(1e-9, None)


def test_leaky_units_that_died_are_not_told_to_become_leaky():
    advice = vanishing_advice(0.0, LayerActivity(dead=8, relu_units=16, leaky=True, worst_dead_fraction=1.0))
    assert advice == ("Vanishing gradients: 8 of 16 leaky ReLU units are dead (never active on the data): "
                      "lower the learning rate or use He initialisation.")


@pytest.mark.parametrize("fraction,cause", [(0.25, False), (0.5, True)])
def test_dead_units_are_the_cause_from_half_a_layer_on(fraction, cause):
    advice = vanishing_advice(1e-5, LayerActivity(dead=2, relu_units=8, worst_dead_fraction=fraction))
    assert ("ReLU units are dead" in advice) is cause
