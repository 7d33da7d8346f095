from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.presets import load_preset


@pytest.fixture
def window(qtbot):
    """The main window with the xor preset, as a user first sees it."""
    from laegna_gui.ui.main_window import MainWindow

    win = MainWindow(load_preset("xor"))
    # pytest-qt closes the window after the test; unsaved test edits are simply discarded
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def shown(qtbot):
    """`shown(widget)`: the widget at dock size, on screen (offscreen), owned by qtbot."""
    def show(widget, width: int = 440, height: int = 300):
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget
    return show
