"""Live snapshots of large data sets are measured on a fixed sample, and say so."""

from __future__ import annotations

from dataclasses import replace

import pytest

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.evaluation import SAMPLE_POINTS
from laegna_gui.engine.trainer import Trainer


def big_circle(samples: int = 50_000) -> Trainer:
    project = load_preset("circle")
    return Trainer(replace(project, dataset=replace(project.dataset, samples=samples)))


def test_large_data_is_measured_on_a_fixed_sample_while_playing():
    trainer = big_circle()
    trainer.run(300)
    full, sampled, again = trainer.evaluate(), trainer.evaluate(sample=True), trainer.evaluate(sample=True)
    assert full.sample == 0 and sampled.sample == SAMPLE_POINTS
    assert sampled == again  # the same points every time: the curves do not flicker
    assert sampled.train_loss == pytest.approx(full.train_loss, rel=0.1)
    assert sampled.test_accuracy == pytest.approx(full.test_accuracy, abs=0.03)
    assert trainer.snapshot(sample=True).metrics.sample == SAMPLE_POINTS
    assert trainer.snapshot().metrics == full  # paused or stepped: every point


def test_small_data_is_always_measured_on_every_point():
    trainer = big_circle(samples=2 * SAMPLE_POINTS)  # each split stays under the sample size
    assert trainer.evaluate(sample=True) == trainer.evaluate()
    assert trainer.evaluate(sample=True).sample == 0


def test_snapshots_say_which_engine_trains_and_why():
    snapshot = Trainer(load_preset("xor")).snapshot()
    assert snapshot.engine == "compiled (numba)" and "faster" in snapshot.engine_reason
