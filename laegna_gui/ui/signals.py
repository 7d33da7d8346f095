"""Change what widgets show without announcing it as the user's edit.

`with signals_blocked(a, b): ...` blocks the widgets' signals for the block and restores
each one's earlier state after it, also when the block raises (superqt's `signals_blocked`,
for several widgets at once). Hand-paired blockSignals(True)/(False) left a widget
silent for good when anything in between raised."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QSignalBlocker


@contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    blockers = [QSignalBlocker(obj) for obj in objects]
    try:
        yield
    finally:
        for blocker in reversed(blockers):
            blocker.unblock()
