"""Room for a plot's left axis title, so it never runs into the tick labels or off the plot.

Linked plots (loss over accuracy, gradient norms over dead units) share one left-axis width,
so their steps line up; a fixed width too narrow for "100 %" beside the rotated title made
the two collide. `align_left_axes` gives them the width pyqtgraph itself would need for the
widest tick label plus the title, and `keep_title_whole` keeps a plot at least as tall as its
rotated title is long."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

WIDEST_TICKS = ("100 %", "0.001", "1e-05", "-0.05")  # the widest labels these plots' ticks take
TITLE_MARGIN = 6  # pixels kept free around a title, along the axis


def _room(axis: pg.AxisItem) -> float:
    """The width pyqtgraph's AxisItem needs for the widest tick label and the title beside it."""
    metrics = QFontMetricsF(axis.style["tickFont"] or axis.font())
    text = max(metrics.horizontalAdvance(tick) for tick in WIDEST_TICKS)
    title = axis.label.boundingRect().height() * 0.8 if axis.label.isVisible() else 0.0
    return text + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"]) + title + 2


def align_left_axes(*plots: pg.PlotWidget) -> None:
    """One left-axis width for all of `plots`: room for the widest tick label beside the title;
    and room above each plot (and below one without a bottom axis) for half a tick label, so
    a tick at the top or bottom edge is not cut off."""
    width = math.ceil(max(_room(plot.getAxis("left")) for plot in plots))
    for plot in plots:
        axis = plot.getAxis("left")
        axis.setWidth(width)
        half = math.ceil(QFontMetricsF(axis.style["tickFont"] or axis.font()).height() / 2)
        below = 1 if plot.getAxis("bottom").isVisible() else half
        plot.getPlotItem().layout.setContentsMargins(1, half, 1, below)


def keep_title_whole(plot: pg.PlotWidget) -> None:
    """At least as tall as the left axis title is long (plus the bottom axis, when shown)."""
    axis, bottom = plot.getAxis("left"), plot.getAxis("bottom")
    length = axis.label.boundingRect().width() if axis.label.isVisible() else 0.0
    below = bottom.minimumHeight() if bottom.isVisible() else 0.0
    plot.setMinimumHeight(math.ceil(length + below + 2 * TITLE_MARGIN))
