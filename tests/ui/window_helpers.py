"""Opening the real main window in a test: a preset, no saved layout, no autosave, and
"discard" as the answer to any save question when the test closes it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.presets import load_preset


def open_window(qtbot, preset: str = "xor"):
    from laegna_gui.ui.main_window import MainWindow

    win = MainWindow(load_preset(preset), remember_layout=False, autosave=False)
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
