"""How hard each layer is being pushed: gradient norms over time, dead ReLU units, and a warning
when gradients explode or vanish."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from laegna_gui.core.history import History
from laegna_gui.engine.snapshot import NO_GRADIENTS, Snapshot
from laegna_gui.ui.look import style
from laegna_gui.ui.training.live_state import LiveState, Part
from laegna_gui.ui.training.views.axis_room import align_left_axes, keep_title_whole
from laegna_gui.ui.training.views.growing_plot import follow_plot, plot_range, step_range
from laegna_gui.ui.training.views.plotting import (
    VIEW_HEIGHT,
    VIEW_WIDTH,
    label_style,
    log_plot,
    series_color,
    style_plot,
)
from laegna_gui.ui.training.views.run_marks import MarkedHistoryView, RunMarks

GRAD, DEAD = "grad:", "dead:"
TIPS = {
    "gradients": "The gradient norm of each layer: how strongly the loss pulls on its weights. Huge and "
                 "growing means exploding gradients; tiny in the first layers means they vanish and "
                 "those layers stop learning.",
    "dead": "The share of each ReLU layer's units that are dead: their input is negative for every "
            "training point, so they output 0 and get no gradient — they can never recover.",
    "warning": "Training is in trouble; the message names the cause it sees (dead ReLU units, squashing "
               "sigmoid or tanh layers, depth, a too high rate) and what fits it.",
}


class SeriesPlot:
    """One curve per history series with a given prefix; curves come and go with the series."""

    def __init__(self, plot: pg.PlotWidget, prefix: str) -> None:
        self.plot, self.prefix = plot, prefix
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.steps_shown: Callable[[tuple | None], tuple | None] = lambda bounds: bounds  # widen the steps
        self._shown: tuple = ({}, np.zeros(0), False)

    def read(self, history: History) -> dict[str, np.ndarray]:
        """This plot's series of `history`, by name."""
        return {name: history.column(name) for name in history.series_names(self.prefix)}

    def show(self, series: dict[str, np.ndarray], steps: np.ndarray, log: bool = False) -> None:
        if list(series) != list(self.curves):
            self._rebuild(list(series))
        for curve, column in zip(self.curves.values(), series.values()):
            curve.setData(steps, column)
        self._shown = (series, steps, log)
        self.follow()

    def follow(self) -> None:
        """The plot's range follows the data shown (again: after `steps_shown` changed)."""
        series, steps, log = self._shown
        steps_shown = self.steps_shown(step_range(steps))
        self.plot.getPlotItem().vb.follow_data(steps_shown, plot_range(*series.values(), log=log), log=log)

    def _rebuild(self, names: list[str]) -> None:
        for curve in self.curves.values():
            self.plot.removeItem(curve)
        self.curves = {}
        for i, name in enumerate(names):
            pen = pg.mkPen(series_color(i), width=2)
            curve = self.plot.plot(pen=pen, antialias=True)
            curve.setDownsampling(auto=True)
            curve.setClipToView(True)
            self.curves[name] = curve


class GradientsView(MarkedHistoryView, QWidget):
    """`show_history(history)` draws the curves; `show_snapshot(snapshot)` the warning. As a
    live view (`draw_parts`) it also marks where the run diverged and greys the curves while
    the network is not valid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientsView")
        self._seen: tuple[int, int] | None = None
        self._dead_shown: bool | None = None
        self._build_plots()
        self._build_labels()
        self.gradients = SeriesPlot(self.grad_plot, GRAD)
        self.dead = SeriesPlot(self.dead_plot, DEAD)
        self.marks = RunMarks([self.grad_plot, self.dead_plot])
        self._invalid = ""  # why the network is not valid (said in the legend's place)
        for series in (self.gradients, self.dead):
            series.steps_shown = self.marks.steps
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for widget, stretch in ((self.warning, 0), (self.legend, 0), (self.grad_plot, 5),
                                (self.dead_summary, 0), (self.dead_plot, 2)):
            layout.addWidget(widget, stretch)
        self._show_dead({})
        self.legend.setText(self._legend_html([]))

    def _build_plots(self) -> None:
        self.grad_plot = style_plot(log_plot(), "gradientPlot", TIPS["gradients"], zoomable=True)
        self.grad_plot.setLogMode(y=True)
        # "norm": the legend above says "Gradient norm per layer", and a longer rotated title
        # would make the plot taller than a 1280x800 window's dock has room for
        self.grad_plot.setLabel("left", "norm", **label_style())
        self.dead_plot = style_plot(follow_plot(), "deadPlot", TIPS["dead"], zoomable=True)
        self.dead_plot.setXLink(self.grad_plot)
        self.dead_plot.setYRange(0, 1, padding=0.2)  # room for the 100% label at the top
        self.dead_plot.setMouseEnabled(x=True, y=False)
        self.dead_plot.getAxis("left").setTicks([[(0.0, "0"), (1.0, "100%")]])
        self.dead_plot.setLabel("left", "dead", **label_style())
        self.dead_plot.setLabel("bottom", "step", **label_style())
        # the same width keeps the linked plots' steps aligned; room for "0.001" beside the title
        align_left_axes(self.grad_plot, self.dead_plot)
        for plot in (self.grad_plot, self.dead_plot):
            keep_title_whole(plot)

    def _build_labels(self) -> None:
        self.warning = QLabel(objectName="gradientWarning", toolTip=TIPS["warning"])
        self.warning.setWordWrap(True)
        style.set_role(self.warning, "alert")
        self.warning.hide()
        self.legend = QLabel(objectName="gradientLegend", toolTip=TIPS["gradients"])
        self.dead_summary = QLabel(objectName="deadSummary", toolTip=TIPS["dead"])
        for label in (self.legend, self.dead_summary):
            label.setContentsMargins(4, 0, 4, 0)
            label.setWordWrap(True)

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: made for a dock about 300 px tall
        return QSize(VIEW_WIDTH, VIEW_HEIGHT)

    def extra_parts(self, state: LiveState) -> list[Part]:
        warning = gradient_warning(state, self.warning.text())
        return [lambda: self._show_warning(warning)] if warning != self.warning.text() else []

    def marks_moved(self) -> None:
        _set_text(self.legend, self._legend_html(list(self.gradients.curves)))
        self.gradients.follow()  # the steps shown take the divergence in

    def history_parts(self, history: History) -> list[Callable[[], None]]:
        """`show_history` in two parts for two turns of the event loop (as the loss curves):
        the gradient plot, then the dead-unit plot. Empty when this history is drawn already."""
        if self._seen == (id(history), history.version):
            return []
        seen, steps = (id(history), history.version), history.column("step")
        gradients, dead = self.gradients.read(history), self.dead.read(history)
        return [lambda: self._show_gradients(steps, gradients), lambda: self._show_dead_units(steps, dead, seen)]

    def _show_gradients(self, steps: np.ndarray, series: dict[str, np.ndarray]) -> None:
        self.dead_plot.getPlotItem().vb.blockLink(True)  # it catches up in the next part
        self.gradients.show(series, steps, log=True)
        _set_text(self.legend, self._legend_html(list(series)))

    def _show_dead_units(self, steps: np.ndarray, series: dict[str, np.ndarray], seen: tuple[int, int]) -> None:
        vb = self.dead_plot.getPlotItem().vb
        vb.blockLink(False)
        vb.linkedXChanged()  # before its data, which move the view once for both
        self.dead.show(series, steps)
        self._show_dead(series)
        self._seen = seen  # only now is all of it drawn

    def _legend_html(self, names: list[str]) -> str:
        """The layers' colours as a line of text, so no legend box sits on the curves."""
        if self._invalid:
            return self._invalid
        if not names:
            return "Gradient norm per layer (log scale) — train or step to see it."
        keys = [f"<span style='color:{series_color(i).name()}'>■</span> {name.removeprefix(GRAD)}"
                for i, name in enumerate(names)]
        return "Gradient norm per layer: " + " &nbsp; ".join(keys)

    def _show_dead(self, series: dict[str, np.ndarray]) -> None:
        names = list(series)
        if bool(names) != self._dead_shown:  # relabelling an axis lays its plot out again
            self._dead_shown = bool(names)
            self.dead_plot.setVisible(bool(names))
            self.grad_plot.setLabel("bottom", None if names else "step", **label_style())
            self.grad_plot.showAxis("bottom", not names)  # after: pyqtgraph's setLabel shows the axis
            keep_title_whole(self.grad_plot)
        if not names:
            _set_text(self.dead_summary, "No ReLU layers, so no units can die.")
            return
        parts = []
        for i, name in enumerate(names):
            value = series[name][-1]
            if np.isfinite(value):
                parts.append(f"<span style='color:{series_color(i).name()}'>■</span> "
                             f"{name.removeprefix(DEAD)} {100 * value:.0f} %")
        _set_text(self.dead_summary, "Dead ReLU units: " + " &nbsp; ".join(parts))

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The warning follows the latest probes (a snapshot without probes leaves it as it is)."""
        if snapshot.probes is not None:
            self._show_warning(snapshot.probes.gradient_warning)

    def _show_warning(self, text: str) -> None:
        """A warning in the alert colour; random search's note (no gradients, by choice) muted."""
        style.set_role(self.warning, "muted" if text == NO_GRADIENTS else "alert")  # no-op when unchanged
        _set_text(self.warning, text)
        self.warning.setVisible(bool(text))


def gradient_warning(state: LiveState, shown: str) -> str:
    """The warning for `state`: its snapshot's, none without a snapshot, and the one `shown`
    when the snapshot was taken without probes."""
    snapshot = state.snapshot
    if snapshot is None:
        return ""
    return shown if snapshot.probes is None else snapshot.probes.gradient_warning


class GradientsTabTitle:
    """The Gradients tab's title: "Gradients ⚠" while there is a gradient warning (not for
    random search's note that it uses none)."""

    def __init__(self, tabs: QTabWidget, view: GradientsView) -> None:
        self.tabs, self.view = tabs, view

    def draw_parts(self, state: LiveState) -> list[Part]:
        index = self.tabs.indexOf(self.view)
        warning = gradient_warning(state, self.view.warning.text())
        title = "Gradients ⚠" if warning and warning != NO_GRADIENTS else "Gradients"
        if self.tabs.tabText(index) == title:  # a new title lays the whole window out again
            return []
        return [lambda: self.tabs.setTabText(index, title)]


def _set_text(label: QLabel, text: str) -> None:
    """A label's new text lays the whole window out again: only set a text that changed."""
    if label.text() != text:
        label.setText(text)
