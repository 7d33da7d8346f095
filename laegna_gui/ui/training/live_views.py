"""The one list of live views, and the frame scheduler that draws them.

Every view that shows training registers here once (`register`), and the training
controller `publish`es each new LiveState here. Drawing a state is spread over turns of
the event loop, so each turn is short and the window never stalls: the views registered
`at_once` (cheap text such as the counters) draw in the turn the state arrives, the others
one part per turn after it, in the order they were registered (each part is painted in the
turn after it). A newer state replaces whatever of an older one is still waiting. When
everything is drawn, `frame_drawn` is called a turn later (the worker trains on, see
worker.py's frame pacing).

Only views on screen draw. A hidden view (a tab not in front, a closed dock) is skipped
and catches up with the latest state, at once, when it is shown again. A view registered
`hidden_too` draws while hidden as well (the Step view: a report it missed is gone)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from laegna_gui.ui.training.live_state import LiveState, LiveView, Part


@dataclass(eq=False)
class Entry:
    view: LiveView
    widget: QWidget  # whose visibility decides whether the view draws
    at_once: bool
    hidden_too: bool
    frame: int = -1  # the last frame this view was asked to draw

    def showing(self) -> bool:
        return self.hidden_too or self.widget.isVisible()


class LiveViews(QObject):
    """Registered views, in drawing order; `publish(state)` draws a state on all of them."""

    def __init__(self, frame_drawn: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = LiveState()
        self.entries: list[Entry] = []
        self._frame_drawn = frame_drawn
        self._frame = 0
        self._queue: list[Entry] = []  # views still to ask for the current frame
        self._parts: list[Part] = []  # parts of the view being drawn
        # child timers, not QTimer.singleShot: they die with their owner, so a closed window's
        # leftover parts are never drawn onto deleted items
        self._draw_timer = QTimer(self, singleShot=True, interval=0)
        self._draw_timer.timeout.connect(self._turn)
        self._drawn_timer = QTimer(self, singleShot=True, interval=0)
        self._drawn_timer.timeout.connect(self._frame_drawn)

    def register(self, view: LiveView, widget: QWidget | None = None, at_once: bool = False,
                 hidden_too: bool = False) -> None:
        """Add a view (once); `widget` is the one whose visibility counts (the view itself
        by default). It draws the current state when it is next on screen."""
        if any(entry.view is view for entry in self.entries):
            raise ValueError(f"{type(view).__name__} is registered already")
        widget = widget if widget is not None else view
        self.entries.append(Entry(view, widget, at_once, hidden_too))
        widget.installEventFilter(self)

    def views(self) -> list[LiveView]:
        return [entry.view for entry in self.entries]

    @property
    def busy(self) -> bool:
        """Parts of the latest state are still waiting to be drawn."""
        return bool(self._parts or self._queue)

    def publish(self, state: LiveState) -> None:
        self.state = state
        self._frame += 1
        self._drawn_timer.stop()  # drawn is said of the newest state only
        self._parts = []
        for entry in [e for e in self.entries if e.at_once and e.showing()]:
            self._draw_all(entry)
        self._queue = [e for e in self.entries if not e.at_once]
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def stop(self) -> None:
        """Draw nothing more (the window is closing)."""
        self._queue, self._parts = [], []
        self._draw_timer.stop()
        self._drawn_timer.stop()

    # --- the turns ---------------------------------------------------------------------
    def _turn(self) -> None:
        if not self._parts:
            self._parts = self._next_parts()
        if self._parts:
            self._parts.pop(0)()
        if self.busy:
            self._draw_timer.start()
        else:
            self._drawn_timer.start()  # a turn later: once the last part is painted

    def _next_parts(self) -> list[Part]:
        while self._queue:
            entry = self._queue.pop(0)
            if entry.frame != self._frame and entry.showing():
                parts = self._ask(entry)
                if parts:
                    return parts
        return []

    def _ask(self, entry: Entry) -> list[Part]:
        entry.frame = self._frame
        return list(entry.view.draw_parts(self.state))

    def _draw_all(self, entry: Entry) -> None:
        for part in self._ask(entry):
            part()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 — Qt override
        if event.type() == QEvent.Type.Show:  # a view coming on screen catches up at once
            try:
                for entry in self.entries:
                    if entry.widget is watched and entry.frame != self._frame:
                        self._draw_all(entry)
            except Exception as exc:  # raised out of an event filter, it would take the application down
                QTimer.singleShot(0, self, partial(_raise, exc))  # reported as any slot's error is
        return False


def _raise(exc: Exception) -> None:
    raise exc
