"""The loss curves of every run of a race in one plot: test loss solid, train loss dashed,
one colour per run, a legend naming each run's setting; log scale when every loss is positive.

`curves[i]` is (test item, train item) of run i; their xData/yData are the run's curve as
compare.py measured it (pyqtgraph takes the log for drawing)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor

from laegna_gui.engine.compare import Race
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.training.views.plotting import LogAxis, label_style, series_color, style_plot

HINT_WIDTH, HINT_HEIGHT = 640, 360  # px: the landscape beside it; the window grows both when there is room
TIP = "Every run's loss, measured at the same steps: test loss solid, train loss dashed"


def run_colour(index: int) -> QColor:
    """Run `index`'s colour in every picture of a race (its curves, its path on the landscape)."""
    return series_color(index)


class LossCurves(pg.PlotWidget):
    """Made once per race (a finished race does not change)."""

    def __init__(self, race: Race) -> None:
        super().__init__(axisItems={"left": LogAxis(orientation="left")})  # few labels on a log scale
        self.getAxis("left").enableAutoSIPrefix(False)
        style_plot(self, "compareCurves", TIP, zoomable=True)
        self.setMinimumHeight(220)
        self.legend = self.addLegend(offset=(-10, 10))
        self.curves: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        for i, run in enumerate(race.runs):
            colour = run_colour(i)
            steps, train, test = run.curve[:, 0], run.curve[:, 1], run.curve[:, 2]
            solid = self.plot(steps, test, pen=pg.mkPen(colour, width=2.5), name=run.label, antialias=True)
            dashed = self.plot(steps, train, pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine),
                               antialias=True)
            self.curves.append((solid, dashed))
        losses = np.concatenate([run.curve[:, 1:].ravel() for run in race.runs])
        losses = losses[np.isfinite(losses)]
        self.setLogMode(y=bool(losses.size) and bool(losses.min() > 0))
        self.setLabel("bottom", "step", **label_style())
        self.setLabel("left", "loss (solid: test, dashed: train)", **label_style())
        self.setXRange(0, max(race.steps, 1), padding=0.02)
        theme_plot(self)  # the legend too, made after style_plot themed the axes

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: the boundaries below must fit on a laptop screen too
        return QSize(HINT_WIDTH, HINT_HEIGHT)
