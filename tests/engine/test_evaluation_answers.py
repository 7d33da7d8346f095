"""Each snapshot carries the class the network gave every point, so the views can count the
per-class errors behind the accuracy (the confusion matrix) — checked against the model's
own outputs and a confusion matrix counted here, point by point."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.core.confusion import confusion_counts
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.evaluation import SAMPLE_POINTS
from laegna_gui.engine.trainer import Trainer


def model_classes(trainer: Trainer, x: np.ndarray) -> np.ndarray:
    """The class the model's output says: a sigmoid unit over ½, else the largest softmax unit."""
    out = trainer.predict(x)
    return (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)


def counted(labels: np.ndarray, answers: np.ndarray, k: int) -> np.ndarray:
    """A confusion matrix counted one cell at a time: rows the true class, columns the answer."""
    return np.array([[int(np.sum((labels == t) & (answers == a))) for a in range(k)] for t in range(k)])


@pytest.mark.parametrize("preset, k", [("xor", 2), ("spiral3", 3)])
def test_the_answers_are_the_models_classes_and_count_to_its_confusion_matrix(preset, k):
    trainer = Trainer(load_preset(preset))
    trainer.run(25)
    metrics = trainer.snapshot().metrics
    for split in ("train", "test"):
        x, labels = getattr(trainer.data, f"x_{split}"), getattr(trainer.data, f"y_{split}")
        answers = getattr(metrics, f"{split}_answers")
        assert answers.dtype.kind == "i" and not answers.flags.writeable
        np.testing.assert_array_equal(answers, model_classes(trainer, x))
        counts = confusion_counts(labels, answers, k)
        assert counts.shape == (k, k)
        np.testing.assert_array_equal(counts, counted(labels, model_classes(trainer, x), k))
        np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(labels, minlength=k))  # each class's points
        assert np.trace(counts) / len(labels) == pytest.approx(getattr(metrics, f"{split}_accuracy"))
    with pytest.raises(ValueError):
        metrics.test_answers[0] = 1  # frozen: safe to hand to another thread


def test_a_sampled_measure_answers_for_its_sample_only():
    project = load_preset("circle")
    trainer = Trainer(replace(project, dataset=replace(project.dataset, samples=10_000)))  # 5,000 a split
    trainer.run(20)
    full, sampled = trainer.evaluate(), trainer.evaluate(sample=True)
    measured = sampled.test_answers >= 0
    assert len(sampled.test_answers) == len(trainer.data.y_test) and measured.sum() == SAMPLE_POINTS
    np.testing.assert_array_equal(sampled.test_answers[measured], full.test_answers[measured])
    counts = confusion_counts(trainer.data.y_test, sampled.test_answers, 2)
    assert counts.sum() == SAMPLE_POINTS  # the points left out are not counted
    assert np.trace(counts) / SAMPLE_POINTS == pytest.approx(sampled.test_accuracy)


def test_regression_has_no_answers():
    metrics = Trainer(load_preset("sine")).snapshot().metrics
    assert metrics.train_answers is None and metrics.test_answers is None

