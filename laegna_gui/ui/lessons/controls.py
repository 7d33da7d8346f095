"""The window's controls by the names lessons use (lesson_words.CONTROLS): which widgets make
each one up, how to bring it into view, and what an outline goes around.

Everything is found by object name, so a control moved to another panel is still found; the
test opens a real window and finds every name. A control is one of five kinds: a dock, a
widget (a button, the timeline), a field (its editor, with its label and "?" button), a tab
(outlined at its button; its page is the control) or a page (the canvas: outlined whole) —
or a menu (outlined at its title in the menu bar)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDockWidget, QGridLayout, QLayout, QMainWindow, QMenu, QScrollArea, QStackedWidget, QTabWidget, QWidget,
)

from laegna_gui.core.lesson_words import CONTROLS
from laegna_gui.ui.lessons.outline import Spot, remove_outline, show_outline

# name: (kind, object names); a field's first name is its editor, more are fields shown with it
PLACES: dict[str, tuple[str, tuple[str, ...]]] = {
    "palette": ("dock", ("dockLayers",)),
    "canvas": ("page", ("canvasView",)),
    "dataset": ("dock", ("dockDataset",)),
    "inspector": ("dock", ("dockInspector",)),
    "output": ("dock", ("dockOutput",)),
    "training": ("dock", ("dockTraining",)),
    "play": ("widget", ("playButton",)),
    "step": ("widget", ("stepButton",)),
    "reset": ("widget", ("resetButton",)),
    "timeline": ("widget", ("timeline",)),
    "optimizer": ("field", ("optimizer",)),
    "learning-rate": ("field", ("learningRate",)),
    "batch-size": ("field", ("batchSize",)),
    "loss": ("field", ("loss",)),
    "regularization": ("field", ("regularization", "regRate")),
    "clipping": ("field", ("clipNorm",)),  # its label is the on/off box
    "loss-tab": ("tab", ("curvesView",)),
    "weights-tab": ("tab", ("weightsView",)),
    "gradients-tab": ("tab", ("gradientsView",)),
    "step-tab": ("tab", ("stepView",)),
    "layer-space-tab": ("tab", ("layerSpaceViewScroll",)),
    "landscape-tab": ("tab", ("landscapeViewScroll",)),
    "transform-lab": ("tab", ("transformLabScroll",)),
    "experiment-menu": ("menu", ("menuExperiment",)),
}
FIELDS_UNDER = "trainingControls"  # field names such as "loss" are only unique in there


def kind(name: str) -> str:
    if name not in CONTROLS:
        raise ValueError(f"{name!r} is not a control; the controls are {', '.join(CONTROLS)}")
    return PLACES[name][0]


def _named(root: QWidget, name: str) -> QWidget:
    found = root.findChild(QWidget, name) or root.findChild(QMenu, name)
    if found is None:
        raise LookupError(f"the window has no widget named {name!r}")
    return found


def _widgets(window: QMainWindow, name: str) -> list[QWidget]:
    root = _named(window, FIELDS_UNDER) if kind(name) == "field" else window
    return [_named(root, object_name) for object_name in PLACES[name][1]]


def find_control(window: QMainWindow, name: str) -> QWidget:
    """The control `name`: its dock, button, editor, tab page or menu."""
    return _widgets(window, name)[0]


def _layout_holding(layout: QLayout | None, widget: QWidget) -> QLayout | None:
    """The layout, among `layout` and those nested in it, that holds `widget` itself."""
    if layout is None or layout.indexOf(widget) >= 0:
        return layout
    nested = (layout.itemAt(i).layout() for i in range(layout.count()))
    return next((found for found in (_layout_holding(n, widget) for n in nested if n) if found), None)


def field_parts(editor: QWidget) -> list[QWidget]:
    """A setting's label and its row (the editor with its "?"), as laid out in a grid."""
    row = editor.parentWidget()
    grid = _layout_holding(row.parentWidget().layout(), row)
    if not isinstance(grid, QGridLayout):
        return [row]
    line, column, _rows, _columns = grid.getItemPosition(grid.indexOf(row))
    label = grid.itemAtPosition(line, column - 1) if column > 0 else None
    return [label.widget(), row] if label is not None and label.widget() is not None else [row]


def parts(window: QMainWindow, name: str) -> list[QWidget]:
    """Every widget that shows the control: a field's labels and "?" buttons too."""
    widgets = _widgets(window, name)
    if kind(name) == "field":
        return [part for editor in widgets for part in field_parts(editor)]
    return widgets


def tab_of(page: QWidget) -> tuple[QTabWidget, int] | None:
    """The tab widget whose page `page` is, and the page's index; None when it is no tab's page."""
    stack = page.parentWidget()
    tabs = stack.parentWidget() if isinstance(stack, QStackedWidget) else None
    if isinstance(tabs, QTabWidget) and tabs.indexOf(page) >= 0:
        return tabs, tabs.indexOf(page)
    return None


def spots(window: QMainWindow, name: str) -> list[Spot]:
    """What an outline of the control goes around."""
    what = kind(name)
    if what == "tab":
        page = find_control(window, name)
        tabs = tab_of(page)[0]
        bar = tabs.tabBar()
        return [Spot(bar, lambda: bar.tabRect(tabs.indexOf(page)))]
    if what == "menu":
        menu, bar = find_control(window, name), window.menuBar()
        return [Spot(bar, lambda: bar.actionGeometry(menu.menuAction()))]
    return [Spot(widget) for widget in parts(window, name)]


def _ancestors(widget: QWidget, window: QMainWindow) -> list[QWidget]:
    """`widget` and what holds it, up to (not including) the window."""
    chain = []
    while widget is not None and widget is not window:
        chain.append(widget)
        widget = widget.parentWidget()
    return chain


def _bring_forward(holder: QWidget) -> None:
    """Open a closed dock and raise a tabbed one; select the tab a page is on. A control the
    classroom hides (its dock's toggle disabled, its tab hidden) stays hidden."""
    if isinstance(holder, QDockWidget) and holder.toggleViewAction().isEnabled():
        holder.show()
        holder.raise_()
    place = tab_of(holder)
    if place is not None and place[0].isTabVisible(place[1]):
        place[0].setCurrentIndex(place[1])


def reveal(window: QMainWindow, name: str) -> None:
    """Make the control visible: its dock open and in front, its tab selected, scrolled to."""
    widget = find_control(window, name)
    chain = _ancestors(widget, window)
    for holder in reversed(chain):  # the outermost first: a dock, then the tab inside it
        _bring_forward(holder)
    for holder in chain:
        if isinstance(holder, QScrollArea) and holder.widget() is not widget:
            holder.ensureWidgetVisible(widget)


def highlight(window: QMainWindow, name: str) -> None:
    """Reveal the control and outline it (one control at a time: an earlier outline goes)."""
    reveal(window, name)
    show_outline(window, spots(window, name))


def clear_highlight(window: QMainWindow) -> None:
    remove_outline(window)
