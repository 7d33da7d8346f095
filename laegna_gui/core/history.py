"""The record of a training run: one row per snapshot, bounded in memory."""

from __future__ import annotations

import math

import numpy as np

MAX_ROWS = 20_000  # beyond this, every other old row is dropped (curves keep their shape)


class History:
    """Columns of numbers over training steps: `step`, `train_loss`, `test_loss`,
    `train_accuracy`, `test_accuracy` (NaN for regression), plus named extra series
    (layer gradient norms `grad:<node>`, dead fractions `dead:<node>`)."""

    BASE = ("step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")

    def __init__(self) -> None:
        self._rows: list[dict[str, float]] = []
        self.version = 0  # bumps on every change, so views can skip redundant redraws

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        self._rows.clear()
        self.version += 1

    def append(self, step: int, metrics, extras: dict[str, float] | None = None) -> None:
        """Add one row; a step at or before the last one starts a new run (after a reset)."""
        if self._rows and step <= self._rows[-1]["step"]:
            self._rows = [r for r in self._rows if r["step"] < step]
        row = {"step": float(step), "train_loss": metrics.train_loss, "test_loss": metrics.test_loss,
               "train_accuracy": _num(metrics.train_accuracy), "test_accuracy": _num(metrics.test_accuracy)}
        row.update(extras or {})
        self._rows.append(row)
        if len(self._rows) > MAX_ROWS:
            self._rows = self._rows[:-1000:2] + self._rows[-1000:]
        self.version += 1

    def column(self, name: str) -> np.ndarray:
        return np.array([row.get(name, math.nan) for row in self._rows], dtype=float)

    def series_names(self, prefix: str) -> list[str]:
        """Extra series starting with `prefix` ('grad:', 'dead:'), in first-seen order."""
        seen: dict[str, None] = {}
        for row in self._rows:
            for key in row:
                if key.startswith(prefix):
                    seen[key] = None
        return list(seen)

    def rows(self) -> list[dict[str, float]]:
        return [dict(r) for r in self._rows]


def _num(value: float | None) -> float:
    return math.nan if value is None else float(value)
