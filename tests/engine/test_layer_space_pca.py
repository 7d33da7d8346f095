"""How much of a wide layer's spread the layer-space view keeps: the PCA's explained-variance
ratios, checked against numpy's own PCA, on known data and in the degenerate cases."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from laegna_gui.engine import layer_space
from laegna_gui.engine.layer_space import Spread, To3D, layer_stages


def numpy_ratios(points: np.ndarray) -> np.ndarray:
    """The explained-variance ratios of all directions, from an SVD of the centred points."""
    centred = points - points.mean(axis=0)
    s = np.linalg.svd(centred, compute_uv=False)
    return s**2 / np.sum(s**2)


def covariance_ratios(points: np.ndarray) -> np.ndarray:
    """The same from the other textbook route: the covariance matrix's eigenvalues."""
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(points, rowvar=False)))[::-1]
    return eigenvalues / eigenvalues.sum()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ratios_on_random_data_are_numpys_pca(seed):
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(300, 7)) @ rng.normal(size=(7, 7))  # correlated, uneven spread
    spread = To3D(points.astype(np.float32)).spread
    assert spread.kind == "projected" and spread.width == 7 and len(spread.ratios) == 3
    float64 = points.astype(np.float32).astype(np.float64)  # what the view was given, in float64
    np.testing.assert_allclose(spread.ratios, numpy_ratios(float64)[:3], rtol=1e-10)
    np.testing.assert_allclose(spread.ratios, covariance_ratios(float64)[:3], rtol=1e-8)
    assert list(spread.ratios) == sorted(spread.ratios, reverse=True)
    assert spread.kept == pytest.approx(sum(numpy_ratios(float64)[:3]), rel=1e-10) and spread.kept < 1


def test_the_drawn_directions_and_the_ratios_come_from_one_pca():
    """Each drawn axis holds exactly its ratio of the spread: the percentages describe the picture."""
    rng = np.random.default_rng(5)
    points = rng.normal(size=(250, 6)) * np.array([5.0, 3.0, 2.0, 1.0, 0.5, 0.1])
    to3d = To3D(points)
    drawn = to3d(points).astype(np.float64)
    total = np.sum((points - points.mean(axis=0)) ** 2)
    np.testing.assert_allclose(np.sum(drawn**2, axis=0) / total, to3d.spread.ratios, rtol=1e-5)
    np.testing.assert_allclose(drawn.mean(axis=0), 0.0, atol=1e-5)  # centred on the same mean
    np.testing.assert_allclose(to3d.components @ to3d.components.T, np.eye(3), atol=1e-12)


def test_known_spread_along_the_axes():
    # ±a·eᵢ for a = 4, 3, 2, 1: the variance along axis i is proportional to a², so 16 : 9 : 4 : 1
    points = np.concatenate([np.diag([4.0, 3.0, 2.0, 1.0]), -np.diag([4.0, 3.0, 2.0, 1.0])])
    spread = To3D(points).spread
    np.testing.assert_allclose(spread.ratios, [16 / 30, 9 / 30, 4 / 30], atol=1e-12)
    assert spread.kept == pytest.approx(29 / 30)


def test_data_on_a_plane_has_no_third_direction():
    rng = np.random.default_rng(3)
    basis = np.linalg.qr(rng.normal(size=(5, 2)))[0].T  # a plane through 5-D space
    points = rng.normal(size=(200, 2)) @ basis + rng.normal(size=5)
    spread = To3D(points).spread
    assert spread.kind == "projected"
    assert spread.ratios[2] == pytest.approx(0.0, abs=1e-12)
    assert spread.ratios[0] + spread.ratios[1] == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(spread.ratios, numpy_ratios(points)[:3], atol=1e-12)


def test_a_three_d_slice_of_a_wide_layer_is_kept_whole():
    rng = np.random.default_rng(4)
    points = rng.normal(size=(100, 3)) @ rng.normal(size=(3, 9))
    assert To3D(points).spread.kept == pytest.approx(1.0, abs=1e-12)


def test_fewer_points_than_directions():
    spread = To3D(np.array([[1.0, 2, 3, 4, 5], [2.0, 2, 3, 4, 5]])).spread
    assert spread.kind == "projected"
    np.testing.assert_allclose(spread.ratios, [1.0, 0.0, 0.0], atol=1e-12)


def test_narrow_layers_are_shown_as_they_are():
    points = np.random.default_rng(0).normal(size=(50, 2))
    to3d = To3D(points)
    assert to3d.spread == Spread("shown", 2) and to3d.spread.kept == 1.0
    np.testing.assert_allclose(to3d(points)[:, :2], points, rtol=1e-6)


@pytest.mark.parametrize("width", [2, 6])
def test_all_points_equal_is_no_spread_and_lands_on_one_spot(width):
    for value in (0.0, 0.7):
        to3d = To3D(np.full((40, width), value, dtype=np.float32))
        assert to3d.spread == Spread("flat", width) and to3d.spread.kept == 1.0
        drawn = to3d(np.full((5, width), value, dtype=np.float32))
        assert np.all(np.isfinite(drawn)) and np.ptp(drawn, axis=0).max() == 0.0


def test_rounding_noise_is_no_spread():
    """tanh saturated at 1: the values differ only in the last float32 bit."""
    values = np.tanh(np.linspace(20.0, 30.0, 50, dtype=np.float32))[:, None] * np.ones((1, 5), np.float32)
    values[::2] = np.nextafter(np.float32(1.0), np.float32(0.0))
    assert To3D(values).spread.kind == "flat"


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("width", [2, 6])
def test_values_that_are_not_numbers_are_reported_without_a_crash(bad, width):
    points = np.random.default_rng(1).normal(size=(60, width))
    points[7, 1] = bad
    to3d = To3D(points)
    assert to3d.spread == Spread("not_finite", width) and np.isnan(to3d.spread.kept)
    drawn = to3d(points)
    good = np.ones(60, dtype=bool)
    good[7] = False
    assert np.all(np.isfinite(drawn[good]))  # the other points are still drawn
    assert not np.all(np.isfinite(drawn[7]))


def test_nothing_finite_at_all():
    to3d = To3D(np.full((30, 8), np.nan))
    assert to3d.spread.kind == "not_finite"
    assert to3d(np.full((3, 8), np.nan)).shape == (3, 3)


def test_a_bad_row_the_sample_would_skip_is_still_reported(monkeypatch):
    monkeypatch.setattr(layer_space, "MAX_FIT_POINTS", 10)
    points = np.random.default_rng(2).normal(size=(1000, 5))
    points[1] = np.nan  # the even sample takes rows 0, 111, 222…
    assert To3D(points).spread.kind == "not_finite"


def test_a_diverged_network_gives_stages_that_say_so(builders):
    trainer = builders.trainer("xor")
    with torch.no_grad():
        trainer.network.layer("dense1").weight[0, 0] = float("nan")
    s = layer_stages(trainer, "dense1")  # no crash
    assert s.spread_in.kind == "shown"
    assert s.spread_out == Spread("not_finite", 4)
    second = layer_stages(trainer, "dense2")
    assert second.spread_in == Spread("not_finite", 4)


def test_a_layer_fed_the_same_values_for_every_point_has_no_spread(builders):
    trainer = builders.trainer("xor")
    with torch.no_grad():
        trainer.network.layer("dense1").weight.zero_()
    s = layer_stages(trainer, "dense2")  # every point enters dense2 as tanh(b)
    assert s.spread_in == Spread("flat", 4)
    assert np.ptp(s.inputs, axis=0).max() == 0.0


def test_layer_stages_ratios_are_numpys_pca_of_what_enters(builders, monkeypatch):
    monkeypatch.setattr(layer_space, "MAX_FIT_POINTS", 10_000)  # fit on every row, to compare
    trainer = builders.trainer("overfit")  # 64 → 64
    trainer.run(5)
    s = layer_stages(trainer, "dense2")
    network = trainer.network
    grid = layer_space.input_grid(trainer, 11, 40)
    raw = torch.as_tensor(np.concatenate([trainer.data.x_train.astype(np.float32)] + grid))
    was_training = network.training
    network.eval()
    with torch.no_grad():
        entering = network(raw, keep=True)[1][network.sources["dense2"][0]].numpy()
    network.train(was_training)
    np.testing.assert_allclose(s.spread_in.ratios, numpy_ratios(entering.astype(np.float64))[:3], rtol=1e-9)
