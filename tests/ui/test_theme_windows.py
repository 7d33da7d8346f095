"""A theme switch in a second main window, after a dark one was closed (issue 14).

The switch walks every widget of the application. Widgets kept alive only by a reference
cycle (a dropped plot, a test fixture's panel) are freed by the garbage collector, which can
run in the middle of that walk; before the fix, PySide then wrapped a freed widget and the
process died in `theme_restyle.restyle_all`. Run as a script, this file replays that in a
child process, so a crash fails a test instead of ending the session.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest
import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from laegna_gui.core.presets import load_preset
from laegna_gui.ui import style
from laegna_gui.ui.style import DARK, LIGHT
from laegna_gui.ui.theme import apply_theme
from laegna_gui.ui.theme_restyle import collector_paused

SURVIVED = "every theme switch survived"
# where the next collection falls, in allocations from the switch: sweeps it across the walk
COLLECTION_POINTS = range(25, 2500, 150)


def _open_window():
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(load_preset("xor"), remember_layout=False)
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.show()
    QApplication.processEvents()  # its first layout waits for a zero-time timer: let it run
    return window


def _close_and_delete(window) -> None:
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(window)


def _drop_plots_in_cycles(count: int = 8) -> None:
    """Plots nobody deletes: each is kept alive only by a reference cycle."""
    import pyqtgraph as pg

    for _ in range(count):
        plot = pg.PlotWidget()
        plot.cycle = plot


def switch_themes_while_plots_are_collected() -> None:
    """The child process: a dark window closed, a second window, then theme switches from its
    View ▸ Theme menu while the garbage collector frees plots in the middle of the walk."""
    from laegna_gui.ui.app import make_application

    make_application()
    first = _open_window()
    first.theme_menu.theme_actions["dark"].trigger()
    _close_and_delete(first)
    second = _open_window()
    # the plots must be freed on this thread, in the walk: an idle training thread (its warm-up
    # allocates) could otherwise be the one that collects them, which Qt does not allow
    second.training.shutdown()
    thresholds = gc.get_threshold()
    for i, point in enumerate(COLLECTION_POINTS):
        gc.collect()
        with collector_paused():  # the next collection comes `point` allocations from now
            _drop_plots_in_cycles()
            gc.set_threshold(gc.get_count()[0] + point)
        try:
            second.theme_menu.theme_actions["light" if i % 2 else "dark"].trigger()
        finally:
            gc.set_threshold(*thresholds)
    _close_and_delete(second)
    print(SURVIVED, flush=True)


def test_a_second_window_switches_theme_while_the_collector_frees_widgets(tmp_path):
    child = subprocess.run([sys.executable, "-X", "faulthandler", __file__], capture_output=True, text=True,
                           timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                                             "LAEGNA_DATA_DIR": str(tmp_path)})
    assert child.returncode == 0 and SURVIVED in child.stdout, \
        f"exit status {child.returncode}\n{child.stdout[-1000:]}\n{child.stderr[-6000:]}"


@pytest.fixture
def _light_afterwards():
    """The theme belongs to the whole application: leave it light for the next test."""
    yield
    apply_theme("light")


def test_a_second_window_after_a_closed_dark_one_takes_both_themes(qtbot, _light_afterwards):
    first = _open_window()
    qtbot.waitExposed(first)
    first.findChild(object, "action_theme_dark").trigger()
    _close_and_delete(first)
    second = _open_window()
    qtbot.addWidget(second)
    qtbot.waitExposed(second)
    assert style.current() is DARK  # remembered from the first window
    loss_plot = second.findChild(object, "lossPlot")
    assert loss_plot.backgroundBrush().color() == DARK.canvas_background
    second.findChild(object, "action_theme_light").trigger()
    assert loss_plot.backgroundBrush().color() == LIGHT.canvas_background
    assert loss_plot.getAxis("left").textPen().color() == LIGHT.muted_text
    second.findChild(object, "action_theme_dark").trigger()
    assert loss_plot.backgroundBrush().color() == DARK.canvas_background
    assert loss_plot.getAxis("left").textPen().color() == DARK.muted_text


def test_the_collector_is_paused_only_inside_the_block_and_left_as_it_was():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()


if __name__ == "__main__":
    switch_themes_while_plots_are_collected()
