"""Every run of a race on one loss landscape (engine/compare_landscape.py): the paths start at
the shared start, two runs end on the plane at the loss they ended with, runs that cannot
share the plane are left out with a note, and the paths kept stay within their budget."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core.presets import load_preset
from laegna_gui.core.variations import Change, combinations, parse_axis
from laegna_gui.engine import compare
from laegna_gui.engine.compare import EVALUATIONS, race, sweep
from laegna_gui.engine.compare_landscape import GRID, race_landscape
from laegna_gui.engine.landscape import plane_losses
from laegna_gui.engine.run_result import flatten
from laegna_gui.engine.trainer import Trainer

STEPS = 200


@pytest.fixture(scope="module")
def xor():
    return load_preset("xor")


@pytest.fixture(scope="module")
def sgd_adam(xor):
    return race(xor, _runs(xor, "optimizer=sgd,adam"), STEPS, landscape=True)


def _runs(project, *axes: str) -> list[tuple[Change, ...]]:
    return combinations([parse_axis(text, project, "--vary") for text in axes], "--vary")


def _point(land, alpha: float, beta: float) -> np.ndarray:
    """center + α·d1 + β·d2, flat, in float64."""
    d1, d2 = land.directions
    return np.concatenate([np.ravel(land.center[k].astype(np.float64) + alpha * d1[k] + beta * d2[k])
                           for k in land.center])


def test_every_path_starts_at_the_shared_start_and_the_grid_holds_every_path(sgd_adam):
    land = sgd_adam.landscape
    assert land.runs == (0, 1) and land.notes == ()
    grid = land.landscape
    assert grid.losses.shape == (GRID, GRID) and np.isfinite(grid.losses).all()
    for i, path, steps in zip(land.runs, land.paths, land.steps):
        assert tuple(path[0]) == (0.0, 0.0)
        assert path.shape == (EVALUATIONS + 1, 2)
        np.testing.assert_array_equal(steps, sgd_adam.runs[i].curve[:, 0])
        assert grid.alphas[0] < path[:, 0].min() and path[:, 0].max() < grid.alphas[-1]
        assert grid.betas[0] < path[:, 1].min() and path[:, 1].max() < grid.betas[-1]
    start = sgd_adam.paths[0].at(0)
    assert all(np.array_equal(grid.center[k], start[k]) for k in start)


def test_the_directions_are_orthonormal_in_weight_space(sgd_adam):
    d1, d2 = (np.concatenate([np.ravel(d[k]) for k in d]) for d in sgd_adam.landscape.landscape.directions)
    np.testing.assert_allclose([d1 @ d1, d2 @ d2, d1 @ d2], [1.0, 1.0, 0.0], atol=1e-9)


def test_two_runs_end_on_the_plane_at_the_loss_they_ended_with(xor, sgd_adam):
    land = sgd_adam.landscape
    trainer = Trainer(xor)  # the same network: the optimizer does not change the loss of the weights
    for i, path in zip(land.runs, land.paths):
        alpha, beta = path[-1]
        end = flatten(sgd_adam.weights[i])
        np.testing.assert_allclose(_point(land.landscape, alpha, beta), end, atol=1e-5)
        (loss,), = plane_losses(trainer, land.landscape.center, *land.landscape.directions, [alpha], [beta])
        assert loss == pytest.approx(sgd_adam.runs[i].metrics.train_loss, rel=1e-4)
        assert 0.0 <= land.off_plane[i] < 1.0  # the steps between may leave it
    assert sgd_adam.runs[0].metrics.train_loss != pytest.approx(sgd_adam.runs[1].metrics.train_loss, rel=0.01)


def test_runs_with_other_shapes_starts_or_functions_are_left_out_with_a_note(xor):
    wider = race(xor, _runs(xor, "width=4,8"), 20, landscape=True).landscape
    assert wider.runs == (0,)
    assert wider.notes == ("width=8 has other weight shapes, so it has no place on this plane.",)
    assert wider.landscape is not None and tuple(wider.paths[0][0]) == (0.0, 0.0)

    seeds = race(xor, _runs(xor, "seed=0,7"), 20, landscape=True).landscape
    assert seeds.runs == (0,)
    assert seeds.notes == ("seed=7 started from other weights, so it has no place on this plane.",)

    functions = race(xor, _runs(xor, "activation=tanh,relu"), 20, landscape=True).landscape
    assert functions.runs == (0,)
    assert functions.notes == ("activation=relu has another activation: the plane's losses are not its own, "
                               "so it has no place on this plane.",)


def test_runs_that_did_not_move_have_no_plane(xor):
    land = race(xor, _runs(xor, "optimizer=sgd,adam"), 0, landscape=True).landscape
    assert land.landscape is None and land.runs == ()
    assert land.notes == ("No run moved from the start: there is no plane to show.",)


def test_a_path_keeps_at_most_its_budget_and_always_the_start_and_the_end(xor, monkeypatch):
    size = sum(v.size for v in Trainer(xor).weights().values())
    monkeypatch.setattr(compare, "PATH_FLOATS", 10 * size)
    result = race(xor, _runs(xor, "optimizer=sgd"), 97, landscape=True)
    (path,) = result.paths
    assert path.values.dtype == np.float32 and len(path.values) <= 10
    assert path.steps[0] == 0 and path.steps[-1] == 97
    np.testing.assert_array_equal(path.values[-1], flatten(result.weights[0]))

    monkeypatch.setattr(compare, "PATH_FLOATS", size)  # not even the start and the end fit
    land = race(xor, _runs(xor, "optimizer=sgd"), 5, landscape=True).landscape
    assert land.landscape is None and land.notes == ("The networks are too large to keep the runs' paths.",)


def test_a_stopped_landscape_gives_nothing_and_leaves_the_weights_alone(xor, sgd_adam):
    trainer = Trainer(xor)
    before = flatten(trainer.weights())
    asked = []
    assert race_landscape(sgd_adam.runs, sgd_adam.paths, trainer, should_stop=lambda: asked.append(1) or True) is None
    assert asked == [1]
    np.testing.assert_array_equal(flatten(trainer.weights()), before)


def test_only_asked_for_races_keep_paths(xor):
    plain = race(xor, _runs(xor, "optimizer=sgd,adam"), 4)
    assert plain.paths == () and plain.landscape is None
    pictured = race(xor, _runs(xor, "optimizer=sgd"), 4, probes=True)  # the pictures go together
    assert len(pictured.paths) == 1 and pictured.landscape is not None
    grid = sweep(xor, *(parse_axis(a, xor, "--grid") for a in ("optimizer=sgd,adam", "width=2,4")), 4, probes=True)
    assert grid.race.paths == () and grid.race.landscape is None


def test_the_cli_picture_draws_the_landscape_under_the_curves(xor):
    from dataclasses import replace
    from io import BytesIO

    from PIL import Image

    from laegna_gui.compare_png import LANDSCAPE, PLOT_HEIGHT, RUN_COLORS, race_png

    pictured = race(xor, _runs(xor, "optimizer=sgd,adam"), 40, probes=True)
    with_land = Image.open(BytesIO(race_png(pictured, "t"))).convert("RGB")
    without = Image.open(BytesIO(race_png(replace(pictured, landscape=None), "t"))).convert("RGB")
    assert with_land.height == without.height + LANDSCAPE + 70
    top = 110 + PLOT_HEIGHT
    panel = np.asarray(with_land)[top:top + LANDSCAPE, 70:70 + LANDSCAPE].reshape(-1, 3)
    for colour in RUN_COLORS[:2]:  # both paths are drawn on it
        assert (np.abs(panel.astype(int) - colour).sum(axis=1) < 30).sum() > 20
