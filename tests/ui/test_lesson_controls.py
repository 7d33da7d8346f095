"""A lesson step points at a control by name: every name is found in the real window, and
highlighting one brings it into view (a closed dock opened, its tab selected, scrolled to) and
outlines it — an outline that covers it, follows it, lets clicks through and reads in both themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QScrollArea, QWidget
from window_helpers import open_window

from laegna_gui.core.lesson_words import CONTROLS
from laegna_gui.ui.lessons import controls
from laegna_gui.ui.lessons.outline import current_outline
from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme import apply_theme


@pytest.fixture
def win(qtbot):
    window = open_window(qtbot)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    return window


def _in_window(window, widget: QWidget, rect: QRect | None = None) -> QRect:
    rect = widget.rect() if rect is None else rect
    return QRect(widget.mapTo(window, rect.topLeft()), rect.size())


def _outlined(qtbot, window, rect: QRect):
    """Wait for the outline to cover `rect` (in the window's coordinates, as far as the window shows it)."""
    wanted = rect & window.rect()
    qtbot.waitUntil(lambda: current_outline(window) is not None and current_outline(window).isVisible()
                    and current_outline(window).geometry().contains(wanted))
    return current_outline(window)


def test_every_control_a_lesson_may_name_is_one_widget_in_the_window(win):
    assert set(controls.PLACES) == set(CONTROLS)
    for name in CONTROLS:
        widget = controls.find_control(win, name)
        assert isinstance(widget, QWidget), name
        for object_name in controls.PLACES[name][1]:  # one widget of that name: never the wrong one
            assert len({id(w) for w in win.findChildren(QWidget, object_name)}) == 1, (name, object_name)
        assert controls.parts(win, name) and controls.spots(win, name), name
    with pytest.raises(ValueError, match="not a control"):
        controls.find_control(win, "play-button")


def test_a_setting_is_found_with_its_label(win):
    labels = {name: [w.text() for w in controls.parts(win, name) if hasattr(w, "text")]
              for name in ("learning-rate", "regularization", "clipping")}
    assert labels == {"learning-rate": ["Learning rate"], "regularization": ["Regularization", "Reg. rate"],
                      "clipping": ["Clip gradients"]}


def test_highlighting_a_closed_dock_opens_it_and_outlines_it(qtbot, win):
    inspector = controls.find_control(win, "inspector")
    inspector.close()
    qtbot.waitUntil(lambda: not inspector.isVisible())
    controls.highlight(win, "inspector")
    qtbot.waitUntil(inspector.isVisible)
    outline = _outlined(qtbot, win, _in_window(win, inspector))
    assert outline.parentWidget() is win


def test_highlighting_a_tab_selects_it_and_outlines_its_button(qtbot, win):
    tabs = win.training.tabs
    assert tabs.currentWidget() is not win.training.gradients
    controls.highlight(win, "gradients-tab")
    assert tabs.currentWidget() is win.training.gradients
    button = _in_window(win, tabs.tabBar(), tabs.tabBar().tabRect(tabs.indexOf(win.training.gradients)))
    outline = _outlined(qtbot, win, button)
    assert outline.width() < button.width() + 30 and outline.height() < button.height() + 30  # the button, not the page


def test_highlighting_a_central_tab_and_the_canvas(qtbot, win):
    controls.highlight(win, "layer-space-tab")
    assert win.tabs.current_view() is win.tabs.space
    controls.highlight(win, "canvas")  # on another tab: brought back, and outlined whole
    assert win.tabs.current_view() is win.canvas
    _outlined(qtbot, win, _in_window(win, win.canvas))


def test_highlighting_the_experiment_menu_outlines_its_title(qtbot, win):
    bar = win.menuBar()
    menu = controls.find_control(win, "experiment-menu")
    controls.highlight(win, "experiment-menu")
    title = _in_window(win, bar, bar.actionGeometry(menu.menuAction()))
    assert menu.title().replace("&", "") == "Experiment" and not title.isEmpty()
    _outlined(qtbot, win, title)


def test_highlighting_a_setting_scrolls_the_controls_to_it(qtbot, win):
    scroll = win.findChild(QScrollArea, "controlsScroll")
    scroll.setMaximumHeight(90)  # a panel too short for the settings: they scroll
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
    scroll.verticalScrollBar().setValue(0)
    editor = controls.find_control(win, "clipping")
    controls.highlight(win, "clipping")
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().value() > 0)
    viewport = _in_window(win, scroll.viewport())
    assert viewport.contains(_in_window(win, editor))
    _outlined(qtbot, win, _in_window(win, editor))


def test_the_outline_follows_its_control_hides_with_it_and_is_cleared(qtbot, win):
    play = controls.find_control(win, "play")
    controls.highlight(win, "play")
    _outlined(qtbot, win, _in_window(win, play))
    win.resize(1100, 700)  # the button moves
    qtbot.waitUntil(lambda: _in_window(win, play) & win.rect() != QRect()
                    and current_outline(win).geometry().contains(_in_window(win, play)))
    training = controls.find_control(win, "training")
    training.close()
    qtbot.waitUntil(lambda: not current_outline(win).isVisible())
    training.show()
    _outlined(qtbot, win, _in_window(win, play))
    controls.clear_highlight(win)
    assert current_outline(win) is None


def test_clicks_pass_through_the_outline(qtbot, win):
    play = controls.find_control(win, "play")
    controls.highlight(win, "play")
    outline = _outlined(qtbot, win, _in_window(win, play))
    edge = outline.geometry().topLeft() + QPoint(outline.width() // 2, 5)  # on the frame, over the button's row
    assert win.childAt(edge) is not outline
    assert win.childAt(_in_window(win, play).center()) is play


def _line_colour(window, outline) -> QColor:
    """The colour drawn in the middle of the outline's top line."""
    image = window.grab().toImage()
    point = outline.geometry().topLeft() + QPoint(outline.width() // 2, 3)
    return image.pixelColor(point * window.devicePixelRatioF())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_outline_is_drawn_in_the_themes_accent_and_reads_on_its_window(qtbot, win, theme):
    try:
        apply_theme(theme)
        accent, window_colour = style.current().link, style.current().window
        assert style.contrast_ratio(accent, window_colour) >= 3  # a visible frame (WCAG non-text contrast)
        controls.highlight(win, "reset")
        outline = _outlined(qtbot, win, _in_window(win, controls.find_control(win, "reset")))
        drawn = _line_colour(win, outline)
        assert max(abs(drawn.red() - accent.red()), abs(drawn.green() - accent.green()),
                   abs(drawn.blue() - accent.blue())) < 40, (drawn.name(), accent.name())
    finally:
        apply_theme("light")


def test_outlines_outlive_the_old_outline_and_a_closed_dialog(win):
    """Next, a while, Next again: the previous outline (and a dialog closed meanwhile) has been
    deleted by then, and moving on must not touch it."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QDialog

    controls.highlight(win, "canvas")
    controls.highlight(win, "play")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    dialog = QDialog(win)
    dialog.show()
    controls.highlight(win, "step")
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    controls.clear_highlight(win)
    controls.highlight(win, "reset")
    assert current_outline(win) is not None and current_outline(win).isVisible()
