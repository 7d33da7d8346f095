"""File verbs (new, open, save, recent) with their dialogs; every failure is one message."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.graph import Graph
from laegna_gui.core.presets import DEFAULT_PRESET, load_preset
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import load_project
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.document.paths import settings

FILE_FILTER = "Laegna projects (*.laegna);;All files (*)"
MAX_RECENT = 8
BLANK_GAP = 600.0  # between the Input and the Output of a new network: room for a few layers
SAVE_RECORDING = "save_recording"  # the setting: save the training recording with the project


def blank_project() -> Project:
    """File ▸ New: an Input and an Output with nothing between them, on the first lesson's
    data and settings — with squared error, which fits whatever output the user builds."""
    start = load_preset(DEFAULT_PRESET)
    graph = Graph()
    graph.add_node("input", pos=(0.0, 0.0))
    graph.add_node("output", pos=(BLANK_GAP, 0.0))
    return Project(graph, start.dataset, replace(start.training, loss="mse"), start.seed)


class FileController(QObject):
    """Opens and saves the Document. Dialog functions are attributes so tests can replace them."""

    recent_changed = Signal()

    def __init__(self, document: Document, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.document = document
        self.window = parent_widget
        self.ask_open_path = lambda: QFileDialog.getOpenFileName(
            self.window, "Open project", self._last_folder(), FILE_FILTER)[0]
        self.ask_save_path = lambda: QFileDialog.getSaveFileName(
            self.window, "Save project as", self._suggested_name(), FILE_FILTER)[0]
        self.ask_save_changes = self._ask_save_changes
        self.show_error = lambda title, text: QMessageBox.warning(self.window, title, text)
        self.before_save = lambda: None  # the window sets it: store the trained weights first

    # --- verbs ---------------------------------------------------------------
    def new(self) -> bool:
        if not self.confirm_discard():
            return False
        self.document.load(blank_project())
        return True

    def open(self, path: str | Path | None = None) -> bool:
        if not self.confirm_discard():
            return False
        path = path or self.ask_open_path()
        if not path:
            return False
        try:
            project = load_project(path)
        except LaegnaError as exc:
            self.show_error("Cannot open project", f"{Path(path).name} was not opened: {exc}\n\n"
                                                   "Your current project is unchanged.")
            return False
        self.document.load(project, path)
        self._remember(Path(path))
        return True

    def open_preset(self, name: str) -> bool:
        if not self.confirm_discard():
            return False
        try:
            self.document.load(load_preset(name))
        except LaegnaError as exc:
            self.show_error("Cannot open preset", str(exc))
            return False
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        path = Path(path)
        if path.suffix != ".laegna":
            path = path.with_suffix(path.suffix + ".laegna") if path.suffix else path.with_suffix(".laegna")
        return self._write(path)

    def _write(self, path: Path) -> bool:
        self.before_save()
        try:
            self.document.save(path, with_recording=self.save_recording)
        except (OSError, ValueError) as exc:
            self.show_error("Cannot save project", f"{path} could not be written: {exc}\n\n"
                                                   "Your work is still open; try another folder.")
            return False
        self._remember(path)
        return True

    @property
    def save_recording(self) -> bool:
        """File ▸ Save the Training Recording (on unless turned off; remembered)."""
        return str(settings().value(SAVE_RECORDING, "true")).lower() == "true"

    def set_save_recording(self, on: bool) -> None:
        settings().setValue(SAVE_RECORDING, "true" if on else "false")

    def confirm_discard(self) -> bool:
        """True when it is fine to replace the current project (saved, or the user agreed)."""
        if not self.document.modified:
            return True
        answer = self.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _ask_save_changes(self) -> QMessageBox.StandardButton:
        name = self.document.path.name if self.document.path else self.document.project.name
        return QMessageBox.question(
            self.window, "Unsaved changes", f"Save the changes to {name} before closing it?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)

    # --- recent files --------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = settings().value("recent", [])
        files = [value] if isinstance(value, str) else list(value or [])
        return [f for f in files if Path(f).exists()]

    def _remember(self, path: Path) -> None:
        path = path.resolve()
        files = [str(path)] + [f for f in self.recent_files() if f != str(path)]
        store = settings()
        store.setValue("recent", files[:MAX_RECENT])
        store.setValue("last_folder", str(path.parent))
        self.recent_changed.emit()

    def _last_folder(self) -> str:
        return str(settings().value("last_folder", str(Path.home())))

    def _suggested_name(self) -> str:
        if self.document.path:
            return str(self.document.path)
        return str(Path(self._last_folder()) / f"{self.document.project.name or 'untitled'}.laegna")
