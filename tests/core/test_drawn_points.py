"""Editing datasets point by point, as plain data (the drawing mode's model)."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core.datasets import DatasetSettings, make_dataset
from laegna_gui.core.drawn_points import (
    cleared,
    drawing_problem,
    drawn_settings,
    editable_points,
    nearest,
    plot_positions,
    too_few_points,
    unsplit_dataset,
    with_point,
    without_point,
)
from laegna_gui.core.errors import DatasetError
from laegna_gui.core.validate import DataSpec

POINTS = {"task": "classification", "n_outputs": 2, "feature_names": ["x1", "x2"],
          "x": [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]], "y": [0, 1, 1]}


@pytest.mark.parametrize("spec, ok", [
    (DataSpec(2, "classification", 2), True),
    (DataSpec(2, "classification", 3), True),
    (DataSpec(1, "regression", 1), True),
    (DataSpec(3, "regression", 3), False),
    (DataSpec(4, "classification", 2), False),
    (DataSpec(2, "regression", 1), False),
])
def test_which_data_can_be_drawn(spec, ok):
    problem = drawing_problem(spec)
    assert (problem is None) is ok
    if not ok:
        assert f"this dataset has {spec.n_inputs} input(s)" in problem


def test_generated_data_becomes_all_of_its_points():
    settings = DatasetSettings("xor", samples=40, test_fraction=0.25)
    data = make_dataset(settings, seed=3)
    points = editable_points(settings, seed=3)
    assert points["task"] == "classification" and points["n_outputs"] == 2
    assert points["feature_names"] == ["x1", "x2"] and len(points["x"]) == 40
    both = np.concatenate([data.x_train, data.x_test])
    np.testing.assert_allclose(points["x"], both, atol=1e-6)
    assert points["y"].tolist() == np.concatenate([data.y_train, data.y_test]).tolist()


def test_truth_table_corners_are_four_points_not_eight():
    points = editable_points(DatasetSettings("and", options={"variant": "corners"}), seed=0)
    assert sorted(map(tuple, points["x"])) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert sorted(zip(map(tuple, points["x"]), points["y"]))[-1] == ((1, 1), 1)


def test_one_input_regression_keeps_targets_as_numbers():
    points = editable_points(DatasetSettings("sine", samples=10, noise=0.0), seed=0)
    assert points["task"] == "regression" and len(points["y"]) == 10
    assert points["y"].dtype == np.float32 and points["y"].ndim == 1
    np.testing.assert_allclose(points["y"], np.sin(np.pi * np.asarray(points["x"])[:, 0]), atol=1e-5)


def test_edits_return_new_points_and_leave_the_old_ones_alone():
    added = with_point(POINTS, [0.25, -0.5], 1)
    assert added["x"][-1].tolist() == [0.25, -0.5] and added["y"][-1] == 1 and len(POINTS["x"]) == 3
    assert not added["x"].flags.writeable and not added["y"].flags.writeable
    removed = without_point(added, 0)
    assert removed["x"].tolist() == [[1.0, 1.0], [0.0, 1.0], [0.25, -0.5]] and removed["y"].tolist() == [1, 1, 1]
    empty = cleared(removed)
    assert empty["x"].shape == (0, 2) and len(empty["y"]) == 0 and empty["feature_names"] == ["x1", "x2"]
    assert added["x"][0].tolist() == [0.0, 0.0]  # still there: undo keeps the old dict
    assert with_point(empty, [0.5, 0.5], 0)["x"].tolist() == [[0.5, 0.5]]  # a cleared drawing starts again


def test_a_class_outside_the_dataset_is_refused():
    with pytest.raises(DatasetError, match="class 2 is outside 0…1"):
        with_point(POINTS, [0, 0], 2)


def test_the_sample_limit_holds_for_drawing(monkeypatch):
    from laegna_gui.core import drawn_points

    monkeypatch.setattr(drawn_points, "MAX_SAMPLES", 3)
    with pytest.raises(DatasetError, match="at most 3 points; remove some first"):
        with_point(POINTS, [0, 0], 0)


def test_drawn_settings_make_a_trainable_custom_dataset():
    settings = drawn_settings(DatasetSettings("xor", test_fraction=0.5), with_point(POINTS, [1, 0], 1))
    assert settings.name == "custom" and settings.test_fraction == 0.5 and settings.samples == 4
    data = make_dataset(settings, seed=0)
    assert len(data.x_train) + len(data.x_test) == 4 and data.spec == DataSpec(2, "classification", 2)


def test_positions_and_the_nearest_point_in_screen_pixels():
    assert plot_positions(POINTS).tolist() == POINTS["x"]
    one_d = {"task": "regression", "n_outputs": 1, "x": [[0.5], [2.0]], "y": [3.0, 4.0]}
    assert plot_positions(one_d).tolist() == [[0.5, 3.0], [2.0, 4.0]]
    positions = plot_positions(POINTS)
    pixel = (0.01, 0.1)  # a stretched view: one pixel is 0.01 in x but 0.1 in y
    assert nearest(positions, (0.05, 0.95), pixel, radius=8) == 2      # 5 px right of (0, 1)
    assert nearest(positions, (0.05, 0.95), pixel, radius=4) is None
    assert nearest(positions, (0.0, 0.3), pixel, radius=8) == 0        # 0.3 in data, but only 3 px
    assert nearest(positions, (0.5, 0.5), pixel, radius=8) is None     # 50 px from any point
    assert nearest(np.zeros((0, 2)), (0, 0), pixel, radius=8) is None


def test_too_few_points_to_train_are_still_a_dataset_to_show():
    one = drawn_settings(DatasetSettings("xor"), {**POINTS, "x": [[0.5, 0.25]], "y": [1]})
    assert too_few_points(one) and not too_few_points(drawn_settings(DatasetSettings("xor"), POINTS))
    assert not too_few_points(DatasetSettings("xor"))
    shown = unsplit_dataset(one)
    assert shown.x_train.tolist() == [[0.5, 0.25]] and shown.y_train.tolist() == [1] and len(shown.x_test) == 0
    ragged = drawn_settings(DatasetSettings("xor"), {**POINTS, "y": [0]})
    assert unsplit_dataset(ragged) is None and not too_few_points(ragged)
    sine = {"task": "regression", "n_outputs": 1, "feature_names": ["x1"], "x": [[0.5]], "y": [2.0]}
    assert unsplit_dataset(drawn_settings(DatasetSettings("sine"), sine)).y_train.shape == (1, 1)
