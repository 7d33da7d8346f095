"""Counting per-class errors: rows are the true class, columns the answer; answers a sample
left out (-1) are not counted."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core.confusion import cell_text, confusion_counts, members, row_shares


def test_counts_members_and_shares():
    labels = np.array([0, 0, 1, 1, 1, 2])
    answers = np.array([0, 1, 1, 0, -1, 2])  # -1: left out by a sample
    counts = confusion_counts(labels, answers, 3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    np.testing.assert_array_equal(members(labels, answers, 1, 0), [3])
    np.testing.assert_array_equal(members(labels, answers, 0, 0), [0])
    np.testing.assert_allclose(row_shares(np.array([[3, 1], [0, 0]])), [[0.75, 0.25], [0.0, 0.0]])


def test_a_random_matrix_matches_one_counted_point_by_point():
    rng = np.random.default_rng(3)
    labels, answers = rng.integers(0, 4, 500), rng.integers(0, 4, 500)
    counts = confusion_counts(labels, answers, 4)
    for t in range(4):
        for a in range(4):
            assert counts[t, a] == sum(1 for y, p in zip(labels, answers) if y == t and p == a)
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(labels, minlength=4))


def test_labels_and_answers_must_pair_up():
    with pytest.raises(ValueError):
        confusion_counts(np.zeros(3, int), np.zeros(2, int), 2)


def test_a_cell_in_words():
    assert cell_text(12, 1, 0) == "12 points of class 1 were taken for class 0"
    assert cell_text(1, 2, 0) == "1 point of class 2 was taken for class 0"
    assert cell_text(1500, 0, 0) == "1,500 points of class 0 were answered right (class 0)"
