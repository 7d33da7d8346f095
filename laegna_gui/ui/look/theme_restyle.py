"""Carry a theme into the application: one style sheet for the widgets, one function for the plots.

`get_stylesheet(theme)` fills the template resources/themes/laegna.qss with the theme's
colours (napari's `get_stylesheet` is the model); widgets that need a special colour take a
role (`style.set_role(label, "muted")`) that the template colours. `theme_plot(view)` gives a
pyqtgraph view the theme's background, axes, titles and legend; every plot calls it when it is
made, and `restyle_all` calls it again for every plot after a switch, along with the themed
button icons and a repaint of the canvases. Data colours (the orange/blue pictures, curves,
points) are never touched, so they mean the same thing in every theme.

The walk runs with the garbage collector paused. Qt hands back the widgets as raw pointers
that PySide wraps one at a time; a collection in between (on this thread or the training
thread) can free a widget kept alive only by a reference cycle (a closed panel, a plot
dropped by its owner), and the next pointer would then be wrapped after it was freed: a
segfault. Paused, every widget in the list stays alive until the walk is over.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from laegna_gui.core.resources import resource
from laegna_gui.ui.look import style
from laegna_gui.ui.look.style import Theme
from laegna_gui.ui.look.theme_icons import refresh_icon

_SLOT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
LEGEND_ALPHA = 200  # a legend's box: the plot's background, a little see-through
LINE_ROLES = {"muted": "muted_text", "error": "error_text"}  # an InfiniteLine's role → its Theme colour


@cache
def _template() -> str:
    return resource("themes", "laegna.qss").read_text(encoding="utf-8")


def stylesheet_slots(theme: Theme) -> dict[str, str]:
    """What the template's {{ slots }} are filled with: the theme's colours, the data colours
    the banners use, and the paths of the indicator images."""
    return {**theme.slots(), "negative": style.NEGATIVE.name(),
            "check_icon": resource("icons", "check.svg").as_posix(),
            "partial_icon": resource("icons", "partial.svg").as_posix()}


def get_stylesheet(theme: Theme) -> str:
    """The application's style sheet for `theme`."""
    slots = stylesheet_slots(theme)

    def fill(match: re.Match) -> str:
        if match.group(1) not in slots:
            raise KeyError(f"laegna.qss names {{{{ {match.group(1)} }}}}, which is no colour of a theme")
        return slots[match.group(1)]
    return _SLOT.sub(fill, _template())


def theme_plot(view: pg.GraphicsView, theme: Theme | None = None) -> None:
    """The theme's surroundings on a pyqtgraph view: background, axes (lines, ticks, labels),
    titles, legends, frames, and lines that carry a role (`line.setProperty("role", "muted")`).
    Data items keep their colours."""
    theme = theme or style.current()
    view.setBackground(theme.canvas_background)
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            item.setPen(theme.muted_text)
            item.setTextPen(theme.muted_text)  # pyqtgraph colours the axis label with it too
        elif isinstance(item, pg.LegendItem):
            _theme_legend(item, theme)
        elif isinstance(item, pg.LabelItem):
            item.setText(item.text, color=theme.text.name())
        elif isinstance(item, pg.ViewBox) and item.border is not None and item.border.style() != Qt.PenStyle.NoPen:
            item.setBorder(pg.mkPen(theme.grid))  # a heatmap's frame
        elif isinstance(item, pg.InfiniteLine) and item.property("role") in LINE_ROLES:
            _theme_line(item, getattr(theme, LINE_ROLES[item.property("role")]))


def _theme_line(line: pg.InfiniteLine, colour: QColor) -> None:
    """A cursor or a mark: its dashes kept, its colour (and its label's) the theme's."""
    pen = QPen(line.pen)
    pen.setColor(colour)
    line.setPen(pen)
    if isinstance(getattr(line, "label", None), pg.TextItem):
        line.label.setColor(colour)


def _theme_legend(legend: pg.LegendItem, theme: Theme) -> None:
    legend.setLabelTextColor(theme.text)
    ground = QColor(theme.canvas_background)
    ground.setAlpha(LEGEND_ALPHA)
    legend.setBrush(pg.mkBrush(ground))


def restyle_all(theme: Theme) -> None:
    """Give every live plot, themed icon and canvas the theme `theme`."""
    with collector_paused():
        for widget in QApplication.allWidgets():
            if shiboken6.isValid(widget):  # one restyled earlier in the walk may have deleted it
                _restyle_widget(widget, theme)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection (in any thread) inside the block: see the module docstring."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _restyle_widget(widget: QWidget, theme: Theme) -> None:
    refresh_icon(widget, theme)
    if isinstance(widget, pg.GraphicsView):
        theme_plot(widget, theme)
    if isinstance(widget, QGraphicsView):
        widget.resetCachedContent()
        if widget.scene() is not None:
            widget.scene().update()
        widget.viewport().update()
