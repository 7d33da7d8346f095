"""The toy dataset generators, their reproducibility and the train/test split."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core.datasets import (
    GENERATORS,
    MAX_SAMPLES,
    DatasetSettings,
    dataset_spec,
    make_dataset,
)
from laegna_gui.core.errors import DatasetError
from laegna_gui.core.validate import DataSpec

# name: (task, input width, classes or targets) as documented in the generator table
DOCUMENTED = {
    "xor": ("classification", 2, 2), "and": ("classification", 2, 2), "or": ("classification", 2, 2),
    "circle": ("classification", 2, 2), "gauss": ("classification", 2, 2),
    "spiral": ("classification", 2, 2), "spiral3": ("classification", 2, 3),
    "moons": ("classification", 2, 2), "sine": ("regression", 1, 1), "line": ("regression", 1, 1),
    "affine3d": ("regression", 3, 3),
}


def test_every_generator_is_documented_here():
    assert set(GENERATORS) == set(DOCUMENTED)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_generator_task_widths_and_targets(name):
    task, n_inputs, n_outputs = DOCUMENTED[name]
    data = make_dataset(DatasetSettings(name=name, samples=300), seed=1)
    assert (data.task, data.n_outputs) == (task, n_outputs)
    assert data.spec == DataSpec(n_inputs, task, n_outputs)
    assert data.feature_names == tuple(f"x{i + 1}" for i in range(n_inputs))
    for x, y in [(data.x_train, data.y_train), (data.x_test, data.y_test)]:
        assert x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == n_inputs
        assert len(y) == len(x) and np.all(np.isfinite(x))
        if task == "classification":
            assert y.dtype == np.int64 and y.shape == (len(x),)
        else:
            assert y.dtype == np.float32 and y.shape == (len(x), n_outputs)
    if task == "classification":
        labels = np.concatenate([data.y_train, data.y_test])
        assert set(np.unique(labels)) == set(range(n_outputs))  # 300 points show every class


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_same_seed_same_data_other_seed_other_data(name):
    settings = DatasetSettings(name=name, samples=50)
    a, b, c = make_dataset(settings, seed=3), make_dataset(settings, seed=3), make_dataset(settings, seed=4)
    for field in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_dataset_spec_matches_the_generated_data(name):
    settings = DatasetSettings(name=name, samples=20)
    assert dataset_spec(settings) == make_dataset(settings, seed=0).spec


def test_dataset_spec_of_custom_points_matches_the_data():
    points = {"task": "regression", "n_outputs": 1, "x": [[0, 1, 2], [1, 2, 3], [2, 3, 4]], "y": [1, 2, 3]}
    settings = DatasetSettings(name="custom", points=points)
    assert dataset_spec(settings) == make_dataset(settings).spec == DataSpec(3, "regression", 1)


@pytest.mark.parametrize("samples, fraction, n_test", [
    (200, 0.5, 100), (200, 0.3, 60), (101, 0.25, 25), (9, 0.3, 3), (10, 0.0, 0), (10, 0.9, 9), (10, 1.0, 9),
])
def test_split_sizes_follow_test_fraction(samples, fraction, n_test):
    data = make_dataset(DatasetSettings(name="gauss", samples=samples, test_fraction=fraction))
    assert len(data.x_test) == len(data.y_test) == n_test
    assert len(data.x_train) == len(data.y_train) == samples - n_test


def test_split_keeps_points_and_labels_together():
    settings = DatasetSettings(name="line", samples=40, noise=0.0, test_fraction=0.5,
                               options={"slope": 2.0, "intercept": -1.0})
    data = make_dataset(settings, seed=5)
    for x, y in [(data.x_train, data.y_train), (data.x_test, data.y_test)]:
        np.testing.assert_allclose(y, 2.0 * x - 1.0, atol=1e-5)
    both = np.concatenate([data.x_train, data.x_test])[:, 0]
    assert len(np.unique(both)) == 40  # nothing duplicated or lost


TRUTH = {"xor": [0, 1, 1, 0], "and": [0, 0, 0, 1], "or": [0, 1, 1, 1]}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_corners_variant_is_the_exact_truth_table(name):
    data = make_dataset(DatasetSettings(name=name, samples=200, noise=0.3, options={"variant": "corners"}), seed=9)
    np.testing.assert_array_equal(data.x_train, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(data.y_train, TRUTH[name])
    np.testing.assert_array_equal(data.x_test, data.x_train)
    np.testing.assert_array_equal(data.y_test, data.y_train)
    assert data.y_train.dtype == np.int64


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_cloud_variant_labels_follow_the_nearest_corner(name):
    data = make_dataset(DatasetSettings(name=name, samples=400, noise=0.05))
    x, y = data.x_train, data.y_train
    a, b = x[:, 0] > 0.5, x[:, 1] > 0.5  # noise 0.05 cannot push a point across 0.5
    rule = {"xor": a ^ b, "and": a & b, "or": a | b}[name]
    np.testing.assert_array_equal(y, rule.astype(np.int64))
    assert len(np.unique(x, axis=0)) > 4


def test_noise_zero_puts_cloud_points_on_the_corners():
    data = make_dataset(DatasetSettings(name="xor", samples=30, noise=0.0))
    assert set(map(tuple, data.x_train.tolist())) <= {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_line_options_set_slope_and_intercept():
    data = make_dataset(DatasetSettings(name="line", samples=30, noise=0.0, options={"slope": -0.5}))
    np.testing.assert_allclose(data.y_train, -0.5 * data.x_train + 0.3, atol=1e-6)


@pytest.mark.parametrize("settings, phrase", [
    (DatasetSettings(name="mnist"), "unknown dataset 'mnist'; use one of xor"),
    (DatasetSettings(name="xor", samples=3), "samples must be between 4 and 100000, got 3"),
    (DatasetSettings(name="circle", samples=0), "samples must be between 4"),
    (DatasetSettings(name="sine", samples=MAX_SAMPLES + 1), "got 100001"),
])
def test_bad_settings_raise_dataset_error(settings, phrase):
    with pytest.raises(DatasetError) as info:
        make_dataset(settings)
    assert phrase in str(info.value)


def test_dataset_spec_of_unknown_name_raises_dataset_error():
    with pytest.raises(DatasetError, match="unknown dataset 'nope'"):
        dataset_spec(DatasetSettings(name="nope"))


def test_settings_holding_point_arrays_compare_by_their_values():
    """The document compares settings (`!=`) before an undoable change: arrays must not break it."""
    from laegna_gui.core.custom_data import make_points

    def settings(x, y):
        return DatasetSettings("custom", points=make_points("classification", 2, ["a", "b"], x, y))

    same = settings([[0, 1], [1, 0]], [0, 1])
    assert same == settings([[0, 1], [1, 0]], [0, 1]) and same == same
    assert same != settings([[0, 1], [1, 0]], [1, 1]) and same != settings([[0, 1]], [0])
    assert same != DatasetSettings("custom", points={**same.points, "feature_names": ["a", "c"]})
    assert same != DatasetSettings("xor") and DatasetSettings("xor") == DatasetSettings("xor")
    as_lists = {**same.points, "x": [[0, 1], [1, 0]], "y": [0, 1]}
    assert DatasetSettings("custom", points=as_lists) == same  # plain lists hold the same points
