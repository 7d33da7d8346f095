"""Carry a theme switch into widgets that were coloured when they were built.

Views read `style.current()` (or `style.TEXT`…) when they build a plot, a label or a style
sheet. After a switch, this walks the live widgets and swaps any colour of another theme's
surroundings for the new theme's: plot backgrounds, axes, legends, plot titles, ViewBox
frames and the colours inside widget style sheets. Data colours are never in the table,
so orange/blue pictures are left alone, and a badge that paints its own background (the
training banner, a warning) keeps its colours.

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

import pyqtgraph as pg
import shiboken6
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QGraphicsView, QWidget

from laegna_gui.ui.style import THEMES, Theme

# the Theme fields that colour surroundings and may appear in a view's style sheet or plot
SWAPPED = ("canvas_background", "grid", "text", "muted_text", "error_text")
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;}]+)", re.IGNORECASE)


def colour_table(new: Theme) -> dict[str, QColor]:
    """'#rrggbb' of every other theme's surrounding colour → the new theme's colour in that role."""
    table: dict[str, QColor] = {}
    for other in THEMES.values():
        if other is new:
            continue
        for role in SWAPPED:
            table.setdefault(getattr(other, role).name(), getattr(new, role))
    return table


def restyle_all(new: Theme) -> None:
    """Swap old theme colours for `new` in every live widget, then repaint the canvases."""
    table = colour_table(new)
    with collector_paused():
        for widget in QApplication.allWidgets():
            if shiboken6.isValid(widget):  # one restyled earlier in the walk may have deleted it
                _restyle_widget(widget, table, new)


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


def _restyle_widget(widget: QWidget, table: dict[str, QColor], new: Theme) -> None:
    _restyle_sheet(widget, table)
    if isinstance(widget, pg.GraphicsView):
        _restyle_plot(widget, table, new)
    if isinstance(widget, QGraphicsView):
        widget.resetCachedContent()
        if widget.scene() is not None:
            widget.scene().update()
        widget.viewport().update()


def swap_sheet(sheet: str, table: dict[str, QColor]) -> str:
    """The style sheet with its theme colours swapped; unchanged if it paints its own background."""
    for value in _BACKGROUND.findall(sheet):
        value = value.strip().lower()
        if value not in table and value not in ("transparent", "none") and value not in _new_names(table):
            return sheet
    return _HEX.sub(lambda m: table[m.group(0).lower()].name() if m.group(0).lower() in table else m.group(0),
                    sheet)


def _new_names(table: dict[str, QColor]) -> set[str]:
    return {colour.name() for colour in table.values()}


def _restyle_sheet(widget: QWidget, table: dict[str, QColor]) -> None:
    sheet = widget.styleSheet()
    if sheet:  # set even when unchanged: a widget with a style sheet takes a new palette only when repolished
        widget.setStyleSheet(swap_sheet(sheet, table))


def _swap(colour: QColor, table: dict[str, QColor]) -> QColor | None:
    return table.get(colour.name())


def _restyle_plot(view: pg.GraphicsView, table: dict[str, QColor], new: Theme) -> None:
    background = _swap(view.backgroundBrush().color(), table)
    if background is not None:
        view.setBackground(background)
    for item in view.scene().items():
        if isinstance(item, pg.AxisItem):
            _restyle_axis(item, table)
        elif isinstance(item, pg.LegendItem):
            _restyle_legend(item, table, new)
        elif isinstance(item, pg.LabelItem) and item.opts.get("color") is not None:
            colour = _swap(pg.mkColor(item.opts["color"]), table)
            if colour is not None:
                item.setText(item.text, color=colour.name())
        elif isinstance(item, pg.ViewBox) and item.border is not None:
            colour = _swap(item.border.color(), table)
            if colour is not None:
                item.setBorder(pg.mkPen(colour))


def _restyle_legend(legend: pg.LegendItem, table: dict[str, QColor], new: Theme) -> None:
    colour = _swap(pg.mkColor(legend.opts["labelTextColor"] or "k"), table)
    if colour is not None:
        legend.setLabelTextColor(colour)
    brush = legend.brush().color()
    if brush.alpha() > 0:  # a legend's box is background: the plot's, keeping its see-through
        ground = QColor(new.canvas_background)
        ground.setAlpha(brush.alpha())
        legend.setBrush(pg.mkBrush(ground))


def _restyle_axis(axis: pg.AxisItem, table: dict[str, QColor]) -> None:
    pen = _swap(axis.pen().color(), table)
    if pen is not None:
        axis.setPen(pen)
    text = _swap(axis.textPen().color(), table)
    if text is not None:
        axis.setTextPen(text)
