"""Which training points each iteration uses: one schedule for both engines.

Every epoch walks a fresh shuffle of the n points (`schedule.epoch_order(n, seed, epoch)`)
in batches of the chosen size; an epoch ends when the order runs out or, with batch norm,
when only one point would be left for a last batch (batch norm needs two).
"""

from __future__ import annotations

import numpy as np

from laegna_gui.engine.compiled.schedule import epoch_order


class BatchSchedule:
    """The position in the shuffled order: `epoch` epochs done, `cursor` points of the
    current one used. `order` is written in place by the compiled engine."""

    def __init__(self, n: int, seed: int, batch_norm: bool) -> None:
        self.n, self.seed, self.batch_norm = n, seed, batch_norm
        self.epoch = 0
        self.cursor = 0
        self.order = epoch_order(n, seed, 0)

    def next(self, size: int) -> np.ndarray:
        """Indices of the next batch of at most `size` points (a copy)."""
        if self.cursor >= self.n:
            self.order[:] = epoch_order(self.n, self.seed, self.epoch)
            self.cursor = 0
        batch = self.order[self.cursor:self.cursor + size].copy()
        self.cursor += len(batch)
        if self.cursor >= self.n or (self.batch_norm and self.n - self.cursor < 2):
            self.cursor = self.n
            self.epoch += 1
        return batch

    def steps_to_epoch_end(self, size: int) -> int:
        """Iterations until the current epoch completes (a whole one if it just did)."""
        if self.cursor >= self.n:
            return self.steps_per_epoch(size)
        return _steps(self.n - self.cursor, size, self.batch_norm)

    def steps_per_epoch(self, size: int) -> int:
        return _steps(self.n, size, self.batch_norm)

    def state(self, step: int, size: int) -> np.ndarray:
        """The int64 array the compiled engine reads and updates (see kernels.py)."""
        return np.array([self.epoch, self.cursor, step, self.seed, size, int(self.batch_norm)], dtype=np.int64)

    def take_state(self, state: np.ndarray) -> None:
        self.epoch, self.cursor = int(state[0]), int(state[1])


def _steps(left: int, size: int, batch_norm: bool) -> int:
    steps = 0
    while left > 0:
        left -= size
        steps += 1
        if batch_norm and 0 < left < 2:
            left = 0
    return steps
