"""The time machine's timeline, under the training controls: a slider over the recorded
frames, what they cover and cost, "Live" and "Resume from here".

A live view like the others (registered to draw in the turn a state arrives): it shows the
state's recording and the moment on show. What the user does leaves as signals, which the
training panel hands to the controller; the views then show that moment through the one
live-view path."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QSlider, QWidget

from laegna_gui.engine.recording import Recording
from laegna_gui.ui.signals import signals_blocked
from laegna_gui.ui.training.live_state import LiveState, Part
from laegna_gui.ui.training.views.live_text import LiveText

FRAME_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End)
WIDEST_LABEL = "step 1,000,000 of 1,000,000 · 9,999 frames · 64.0 MB of 64 MB"  # room kept for the label
TIPS = {
    "slider": "Every moment of this run is recorded: drag back to show it in every view, while training "
              "goes on. ← and → move one recorded frame.",
    "live": "Show training as it is now again.",
    "resume": "Throw away what came after the moment on show and train on from its weights (pause first).",
    "label": "The moment on show, how many frames are recorded and the memory they take (older frames "
             "are thinned evenly to stay within it).",
}


def megabytes(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n < 10 * 2**20 else f"{n / 2**20:.0f} MB"


def timeline_text(recording: Recording | None, moment: int | None) -> str:
    """'step 1,200 of 5,000 · 312 frames · 3.1 MB of 64 MB'."""
    if recording is None or not recording.frames:
        return "Nothing recorded yet"
    latest = recording.steps[1]
    shown = latest if moment is None else moment
    frames = len(recording)
    return (f"step {shown:,} of {latest:,} · {frames:,} frame{'s' if frames != 1 else ''} · "
            f"{megabytes(recording.bytes_used)} of {megabytes(recording.budget)}")


def ask_to_resume(parent: QWidget, step: int) -> bool:
    """Branching drops recorded frames: ask first."""
    answer = QMessageBox.question(
        parent, "Resume from here",
        f"Train on from step {step:,} with the weights the network had then?\n\n"
        "What was recorded after it is dropped, and the optimizer's momentum starts afresh.")
    return answer == QMessageBox.StandardButton.Yes


class FrameSlider(QSlider):
    """While it has the focus, ← and → move it even though the window uses → for Step."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in FRAME_KEYS \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()
            return True
        return super().event(event)


class Timeline(QWidget):
    """`frame_chosen(index)`: show that recorded frame (the last: now); `live_requested`;
    `resume_requested` once the user has confirmed (`confirm`, replaceable in tests)."""

    frame_chosen = Signal(int)
    live_requested = Signal()
    resume_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.slider = FrameSlider(Qt.Orientation.Horizontal, objectName="timelineSlider", toolTip=TIPS["slider"])
        # it changes with every snapshot: a QLabel would lay the whole window out again each time
        self.label = LiveText("timelineLabel", TIPS["label"])
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(WIDEST_LABEL))
        self.live_button = QPushButton("Live", objectName="liveButton", toolTip=TIPS["live"])
        self.resume_button = QPushButton("Resume from here", objectName="resumeButton", toolTip=TIPS["resume"])
        for button in (self.live_button, self.resume_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space stays the window's play key
        self.confirm: Callable[[int], bool] = lambda step: ask_to_resume(self, step)
        self.moment: int | None = None
        self._running = False
        self._drawn: tuple | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.live_button)
        layout.addWidget(self.resume_button)
        self.slider.valueChanged.connect(self.frame_chosen)
        self.live_button.clicked.connect(lambda _=False: self.live_requested.emit())
        self.resume_button.clicked.connect(self._resume_clicked)
        self._enable()

    def draw_parts(self, state: LiveState) -> list[Part]:
        recording = state.recording
        drawn = (id(recording), recording.version if recording else -1, state.moment)
        return [] if drawn == self._drawn else [lambda: self._show(state, drawn)]

    def _show(self, state: LiveState, drawn: tuple) -> None:
        self._drawn, self.moment = drawn, state.moment
        recording = state.recording
        frames = len(recording) if recording is not None else 0
        index = frames - 1 if state.moment is None else recording.index_at(state.moment)
        with signals_blocked(self.slider):
            self.slider.setRange(0, max(0, frames - 1))
            self.slider.setValue(index)
        self.label.setText(timeline_text(recording, state.moment))
        self._enable()

    def show_running(self, running: bool) -> None:
        self._running = running
        self._enable()

    def _enable(self) -> None:
        self.slider.setEnabled(self.slider.maximum() > 0)
        self.live_button.setEnabled(self.moment is not None)
        self.resume_button.setEnabled(self.moment is not None and not self._running)

    def _resume_clicked(self) -> None:
        if self.moment is not None and self.confirm(self.moment):
            self.resume_requested.emit()
