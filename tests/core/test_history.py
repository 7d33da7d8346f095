"""The training history: columns, restarts after a reset, and a bounded size."""

from __future__ import annotations

import math

import numpy as np

from laegna_gui.core import history as history_module
from laegna_gui.core.history import History
from laegna_gui.engine.snapshot import Metrics


def metrics(loss: float, accuracy: float | None = 0.5) -> Metrics:
    return Metrics(loss, loss * 2, accuracy, accuracy)


def test_columns_follow_the_appended_rows_and_missing_series_are_nan():
    h = History()
    h.append(10, metrics(1.0), {"grad:dense1": 0.3})
    h.append(20, metrics(0.5, None), {"grad:dense1": 0.2, "dead:activation1": 0.25})
    np.testing.assert_array_equal(h.column("step"), [10, 20])
    np.testing.assert_array_equal(h.column("test_loss"), [2.0, 1.0])
    assert math.isnan(h.column("test_accuracy")[1])
    assert math.isnan(h.column("dead:activation1")[0]) and h.column("dead:activation1")[1] == 0.25
    assert h.series_names("grad:") == ["grad:dense1"] and h.series_names("dead:") == ["dead:activation1"]
    assert len(h) == 2 and h.rows()[1]["grad:dense1"] == 0.2


def test_a_step_at_or_before_the_last_one_starts_a_new_run():
    h = History()
    for step in (0, 10, 20, 30):
        h.append(step, metrics(float(step)))
    version = h.version
    h.append(10, metrics(99.0))  # after a reset to an earlier step
    np.testing.assert_array_equal(h.column("step"), [0, 10])
    assert h.column("train_loss")[-1] == 99.0 and h.version > version


def test_history_stays_bounded_and_keeps_the_newest_rows(monkeypatch):
    monkeypatch.setattr(history_module, "MAX_ROWS", 100)
    monkeypatch.setattr(history_module, "KEEP_RECENT", 20)
    h = History()
    for step in range(1, 1001):
        h.append(step, metrics(1.0 / step))
    steps = h.column("step")
    assert len(h) <= 100 and len(steps) == len(h)
    np.testing.assert_array_equal(steps[-20:], np.arange(981, 1001))
    assert np.all(np.diff(steps) > 0) and steps[0] == 1
