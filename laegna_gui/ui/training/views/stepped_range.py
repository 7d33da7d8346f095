"""Plot ranges that grow in steps, so a plot's axes are not laid out again on every snapshot.

A range that fits the data exactly changes on every snapshot while training plays, and
pyqtgraph's axes then work out their ticks again (`AxisItem.generateDrawSpecs` took 35–45 % of
the window's time at 30 snapshots a second). These ranges hold while the data stays inside:
- steps run from the first step to the next 1, 2 or 5 × 10^k steps beyond it: about three
  changes for every tenfold of training (`StepAxis`);
- values get some room around the data, on a round grid; data that leaves the range widens it
  by half at least, and a range three times wider than its data is fitted again (`ValueAxis`);
- on a log axis, values fill whole decades.
A history that starts again (fewer steps than before) is fitted again at once, as is a history
that shrinks. Qt-free: data bounds in, shown bounds out.
"""

from __future__ import annotations

import math

Bounds = tuple[float, float]

GROWTH = 1.5  # a range the data leaves grows to at least this many times its span
SHRINK = 3.0  # a range this many times wider than its data is fitted again
HEADROOM = 0.05  # a fitted range leaves this share of the data's span free on each side
GRID = 20  # and ends on a multiple of a round number near this fraction of its span


def nice_ceil(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above `value` (> 0)."""
    decade = 10.0 ** math.floor(math.log10(value))
    return next(m * decade for m in (1, 2, 5, 10) if m * decade >= value * (1 - 1e-9))


class StepAxis:
    """Training steps: from the first to the next round number of steps beyond the last."""

    def forget(self) -> None:
        """Nothing to forget: the range follows from the steps alone."""

    def bounds(self, data: Bounds | None) -> Bounds | None:
        if data is None:
            return None
        low, high = data
        return (low, low + nice_ceil(max(high - low, 1.0)))


class ValueAxis:
    """Values (or their log10 with `log`): a range that grows in steps and re-fits when the
    data has shrunk to a small part of it; `forget()` re-fits at the next bounds."""

    def __init__(self) -> None:
        self.shown: Bounds | None = None
        self.log = False

    def forget(self) -> None:
        self.shown = None

    def bounds(self, data: Bounds | None, log: bool = False) -> Bounds | None:
        if log != self.log or data is None:
            self.log, self.shown = log, None
        if data is None:
            return None
        if log:  # whole decades: already a step for every tenfold
            self.shown = (math.floor(data[0]), math.floor(data[1]) + 1.0)
        elif self.shown is None or _span(self.shown) > SHRINK * _span(data):
            self.shown = _fitted(data)
        elif not _inside(data, self.shown):
            self.shown = _grown(self.shown, data)
        return self.shown


def _span(bounds: Bounds) -> float:
    return bounds[1] - bounds[0]


def _inside(data: Bounds, shown: Bounds) -> bool:
    return shown[0] <= data[0] and data[1] <= shown[1]


def _fitted(data: Bounds) -> Bounds:
    """The data with a little room on each side; one value gets a tenth of its size."""
    room = HEADROOM * (_span(data) or abs(data[0]) / 10 or 1.0)
    return _rounded((data[0] - room, data[1] + room), data)


def _grown(shown: Bounds, data: Bounds) -> Bounds:
    """Widened on the side(s) the data left, by at least half the span it had."""
    room = (GROWTH - 1) * _span(shown)
    low = min(data[0] - room, shown[0]) if data[0] < shown[0] else shown[0]
    high = max(data[1] + room, shown[1]) if data[1] > shown[1] else shown[1]
    return _rounded((low, high), data)


def _rounded(bounds: Bounds, data: Bounds) -> Bounds:
    """Out to round numbers; not across 0 when the data does not go there (a loss is never
    negative, so no room is wasted below 0)."""
    if not math.isfinite(_span(bounds)):  # values near the float limit: no room left to give
        return data
    grid = nice_ceil(_span(bounds) / GRID)
    low, high = math.floor(bounds[0] / grid) * grid, math.ceil(bounds[1] / grid) * grid
    if data[0] >= 0 < data[1]:
        low = max(low, 0.0)
    if data[1] <= 0 > data[0]:
        high = min(high, 0.0)
    return (min(low, data[0]), max(high, data[1]))  # rounding errors never cut the data
