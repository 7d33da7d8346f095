"""Stopping a long training operation from another thread, between two of its operations.

A full-batch iteration of the largest network on 100,000 points takes seconds; closing the
window, opening another project, Reset or Pause must not wait for it. The window's thread
raises a `CancelToken`; the compiled kernels read its flag (a numpy array element, readable
without the GIL) between node operations and every few rows of a matrix product, and the
torch network checks it between nodes and between row chunks of big products. An
interrupted iteration leaves the weights, optimizer state and batch order as they were
before it, and raises `TrainingCancelled` — which means "stopped", never an error.
"""

from __future__ import annotations

import threading

import numpy as np


class TrainingCancelled(Exception):
    """An operation stopped because its CancelToken was raised. Nothing it computed is kept:
    a cancelled iteration left the trainer as before it."""


class CancelToken:
    """A flag that cancels whatever the worker runs now, and anything queued before it.

    Each `request()` (from any thread) belongs to one command queued right after it; that
    command calls `acknowledge()` when it starts. The flag stays raised until the last
    requesting command is reached, so work queued in between is cancelled as well.
    `flag` is the one-element int32 array the compiled kernels read."""

    def __init__(self) -> None:
        self.flag = np.zeros(1, dtype=np.int32)
        self._lock = threading.Lock()
        self._pending = 0

    def request(self) -> None:
        with self._lock:
            self._pending += 1
            self.flag[0] = 1

    def acknowledge(self) -> None:
        """The command a request belongs to has been reached (extra calls do nothing)."""
        with self._lock:
            self._pending = max(0, self._pending - 1)
            if self._pending == 0:
                self.flag[0] = 0

    @property
    def requested(self) -> bool:
        return bool(self.flag[0])

    def check(self) -> None:
        """Raise TrainingCancelled if cancelling was requested."""
        if self.flag[0]:
            raise TrainingCancelled("cancelled")
