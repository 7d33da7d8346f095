"""Loss and accuracy over training steps: train solid blue, test dashed orange; beside them, for
classification, the per-class errors of the latest step (confusion_view.py)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from laegna_gui.core.history import History
from laegna_gui.ui.look import style
from laegna_gui.ui.training.live_state import LiveState, Part
from laegna_gui.ui.training.views.axis_room import align_left_axes, keep_title_whole
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.training.views.confusion_view import ConfusionView
from laegna_gui.ui.training.views.growing_plot import follow_plot, plot_range, step_range
from laegna_gui.ui.training.views.live_text import LiveText
from laegna_gui.ui.training.views.run_marks import MarkedHistoryView, RunMarks
from laegna_gui.ui.training.views.plotting import (
    VIEW_HEIGHT,
    VIEW_WIDTH,
    label_style,
    log_plot,
    style_plot,
)

TIPS = {
    "loss": "How wrong the network is, on the training points (solid) and on the held-back test points "
            "(dashed); when the test loss rises while the training loss falls, the network is overfitting.",
    "accuracy": "The share of points put in the right class, for training (solid) and test (dashed) data.",
    "log": "A logarithmic loss axis spreads out the small values, so progress stays visible long after "
           "the big early drop.",
    "readout": "The values at the step under the mouse (or the latest ones, or the recorded moment on show).",
}


def _curve(plot: pg.PlotWidget, color, name: str, dashed: bool = False) -> pg.PlotDataItem:
    pen = pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    curve = plot.plot(pen=pen, name=name, antialias=True)
    curve.setDownsampling(auto=True)
    curve.setClipToView(True)
    return curve


def _value(v: float, percent: bool) -> str:
    if math.isinf(v):
        return "overflow"  # a diverged loss
    if not math.isfinite(v):
        return "–"
    return f"{100 * v:.1f} %" if percent else f"{v:.3g}"


class CurvesView(MarkedHistoryView, QWidget):
    """`show_history(history)` redraws when the history changed; `clear()` empties the plots.
    As a live view (`draw_parts`) it also marks where the run diverged and greys the curves
    while the network is not valid, and counts the latest answers in `confusion`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curvesView")
        self._seen: tuple[int, int] | None = None  # (id of the history, its version) last drawn
        self._columns: dict[str, np.ndarray] = {}
        self._accuracy_shown: bool | None = None
        self._build()
        self.log_scale.toggled.connect(self._set_log_scale)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._hovered(p, pos))

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: made for a dock about 300 px tall
        return QSize(VIEW_WIDTH, VIEW_HEIGHT)

    def _build(self) -> None:
        self.loss_plot = style_plot(log_plot(), "lossPlot", TIPS["loss"], zoomable=True)
        self.accuracy_plot = style_plot(follow_plot(), "accuracyPlot", TIPS["accuracy"], zoomable=True)
        self._build_axes()
        self.curves: dict[str, pg.PlotDataItem] = {}
        # one legend serves both plots: they draw train and test alike
        self.loss_plot.addLegend(offset=(-6, 4), labelTextSize="8pt", verSpacing=-6)  # coloured by theme_plot
        for plot, kind in ((self.loss_plot, "loss"), (self.accuracy_plot, "accuracy")):
            self.curves[f"train_{kind}"] = _curve(plot, style.POSITIVE, "train")
            self.curves[f"test_{kind}"] = _curve(plot, style.NEGATIVE, "test", dashed=True)
        self.cursors = [pg.InfiniteLine(angle=90, pen=pg.mkPen(style.MUTED_TEXT, style=Qt.PenStyle.DotLine))
                        for _ in range(2)]
        for plot, line in zip((self.loss_plot, self.accuracy_plot), self.cursors):
            line.setProperty("role", "muted")  # theme_plot recolours it
            plot.addItem(line, ignoreBounds=True)
            line.setVisible(False)
        theme_plot(self.loss_plot)  # the legend, made after style_plot
        self.marks = RunMarks([self.loss_plot, self.accuracy_plot])
        self._invalid = ""  # why the network is not valid (shown instead of the values)
        self.confusion = ConfusionView()
        self._build_layout()

    def _build_axes(self) -> None:
        self.accuracy_plot.setXLink(self.loss_plot)
        self.accuracy_plot.setYRange(0, 1.0, padding=0.04)
        self.accuracy_plot.getAxis("left").setTicks([[(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")]])
        self.accuracy_plot.setMouseEnabled(x=True, y=False)
        self.loss_plot.setLabel("left", "loss", **label_style())
        self.accuracy_plot.setLabel("left", "accuracy", **label_style())
        self.accuracy_plot.setLabel("bottom", "step", **label_style())
        # the same width keeps the linked plots' steps aligned; room for "100 %" beside the title
        align_left_axes(self.loss_plot, self.accuracy_plot)
        for plot in (self.loss_plot, self.accuracy_plot):
            keep_title_whole(plot)

    def _build_layout(self) -> None:
        self.log_scale = QCheckBox("Log scale", objectName="logScale", toolTip=TIPS["log"])
        # a narrow dock wraps the line instead of growing; a new text does not lay the window out again
        self.readout = LiveText("curvesReadout", TIPS["readout"])
        self.readout.setContentsMargins(4, 0, 4, 0)
        options = QHBoxLayout()  # below the plots, like the boundary view's options
        options.setContentsMargins(4, 0, 4, 0)
        options.addWidget(self.log_scale)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        plots = QVBoxLayout()
        plots.setSpacing(2)
        plots.addWidget(self.loss_plot, 3)
        plots.addWidget(self.accuracy_plot, 2)
        row = QHBoxLayout()  # the matrix beside both plots, so their step axes stay aligned
        row.setSpacing(4)
        row.addLayout(plots, 1)
        row.addWidget(self.confusion)
        layout.addWidget(self.readout)
        layout.addLayout(row, 1)
        layout.addLayout(options)

    # --- data ----------------------------------------------------------------
    def extra_parts(self, state: LiveState) -> list[Part]:
        return self.confusion.draw_parts(state)

    def marks_moved(self) -> None:
        self._follow_data()
        self._show_readout(self._shown_index())

    def history_parts(self, history: History) -> list[Callable[[], None]]:
        """`show_history` in two parts for two turns of the event loop, so the two plots are
        not both painted in one turn: the loss plot, then the accuracy plot. Empty when this
        history has been drawn already."""
        if self._seen == (id(history), history.version):
            return []
        seen, columns = (id(history), history.version), {name: history.column(name) for name in History.BASE}
        return [lambda: self._show_loss(columns), lambda: self._show_accuracy_curves(columns, seen)]

    def _show_loss(self, columns: dict[str, np.ndarray]) -> None:
        self._columns = columns
        steps = columns["step"]
        # the accuracy plot catches up with the new steps in the next part, with its new data
        self.accuracy_plot.getPlotItem().vb.blockLink(True)
        for name in ("train_loss", "test_loss"):
            self.curves[name].setData(steps, columns[name])
        self._follow_data(accuracy=False)
        self._show_readout(self._shown_index())

    def _show_accuracy_curves(self, columns: dict[str, np.ndarray], seen: tuple[int, int]) -> None:
        steps = columns["step"]
        vb = self.accuracy_plot.getPlotItem().vb
        vb.blockLink(False)
        for name in ("train_accuracy", "test_accuracy"):
            self.curves[name].setData(steps, columns[name])
        if len(steps):
            self._show_accuracy(bool(np.isfinite(columns["train_accuracy"]).any()))
        vb.linkedXChanged()
        self._follow_data(loss=False)
        self._seen = seen  # only now is all of it drawn

    def _follow_data(self, loss: bool = True, accuracy: bool = True) -> None:
        """Tell the plots where their data lie, so their ranges follow it (in steps) in this update."""
        columns, log = self._columns, self.log_scale.isChecked()
        steps = self.marks.steps(step_range(columns["step"]) if columns else None)
        if loss:
            bounds = plot_range(columns["train_loss"], columns["test_loss"], log=log) if columns else None
            self.loss_plot.getPlotItem().vb.follow_data(steps, bounds, log=log)
        if accuracy:
            bounds = plot_range(columns["train_accuracy"], columns["test_accuracy"]) if columns else None
            self.accuracy_plot.getPlotItem().vb.follow_data(steps, bounds)

    def _set_log_scale(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)
        self._follow_data()

    def clear(self) -> None:
        self._seen, self._columns = None, {}
        self.accuracy_plot.getPlotItem().vb.blockLink(False)
        for curve in self.curves.values():
            curve.setData([], [])
        self._follow_data()
        for line in self.cursors:
            line.setVisible(False)
        self.readout.setText("")

    def _show_accuracy(self, visible: bool) -> None:
        if visible == self._accuracy_shown:
            return  # relabelling an axis lays its plot out again: only when it changes
        self._accuracy_shown = visible
        self.accuracy_plot.setVisible(visible)
        # with both plots the step axis sits under the lower one only
        self.loss_plot.setLabel("bottom", "step" if not visible else None, **label_style())
        self.loss_plot.showAxis("bottom", not visible)  # after: pyqtgraph's setLabel shows the axis
        keep_title_whole(self.loss_plot)

    # --- the value under the cursor -----------------------------------------
    def _hovered(self, plot: pg.PlotWidget, pos: QPointF) -> None:
        steps = self._columns.get("step")
        if steps is None or not len(steps):
            return
        step = plot.getPlotItem().vb.mapSceneToView(pos).x()
        index = int(np.clip(np.searchsorted(steps, step), 0, len(steps) - 1))
        if index > 0 and abs(steps[index - 1] - step) < abs(steps[index] - step):
            index -= 1
        for line in self.cursors:
            line.setPos(steps[index])
            line.setVisible(True)
        self._show_readout(index, "accuracy" if plot is self.accuracy_plot else "loss")

    def leaveEvent(self, event) -> None:  # noqa: N802 — Qt override: back to the latest values
        for line in self.cursors:
            line.setVisible(False)
        if self._columns:
            self._show_readout(self._shown_index())
        super().leaveEvent(event)

    def _shown_index(self) -> int:
        """The row the readout shows away from the mouse: the recorded moment's, or the latest."""
        steps = self._columns.get("step", np.zeros(0))
        if self.marks.moment is None or not len(steps):
            return len(steps) - 1
        return int(np.clip(np.searchsorted(steps, self.marks.moment, side="right") - 1, 0, len(steps) - 1))

    def _show_readout(self, index: int, kind: str = "loss") -> None:
        if self._invalid:
            self.readout.setText(self._invalid)
            return
        if index < 0:
            self.readout.setText("")
            return
        percent = kind == "accuracy"
        train = _value(self._columns[f"train_{kind}"][index], percent)
        test = _value(self._columns[f"test_{kind}"][index], percent)
        label = "" if kind == "loss" else "accuracy: "
        text = f"step {int(self._columns['step'][index])} · {label}train {train} · test {test}"
        at = self.marks.diverged_at
        if at is not None and index == len(self._columns["step"]) - 1:
            text += f" · diverged at step {at:,}"
        self.readout.setText(text)
