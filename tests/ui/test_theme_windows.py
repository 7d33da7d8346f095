"""Themes: one style sheet with widget roles (issue 16), and a theme switch in a second main
window after a dark one was closed (issue 14).

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

import re

import pytest
import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from laegna_gui.core.presets import load_preset
from laegna_gui.core.resources import resource
from laegna_gui.ui.document.commands import RemoveEdgeCommand
from laegna_gui.ui.look import style
from laegna_gui.ui.look.style import DARK, LIGHT, ROLES, THEMES
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.look.theme_restyle import collector_paused, get_stylesheet, stylesheet_slots, theme_plot

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


# --- one style sheet, widget roles (issue 16) ------------------------------------------------
def _theme_colours() -> set[str]:
    """Every surrounding colour of every theme, as a style sheet would write it; not black or
    white, nor a data colour (the same in every theme: a class button, ink on a data colour)."""
    data = {c.name() for c in (*style.CLASS_COLORS, style.NEUTRAL, style.DATA_INK)} | {"#ffffff", "#000000"}
    return {value.lower() for theme in THEMES.values() for value in theme.slots().values()} - data


def test_no_widget_carries_a_theme_colour_in_its_own_style_sheet(qtbot, _light_afterwards):
    """Colours come from the application's style sheet and palette, so a switch reaches every
    widget: no widget writes a theme's colour into a style sheet of its own."""
    window = _open_window()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    for name in ("dark", "light"):
        window.findChild(object, f"action_theme_{name}").trigger()
        assert QApplication.instance().styleSheet() == get_stylesheet(THEMES[name])
        theme_colours = _theme_colours()
        own = {f"{type(w).__name__} {w.objectName()!r}: {w.styleSheet()!r}" for w in window.findChildren(QWidget)
               if set(re.findall(r"#[0-9a-f]{6}\b", w.styleSheet().lower())) & theme_colours}
        assert not own, "widgets colour themselves:\n" + "\n".join(sorted(own))


def test_a_role_takes_its_colour_from_the_theme_and_follows_a_switch(qtbot, _light_afterwards):
    window = _open_window()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    validity = window.findChild(QLabel, "validityLabel")
    assert validity.property("role") == "ok"
    for theme in (DARK, LIGHT, DARK):
        window.findChild(object, f"action_theme_{theme.name}").trigger()
        assert validity.palette().color(QPalette.ColorRole.WindowText) == theme.ok_text
    doc = window.document
    doc.push(RemoveEdgeCommand(doc.graph, "dense1", "activation1"))  # now not valid
    qtbot.waitUntil(lambda: validity.property("role") == "error")
    assert validity.palette().color(QPalette.ColorRole.WindowText) == DARK.error_text


def test_the_style_sheet_fills_every_slot_and_has_a_rule_for_every_role():
    template = resource("themes", "laegna.qss").read_text(encoding="utf-8")
    for theme in THEMES.values():
        sheet = get_stylesheet(theme)
        assert "{{" not in sheet and "}}" not in sheet
        assert f"color: {theme.muted_text.name()}" in sheet
        assert set(re.findall(r"\{\{\s*([a-z_]+)\s*\}\}", template)) <= set(stylesheet_slots(theme))
    for role in ROLES:
        assert f'[role="{role}"]' in template, f"no rule for the role {role!r}"
    with pytest.raises(ValueError, match="unknown style role"):
        style.set_role(QLabel(), "loud")


def test_one_function_gives_a_plot_the_theme_and_leaves_its_data_alone(qtbot):
    import pyqtgraph as pg
    from PySide6.QtCore import Qt

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.setTitle("loss", color="#123456")
    data = plot.plot([0, 1], [0, 1], pen=pg.mkPen(style.POSITIVE))
    mark = pg.InfiniteLine(angle=90, pen=pg.mkPen(style.ERROR, style=Qt.PenStyle.DashLine))
    mark.label = pg.InfLineLabel(mark, text="diverged")
    mark.setProperty("role", "error")
    plot.addItem(mark)
    theme_plot(plot, DARK)
    assert plot.backgroundBrush().color() == DARK.canvas_background
    assert plot.getAxis("left").textPen().color() == DARK.muted_text
    assert plot.getPlotItem().titleLabel.opts["color"] == DARK.text.name()
    assert mark.pen.color() == DARK.error_text and mark.pen.style() == Qt.PenStyle.DashLine
    assert mark.label.color == DARK.error_text
    assert data.opts["pen"].color() == style.POSITIVE


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
