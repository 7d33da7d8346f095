"""Experiment ▸ Compare… and Sweep…: the menu's handlers. The dialogs, the engine's race and
the result windows load when first used, not when the window opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMainWindow


def open_compare(window: QMainWindow) -> QDialog:
    return _open(window, "compare")


def open_sweep(window: QMainWindow) -> QDialog:
    return _open(window, "sweep")


def _open(window: QMainWindow, kind: str) -> QDialog:
    from laegna_gui.ui.compare.race_dialog import RaceDialog

    dialog = RaceDialog(window, kind)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
