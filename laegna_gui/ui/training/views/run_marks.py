"""What the curves of a training run show besides the curves themselves: where the run
diverged (a labelled vertical line), the recorded moment the views show when the user went
back in time (a solid labelled line), and that the network is not valid now (the curves
greyed, so old numbers are not read as current ones), and the live-view part the two
history views share."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from laegna_gui.ui.look import style
from laegna_gui.core.history import History
from laegna_gui.ui.training.live_state import LiveState, Part

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


def moment_line(label: bool) -> pg.InfiniteLine:
    """A solid vertical line at the recorded moment on show; `label`: it says which step."""
    color = style.current().muted_text  # theme_plot re-tints a line of this role on a switch
    line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(color, width=2))
    line.setProperty("role", "muted")
    line.label = None
    if label:
        line.label = pg.InfLineLabel(line, text="step {value:,.0f}", position=0.75, anchors=[(0, 0), (0, 0)],
                                     color=color)
    line.setVisible(False)
    return line


class RunMarks:
    """The marks over some plots (the first one's divergence line carries the label)."""

    def __init__(self, plots: list[pg.PlotWidget]) -> None:
        self.plots = plots
        self.lines = [divergence_line(label=i == 0) for i in range(len(plots))]
        self.moment_lines = [moment_line(label=i == 0) for i in range(len(plots))]
        for plot, line, moment in zip(plots, self.lines, self.moment_lines):
            plot.addItem(line, ignoreBounds=True)  # the range takes the step in on its own terms
            plot.addItem(moment, ignoreBounds=True)
        self.diverged_at: int | None = None
        self.moment: int | None = None
        self.greyed = False

    def changed(self, state: LiveState) -> bool:
        return (state.diverged_at, state.moment, not state.valid) != (self.diverged_at, self.moment, self.greyed)

    def show(self, state: LiveState) -> None:
        self.diverged_at, self.moment, self.greyed = state.diverged_at, state.moment, not state.valid
        for lines, at in ((self.lines, self.diverged_at), (self.moment_lines, self.moment)):
            for line in lines:
                line.setVisible(at is not None)  # first: a hidden line's label does not follow it
                if at is not None:
                    line.setPos(at)
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


class MarkedHistoryView:
    """What the loss curves and the gradient plots share: as live views they draw the run's
    history in parts (`history_parts`, one plot per turn of the event loop), plus their own
    `extra_parts`, and move their run marks when the run diverges or the network turns
    invalid; `marks_moved` then refits the plots."""

    marks: RunMarks
    _invalid: str = ""  # why there is no valid network, "" when there is one

    def history_parts(self, history: History) -> list[Part]:
        raise NotImplementedError

    def extra_parts(self, state: LiveState) -> list[Part]:
        return []

    def marks_moved(self) -> None:
        raise NotImplementedError

    def draw_parts(self, state: LiveState) -> list[Part]:
        parts = self.history_parts(state.history) + self.extra_parts(state)
        if self.marks.changed(state):
            parts.append(lambda: self._show_marks(state))
        return parts

    def _show_marks(self, state: LiveState) -> None:
        self.marks.show(state)
        self._invalid = "" if state.valid else state.invalid_text
        self.marks_moved()

    def show_history(self, history: History) -> None:
        for part in self.history_parts(history):
            part()
