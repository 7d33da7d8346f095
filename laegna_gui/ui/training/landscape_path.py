"""The loss landscape the 3-D view shows, and the path training takes across it.

`path` holds rows of α, β and the snapshot's training loss — the true loss at those
weights, which lies off the surface when the weights leave the plane. Qt-free."""

from __future__ import annotations

import numpy as np

from laegna_gui.engine.landscape import Landscape, project_point
from laegna_gui.engine.snapshot import Snapshot

MAX_PATH_POINTS = 5000  # beyond this every other old point is dropped


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class LandscapePath:
    """`landscape` (or None) and its `path`, a frozen (m, 3) array that grows with `extend`."""

    def __init__(self) -> None:
        self.landscape: Landscape | None = None
        self.path = _frozen(np.zeros((0, 3)))
        self._rows: list[tuple[float, float, float]] = []
        self._steps: list[int] = []  # the step of each row
        self._step = -1
        self._until: tuple[int, np.ndarray, np.ndarray] | None = None  # (step, path, its part) last given

    def set_landscape(self, landscape: Landscape | None) -> None:
        """A new landscape (None: none); its path starts afresh."""
        self.landscape = landscape
        self.restart()

    def restart(self) -> None:
        """Forget the path (training starts again from new weights)."""
        self._rows, self._steps, self._step = [], [], -1
        self.path = _frozen(np.zeros((0, 3)))

    def extend(self, snapshot: Snapshot) -> bool:
        """Add where `snapshot`'s weights lie on the plane; False when there is no landscape
        or the weights are of another network (the path is unchanged then)."""
        if self.landscape is None:
            return False
        if snapshot.step < self._step:  # a reset, or a branch from a recorded moment
            kept = sum(1 for step in self._steps if step < snapshot.step)
            self._rows, self._steps = self._rows[:kept], self._steps[:kept]
        try:
            alpha, beta = project_point(self.landscape, snapshot.weights)
        except ValueError:
            return False  # weights of another network: the landscape is about to be cleared
        self._step = snapshot.step
        self._rows.append((alpha, beta, snapshot.metrics.train_loss))
        self._steps.append(snapshot.step)
        if len(self._rows) > MAX_PATH_POINTS:
            half = len(self._rows) // 2
            self._rows = self._rows[:half:2] + self._rows[half:]
            self._steps = self._steps[:half:2] + self._steps[half:]
        self.path = _frozen(np.array(self._rows, dtype=np.float64).reshape(-1, 3))
        return True

    def until(self, step: int) -> np.ndarray:
        """The path as far as `step` (a recorded moment); the same array while neither changes,
        so a view that has drawn it draws nothing again."""
        if self._until is not None and self._until[0] == step and self._until[1] is self.path:
            return self._until[2]
        kept = sum(1 for s in self._steps if s <= step)
        part = self.path if kept == len(self.path) else _frozen(self.path[:kept].copy())
        self._until = (step, self.path, part)
        return part
