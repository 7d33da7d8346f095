"""The record of a training run: one row per snapshot, bounded in memory."""

from __future__ import annotations

import math
from bisect import bisect_left

import numpy as np

MAX_ROWS = 20_000  # beyond this, every other old row is dropped (curves keep their shape)
KEEP_RECENT = 1_000  # the newest rows are never thinned


class History:
    """Columns of numbers over training steps: `step`, `train_loss`, `test_loss`,
    `train_accuracy`, `test_accuracy` (NaN for regression), plus named extra series
    (layer gradient norms `grad:<node>`, dead fractions `dead:<node>`).

    Stored column by column, so reading a column for a plot costs one C-level copy even
    after hours of training (views redraw from it up to 30 times a second)."""

    BASE = ("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")

    def __init__(self) -> None:
        self._columns: dict[str, list[float]] = {}
        self._length = 0
        self.version = 0  # bumps on every change, so views can skip redundant redraws

    def __len__(self) -> int:
        return self._length

    def clear(self) -> None:
        self._columns.clear()
        self._length = 0
        self.version += 1

    def append(self, step: int, metrics, extras: dict[str, float] | None = None) -> None:
        """Add one row; a step at or before the last one starts a new run (after a reset)."""
        steps = self._columns.get("step")
        if steps and step <= steps[-1]:
            self._truncate(bisect_left(steps, float(step)))
        row = {"step": float(step), "train_loss": metrics.train_loss, "test_loss": metrics.test_loss,
               "train_accuracy": _num(metrics.train_accuracy), "test_accuracy": _num(metrics.test_accuracy)}
        row.update(extras or {})
        for name in row:  # in row order, so series keep their first-seen order
            if name not in self._columns:
                self._columns[name] = [math.nan] * self._length
        for name, column in self._columns.items():
            column.append(row.get(name, math.nan))
        self._length += 1
        if self._length > MAX_ROWS:
            self._thin()
        self.version += 1

    def _truncate(self, length: int) -> None:
        for column in self._columns.values():
            del column[length:]
        self._length = length

    def _thin(self) -> None:
        for name, column in self._columns.items():
            self._columns[name] = column[:-KEEP_RECENT:2] + column[-KEEP_RECENT:]
        self._length = len(self._columns["step"])

    def column(self, name: str) -> np.ndarray:
        values = self._columns.get(name)
        return np.array(values, dtype=float) if values is not None else np.full(self._length, math.nan)

    def series_names(self, prefix: str) -> list[str]:
        """Extra series starting with `prefix` ('grad:', 'dead:'), in first-seen order."""
        return [name for name in self._columns if name.startswith(prefix)]

    def rows(self) -> list[dict[str, float]]:
        names = list(self._columns)
        return [{name: self._columns[name][i] for name in names} for i in range(self._length)]


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)
