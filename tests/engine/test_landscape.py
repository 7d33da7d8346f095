"""The loss over a plane through the weights: random filter-normalised or two chosen weights."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch

from laegna_gui.engine.landscape import MAX_LOSS, LandscapeError, compute_landscape, project_point
from laegna_gui.engine.trainer import Trainer


@pytest.fixture
def trained_xor(builders) -> Trainer:
    trainer = builders.trainer("xor")
    trainer.run(40)
    return trainer


def state_copy(trainer: Trainer) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().copy() for k, v in trainer.network.named_state().items()}


def assert_same_state(trainer: Trainer, before: dict[str, np.ndarray]) -> None:
    after = state_copy(trainer)
    assert after.keys() == before.keys()
    for name, value in before.items():
        np.testing.assert_array_equal(after[name], value, err_msg=name)


def test_random_plane_is_centred_on_the_current_loss_and_leaves_the_weights_alone(trained_xor):
    before = state_copy(trained_xor)
    start = time.perf_counter()
    land = compute_landscape(trained_xor, n=25, span=1.0)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    assert land.losses.shape == (25, 25) and land.alphas.shape == land.betas.shape == (25,)
    assert land.alphas[12] == 0.0 and land.betas[12] == 0.0
    assert land.alphas[0] == -1.0 and land.betas[-1] == 1.0
    assert land.mode == "random" and land.labels == ("direction 1", "direction 2")
    assert land.losses[12, 12] == trained_xor.evaluate().train_loss
    assert np.all(np.isfinite(land.losses)) and land.losses.min() < land.losses.max()
    assert_same_state(trained_xor, before)
    assert trained_xor.network.training
    for name, value in land.center.items():
        np.testing.assert_array_equal(value, before[name])


def test_random_directions_are_filter_normalised_and_skip_biases(trained_xor):
    land = compute_landscape(trained_xor, n=3, seed=5)
    d1, d2 = land.directions
    for d in (d1, d2):
        for name, w in land.center.items():
            if name.endswith(".bias"):
                assert not d[name].any()
            else:
                np.testing.assert_allclose(np.linalg.norm(d[name], axis=1), np.linalg.norm(w, axis=1), rtol=1e-5)
    assert not np.allclose(d1["dense1.weight"], d2["dense1.weight"])
    again = compute_landscape(trained_xor, n=3, seed=5)
    np.testing.assert_array_equal(again.losses, land.losses)  # the seed fixes the plane


def test_weights_mode_moves_only_the_two_chosen_weights(trained_xor):
    chosen = (("dense1.weight", (0, 1)), ("dense2.bias", (0,)))
    land = compute_landscape(trained_xor, n=5, span=0.5, mode="weights", weights=chosen)
    assert land.mode == "weights" and land.labels == ("dense1.weight[0, 1]", "dense2.bias[0]")
    np.testing.assert_array_equal(land.alphas, [-0.5, -0.25, 0.0, 0.25, 0.5])
    d1, d2 = land.directions
    assert np.count_nonzero(np.concatenate([v.ravel() for v in d1.values()])) == 1
    assert d1["dense1.weight"][0, 1] == 1.0 and d2["dense2.bias"][0] == 1.0
    assert land.losses[2, 2] == trained_xor.evaluate().train_loss
    # the corner (α = -0.5, β = +0.5), set by hand
    before = trained_xor.weights()
    edited = {k: v.copy() for k, v in before.items()}
    edited["dense1.weight"][0, 1] += np.float32(-0.5)
    edited["dense2.bias"][0] += np.float32(0.5)
    trained_xor.network.load_weights(edited)
    corner = trained_xor.evaluate().train_loss
    trained_xor.network.load_weights(before)
    assert land.losses[0, 4] == pytest.approx(corner, rel=1e-6)


def test_bad_weight_choices_are_refused_clearly(trained_xor):
    with pytest.raises(LandscapeError, match="no trainable weight"):
        compute_landscape(trained_xor, mode="weights", weights=(("dense9.weight", (0, 0)), ("dense2.bias", 0)))
    with pytest.raises(LandscapeError, match="outside"):
        compute_landscape(trained_xor, mode="weights", weights=(("dense1.weight", (7, 0)), ("dense2.bias", 0)))
    with pytest.raises(LandscapeError, match="two different"):
        compute_landscape(trained_xor, mode="weights", weights=(("dense2.bias", 0), ("dense2.bias", (0,))))
    with pytest.raises(ValueError):
        compute_landscape(trained_xor, mode="sideways")


def test_progress_every_row_and_should_stop_cancels_and_restores(trained_xor):
    seen = []
    compute_landscape(trained_xor, n=7, progress=seen.append)
    assert len(seen) == 7 and seen[-1] == 1.0 and seen == sorted(seen)

    before = state_copy(trained_xor)
    asked = []
    result = compute_landscape(trained_xor, n=7, progress=seen.append,
                               should_stop=lambda: asked.append(1) or len(asked) > 3)
    assert result is None and len(asked) == 4
    assert_same_state(trained_xor, before)


def test_an_error_mid_way_still_restores_the_weights(trained_xor, monkeypatch):
    before = state_copy(trained_xor)
    calls = []

    def failing(network, x, target):
        calls.append(1)
        if len(calls) > 10:
            raise RuntimeError("boom")
        return torch.tensor(0.5)

    monkeypatch.setattr(trained_xor.objective, "loss_of", failing)
    with pytest.raises(RuntimeError, match="boom"):
        compute_landscape(trained_xor, n=5)
    assert_same_state(trained_xor, before)


def test_non_finite_losses_are_stored_as_max_loss(trained_xor, monkeypatch):
    monkeypatch.setattr(trained_xor.objective, "loss_of", lambda network, x, target: torch.tensor(float("nan")))
    land = compute_landscape(trained_xor, n=3)
    assert np.all(land.losses == MAX_LOSS)


def test_batch_norm_parameters_and_statistics_stay_put(builders, bn_dropout_graph):
    trainer = Trainer(builders.project(bn_dropout_graph, batch_size=10))
    trainer.run(20)
    before = state_copy(trainer)
    land = compute_landscape(trainer, n=5)
    d1, _ = land.directions
    bn = [k for k in d1 if k.startswith("batch_norm")]
    assert bn and all(not d1[k].any() for k in bn)
    assert land.losses[2, 2] == trainer.evaluate().train_loss
    assert_same_state(trainer, before)


def test_project_point_finds_the_plane_coordinates(trained_xor):
    land = compute_landscape(trained_xor, n=3)
    d1, d2 = land.directions
    assert project_point(land, land.center) == (0.0, 0.0)
    moved = {k: land.center[k] + 0.3 * d1[k] for k in land.center}
    assert project_point(land, moved) == pytest.approx((0.3, 0.0), abs=1e-6)
    both = {k: land.center[k] - 0.2 * d1[k] + 0.7 * d2[k] for k in land.center}
    assert project_point(land, both) == pytest.approx((-0.2, 0.7), abs=1e-6)
    # after training the weights leave the plane; the projection is still the best fit
    trained_xor.run(20)
    alpha, beta = project_point(land, trained_xor.weights())
    assert np.isfinite(alpha) and np.isfinite(beta)
    with pytest.raises(ValueError):
        project_point(land, {"dense1.weight": np.zeros((3, 3))})
