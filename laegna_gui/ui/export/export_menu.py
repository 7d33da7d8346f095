"""File ▸ Export: the network as a PyTorch script, the trained weights, the loss history and
the dataset. Dialog hooks are attributes so tests can replace them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.datasets import make_dataset
from laegna_gui.core.export_csv import dataset_csv, history_csv
from laegna_gui.ui.actions import add_menu_action
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.export.export_target import suggested_path, write_export

if TYPE_CHECKING:
    from laegna_gui.engine.snapshot import Snapshot
    from laegna_gui.ui.training.controller import TrainingController

DEFAULT_SCRIPT_STEPS = 1000  # an untrained network's script still trains for a while
# name: (text, tooltip, file suffix, file filter)
EXPORTS = {
    "python": ("PyTorch &Script…", "A standalone Python script (torch and numpy only) that builds this network, "
               "makes the same data and trains it with the same settings", ".py", "Python scripts (*.py)"),
    "weights": ("Trained &Weights (.pt)…", "The latest trained weights as a PyTorch state dict that the "
                "exported script's Network loads", ".pt", "PyTorch state dicts (*.pt)"),
    "history": ("Loss &History (CSV)…", "The loss and accuracy curves of this training run, one row per "
                "recorded step", ".csv", "CSV files (*.csv)"),
    "dataset": ("&Dataset (CSV)…", "Every point of the dataset with its target and whether it is a training "
                "or a test point", ".csv", "CSV files (*.csv)"),
}


class EpochLog:
    """The epoch of each step a snapshot reported (the history itself keeps no epochs)."""

    def __init__(self, controller: TrainingController) -> None:
        self.controller = controller
        self.epochs: dict[int, int] = {}
        controller.snapshot_changed.connect(self.record)

    def record(self, snapshot: Snapshot) -> None:
        self.epochs[snapshot.step] = snapshot.epoch
        history = self.controller.history
        if len(self.epochs) > 2 * len(history) + 1000:  # forget steps the history dropped
            kept = {int(s) for s in history.column("step")}
            self.epochs = {s: e for s, e in self.epochs.items() if s in kept}


class ExportMenu(QMenu):
    """The Export submenu. `ask_save_path(title, suggested, filter) -> str` ('' = cancelled),
    `show_message(title, text)` and `show_error(title, text)` are replaceable hooks."""

    exported = Signal(str)  # a status-bar line saying what was written where

    def __init__(self, window: QMainWindow, document: Document, controller: TrainingController) -> None:
        super().__init__("&Export", window)
        self.setObjectName("menuExport")
        self.setToolTipsVisible(True)
        self.document, self.controller = document, controller
        self.epoch_log = EpochLog(controller)
        self.ask_save_path = lambda title, suggested, file_filter: QFileDialog.getSaveFileName(
            window, title, suggested, file_filter)[0]
        self.show_message = lambda title, text: QMessageBox.information(window, title, text)
        self.show_error = lambda title, text: QMessageBox.warning(window, title, text)
        makers: dict[str, Callable[[Path], bytes | str]] = {
            "python": self._script, "weights": self._weights, "history": self._history,
            "dataset": self._dataset}
        self.export_actions: dict[str, QAction] = {}
        for name, (text, tip, _suffix, _filter) in EXPORTS.items():
            action = add_menu_action(self, f"export_{name}", text, tip)
            action.triggered.connect(lambda _=False, n=name, make=makers[name]: self.export(n, make))
            self.export_actions[name] = action

    # --- the four exports: what is missing (said before any dialog), and the content ----
    def _missing(self, name: str) -> str | None:
        if name != "dataset" and self.document.error is not None:
            return f"The network is not valid yet: {self.document.error}"
        latest = self.controller.latest
        if name == "weights" and (latest is None or (latest.step == 0 and self.document.project.weights is None)):
            return "The network has not been trained yet. Press Play or Step first, then export its weights."
        if name == "history" and (len(self.controller.history) == 0
                                  or self.controller.history.column("step").max() <= 0):
            return "There is no loss history yet. Press Play or Step to train; each update of the curves is a row."
        return None

    # the engine's writers import torch: only when a file is written, not with the menu
    def _script(self, path: Path) -> str:
        from laegna_gui.engine.export_script import pytorch_script

        latest = self.controller.latest
        steps = latest.step if latest is not None and latest.step > 0 else DEFAULT_SCRIPT_STEPS
        return pytorch_script(self.document.project, steps, path.name)

    def _weights(self, path: Path) -> bytes:
        from laegna_gui.engine.export_weights import state_dict_bytes

        latest = self.controller.latest
        return state_dict_bytes(self.document.project, latest.weights, latest.step)

    def _history(self, path: Path) -> str:
        return history_csv(self.controller.history, self.epoch_log.epochs)

    def _dataset(self, path: Path) -> str:
        project = self.document.project
        return dataset_csv(make_dataset(project.dataset, project.seed))

    # --- shared steps -----------------------------------------------------------------
    def export(self, name: str, make: Callable[[Path], bytes | str]) -> bool:
        """Ask where, make the content, write it atomically; every failure is one message."""
        text, _tip, suffix, file_filter = EXPORTS[name]
        title = "Export " + text.replace("&", "").rstrip("…")
        missing = self._missing(name)
        if missing:
            self.show_message(title, missing)
            return False
        chosen = self.ask_save_path(title, str(self._suggested(suffix)), file_filter)
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        if not write_export(path, lambda p: write_atomic(p, make(p)), title, self.show_error):
            return False
        self.exported.emit(f"Exported {text.replace('&', '').rstrip('…').lower()} to {path}")
        return True

    def _suggested(self, suffix: str) -> Path:
        return suggested_path(self.document, "", suffix)


def install_export_menu(window: QMainWindow, document: Document, controller: TrainingController) -> ExportMenu:
    """Put File ▸ Export (made here) above File ▸ Quit (made by ui/actions.py)."""
    menu = ExportMenu(window, document, controller)
    file_menu = window.findChild(QMenu, "menuFile")
    quit_action = window.findChild(QAction, "action_quit")
    file_menu.insertMenu(quit_action, menu)
    file_menu.insertSeparator(quit_action)
    return menu
