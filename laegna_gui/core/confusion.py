"""Per-class errors: how many points of each true class the network gave each answer.

The accuracy is one number; the confusion matrix says which classes are taken for which.
Rows are the true class and columns the answer, as most texts draw it, so the diagonal holds
the points answered right and each row sums to the points of that class. Answers of -1 (a
point a sampled measure left out, see snapshot.Metrics) are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SPLITS = ("train", "test")


@dataclass(frozen=True)
class Cell:
    """One cell of a split's matrix: the points of class `true` answered as `answer`."""

    split: str  # "train" or "test"
    true: int
    answer: int


def confusion_counts(labels: np.ndarray, answers: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) int64 counts: [true class, answer]."""
    labels, answers = np.asarray(labels, dtype=np.int64), np.asarray(answers, dtype=np.int64)
    if labels.shape != answers.shape:
        raise ValueError(f"{len(labels)} labels but {len(answers)} answers")
    counted = (answers >= 0) & (answers < n_classes)
    cells = labels[counted] * n_classes + answers[counted]
    return np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def row_shares(counts: np.ndarray) -> np.ndarray:
    """Each count as a share of its row (its true class); 0 in a row with no points."""
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)


def members(labels: np.ndarray, answers: np.ndarray, true: int, answer: int) -> np.ndarray:
    """Indices of the points of class `true` that were answered `answer`."""
    return np.flatnonzero((np.asarray(labels) == true) & (np.asarray(answers) == answer))


def cell_text(count: int, true: int, answer: int) -> str:
    """What a cell means, in words: "12 points of class 1 were taken for class 0"."""
    points = "1 point" if count == 1 else f"{count:,} points"
    verb = "was" if count == 1 else "were"
    if true == answer:
        return f"{points} of class {true} {verb} answered right (class {answer})"
    return f"{points} of class {true} {verb} taken for class {answer}"
