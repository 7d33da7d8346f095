"""View ▸ Export Animation…: choose the view, the steps, the pace and the file, then record
with a progress dialog whose Cancel stops between two frames and deletes the unfinished file
(the loop itself: animation.py).

The recording trains the current run on from where it is, as Play would for that many steps,
and the dialog says so: afterwards the window holds the run the animation shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMainWindow, QMessageBox, QProgressDialog,
                               QPushButton, QSpinBox, QVBoxLayout)

from laegna_gui.core.animation_plan import (ANIMATION_VIEWS, DEFAULT_FPS, DEFAULT_SECONDS, MAX_FPS, MAX_FRAMES,
                                            VIEWS_3D, AnimationPlan, animation_format, plan_animation)
from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.export.animation import AnimationRecorder
from laegna_gui.ui.export.export_target import LAST_FOLDER_KEY, suggested_path
from laegna_gui.ui.export.view_export_menu import window_views
from laegna_gui.ui.document.paths import settings
from laegna_gui.ui.look import style
from laegna_gui.ui.space3d.gl import gl_unavailable_reason

TITLE = "Export Animation"
FILE_FILTER = "GIF animation (*.gif);;MP4 video (*.mp4)"
DEFAULT_STEPS = 1000
MIN_WIDTH = 460  # room for a file name beside its folder


@dataclass(frozen=True)
class AnimationRequest:
    """What the dialog asks for: a view (a name of ANIMATION_VIEWS), the plan and the file."""

    view: str
    plan: AnimationPlan
    path: Path


class AnimationDialog(QDialog):
    """The choices; `request()` is what was chosen (None while something does not fit)."""

    def __init__(self, window: QMainWindow) -> None:
        from laegna_gui.engine.export_script import MAX_STEPS  # the limit of every command; not loaded at start-up

        super().__init__(window)
        self.setObjectName("animationDialog")
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(MIN_WIDTH)
        self.names = {name: window_views(window)[name.replace("-", "_")][0] for name in ANIMATION_VIEWS}
        self.view_combo = QComboBox(objectName="animationView")
        self.steps = QSpinBox(objectName="animationSteps", minimum=1, maximum=MAX_STEPS, value=DEFAULT_STEPS,
                              suffix=" steps", singleStep=100, groupSeparatorShown=True)
        self.fps = QSpinBox(objectName="animationFps", minimum=1, maximum=int(MAX_FPS), value=int(DEFAULT_FPS),
                            suffix=" frames a second")
        self.seconds = QDoubleSpinBox(objectName="animationSeconds", minimum=0.2, maximum=MAX_FRAMES,
                                      value=DEFAULT_SECONDS, decimals=2, suffix=" s")
        self.frames = QLabel(objectName="animationFrames")
        self.path_edit = QLineEdit(objectName="animationFile")
        self.path_edit.setText(str(suggested_path(window.document, "animation", ".gif")))
        self.problem = QLabel(objectName="animationProblem", wordWrap=True)
        style.set_role(self.problem, "error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.record_button = self.buttons.addButton("Record", QDialogButtonBox.ButtonRole.AcceptRole)
        self._fill_views()
        self._build(window)
        for changed in (self.steps.valueChanged, self.fps.valueChanged, self.seconds.valueChanged,
                        self.path_edit.textChanged):
            changed.connect(self._check)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._check()

    def _fill_views(self) -> None:
        """Every view that follows training; the 3-D ones greyed out (and saying why) without OpenGL."""
        reason = gl_unavailable_reason()
        model: QStandardItemModel = self.view_combo.model()
        for name in ANIMATION_VIEWS:
            self.view_combo.addItem(self.names[name], name)
            if name in VIEWS_3D and reason:
                item = model.item(self.view_combo.count() - 1)
                item.setEnabled(False)
                item.setToolTip(f"3-D views need OpenGL, which is not available here ({reason})")

    def _build(self, window: QMainWindow) -> None:
        latest = window.training.controller.latest
        start = latest.step if latest is not None else 0
        note = QLabel(f"Training goes on from step {start:,} of the current run for the steps you choose, "
                      "as Play would, and stays there afterwards. Each frame is the view as it is on screen, "
                      "with the step written in its corner.", objectName="animationNote", wordWrap=True)
        style.set_role(note, "muted")
        browse = QPushButton("Choose…", objectName="animationBrowse")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("View:", self.view_combo)
        form.addRow("Train for:", self.steps)
        form.addRow("Pace:", self.fps)
        form.addRow("Length:", self.seconds)
        form.addRow("Frames:", self.frames)
        form.addRow("File:", file_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        chosen, picked = QFileDialog.getSaveFileName(self, TITLE, self.path_edit.text(), FILE_FILTER)
        if chosen:
            suffix = ".mp4" if "mp4" in picked else ".gif"
            self.path_edit.setText(chosen if Path(chosen).suffix else chosen + suffix)

    def request(self) -> AnimationRequest | None:
        try:
            plan = plan_animation(self.steps.value(), self.fps.value(), self.seconds.value())
            animation_format(self.path_edit.text())
        except LaegnaError:
            return None
        return AnimationRequest(self.view_combo.currentData(), plan, Path(self.path_edit.text()).expanduser())

    def _check(self) -> None:
        """The length a pace allows (2 to MAX_FRAMES frames), the frame count, and what does
        not fit (the file type), holding Record back until it does."""
        fps = self.fps.value()
        self.seconds.setRange(2 / fps, MAX_FRAMES / fps)
        try:
            plan = plan_animation(self.steps.value(), fps, self.seconds.value())
            animation_format(self.path_edit.text())
        except LaegnaError as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            self.record_button.setEnabled(False)
            return
        self.problem.setText("")
        self.record_button.setEnabled(True)
        every = plan.steps / (plan.frames - 1)
        self.frames.setText(f"{plan.frames} frames, one every {every:.3g} steps" if every > 1
                            else f"{plan.frames} frames, one a step")


def export_animation(window: QMainWindow) -> AnimationRecorder | None:
    """View ▸ Export Animation…: ask, then record (None when the dialog was cancelled or the
    recording could not start)."""
    dialog = AnimationDialog(window)
    request = dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
    return start_recording(window, request) if request is not None else None


def start_recording(window: QMainWindow, request: AnimationRequest,
                    show_error: Callable[[str, str], object] | None = None) -> AnimationRecorder | None:
    """Record with a progress dialog (window-modal, with Cancel); the outcome is told in the
    status bar or, when nothing could be written, by `show_error(title, text)` (a message box)."""
    show_error = show_error or (lambda title, text: QMessageBox.warning(window, title, text))
    name = window_views(window)[request.view.replace("-", "_")][0]
    recorder = AnimationRecorder(window, request.view, request.plan, request.path)
    progress = QProgressDialog(f"Recording the {name} view…", "Cancel", 0, request.plan.frames, window,
                               objectName="animationProgress", windowTitle=TITLE, minimumDuration=0,
                               autoClose=False, autoReset=False)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    progress.canceled.connect(recorder.cancel)
    recorder.progressed.connect(progress.setValue)
    status = window.statusBar()

    def finished(path: Path) -> None:
        progress.close()
        settings().setValue(LAST_FOLDER_KEY, str(path.resolve().parent))
        status.showMessage(f"Exported the {name} view as an animation to {path}", 8000)

    def failed(message: str) -> None:
        progress.close()
        show_error(TITLE, f"Nothing was exported: {message}")

    recorder.finished.connect(finished)
    recorder.failed.connect(failed)
    recorder.cancelled.connect(lambda: (progress.close(), status.showMessage(
        "Animation cancelled: nothing was written", 8000)))
    try:
        recorder.start()
    except (LaegnaError, OSError) as exc:
        recorder.setParent(None)
        failed(getattr(exc, "strerror", None) or str(exc))
        return None
    progress.show()
    return recorder
