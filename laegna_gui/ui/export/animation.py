"""The frame capture loop of an exported animation, shared by `laegna-gui record` and
View ▸ Export Animation….

`AnimationRecorder` trains the window's current run on, from where it is, through the real
training controller (as Play would, for a set number of steps): it asks the worker for the
steps up to the next frame, waits until they are done and every live view has drawn them,
grabs the chosen view, writes the step into a corner and hands the picture to the file's
writer (core/animation_file.py). Each wait is for a signal (or for the views to finish a
state), never for a time, so frame k always shows exactly the step the plan gives it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QMainWindow, QWidget

from laegna_gui.core.animation_file import open_animation
from laegna_gui.core.animation_plan import AnimationPlan, animation_format, check_frame_size
from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.export.screenshot import grab_with_gl
from laegna_gui.ui.export.view_export_menu import bring_forward, window_views
from laegna_gui.ui.look import style

BADGE_ALPHA = 225  # the step badge: the view's ground, a little see-through, over the picture


def view_widget(window: QMainWindow, view: str) -> QWidget:
    """The widget of an animation view (a name of ANIMATION_VIEWS) in `window`."""
    return window_views(window)[view.replace("-", "_")][1]


class AnimationRecorder(QObject):
    """Records `plan.frames` pictures of `view` over `plan.steps` more iterations into `path`,
    each `frame_size` pixels (by default the view's size on screen). Ends with exactly one of
    finished, failed or cancelled; after failed or cancelled nothing is left on disk."""

    progressed = Signal(int)     # frames captured so far
    finished = Signal(object)    # the Path written
    failed = Signal(str)         # why nothing was written
    cancelled = Signal()

    def __init__(self, window: QMainWindow, view: str, plan: AnimationPlan, path: str | Path,
                 frame_size: QSize | None = None) -> None:
        super().__init__(window)
        self.window, self.view, self.plan = window, view, plan
        self.path, self.frame_size = Path(path), frame_size
        self.controller = window.training.controller
        self.widget = view_widget(window, view)
        self.steps = plan.frame_steps()
        self.captured = 0
        self.first_step: int | None = None  # the run's step when the recording began
        self._writer = None
        self._links: list = []

    def start(self) -> None:
        """Check, open the file's writer and begin; a LaegnaError or OSError here leaves
        nothing behind and starts nothing."""
        if not self.controller.can_train:
            raise LaegnaError(f"this network cannot be trained: {self.controller.document.error}")
        self._writer = open_animation(self.path, self.plan.fps)
        ctl = self.controller
        for signal, slot in ((ctl.steps_finished, self._steps_done), (ctl.diverged, self._diverged),
                             (ctl.failed, self._fail)):
            self._listen(signal, slot)
        bring_forward(self.widget)
        ctl.pause()
        ctl.run_steps(0)  # answered once everything asked before it (a first snapshot…) has come

    def cancel(self) -> None:
        """Stop between two frames: training pauses, the unfinished file is deleted."""
        if self._writer is None:
            return
        self.controller.pause()
        self._close(self._writer.discard)
        self.cancelled.emit()

    # --- the loop ---------------------------------------------------------------------
    def _steps_done(self) -> None:
        latest = self.controller.latest
        if self.first_step is None:
            self.first_step = latest.step if latest is not None else 0
            if self.view == "landscape" and self.controller.landscape is None:
                # heard from now on: a landscape the pause above cancelled has been told of already
                self._listen(self.controller.landscape_ready, self._landscape_ready)
                self.controller.compute_landscape(self.window.tabs.landscape.options())
                return  # the first frame waits for the surface
        elif latest is None or latest.step != self._wanted_step():
            self._fail(f"training stopped at step {latest.step if latest else 0}, before step "
                       f"{self._wanted_step()}")
            return
        self._when_drawn()

    def _landscape_ready(self, landscape) -> None:
        if landscape is None:
            self._fail("the loss landscape could not be computed")
        else:
            self._when_drawn()

    def _when_drawn(self) -> None:
        """Capture once every live view has drawn the newest state (a turn of the event loop
        at a time: the views draw in parts, see live_views.py)."""
        if self._writer is None:
            return
        if self.controller.views.busy:
            QTimer.singleShot(0, self, self._when_drawn)
        else:
            self._capture()

    def _capture(self) -> None:
        if self.captured == 0 and not self._first_size():
            return
        image = fitted(grab_with_gl(self.widget).toImage(), self.frame_size)
        draw_step(image, self._wanted_step())
        try:
            self._writer.append(rgb_array(image))
        except (OSError, RuntimeError) as exc:  # the encoder stopped: a full disk…
            self._fail(_not_written(self.path, exc))
            return
        self.captured += 1
        self.progressed.emit(self.captured)
        if self._writer is None:
            return  # cancelled meanwhile (a modal progress dialog lets events through)
        if self.captured == self.plan.frames:
            self._finish()
        else:
            self.controller.run_steps(self.steps[self.captured] - self.steps[self.captured - 1])

    def _first_size(self) -> bool:
        """Settle the frame size (by default the view's in the window, even for MP4) and
        check the file can hold it; False (after failing) if it cannot."""
        kind = animation_format(self.path)
        if self.frame_size is None:
            size = self.widget.size()
            self.frame_size = QSize(size.width() - size.width() % 2, size.height() - size.height() % 2) \
                if kind == "MP4" else size
        try:
            check_frame_size(kind, self.frame_size.width(), self.frame_size.height(), self.plan.frames)
        except LaegnaError as exc:
            self._fail(str(exc))
            return False
        return True

    def _wanted_step(self) -> int:
        return self.first_step + self.steps[self.captured]

    def _finish(self) -> None:
        writer = self._writer
        self._close(lambda: None)
        try:
            path = writer.finish()
        except (OSError, RuntimeError) as exc:
            writer.discard()
            self.failed.emit(_not_written(self.path, exc))
            return
        self.finished.emit(path)

    def _diverged(self, message: str) -> None:
        self._fail(f"training diverged, so the animation was not made: {message}")

    def _fail(self, message: str) -> None:
        if self._writer is None:
            return
        self._close(self._writer.discard)
        self.failed.emit(message)

    def _listen(self, signal, slot) -> None:
        signal.connect(slot)
        self._links.append((signal, slot))

    def _close(self, end_writer) -> None:
        """Stop listening, then end the writer (discard or nothing); once."""
        for signal, slot in self._links:
            signal.disconnect(slot)
        self._links = []
        self._writer = None
        end_writer()


def _not_written(path: Path, exc: Exception) -> str:
    return f"{path} could not be written: {getattr(exc, 'strerror', None) or exc}"


# --- the pictures ---------------------------------------------------------------------------
def fitted(image: QImage, size: QSize) -> QImage:
    """`image` at exactly `size` pixels: a pixel cut off an odd side (MP4 needs even sides),
    scaled where the view is drawn at another scale (a high-DPI screen)."""
    image.setDevicePixelRatio(1.0)
    extra_w, extra_h = image.width() - size.width(), image.height() - size.height()
    if extra_w in (0, 1) and extra_h in (0, 1):
        return image.copy(QRect(0, 0, size.width(), size.height()))
    return image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)


def draw_step(image: QImage, step: int) -> None:
    """'step N' in a small badge in the top right corner, in the current theme's colours."""
    theme = style.current()
    font = QFont()
    font.setPixelSize(max(11, min(image.width(), image.height()) // 26))
    font.setBold(True)
    text = f"step {step}"
    metrics = QFontMetrics(font)
    pad = metrics.height() // 3
    width, height = metrics.horizontalAdvance(text) + 2 * pad, metrics.height() + pad
    badge = QRect(image.width() - width - pad, pad, width, height)
    ground = QColor(theme.canvas_background)
    ground.setAlpha(BADGE_ALPHA)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.setPen(theme.grid)
    painter.setBrush(ground)
    painter.drawRoundedRect(badge, pad, pad)
    painter.setFont(font)
    painter.setPen(theme.text)
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()


def rgb_array(image: QImage) -> np.ndarray:
    """The picture as a (height, width, 3) uint8 array, what the writers take."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, :width * 3].reshape(height, width, 3).copy()
