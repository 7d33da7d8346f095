"""What the curves of a training run show besides the curves themselves: where the run
diverged (a labelled vertical line) and that the network is not valid now (the curves
greyed, so old numbers are not read as current ones)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from laegna_gui.ui.look import style
from laegna_gui.ui.training.live_state import LiveState

GREYED_OPACITY = 0.3


def divergence_line(label: bool) -> pg.InfiniteLine:
    """A dashed vertical line in the error colour; `label`: it says where it is."""
    error = style.current().error_text  # theme_plot re-tints a line of this role on a switch
    pen = pg.mkPen(error, width=1.5, style=Qt.PenStyle.DashLine)
    line = pg.InfiniteLine(angle=90, movable=False, pen=pen)
    line.setProperty("role", "error")
    line.label = None
    if label:
        line.label = pg.InfLineLabel(line, text="diverged at step {value:,.0f}", position=0.92,
                                     anchors=[(1, 0), (1, 0)], color=error)
    line.setVisible(False)
    return line


class RunMarks:
    """The marks over some plots (the first one's divergence line carries the label)."""

    def __init__(self, plots: list[pg.PlotWidget]) -> None:
        self.plots = plots
        self.lines = [divergence_line(label=i == 0) for i in range(len(plots))]
        for plot, line in zip(plots, self.lines):
            plot.addItem(line, ignoreBounds=True)  # the range takes the step in on its own terms
        self.diverged_at: int | None = None
        self.greyed = False

    def changed(self, state: LiveState) -> bool:
        return (state.diverged_at, not state.valid) != (self.diverged_at, self.greyed)

    def show(self, state: LiveState) -> None:
        self.diverged_at, self.greyed = state.diverged_at, not state.valid
        for line in self.lines:
            line.setVisible(self.diverged_at is not None)  # first: a hidden line's label does not follow it
            if self.diverged_at is not None:
                line.setPos(self.diverged_at)
                if line.label is not None:
                    line.label.valueChanged()
        for plot in self.plots:
            for item in plot.getPlotItem().listDataItems():
                item.setOpacity(GREYED_OPACITY if self.greyed else 1.0)

    def steps(self, bounds: tuple[float, float] | None) -> tuple[float, float] | None:
        """The steps a plot shows: the data's, and the step that diverged."""
        at = self.diverged_at
        if at is None:
            return bounds
        return (min(bounds[0], at), max(bounds[1], at)) if bounds else (float(at), float(at) + 1.0)
