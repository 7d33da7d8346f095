"""Settings that survive a restart (layout, docks, theme, recent files, last folder), and the theme."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMessageBox
from image_helpers import pixels

from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import save_project
from laegna_gui.ui.document import file_controller
from laegna_gui.ui.look import style
from laegna_gui.ui.document.paths import data_dir, settings
from laegna_gui.ui.look.style import DARK, LIGHT
from laegna_gui.ui.look.theme import DARK_ROLES, apply_theme, qt_palette
from laegna_gui.ui.look.colour_scale import diverging

Role = QPalette.ColorRole


@pytest.fixture(autouse=True)
def _light_afterwards():
    """The theme belongs to the whole application: leave it light for the next test."""
    yield
    apply_theme("light")


def _start(qtbot):
    """A window as `laegna-gui` opens it: remembering its layout."""
    from laegna_gui.ui.main_window import MainWindow

    win = MainWindow(load_preset("xor"), remember_layout=True)
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _dock(win, title: str) -> QDockWidget:
    return win.findChild(QDockWidget, f"dock{title}")


def _window_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorGroup.Active, Role.Window)


def test_layout_docks_theme_recent_files_and_last_folder_survive_a_restart(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "projects"
    folder.mkdir()
    first, second = folder / "first.laegna", folder / "second.laegna"
    save_project(load_preset("and"), first)
    save_project(load_preset("or"), second)

    win = _start(qtbot)
    win.theme_menu.theme_actions["dark"].trigger()
    win.resize(770, 590)  # smaller than the offscreen screen (800×800), which restoring clamps to
    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, _dock(win, "Layers"))  # moved from the left
    _dock(win, "Training").hide()
    for path in (first, second):
        win.files.ask_open_path = lambda p=path: str(p)
        assert win.files.open()
    win.close()
    apply_theme("light")  # a new process would start light; only the settings may bring dark back

    again = _start(qtbot)
    assert again.dockWidgetArea(_dock(again, "Layers")) == Qt.DockWidgetArea.RightDockWidgetArea
    assert _dock(again, "Training").isHidden() and not _dock(again, "Inspector").isHidden()
    assert (again.width(), again.height()) == (770, 590)
    assert style.current() is DARK and again.theme_menu.theme_actions["dark"].isChecked()
    assert _window_colour() == QColor(DARK_ROLES[Role.Window])
    assert [a.text() for a in again.recent_menu.actions()] == ["second.laegna", "first.laegna"]
    again.recent_menu.actions()[1].trigger()
    assert again.document.path.name == "first.laegna"
    asked: list[str] = []
    monkeypatch.setattr(file_controller.QFileDialog, "getOpenFileName",
                        lambda parent, title, start, filters: (asked.append(start), ("", ""))[1])
    assert not again.files.open()  # the real dialog hook, cancelled
    assert asked == [str(folder.resolve())]


CORRUPT = {
    "binary junk": b"\x00\xff\xfe[window\n\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "wrong values": (b"[window]\ngeometry=@ByteArray(\\x1\\x2 not a geometry)\nstate=12\n"
                     b"[appearance]\ntheme=purple\n[General]\nrecent=@Variant(\\0\\0\\0\\x7f\\0\\0)\n"
                     b"last_folder=@Invalid()\n"),
}


@pytest.mark.parametrize("content", CORRUPT.values(), ids=CORRUPT.keys())
def test_a_corrupt_settings_file_does_not_stop_start_up(qtbot, content):
    (data_dir() / "settings.ini").write_bytes(content)
    win = _start(qtbot)
    assert win.isVisible() and (win.width(), win.height()) == (1400, 860)  # the first-start size
    assert style.current() is LIGHT and win.theme_menu.theme_actions["light"].isChecked()
    assert not win.recent_menu.isEnabled()
    win.theme_menu.theme_actions["dark"].trigger()  # and the file can be written again
    win.close()
    assert settings().value("appearance/theme") == "dark"


def test_a_settings_folder_that_is_a_directory_does_not_stop_start_up(qtbot):
    (data_dir() / "settings.ini").mkdir()
    win = _start(qtbot)
    assert style.current() is LIGHT and not win.recent_menu.isEnabled()
    win.close()


# --- the theme ------------------------------------------------------------------
def _mode(image) -> QColor:
    """The most common colour of an image: a view's background."""
    rgb = pixels(image).reshape(-1, 3)
    colours, counts = np.unique(rgb, axis=0, return_counts=True)
    return QColor(*(int(v) for v in colours[counts.argmax()]))


def test_switching_the_theme_recolours_the_app_plots_and_canvas_and_is_remembered(window, qtbot):
    loss_plot = window.findChild(object, "lossPlot")
    counter = window.findChild(QLabel, "iterationCounter")
    assert loss_plot.backgroundBrush().color() == LIGHT.canvas_background
    window.findChild(object, "action_theme_dark").trigger()
    assert settings().value("appearance/theme") == "dark"
    assert _window_colour() == QColor(DARK_ROLES[Role.Window])
    assert loss_plot.backgroundBrush().color() == DARK.canvas_background
    assert loss_plot.getAxis("left").textPen().color() == DARK.muted_text
    assert counter.palette().color(Role.WindowText) == DARK.text  # styled labels take the palette too
    qtbot.waitUntil(lambda: _mode(window.canvas.viewport().grab().toImage()) == DARK.canvas_background)
    assert window.findChild(object, "action_theme_dark").isChecked()

    window.findChild(object, "action_theme_light").trigger()
    assert settings().value("appearance/theme") == "light"
    assert _window_colour() == qt_palette(LIGHT).color(Role.Window)
    assert loss_plot.backgroundBrush().color() == LIGHT.canvas_background
    qtbot.waitUntil(lambda: _mode(window.canvas.viewport().grab().toImage()) == LIGHT.canvas_background)


def test_data_colours_are_the_same_in_both_themes(window):
    before = [diverging(t).name() for t in (-1, -0.5, 0, 0.5, 1)] + [style.class_color(k).name() for k in range(4)]
    apply_theme("dark")
    after = [diverging(t).name() for t in (-1, -0.5, 0, 0.5, 1)] + [style.class_color(k).name() for k in range(4)]
    assert before == after
    assert style.TEXT == DARK.text and style.CANVAS_BACKGROUND == DARK.canvas_background

