"""Colour tables and plot styling shared by the training views."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from laegna_gui.ui import style
from laegna_gui.ui.training.views.growing_plot import QuietAxis, follow_plot

LUT_SIZE = 256
VIEW_WIDTH, VIEW_HEIGHT = 420, 280  # the size each view is designed for (a bottom dock)
BACKGROUND_LIGHTEN = 0.5  # the boundary image is paler than the points drawn on it
POINT_OUTLINE = QColor("#1f2933")


def rgb(color: QColor) -> np.ndarray:
    return np.array([color.red(), color.green(), color.blue()], dtype=float)


def lighten(colors: np.ndarray, amount: float = BACKGROUND_LIGHTEN) -> np.ndarray:
    """Mix RGB values (0…255, any leading shape) towards white."""
    return colors + (255.0 - colors) * amount


def diverging_lut(lightened: float = 0.0) -> np.ndarray:
    """(256, 3) uint8: orange for the lowest level, neutral in the middle, blue for the highest."""
    table = np.array([rgb(style.diverging(t)) for t in np.linspace(-1.0, 1.0, LUT_SIZE)])
    return np.rint(lighten(table, lightened)).astype(np.ubyte)


def symmetric_scale(*arrays: np.ndarray) -> float:
    """The largest finite |value|, so that 0 sits in the neutral middle of a diverging scale."""
    peaks = [float(np.max(np.abs(a[np.isfinite(a)]), initial=0.0)) for a in arrays if np.size(a)]
    return max(peaks, default=0.0) or 1e-12


def style_plot(plot: pg.PlotWidget, object_name: str, tooltip: str, zoomable: bool = False) -> pg.PlotWidget:
    """Quiet axes and no context menu: a plot that reads at 300 px tall. A `zoomable` plot keeps
    pyqtgraph's small "A" button, which returns to following the data after a zoom."""
    plot.setObjectName(object_name)
    plot.setToolTip(tooltip)
    plot.setBackground(style.CANVAS_BACKGROUND)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=zoomable, y=zoomable)
    if not zoomable:
        plot.hideButtons()
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setPen(style.MUTED_TEXT)
        axis.setTextPen(style.MUTED_TEXT)
    return plot


def label_style() -> dict[str, str]:
    return {"color": style.MUTED_TEXT.name(), "font-size": "8pt"}


def series_color(index: int) -> QColor:
    """Distinct colours for the per-layer curves, starting with blue."""
    return style.class_color(index + 1)


class LogAxis(QuietAxis):
    """In log mode, labels only 1, 2 and 5 times a power of ten, so a short axis stays readable."""

    def logTickStrings(self, values, scale, spacing):  # noqa: N802 — pyqtgraph override
        strings = super().logTickStrings(values, scale, spacing)
        return [text if _round_mantissa(value) else "" for value, text in zip(values, strings)]


def _round_mantissa(log_value: float) -> bool:
    mantissa = 10 ** (log_value - np.floor(log_value + 1e-9))
    return any(abs(mantissa - m) < 1e-6 for m in (1.0, 2.0, 5.0))


def log_plot() -> pg.PlotWidget:
    """A plot whose left axis can go logarithmic without a crowd of labels."""
    plot = follow_plot(LogAxis)
    plot.getAxis("left").enableAutoSIPrefix(False)
    return plot
