"""Plot styling shared by the training views (the colour scales are in ui/look/colour_scale.py)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.training.views.growing_plot import QuietAxis, follow_plot

VIEW_WIDTH, VIEW_HEIGHT = 420, 280  # the size each view is designed for (a bottom dock)


def symmetric_scale(*arrays: np.ndarray) -> float:
    """The largest finite |value|, so that 0 sits in the neutral middle of a diverging scale."""
    peaks = [float(np.max(np.abs(a[np.isfinite(a)]), initial=0.0)) for a in arrays if np.size(a)]
    return max(peaks, default=0.0) or 1e-12


def style_plot(plot: pg.PlotWidget, object_name: str, tooltip: str, zoomable: bool = False) -> pg.PlotWidget:
    """Quiet axes and no context menu: a plot that reads at 300 px tall. A `zoomable` plot keeps
    pyqtgraph's small "A" button, which returns to following the data after a zoom."""
    plot.setObjectName(object_name)
    plot.setToolTip(tooltip)
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=zoomable, y=zoomable)
    if not zoomable:
        plot.hideButtons()
    theme_plot(plot)
    return plot


def label_style() -> dict[str, str]:
    """An axis label's style: `setLabel(..., **label_style())` (pyqtgraph drops the colour of
    a label set with any other style)."""
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
