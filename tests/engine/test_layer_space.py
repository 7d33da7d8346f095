"""A dense layer's action on space, stage by stage (W·x, +b, activation), mapped to 3-D."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from laegna_gui.core.affine import pca_project
from laegna_gui.engine import layer_space
from laegna_gui.engine.layer_space import STAGE_NAMES, layer_stages
from laegna_gui.engine.trainer import Trainer


def weights_of(trainer: Trainer, node: str) -> tuple[np.ndarray, np.ndarray]:
    return (trainer.weights()[f"{node}.weight"].astype(np.float64),
            trainer.weights()[f"{node}.bias"].astype(np.float64))


def test_xor_first_layer_is_two_to_four_so_its_output_goes_through_one_pca(builders, monkeypatch):
    monkeypatch.setattr(layer_space, "MAX_FIT_POINTS", 10_000)  # fit on every row, to compare below
    trainer = builders.trainer("xor")
    trainer.run(30)
    before = {k: v.copy() for k, v in trainer.weights().items()}
    s = layer_stages(trainer, "dense1")
    assert (s.node_id, s.activation, s.width_in, s.width_out) == ("dense1", "tanh", 2, 4)
    assert s.projected and s.spread_in.kind == "shown" and s.spread_out.kind == "projected"
    assert list(s.stages) == list(STAGE_NAMES) == ["W·x", "+b", "activation"]
    n = len(trainer.data.x_train)
    np.testing.assert_array_equal(s.labels, trainer.data.y_train)
    # the input side is 2-D: shown as it is, padded with a zero column
    np.testing.assert_allclose(s.inputs[:, :2], trainer.data.x_train, rtol=1e-6)
    assert np.all(s.inputs[:, 2] == 0)
    assert len(s.grid_in) == 22 and all(line.shape == (40, 3) for line in s.grid_in)
    x0, x1, y0, _ = trainer.extent
    np.testing.assert_allclose(s.grid_in[0][[0, -1], :2], [[x0, y0], [x1, y0]], rtol=1e-6)
    for points, grid in s.stages.values():
        assert points.shape == (n, 3) and len(grid) == 22 and all(g.shape == (40, 3) for g in grid)
        assert not points.flags.writeable
    # one PCA for all three stages: adding b is the same shift of every point and grid node
    wx, wxb = s.stages["W·x"], s.stages["+b"]
    shift = wxb[0] - wx[0]
    np.testing.assert_allclose(shift, np.broadcast_to(shift[0], shift.shape), atol=1e-5)
    np.testing.assert_allclose(wxb[1][3] - wx[1][3], np.broadcast_to(shift[0], (40, 3)), atol=1e-5)
    # …and it is the PCA of the three stages' raw values together
    x = torch.as_tensor(np.concatenate([trainer.data.x_train] + [g[:, :2] for g in s.grid_in]))
    w, b = weights_of(trainer, "dense1")
    raw_wx = x.numpy().astype(np.float64) @ w.T
    raw = np.concatenate([raw_wx, raw_wx + b, np.tanh(raw_wx + b)])
    projected, _, ratio = pca_project(raw, 3)
    np.testing.assert_allclose(s.stages["activation"][0], projected[2 * len(x):2 * len(x) + n], atol=1e-4)
    np.testing.assert_allclose(s.spread_out.ratios, ratio, atol=1e-5)
    # nothing changed in the network
    assert all(np.array_equal(before[k], v) for k, v in trainer.weights().items())
    assert trainer.network.training


def test_affine3d_layer_is_three_to_three_and_shown_exactly(builders):
    trainer = builders.trainer("affine3d")
    trainer.run(20)
    s = layer_stages(trainer, "dense1")
    assert (s.activation, s.width_in, s.width_out, s.projected) == ("linear", 3, 3, False)
    assert s.spread_in.kind == s.spread_out.kind == "shown" and s.spread_out.kept == 1.0
    x = trainer.data.x_train
    w, b = trainer.weights()["dense1.weight"], trainer.weights()["dense1.bias"]
    np.testing.assert_array_equal(s.inputs, x)
    np.testing.assert_allclose(s.stages["W·x"][0], x @ w.T, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(s.stages["+b"][0], s.stages["W·x"][0] + b, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(s.stages["activation"][0], s.stages["+b"][0])
    np.testing.assert_array_equal(s.labels, trainer.data.y_train[:, 0])  # regression: first target
    # 3 inputs: the grid spans x1 and x2, the third feature sits at its mean
    for line in s.grid_in:
        np.testing.assert_allclose(line[:, 2], x[:, 2].mean(), rtol=1e-5)
    np.testing.assert_allclose(s.stages["W·x"][1][0], s.grid_in[0] @ w.T, rtol=1e-5, atol=1e-6)


def test_a_two_to_two_tanh_layer_is_padded_and_its_activation_is_tanh_of_plus_b(builders):
    b = builders
    trainer = Trainer(b.project(b.sequential(b.dense(2), b.act("tanh"), b.dense(1), b.act("sigmoid"))))
    trainer.run(10)
    s = layer_stages(trainer, "dense1", grid_lines=5, grid_points=7)
    assert (s.activation, s.width_in, s.width_out, s.projected) == ("tanh", 2, 2, False)
    assert s.spread_in.kind == s.spread_out.kind == "shown" and s.spread_out.kept == 1.0
    assert len(s.grid_in) == 10 and s.grid_in[0].shape == (7, 3)
    for name in STAGE_NAMES:
        points, grid = s.stages[name]
        assert np.all(points[:, 2] == 0) and all(np.all(g[:, 2] == 0) for g in grid)
    plus_b, activated = s.stages["+b"], s.stages["activation"]
    np.testing.assert_allclose(activated[0][:, :2], np.tanh(plus_b[0][:, :2]), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(activated[1][4][:, :2], np.tanh(plus_b[1][4][:, :2]), rtol=1e-5, atol=1e-6)
    # the second layer is 2 → 1: its input is the first layer's activation
    second = layer_stages(trainer, "dense2", grid_lines=5, grid_points=7)
    assert (second.width_in, second.width_out, second.activation) == (2, 1, "sigmoid")
    np.testing.assert_allclose(second.inputs, activated[0], rtol=1e-6)
    assert np.all(second.stages["W·x"][0][:, 1:] == 0)


def test_dropout_between_layer_and_activation_is_looked_through(builders):
    b = builders
    graph = b.sequential(b.dense(4), ("dropout", {"p": 0.5}), b.act("relu"), b.dense(1), b.act("sigmoid"))
    trainer = Trainer(b.project(graph))
    s = layer_stages(trainer, "dense1")
    assert s.activation == "relu"
    assert trainer.network.training  # eval mode only while measuring


def test_sine_has_one_input_so_the_grid_is_one_line(builders):
    s = layer_stages(builders.trainer("sine"), "dense1")
    assert (s.width_in, s.width_out, s.projected) == (1, 16, True)
    assert len(s.grid_in) == 1 and np.all(s.grid_in[0][:, 1:] == 0)
    assert len(s.stages["+b"][1]) == 1


def test_only_dense_layers_have_stages(builders):
    trainer = builders.trainer("xor")
    for node in ("activation1", "input1", "nonexistent"):
        with pytest.raises(ValueError):
            layer_stages(trainer, node)


def test_a_wide_layer_fits_its_pca_on_a_sample_and_stays_quick(builders):
    import time

    trainer = builders.trainer("overfit")  # 64 → 64
    layer_stages(trainer, "dense2")
    start = time.perf_counter()
    s = layer_stages(trainer, "dense2")
    assert time.perf_counter() - start < 0.2
    assert s.projected and 0.0 < s.spread_in.kept <= 1.0 and 0.0 < s.spread_out.kept <= 1.0
    n = len(trainer.data.x_train)
    assert all(points.shape == (n, 3) and np.all(np.isfinite(points)) for points, _ in s.stages.values())
