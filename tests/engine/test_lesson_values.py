"""The values lesson goals read, each measured from what it names."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.core.lesson_words import GOAL_VALUES
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.lesson_check import trained_values
from laegna_gui.engine.lesson_values import lesson_values
from laegna_gui.engine.trainer import Trainer


def test_before_any_snapshot_every_measured_number_is_unknown_and_the_settings_are_known():
    project = load_preset("spiral")
    values = lesson_values(project, None)
    assert values.keys() == GOAL_VALUES.keys()
    assert math.isnan(values["test_accuracy"]) and math.isnan(values["max_gradient_norm"])
    assert values["steps"] == 0 and values["optimizer"] == "adam" and values["learning_rate"] == 0.01
    assert values["hidden_units"] == 64 and values["hidden_layers"] == 2 and values["activation"] == "relu"
    assert values["parameters"] == project.analyse().total_params


def test_measured_values_come_from_the_snapshot():
    project = load_preset("xor")
    trainer = Trainer(project)
    trainer.run(50)
    snapshot = trainer.snapshot(with_probes=True)
    values = lesson_values(project, snapshot)
    assert values["steps"] == 50 and values["test_loss"] == snapshot.metrics.test_loss
    assert values["loss_gap"] == snapshot.metrics.test_loss - snapshot.metrics.train_loss
    norms = snapshot.probes.layer_gradient_norms.values()
    assert values["max_gradient_norm"] == max(norms) and values["min_gradient_norm"] == min(norms)
    bias = snapshot.weights["dense1.bias"]
    assert values["first_layer_bias"] == pytest.approx(float(np.linalg.norm(bias)), rel=1e-6)
    assert math.isnan(values["first_layer_det"])  # 4×2: no determinant


def test_dead_units_are_counted_over_every_relu_unit_and_divergence_is_a_value():
    values = trained_values(load_preset("dying-relu"), 300)
    assert 0.5 <= values["dead_relu_fraction"] <= 1.0
    assert trained_values(load_preset("xor"), 10)["dead_relu_fraction"] == 0  # tanh: no ReLU units at all
    exploding = trained_values(load_preset("exploding"), 400)
    assert exploding["loss_diverged"] is True and exploding["steps"] < 400  # it stopped where it blew up
    assert lesson_values(load_preset("xor"), None)["loss_diverged"] is False


def test_settings_read_as_the_window_shows_them():
    project = load_preset("xor")
    project.training = replace(project.training, batch_size=0, clip=True, regularization="l2", reg_rate=0.01)
    values = lesson_values(project, None)
    assert values["full_batch"] and values["clipping_on"] and values["regularization"] == "l2"
    project.training = replace(project.training, optimizer="random_search")
    assert not lesson_values(project, None)["clipping_on"]  # random search uses no gradient to clip
