"""Plots of curves that grow while training runs, drawn up to 30 times a second.

pyqtgraph's own auto-range asks every item for its bounds at paint time and, when the range
changes there, paints the plot a second time; its axes typeset their labels again on every
range change. `follow_plot` makes a plot whose ViewBox follows bounds the view computes
from its data once per update (`FollowViewBox.set_data_bounds`) and whose axes keep their
labels (`QuietAxis`): one paint per update, with the range pyqtgraph itself would choose.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg


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
    (`set_data_bounds`) instead of asking every item at every paint. Asking at paint time
    changed the range inside the paint, which made pyqtgraph paint the plot a second time
    in every frame. Zooming, the "A" button and linked axes behave as in any ViewBox."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._data_bounds: list | None = None

    def set_data_bounds(self, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """The data's extent in view coordinates (None: nothing to show on that axis);
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


def finite_range(*arrays: np.ndarray, log: bool = False) -> tuple[float, float] | None:
    """(lowest, highest) finite value of the arrays (of log10 of the positive ones with `log`)."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays]) if arrays else np.zeros(0)
    if log:
        values = values[values > 0]
        with np.errstate(divide="ignore"):
            values = np.log10(values)
    values = values[np.isfinite(values)]
    return (float(values.min()), float(values.max())) if values.size else None


def step_range(steps: np.ndarray) -> tuple[float, float] | None:
    """The range of an iteration axis: its data's, but at least one step wide from the first,
    so a history of one point (step 0, before training) shows 0…1 — not −0.5…0.5 labelled
    "(x0.001)", which is what pyqtgraph makes of a range of zero width."""
    bounds = finite_range(steps)
    if bounds is not None and bounds[1] - bounds[0] < 1:
        bounds = (bounds[0], bounds[0] + 1.0)
    return bounds


def follow_plot(axis: type[pg.AxisItem] | None = None) -> pg.PlotWidget:
    """A plot of growing curves: a FollowViewBox and quiet axes (`axis` on the left)."""
    axes = {side: QuietAxis(orientation=side) for side in ("bottom", "top", "right")}
    axes["left"] = (axis or QuietAxis)(orientation="left")
    plot = pg.PlotWidget(viewBox=FollowViewBox(), axisItems=axes)
    for side in ("top", "right"):  # given axes are shown: these two stay hidden, as by default
        plot.hideAxis(side)
    return plot
