"""Probes (what the live views draw) and the Trainer's edits between iterations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.probes import (
    BOUNDARY_GRID,
    CURVE_POINTS,
    EXPLODING_NORM,
    NEURON_GRID,
    VANISHING_RATIO,
    gradient_warning,
    plane_points,
)
from laegna_gui.engine.trainer import Trainer


@pytest.fixture(scope="module")
def xor_probes():
    """The xor preset after a little training, and what it probes."""
    trainer = Trainer(load_preset("xor"))
    trainer.run(30)
    return trainer, trainer.snapshot().probes


def test_xor_boundary_is_the_networks_own_prediction_on_the_grid(xor_probes):
    trainer, probes = xor_probes
    boundary = probes.boundary
    assert boundary.shape == (BOUNDARY_GRID, BOUNDARY_GRID) == (64, 64)
    assert boundary.min() >= 0.0 and boundary.max() <= 1.0
    assert boundary.max() - boundary.min() > 0.1  # not a blank picture
    points = plane_points(probes.extent, BOUNDARY_GRID)
    predicted = trainer.predict(points)  # sigmoid output = P(class 1)
    np.testing.assert_allclose(boundary, predicted[:, 0].reshape(64, 64), rtol=1e-5, atol=1e-6)
    # row 0 is the bottom edge, column 0 the left edge
    assert points[0].tolist() == pytest.approx([probes.extent[0], probes.extent[2]])
    assert points[63].tolist() == pytest.approx([probes.extent[1], probes.extent[2]])
    assert points[-1].tolist() == pytest.approx([probes.extent[1], probes.extent[3]])
    assert probes.curve_x is None and probes.curve_y is None


def test_xor_neuron_maps_cover_every_node_and_match_a_manual_forward(xor_probes):
    trainer, probes = xor_probes
    maps = probes.neuron_maps
    assert set(maps) == set(trainer.analysis.order)
    for node, image in maps.items():
        assert image.shape == (trainer.analysis.widths[node], NEURON_GRID, NEURON_GRID) == \
            (trainer.analysis.widths[node], 20, 20), node
    weights = trainer.weights()
    w, b = weights["dense1.weight"].astype(np.float64), weights["dense1.bias"].astype(np.float64)
    points = plane_points(probes.extent, NEURON_GRID).astype(np.float64)
    row, col, unit = 3, 17, 2
    expected = w[unit] @ points[row * NEURON_GRID + col] + b[unit]
    assert maps["dense1"][unit, row, col] == pytest.approx(expected, rel=1e-5, abs=1e-6)
    everything = points @ w.T + b  # and the whole map, for good measure
    np.testing.assert_allclose(maps["dense1"], everything.T.reshape(4, 20, 20), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps["activation1"], np.tanh(maps["dense1"]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(maps["output1"][0], maps["activation2"][0])


def test_spiral3_boundary_holds_class_probabilities():
    trainer = Trainer(load_preset("spiral3"))
    trainer.run(20)
    boundary = trainer.snapshot().probes.boundary
    assert boundary.shape == (64, 64, 3)
    assert boundary.min() >= 0.0
    np.testing.assert_allclose(boundary.sum(axis=2), 1.0, atol=1e-5)


def test_sine_probes_a_curve_not_a_plane():
    trainer = Trainer(load_preset("sine"))
    trainer.run(20)
    probes = trainer.snapshot().probes
    assert probes.boundary is None and probes.neuron_maps == {}
    assert probes.curve_x.shape == (CURVE_POINTS,)
    assert probes.curve_x[0] == pytest.approx(probes.extent[0]) and probes.curve_x[-1] == pytest.approx(probes.extent[1])
    assert np.all(np.diff(probes.curve_x) > 0)
    np.testing.assert_array_equal(probes.curve_y, trainer.predict(probes.curve_x[:, None]))
    assert probes.curve_y.shape == (CURVE_POINTS, 1)


def test_affine3d_has_neither_boundary_nor_curve():
    trainer = Trainer(load_preset("affine3d"))
    probes = trainer.snapshot().probes
    assert probes.boundary is None and probes.curve_x is None and probes.curve_y is None
    assert probes.neuron_maps == {} and probes.dead_fraction == {}
    assert probes.gradient_warning == ""


@pytest.fixture
def relu_trainer(builders):
    """circle data: input → dense 8 → relu → dense 8 → relu → dense 1 → sigmoid."""
    graph = builders.sequential(builders.dense(8), builders.act("relu"), builders.dense(8),
                                builders.act("relu"), builders.dense(1), builders.act("sigmoid"))
    return Trainer(builders.project(graph, "circle", loss="bce"))


def test_dead_fraction_counts_units_that_never_fire(relu_trainer):
    trainer = relu_trainer
    for unit in range(8):  # layer 1 always on (|w·x| is far below 5 on the data) …
        trainer.set_weight("dense1.bias", (unit,), 5.0)
    weights = dict(trainer.weights())
    weights["dense2.bias"] = np.full(8, -100.0, dtype=np.float32)  # … layer 2 never
    trainer.network.load_weights(weights)
    dead = trainer.snapshot().probes.dead_fraction
    assert dead == {"activation1": 0.0, "activation2": 1.0}
    trainer.set_weight("dense1.bias", (3,), -100.0)  # one unit of eight
    assert trainer.snapshot().probes.dead_fraction["activation1"] == 0.125


def test_layer_gradient_norms_are_the_norms_of_each_layers_gradients(relu_trainer):
    trainer = relu_trainer
    report = trainer.step()
    norms = trainer.probes(report.gradients).layer_gradient_norms
    assert set(norms) == {"dense1", "dense2", "dense3"}
    for node in norms:
        grads = [report.gradients[f"{node}.weight"], report.gradients[f"{node}.bias"]]
        expected = math.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads))
        assert norms[node] == pytest.approx(expected, rel=1e-9)
        assert norms[node] > 0
    total = math.sqrt(sum(n * n for n in norms.values()))
    assert total == pytest.approx(report.gradient_norm, rel=1e-5)
    snapshot = trainer.snapshot()  # the snapshot reads the same gradients
    assert snapshot.probes.layer_gradient_norms == pytest.approx(norms)


ORDER = ["input1", "dense1", "activation1", "dense2", "activation2", "dense3", "output1"]


@pytest.mark.parametrize("norms,expected", [
    ({"dense1": 0.5, "dense2": 1.0, "dense3": 2.0}, ""),
    ({"dense1": 1.0, "dense2": 2 * EXPLODING_NORM, "dense3": 1.0}, "Exploding gradients"),
    ({"dense1": 1.0, "dense2": math.inf, "dense3": 1.0}, "Exploding gradients"),
    ({"dense1": 1.0, "dense2": math.nan, "dense3": 1.0}, "Exploding gradients"),
    ({"dense1": 1e-7, "dense2": 1e-3, "dense3": 1.0}, "Vanishing gradients"),
    ({"dense1": 1e-7 * EXPLODING_NORM, "dense3": EXPLODING_NORM}, "Vanishing gradients"),
    ({"dense1": VANISHING_RATIO, "dense3": 1.0}, ""),  # strictly below the ratio
    ({"dense1": 0.0, "dense3": 0.0}, ""),  # nothing to compare with
    ({"dense1": 1e-9}, ""),  # one layer cannot vanish relative to itself
    ({}, ""),
    ({"elsewhere": 1e9}, ""),  # only layers of the graph count
])
def test_gradient_warning(norms, expected):
    warning = gradient_warning(norms, ORDER)
    if expected:
        assert warning.startswith(expected), warning
    else:
        assert warning == ""


def test_gradient_warning_uses_graph_order_not_dict_order():
    norms = {"dense3": 1.0, "dense1": 1e-6}  # the first layer of the graph is dense1
    assert gradient_warning(norms, ORDER).startswith("Vanishing")
    assert gradient_warning(norms, list(reversed(ORDER))) == ""


def test_set_weight_changes_exactly_one_entry_and_refuses_non_finite(xor_trainer):
    before = {k: v.copy() for k, v in xor_trainer.weights().items()}
    assert before["dense1.weight"][2, 1] != 0.75
    xor_trainer.set_weight("dense1.weight", (2, 1), 0.75)
    after = xor_trainer.weights()
    assert after["dense1.weight"][2, 1] == 0.75
    changed = {(k, tuple(int(i) for i in idx)) for k in after
               for idx in zip(*np.nonzero(after[k] != before[k]))}
    assert changed == {("dense1.weight", (2, 1))}
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            xor_trainer.set_weight("dense1.weight", (0, 0), bad)
    assert all(np.array_equal(v, after[k]) for k, v in xor_trainer.weights().items())
    xor_trainer.set_weight("dense2.bias", (0,), -1.5)  # the next iteration starts from it
    report = xor_trainer.step()
    assert report.weights_before["dense2.bias"][0] == -1.5


def test_reset_restores_the_initial_weights_and_the_count(builders, xor_trainer):
    fresh = builders.trainer("xor", learning_rate=0.05, batch_size=10, **builders.plain_sgd)
    xor_trainer.run(25)
    xor_trainer.set_weight("dense1.bias", (0,), 3.0)
    assert xor_trainer.step_count == 25
    xor_trainer.reset()
    assert xor_trainer.step_count == 0 and xor_trainer.epoch == 0
    for name, value in fresh.weights().items():
        np.testing.assert_array_equal(xor_trainer.weights()[name], value, err_msg=name)
    assert xor_trainer.settings == fresh.settings  # settings survive a reset
    assert xor_trainer.run(7) == fresh.run(7)  # same batches, same updates, from the start
    for name, value in fresh.weights().items():
        np.testing.assert_array_equal(xor_trainer.weights()[name], value, err_msg=name)


def test_keep_carries_over_the_weights_of_unchanged_layers(builders):
    def project(width: int):
        graph = builders.sequential(builders.dense(4), builders.act("tanh"), builders.dense(width),
                                    builders.act("tanh"), builders.dense(1), builders.act("sigmoid"))
        return builders.project(graph, "xor", loss="bce", optimizer="adam", learning_rate=0.05)

    old = Trainer(project(4))
    old.run(40)
    trained = old.weights()
    changed = project(6)  # dense2: 4 → 6 units, so dense2 and dense3 change shape
    kept = Trainer(changed, keep=trained)
    fresh = Trainer(changed).weights()
    for name in ("dense1.weight", "dense1.bias"):
        np.testing.assert_array_equal(kept.weights()[name], trained[name])
        assert not np.array_equal(kept.weights()[name], fresh[name])
    for name in ("dense2.weight", "dense2.bias", "dense3.weight"):
        assert kept.weights()[name].shape == fresh[name].shape != trained[name].shape
        np.testing.assert_array_equal(kept.weights()[name], fresh[name])
    # the match is per layer: dense3's bias still has shape (1,), but its layer changed
    np.testing.assert_array_equal(kept.weights()["dense3.bias"], fresh["dense3.bias"])
    assert kept.step_count == 0
    kept.run(5)  # and it trains
    assert all(np.all(np.isfinite(v)) for v in kept.weights().values())

    same = Trainer(project(4), keep={**trained, "nowhere.weight": np.zeros(3, np.float32)})
    for name, value in trained.items():  # unchanged graph: everything kept, unknown names ignored
        np.testing.assert_array_equal(same.weights()[name], value)


def test_probes_leave_the_network_in_training_mode(xor_probes):
    trainer, _ = xor_probes
    trainer.snapshot()
    assert trainer.network.training  # dropout and batch norm behave as in training again
