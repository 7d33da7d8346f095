"""Races of settings (engine/compare.py): the same start, the same batches, results that
match training each run alone, and a verdict that names the better run."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.cli_export import train_steps
from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.presets import load_preset
from laegna_gui.core.variations import Change, apply, combinations, parse_axis
from laegna_gui.engine.cancel import CancelToken, TrainingCancelled
from laegna_gui.engine.compare import (check_runs, evaluation_every, grid, race, start_lanes, sweep,
                                       train_lanes)
from laegna_gui.engine.run_result import RunResult, verdict, weights_sha256
from laegna_gui.engine.snapshot import Metrics
from laegna_gui.engine.trainer import Trainer


@pytest.fixture(scope="module")
def circle():
    return load_preset("circle")


def _runs(project, *axes: str) -> list[tuple[Change, ...]]:
    return combinations([parse_axis(text, project, "--vary") for text in axes], "--vary")


def _recording(lanes) -> list[list[np.ndarray]]:
    """Record every batch each lane's trainer draws (replacing next_batch on the instance
    steers it to the torch engine, which draws its batches one by one)."""
    seen: list[list[np.ndarray]] = []
    for lane in lanes:
        batches: list[np.ndarray] = []
        seen.append(batches)
        draw = lane.trainer.next_batch

        def recorded(draw=draw, batches=batches):
            batch = draw()
            batches.append(batch.numpy().copy())
            return batch

        lane.trainer.next_batch = recorded
    return seen


# --- the same start ---------------------------------------------------------------------------
def test_runs_of_other_rates_and_optimizers_start_from_the_projects_initial_weights(circle):
    start = Trainer(circle).weights()
    lanes = start_lanes(circle, _runs(circle, "learning_rate=0.03,0.3", "optimizer=sgd,adam"), CancelToken())
    assert len(lanes) == 4
    for lane in lanes:
        assert lane.fresh == () and lane.notes == ()
        assert lane.initial_weights.keys() == start.keys()
        for name, value in start.items():
            np.testing.assert_array_equal(lane.initial_weights[name], value)
    result = race(circle, _runs(circle, "learning_rate=0.03,0.3", "optimizer=sgd,adam"), 4)
    assert {run.initial_weights_sha256 for run in result.runs} == {weights_sha256(start)}


def test_a_project_with_stored_weights_starts_every_run_from_them(circle):
    trained = Trainer(circle)
    trained.run(50)
    project = replace(circle, weights=trained.weights())
    result = race(project, _runs(project, "learning_rate=0.03,0.3", "width.dense1=4,8"), 2)
    same = [run for run in result.runs if run.setting["width.dense1"] == 4]
    assert {run.initial_weights_sha256 for run in same} == {weights_sha256(trained.weights())}
    (lane,) = start_lanes(project, _runs(project, "width.dense1=8"), CancelToken())
    for name in ("dense3.weight", "dense3.bias"):  # the layers that keep their shape keep the stored values
        np.testing.assert_array_equal(lane.initial_weights[name], trained.weights()[name])


def test_the_fingerprint_is_the_documented_sha256():
    weights = {"dense2.bias": np.array([0.5, -1.0], dtype=np.float32),
               "dense1.weight": np.arange(6, dtype=np.float64).reshape(2, 3)}
    digest = hashlib.sha256()
    for name in ("dense1.weight", "dense2.bias"):  # sorted names; float32 little-endian, C order
        digest.update(name.encode() + b"\0" + weights[name].astype("<f4").tobytes())
    assert weights_sha256(weights) == digest.hexdigest()
    assert weights_sha256({**weights, "dense2.bias": np.array([0.5, -1.5], dtype=np.float32)}) != digest.hexdigest()


def test_a_wider_layer_and_the_next_start_fresh_and_the_others_keep_the_start(circle):
    start = Trainer(circle).weights()
    plain, wider = start_lanes(circle, _runs(circle, "width.dense1=4,8"), CancelToken())
    assert plain.fresh == () and plain.notes == ()  # 4 is dense1's own width: nothing changes
    assert wider.fresh == ("dense1", "dense2")  # dense2 takes dense1's 8 outputs now
    assert wider.notes == ("dense1 and dense2 have another shape: they start from their own initialisation",)
    assert wider.initial_weights["dense1.weight"].shape == (8, 2)
    assert wider.initial_weights["dense2.weight"].shape == (2, 8)
    for name in ("dense3.weight", "dense3.bias"):
        np.testing.assert_array_equal(wider.initial_weights[name], start[name])
    assert weights_sha256(wider.initial_weights) != weights_sha256(start)


def test_another_init_starts_that_layer_fresh(circle):
    start = Trainer(circle).weights()
    (lane,) = start_lanes(circle, _runs(circle, "init.dense2=he"), CancelToken())
    assert lane.fresh == ("dense2",)
    assert lane.notes == ("dense2 has another initialisation: it starts from its own initialisation",)
    assert not np.array_equal(lane.initial_weights["dense2.weight"], start["dense2.weight"])
    for name in ("dense1.weight", "dense1.bias", "dense3.weight", "dense3.bias"):
        np.testing.assert_array_equal(lane.initial_weights[name], start[name])


def test_another_seed_starts_every_layer_from_its_own_seed(circle):
    (lane,) = start_lanes(circle, _runs(circle, "seed=7"), CancelToken())
    assert lane.fresh == ("dense1", "dense2", "dense3")
    assert "every layer starts from this seed's initialisation" in lane.notes[0]
    own = Trainer(replace(circle, seed=7)).weights()
    assert weights_sha256(lane.initial_weights) == weights_sha256(own)
    np.testing.assert_array_equal(lane.trainer.data.x_test, Trainer(circle).data.x_test)  # the same points


# --- the same batches ---------------------------------------------------------------------------
def test_runs_of_one_batch_size_train_on_the_same_batches(circle):
    lanes = start_lanes(circle, _runs(circle, "learning_rate=0.03,0.3", "optimizer=sgd,adam"), CancelToken())
    seen = _recording(lanes)
    train_lanes(lanes, 30)  # past the end of the first epoch (25 batches of 10)
    assert [len(batches) for batches in seen] == [30] * 4
    for batches in seen[1:]:
        for mine, first in zip(batches, seen[0]):
            np.testing.assert_array_equal(mine, first)
    assert len(np.unique(np.concatenate(seen[0][:25]))) == 250  # one epoch visits every point once


def test_on_the_compiled_engine_runs_sgd_cannot_tell_apart_end_bit_for_bit_equal(circle):
    """sgd ignores the momentum: the same start and the same batches give the same weights."""
    lanes = start_lanes(circle, _runs(circle, "momentum=0.5,0.9"), CancelToken())
    train_lanes(lanes, 300)
    assert all(lane.trainer.engine_name.startswith("compiled") for lane in lanes)
    first, second = (lane.trainer.weights() for lane in lanes)
    assert weights_sha256(first) == weights_sha256(second)
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])


def test_another_batch_size_walks_the_same_order_in_other_batches(circle):
    lanes = start_lanes(circle, _runs(circle, "batch_size=10,25"), CancelToken())
    assert lanes[1].notes == ("batch_size=25: the same order of points, cut into other batches",)
    seen = _recording(lanes)
    train_lanes(lanes, 25)
    assert [len(b) for b in seen[0]] == [10] * 25 and [len(b) for b in seen[1]] == [25] * 25
    np.testing.assert_array_equal(np.concatenate(seen[0]), np.concatenate(seen[1][:10]))  # epoch 0


def test_another_seed_shuffles_differently(circle):
    lanes = start_lanes(circle, _runs(circle, "seed=0,7"), CancelToken())
    seen = _recording(lanes)
    train_lanes(lanes, 3)
    assert not np.array_equal(seen[0][0], seen[1][0])


# --- results ------------------------------------------------------------------------------------
def test_every_run_is_measured_at_the_same_steps_and_best_is_the_lowest(circle):
    result = race(circle, _runs(circle, "learning_rate=0.03,0.3"), 100)
    assert evaluation_every(100) == 2
    for run in result.runs:
        np.testing.assert_array_equal(run.curve[:, 0], np.arange(0, 101, 2))
        step, loss = run.best
        assert loss == run.curve[:, 2].min() and step == run.curve[np.argmin(run.curve[:, 2]), 0]
        assert run.steps == 100 and run.diverged is None
        assert run.metrics.test_loss == run.curve[-1, 2]  # the last point is the full measurement
        assert 0 <= run.metrics.test_accuracy <= 1


def test_the_verdict_names_the_run_with_the_lower_test_loss(circle):
    result = race(circle, _runs(circle, "learning_rate=0.03,0.3"), 400)
    slow, fast = result.runs
    assert fast.best[1] * 2 < slow.best[1]  # on circle, 0.3 learns far faster in 400 steps
    assert result.verdict.startswith(f"learning_rate=0.3 reached the lower test loss ({fast.best[1]:.3g} at step "
                                     f"{fast.best[0]}) — ")
    assert result.verdict.endswith(f"× lower than learning_rate=0.03 ({slow.best[1]:.3g} at step {slow.best[0]})")


def _result(name: str, losses: list[float], diverged: int | None = None) -> RunResult:
    curve = np.array([(10 * i, loss, loss) for i, loss in enumerate(losses)], dtype=np.float64)
    metrics = Metrics(losses[-1], losses[-1], None, None)
    return RunResult((Change("learning_rate", float(name)),), "0" * 64, (), (), 10 * (len(losses) - 1), metrics,
                     curve, diverged, None)


def test_verdict_wording():
    a, b, c = _result("0.1", [1.0, 0.5, 0.2]), _result("0.3", [1.0, 0.1, 0.04]), _result("3", [1.0, np.inf], 11)
    assert verdict((a, b)) == ("learning_rate=0.3 reached the lower test loss (0.04 at step 20) — 5.0× lower "
                               "than learning_rate=0.1 (0.2 at step 20)")
    assert verdict((a, b, c)).startswith("learning_rate=0.3 reached the lowest test loss (0.04 at step 20) — "
                                         "5.0× lower than learning_rate=0.1 (the next best, 0.2 at step 20)")
    assert verdict((a, b, c)).endswith("; diverged: learning_rate=3 at step 11")
    same = _result("0.2", [1.0, 0.203])
    assert verdict((a, same)).startswith("learning_rate=0.1 and learning_rate=0.2 reached about the same test loss")
    assert verdict((a,)) == "learning_rate=0.1 reached a test loss of 0.2 at step 20"
    assert verdict((_result("1", [np.nan]),)) == "no run reached a finite test loss"


def test_a_run_that_diverges_stops_there_and_the_others_go_on():
    exploding = load_preset("exploding")
    result = race(exploding, _runs(exploding, "learning_rate=0.01,1"), 60)
    calm, wild = result.runs
    assert calm.diverged is None and calm.steps == 60
    assert isinstance(wild.diverged, int) and wild.steps == wild.diverged - 1
    assert wild.curve[-1, 0] == wild.steps
    assert f"diverged: learning_rate=1 at step {wild.diverged}" in result.verdict


def test_a_sweep_cell_equals_training_that_setting_alone_from_the_same_start(circle):
    rows, columns = parse_axis("learning_rate=0.03,0.3", circle, "--grid"), parse_axis("width=2,4", circle, "--grid")
    result = sweep(circle, rows, columns, 60, probes=True)
    assert len(result.race.runs) == 4
    start = Trainer(circle).weights()
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            cell = result.cell(i, j)
            assert cell.changes == (row, column)
            alone = Trainer(apply(circle, (row, column)), keep=start)  # unchanged layers keep the start
            assert weights_sha256(alone.weights()) == cell.initial_weights_sha256
            train_steps(alone, 60)
            assert alone.evaluate() == cell.metrics
            assert cell.probes.boundary.shape == (64, 64)


def test_a_cancelled_race_stops(circle):
    cancel = CancelToken()
    cancel.request()
    with pytest.raises(TrainingCancelled):
        race(circle, _runs(circle, "learning_rate=0.03,0.3"), 1000, cancel)


def test_limits_are_refused_with_the_numbers(circle):
    with pytest.raises(LaegnaError, match="at most 10 runs; these settings make 12"):
        check_runs(_runs(circle, "learning_rate=0.01,0.03,0.1,0.3", "optimizer=sgd,adam,nadam"))
    six = parse_axis("learning_rate=0.001,0.003,0.01,0.03,0.1,0.3", circle, "--grid")
    with pytest.raises(LaegnaError, match="at most 5×5; learning_rate has 6 values"):
        grid(six, parse_axis("width=2,4", circle, "--grid"))
    assert len(grid(six[:5], parse_axis("width=1,2,3,4,5", circle, "--grid"))) == 25
