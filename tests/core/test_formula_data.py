"""The dataset typed as a formula: what data it makes, and how a project keeps it."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from laegna_gui.core.datasets import DatasetSettings, dataset_spec, make_dataset
from laegna_gui.core.errors import DatasetError, ExpressionError, ProjectFileError
from laegna_gui.core.formula_data import parse_formula
from laegna_gui.core.limits import MAX_EXPRESSION_CHARS
from laegna_gui.core.project_file import dumps_project, loads_project, project_from_data
from laegna_gui.core.validate import DataSpec


def formula(text: str, samples: int = 400, noise: float = 0.0, test_fraction: float = 0.25) -> DatasetSettings:
    return DatasetSettings("formula", samples, noise, test_fraction, {"formula": text})


def everything(data):
    return np.concatenate([data.x_train, data.x_test]), np.concatenate([data.y_train, data.y_test])


def test_a_label_formula_makes_two_classes_by_the_rule():
    data = make_dataset(formula("label = x1·x2 > 0"), seed=3)
    assert data.spec == DataSpec(2, "classification", 2) == dataset_spec(formula("label = x1·x2 > 0"))
    x, y = everything(data)
    assert y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] > 0).astype(np.int64))
    assert np.all(np.abs(x) <= 1) and (len(data.x_train), len(data.x_test)) == (300, 100)


def test_a_y_formula_makes_a_regression_target():
    data = make_dataset(formula("y = sin(3·x1)"), seed=1)
    assert data.spec == DataSpec(2, "regression", 1)
    x, y = everything(data)
    assert y.dtype == np.float32 and y.shape == (400, 1)
    np.testing.assert_allclose(y[:, 0], np.sin(3 * x[:, 0]), atol=1e-6)


def test_noise_moves_points_of_classes_and_targets_of_regression():
    clean, noisy = make_dataset(formula("label = x1 > 0", 4000), 2), make_dataset(formula("label = x1 > 0", 4000, 0.3), 2)
    x, y = everything(noisy)
    np.testing.assert_array_equal(y, everything(clean)[1])  # the same labels …
    assert 0.25 < np.std(x - everything(clean)[0]) < 0.35  # … on points moved by N(0, 0.3)
    assert np.abs(x).max() > 1
    clean, noisy = make_dataset(formula("y = x1 + x2", 4000), 2), make_dataset(formula("y = x1 + x2", 4000, 0.3), 2)
    np.testing.assert_array_equal(everything(noisy)[0], everything(clean)[0])  # the same points …
    assert 0.25 < np.std(everything(noisy)[1] - everything(clean)[1]) < 0.35  # … with noisy targets


def test_x3_makes_three_inputs_and_a_number_label_is_its_sign():
    data = make_dataset(formula("label = x1 + x2 - x3"), seed=0)
    assert data.spec == DataSpec(3, "classification", 2)
    x, y = everything(data)
    np.testing.assert_array_equal(y, (x[:, 0] + x[:, 1] - x[:, 2] > 0).astype(np.int64))
    assert make_dataset(formula("y = 2"), 0).y_train[:, 0].tolist() == [2.0] * 300  # a constant fills every row


def test_the_same_seed_makes_the_same_data():
    a, b, c = (make_dataset(formula("y = x1^2 - x2"), seed) for seed in (5, 5, 6))
    np.testing.assert_array_equal(a.x_train, b.x_train)
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize("text, message", [
    ("label = x1 *", "position 13: expected a number, a name or '(' after '*'"),
    ("y = x4", "position 5: unknown name 'x4'; use x1, x2, x3, pi, e"),
    ("  y =  sin(x1", "position 14: expected ')' to close the '(' at position 11"),
    ("label =", "position 8: the expression is empty"),
    ("z = x1", "position 1: start with 'label =' (two classes) or 'y =' (a number to predict)"),
    ("x1 > 0", "position 1: start with 'label ='"),
    ("y == x1", "position 1: start with 'label ='"),
    ("y = x1 = x2", "position 8: '=' does not compare"),
])
def test_mistakes_count_positions_from_the_start_of_the_formula(text, message):
    with pytest.raises(ExpressionError) as info:
        make_dataset(formula(text))
    assert str(info.value).startswith(message)


def test_a_regression_formula_must_have_a_value_everywhere():
    with pytest.raises(DatasetError, match=r"no usable value at x1 = -?[\d.]+, x2 = -?[\d.]+ \(it gives nan\)"):
        make_dataset(formula("y = sqrt(x1)"))
    with pytest.raises(DatasetError, match="no usable value"):  # too large for float32
        make_dataset(formula("y = exp(1000 * x1)"))
    assert make_dataset(formula("label = log(x1) > 0")).task == "classification"  # NaN is simply not class 1


def test_the_formula_is_read_once_per_text():
    assert parse_formula("y = x1") is parse_formula("y = x1")


# --- projects ----------------------------------------------------------------------------
def test_a_formula_dataset_survives_a_project_round_trip(xor_project):
    xor_project.dataset = formula("label = x1^2 + x2^2 < 0.5", 300, 0.05, 0.2)
    xor_project.weights = None
    loaded = loads_project(dumps_project(xor_project))
    assert loaded.dataset == xor_project.dataset
    for a, b in zip(everything(make_dataset(loaded.dataset, 1)), everything(make_dataset(xor_project.dataset, 1))):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("options, phrase", [
    ({}, "dataset.options.formula is missing"),
    ({"formula": 3}, "dataset.options.formula: expected text of 1 to 500 characters"),
    ({"formula": ""}, "dataset.options.formula: expected text of 1 to 500 characters"),
    ({"formula": "y = " + "1+" * 2000 + "1"}, "dataset.options.formula: expected text of 1 to 500 characters"),
    ({"formula": "y = x1.__class__"}, "dataset.options.formula: position 7: unexpected character '.'"),
    ({"formula": "label = " + "(" * 40 + "1"}, "dataset.options.formula: position"),
    ({"formula": "y = __import__('os')"}, "dataset.options.formula: position 5: unknown function '__import__'"),
    ({"formula": "y = x1", "variant": "playground"}, "dataset.options.variant: unknown option"),
])
def test_a_hostile_formula_is_refused_with_a_clear_message(xor_data, options, phrase):
    data = copy.deepcopy(xor_data)
    data.pop("weights", None)
    data["dataset"].update(name="formula", options=options)
    for load in (project_from_data, lambda d: loads_project(json.dumps(d))):
        with pytest.raises(ProjectFileError) as info:
            load(data)
        assert phrase in str(info.value) and len(str(info.value)) < 300


def test_the_length_limit_is_shared_with_the_parser():
    with pytest.raises(ExpressionError, match=f"the limit is {MAX_EXPRESSION_CHARS}"):
        parse_formula("y = " + "1" * MAX_EXPRESSION_CHARS)


@pytest.mark.parametrize("name, options, phrase", [
    ("xor", {"formula": "y = x1"}, "dataset.options.formula: unknown option"),
    ("moons", {"variant": "playground"}, "dataset.options.variant: unknown option"),
    ("xor", {"variant": "laegna"}, "dataset.options.variant: unknown option"),
    ("xor", {"variant": "x" * 10_000}, "dataset.options.variant: unknown option"),
])
def test_options_belong_to_their_dataset(xor_data, name, options, phrase):
    data = copy.deepcopy(xor_data)
    data["dataset"].update(name=name, options=options)
    with pytest.raises(ProjectFileError) as info:
        project_from_data(data)
    assert phrase in str(info.value) and len(str(info.value)) < 200


@pytest.mark.parametrize("name, variant", [("xor", "playground"), ("circle", "playground"), ("gauss", "laegna"),
                                           ("and", "corners")])
def test_variants_survive_a_project_round_trip(xor_project, name, variant):
    xor_project.dataset = DatasetSettings(name, 100, 0.1, 0.5, {"variant": variant})
    xor_project.weights = None
    assert loads_project(dumps_project(xor_project)).dataset == xor_project.dataset
