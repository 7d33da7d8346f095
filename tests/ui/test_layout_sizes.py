"""The window laid out for the job at the sizes people use (issue 16): every training setting,
dataset control, training button and palette block whole and in view without scrolling, no label cut off,
and the decision boundary the largest live view — at 1280×800, 1400×860 and 1920×1080, in
both themes. A window state saved by an older layout is ignored, not half restored."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QByteArray, QPoint, QRect, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QDockWidget, QLabel, QMainWindow, QMessageBox, QWidget

from laegna_gui.core.presets import load_preset
from laegna_gui.ui.document.paths import settings
from laegna_gui.ui.look.theme import apply_theme

SIZES = [(1280, 800), (1400, 860), (1920, 1080)]
THEMES = ["light", "dark"]
WAIT = 10_000  # ms: only a failing check waits this long


@pytest.fixture(autouse=True)
def _light_afterwards():
    """The theme belongs to the whole application: leave it light for the next test."""
    yield
    apply_theme("light")


def _open(qtbot, size: tuple[int, int], theme: str = "light", remember_layout: bool = False):
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(load_preset("xor"), remember_layout=remember_layout, autosave=False)
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(window)
    apply_theme(theme)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    controller = window.training.controller
    qtbot.waitUntil(lambda: controller.latest is not None, timeout=30_000)  # counters and views filled
    return window


def _controls(window) -> dict[str, QWidget]:
    """Every training setting, button and counter, and every dataset control."""
    training, dataset = window.training.controls, window.dataset_panel
    widgets = {f"setting {key}": editor for key, editor in training.editors.items()}
    widgets |= {f"counter {key}": label for key, label in training.counters.items()}
    for button in (training.play_button, training.step_button, training.epoch_button, training.reset_button):
        widgets[f"button {button.objectName()}"] = button
    for name in ("combo", "variant", "samples", "noise", "split", "split_value", "seed", "import_button",
                 "counts"):
        widgets[f"dataset {name}"] = getattr(dataset, name)
    widgets["dataset draw points"] = dataset.drawing.toggle
    return widgets


def _scrolling_ancestor(widget: QWidget) -> str | None:
    """The name of a scroll area around `widget` that has anything to scroll, if any."""
    node = widget.parentWidget()
    while node is not None:
        if isinstance(node, QAbstractScrollArea):
            for bar in (node.verticalScrollBar(), node.horizontalScrollBar()):
                if bar.maximum() > 0:
                    return node.objectName() or type(node).__name__
        node = node.parentWidget()
    return None


def _not_whole(widget: QWidget, window: QMainWindow) -> str | None:
    """Why `widget` is not fully in view, or None when it is."""
    if not widget.isVisible():
        return "hidden"
    # a scroll area (a plot is one) is covered by its viewport, which is what shows
    shown = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
    if shown.visibleRegion() != QRegion(shown.rect()):
        return f"cut to {shown.visibleRegion().boundingRect()} of {shown.rect()}"
    where = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    if not window.rect().contains(where):
        return f"at {where}, outside the window {window.rect()}"
    scrolling = _scrolling_ancestor(widget)
    return f"inside {scrolling}, which scrolls" if scrolling else None


def _elided(label: QLabel) -> bool:
    """A single-line label narrower or lower than its text."""
    if label.wordWrap() or not label.text():
        return False
    need = label.minimumSizeHint()
    return need.width() > label.width() or need.height() > label.height()


def _assert_whole(widgets: dict[str, QWidget], window) -> None:
    problems = {name: why for name, widget in widgets.items() if (why := _not_whole(widget, window))}
    assert not problems, problems


def _assert_controls_whole(window) -> None:
    _assert_whole(_controls(window), window)


def _assert_no_label_cut(window) -> None:
    cut = {label.text(): (label.minimumSizeHint().width(), label.width())
           for label in window.findChildren(QLabel) if label.isVisible() and _elided(label)}
    assert not cut, cut


def _plot_areas(view: pg.GraphicsView) -> list[int]:
    """The area in pixels of each plot (each visible view box: where the data is drawn) in `view`."""
    boxes = [item for item in view.scene().items() if isinstance(item, pg.ViewBox) and item.isVisible()]
    return [round(box.sceneBoundingRect().width() * box.sceneBoundingRect().height()) for box in boxes]


def _other_plot_areas(window) -> dict[str, list[int]]:
    """The plots of every visible pyqtgraph view but the boundary's own."""
    boundary = window.training.boundary
    return {view.objectName() or type(view).__name__: _plot_areas(view)
            for view in window.findChildren(pg.GraphicsView)
            if view.isVisible() and not boundary.isAncestorOf(view)}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_control_is_whole_and_in_view_without_scrolling(qtbot, size, theme):
    window = _open(qtbot, size, theme)
    qtbot.waitUntil(lambda: _assert_controls_whole(window), timeout=WAIT)
    qtbot.waitUntil(lambda: _assert_palette_whole(window), timeout=WAIT)
    qtbot.waitUntil(lambda: _assert_no_label_cut(window), timeout=WAIT)  # a new text is laid out a turn later


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_boundary_is_the_largest_live_view(qtbot, size, theme):
    window = _open(qtbot, size, theme)
    boundary = window.training.boundary
    tabs = window.training.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.waitUntil(lambda: _assert_largest(window, tabs.tabText(index)), timeout=WAIT)
        qtbot.waitUntil(lambda: _assert_no_label_cut(window), timeout=WAIT)
    assert _not_whole(boundary.show_test, window) is None  # the test points can be shown there
    assert window.dataset_panel.preview.isHidden()  # the data is shown once: in the boundary


def _assert_largest(window, tab: str) -> None:
    plot = window.training.boundary.plot
    assert _not_whole(plot, window) is None
    (area,) = _plot_areas(plot)
    others = _other_plot_areas(window)
    assert all(other < area for areas in others.values() for other in areas), (tab, area, others)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_drawing_opens_a_pad_in_view_and_gives_the_room_back(qtbot, size):
    window = _open(qtbot, size)
    qtbot.waitUntil(lambda: _assert_controls_whole(window), timeout=WAIT)
    panel = window.dataset_panel
    qtbot.mouseClick(panel.drawing.toggle, Qt.MouseButton.LeftButton)
    assert panel.editor.active
    pad = {"pad": panel.preview, "done": panel.drawing.toggle, "clear": panel.drawing.clear,
           "hint": panel.drawing.hint, "dataset": panel.combo}
    qtbot.waitUntil(lambda: _assert_whole(pad, window), timeout=WAIT)
    (x0, x1), (y0, y1) = panel.preview.getViewBox().viewRange()
    data = panel.preview.train_item.getData()
    assert x0 < data[0].min() and data[0].max() < x1 and y0 < data[1].min() and data[1].max() < y1
    qtbot.mouseClick(panel.drawing.clear, Qt.MouseButton.LeftButton)  # "draw at least 2 points" appears
    qtbot.waitUntil(lambda: _assert_whole(pad | {"error": panel.error}, window), timeout=WAIT)
    window.document.undo_stack.undo()
    qtbot.mouseClick(panel.drawing.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.preview.isHidden() and _assert_palette_whole(window), timeout=WAIT)
    _assert_controls_whole(window)


def _assert_palette_whole(window) -> bool:
    """Every block of the palette in view, its list not scrolling."""
    tree = window.palette.tree
    assert tree.verticalScrollBar().maximum() == 0, "the palette scrolls"
    assert _not_whole(tree, window) is None
    return True


def test_the_output_steps_aside_for_the_transform_lab(qtbot):
    """The lab has nothing to show in the output view; it gets the width, and the output comes
    back as it was (and a closed output stays closed)."""
    window = _open(qtbot, (1280, 800))
    output = window.findChild(QDockWidget, "dockOutput")
    qtbot.waitUntil(lambda: _assert_largest(window, "Loss"), timeout=WAIT)
    width = output.width()
    window.tabs.show_view("transform-lab")
    qtbot.waitUntil(lambda: output.isHidden() and window.tabs.width() > 1000, timeout=WAIT)
    window.tabs.show_view("network")
    qtbot.waitUntil(lambda: output.isVisible() and output.width() == width, timeout=WAIT)
    output.close()
    window.tabs.show_view("transform-lab")
    window.tabs.show_view("layer-space")
    assert output.isHidden()


def test_closing_on_the_transform_lab_keeps_the_output_for_next_time(qtbot):
    first = _open(qtbot, (1400, 860), remember_layout=True)
    first.tabs.show_view("transform-lab")
    assert first.findChild(QDockWidget, "dockOutput").isHidden()
    first.close()
    again = _open(qtbot, (1400, 860), remember_layout=True)  # opens on the network
    assert again.findChild(QDockWidget, "dockOutput").isVisible()


def test_a_window_state_saved_by_an_older_layout_is_ignored(qtbot):
    from laegna_gui.ui.main_window import MainWindow

    old = MainWindow(load_preset("xor"), remember_layout=False, autosave=False)
    qtbot.addWidget(old)
    old.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, old.findChild(QDockWidget, "dockLayers"))
    old.findChild(QDockWidget, "dockTraining").hide()
    store = settings()
    store.setValue("window/state", old.saveState())  # an unversioned state, as older versions saved it
    store.setValue("window/geometry", QByteArray())
    store.sync()
    window = _open(qtbot, (1400, 860), remember_layout=True)
    assert window.dockWidgetArea(window.findChild(QDockWidget, "dockLayers")) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.findChild(QDockWidget, "dockTraining").isVisible()
    qtbot.waitUntil(lambda: _assert_controls_whole(window), timeout=WAIT)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_a_divergence_banner_takes_no_room_from_the_controls_or_the_curves(qtbot, size):
    """The banner once sat above the training controls: at 1280×800 they scrolled (batch size cut
    off) and the loss plot shrank to ~40 px. It now sits above the canvas, which has room to give."""
    window = _open(qtbot, size)
    loss = window.training.curves.loss_plot
    qtbot.waitUntil(lambda: _assert_controls_whole(window), timeout=WAIT)
    before = loss.height()
    window.training.banner.show_diverged("training diverged at step 8: the loss became NaN or infinite. "
                                         "The weights from before that step are kept.")
    banner = window.training.banner
    qtbot.waitUntil(lambda: banner.isVisible() and _not_whole(banner.reset_button, window) is None, timeout=WAIT)
    qtbot.waitUntil(lambda: _assert_controls_whole(window), timeout=WAIT)
    qtbot.waitUntil(lambda: _assert_no_label_cut(window), timeout=WAIT)
    assert loss.height() == before
    assert window.centralWidget().isAncestorOf(banner)
