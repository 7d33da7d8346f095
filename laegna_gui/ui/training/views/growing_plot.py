"""Plots of curves that grow while training runs, drawn up to 30 times a second.

pyqtgraph's own auto-range asks every item for its bounds at paint time and, when the range
changes there, paints the plot a second time; its axes typeset their labels again on every
range change. `follow_plot` makes a plot whose ViewBox follows bounds the view computes
from its data once per update (`FollowViewBox.follow_data`) and whose axes keep their
labels (`QuietAxis`): one paint per update. The range grows in steps (`stepped_range`), so
the axes work out their ticks again a few times per run rather than on every snapshot, and
it comes from the finite values without absurd outliers (`plot_range`), so a diverging run
does not squash the rest of its curve into a flat line.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from laegna_gui.ui.training.views.stepped_range import StepAxis, ValueAxis

OUTLIER_REACH = 1000.0  # a value this many times the bulk's size beyond it is an outlier
LOG_OUTLIER_REACH = 3.0  # on a log axis: this many times the bulk's spread in decades (≥ 1)
SAMPLE = 1000  # the bulk is measured on about this many of the values


class QuietAxis(pg.AxisItem):
    """An axis that typesets its label again only when the label's text changes. pyqtgraph
    re-sets the label's HTML and re-measures the axis on every range change, which is
    every frame for a curve that grows while training runs."""

    _label_html: str | None = None
    _ranging = False

    def updateAutoSIPrefix(self) -> None:  # noqa: N802 — pyqtgraph override
        self._ranging = True
        try:
            super().updateAutoSIPrefix()
        finally:
            self._ranging = False

    def _updateLabel(self) -> None:  # noqa: N802 — pyqtgraph override
        html = self.labelString()
        if self._ranging and html == self._label_html:
            self.picture = None  # the ticks moved: only they are drawn again
            self.update()
            return
        self._label_html = html
        super()._updateLabel()
        self.resizeEvent()  # pyqtgraph centres the label only on a resize: centre the new text now


class FollowViewBox(pg.ViewBox):
    """A ViewBox whose auto-range follows data bounds its view computes once per update
    (`follow_data`) instead of asking every item at every paint. Asking at paint time
    changed the range inside the paint, which made pyqtgraph paint the plot a second time
    in every frame. Zooming, the "A" button and linked axes behave as in any ViewBox.
    `follow_data` grows the range in steps; x is training steps unless `steps` is False."""

    def __init__(self, *args, steps: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._data_bounds: list | None = None
        self._x_axis = StepAxis() if steps else ValueAxis()
        self._y_axis = ValueAxis()
        self._last_x: tuple[float, float] | None = None  # the data's x at the last follow_data

    def follow_data(self, x: tuple[float, float] | None, y: tuple[float, float] | None, log: bool = False) -> None:
        """The data's extent (`log`: y in decades); the range follows it in steps, so it
        changes only when the data leaves it, shrinks to a small part of it, or starts again
        (its steps end before they did: a reset or a new network)."""
        if x is None or (self._last_x is not None and x[1] < self._last_x[1]):
            self.forget_range()
        self._last_x = x
        shown = [self._x_axis.bounds(x), self._y_axis.bounds(y, log)]
        if shown != self._data_bounds:
            self.set_data_bounds(*shown)

    def forget_range(self) -> None:
        """Fit the next data at once, as if nothing had been shown before."""
        self._x_axis.forget()
        self._y_axis.forget()

    def follow_items(self) -> None:
        """Back to pyqtgraph's own auto-range, from the items' bounds."""
        self._data_bounds = self._last_x = None
        self.forget_range()
        self.updateAutoRange()

    def set_data_bounds(self, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """The range shown in view coordinates (None: nothing to show on that axis), exactly;
        the range follows it now, and the view moves now, before the next paint."""
        self._data_bounds = [x, y]
        self.updateAutoRange()
        self.updateMatrix()

    def childrenBounds(self, frac=None, orthoRange=(None, None), items=None):  # noqa: N802 — pyqtgraph
        if self._data_bounds is None or items is not None:
            return super().childrenBounds(frac, orthoRange, items)
        bounds = [list(b) if b is not None else None for b in self._data_bounds]
        pad = max((item.pixelPadding() for item in self.addedItems
                   if item.isVisible() and hasattr(item, "pixelPadding")), default=0)
        for axis, pixels in ((0, self.width()), (1, self.height())):
            if bounds[axis] is not None and pixels > 0 and pad:
                # as pyqtgraph does: room for the pen's width beyond the data
                margin = pad * (bounds[axis][1] - bounds[axis][0]) / pixels
                bounds[axis] = [bounds[axis][0] - margin, bounds[axis][1] + margin]
        return bounds

    def itemBoundsChanged(self, item) -> None:  # noqa: N802 — pyqtgraph override
        if self._data_bounds is None:
            super().itemBoundsChanged(item)


def finite_values(*arrays: np.ndarray, log: bool = False) -> np.ndarray:
    """The finite values of the arrays, flat (log10 of the positive ones with `log`)."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays]) if arrays else np.zeros(0)
    if log:
        values = values[values > 0]
        with np.errstate(divide="ignore"):
            values = np.log10(values)
    return values[np.isfinite(values)]


def finite_range(*arrays: np.ndarray, log: bool = False) -> tuple[float, float] | None:
    """(lowest, highest) finite value of the arrays (of log10 of the positive ones with `log`)."""
    values = finite_values(*arrays, log=log)
    return (float(values.min()), float(values.max())) if values.size else None


def plot_range(*arrays: np.ndarray, log: bool = False,
               bulk: tuple[np.ndarray, ...] = ()) -> tuple[float, float] | None:
    """What a plot of the arrays shows: `finite_range` without absurd outliers — values
    far beyond the bulk of the data (its middle 80 %), such as a diverging run's 1e30.
    The bulk is that of `bulk` if given (data a diverging curve must not outvote)."""
    values = finite_values(*arrays, log=log)
    judged = finite_values(*bulk, log=log) if bulk else values
    if values.size and judged.size:
        low, high = _plausible(judged, log)
        values = values[(values >= low) & (values <= high)]
    return (float(values.min()), float(values.max())) if values.size else None


def _plausible(values: np.ndarray, log: bool) -> tuple[float, float]:
    """How far values may lie beyond the middle 80 % of these (measured on a sample: cheap)."""
    sample = np.sort(values[:: max(1, values.size // SAMPLE)])
    low, high = float(sample[len(sample) // 10]), float(sample[(9 * len(sample)) // 10])
    if log:
        reach = LOG_OUTLIER_REACH * max(high - low, 1.0)
    else:
        reach = OUTLIER_REACH * max(high - low, abs(low), abs(high))
    return (low - reach, high + reach) if reach > 0 else (-np.inf, np.inf)


def step_range(steps: np.ndarray) -> tuple[float, float] | None:
    """The range of an iteration axis: its data's, but at least one step wide from the first,
    so a history of one point (step 0, before training) shows 0…1 — not −0.5…0.5 labelled
    "(x0.001)", which is what pyqtgraph makes of a range of zero width."""
    bounds = finite_range(steps)
    if bounds is not None and bounds[1] - bounds[0] < 1:
        bounds = (bounds[0], bounds[0] + 1.0)
    return bounds


def follow_plot(axis: type[pg.AxisItem] | None = None, steps: bool = True) -> pg.PlotWidget:
    """A plot of growing curves: a FollowViewBox and quiet axes (`axis` on the left);
    x is training steps unless `steps` is False."""
    axes = {side: QuietAxis(orientation=side) for side in ("bottom", "top", "right")}
    axes["left"] = (axis or QuietAxis)(orientation="left")
    plot = pg.PlotWidget(viewBox=FollowViewBox(steps=steps), axisItems=axes)
    for side in ("top", "right"):  # given axes are shown: these two stay hidden, as by default
        plot.hideAxis(side)
    return plot
