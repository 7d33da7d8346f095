"""The data on the decision boundary: the training dots, the held-back test rings, and the
points a confusion matrix cell stands for, drawn large with a thick ring (`highlight`; shown
whether or not the test points are).

The dots keep their data colours (class colours, or the diverging scale for regression
targets) in every theme; what goes around them comes from the theme, so they read on its
backdrop: the outline in the theme's text colour (dark on the pale light backdrop, light
on the dark one) and the rings filled with the plot's background; the highlights' thick
rings are in the text colour too. `paint` again after a theme switch.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from laegna_gui.core.datasets import Dataset
from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import diverging
from laegna_gui.ui.training.views.plotting import symmetric_scale

MAX_POINTS = 5000
RING_ALPHA = 170  # a test ring is filled with the plot's background, a little see-through
HIGHLIGHT_SIZE, HIGHLIGHT_WIDTH = 12, 2.5  # px: twice a dot, with a ring thicker than a test ring's
NO_POINTS = (np.zeros((0, 2)), [])


def with_alpha(colour: QColor, alpha: int) -> QColor:
    colour = QColor(colour)
    colour.setAlpha(alpha)
    return colour


def dots(data: Dataset, x: np.ndarray, y: np.ndarray, scale: float) -> tuple[np.ndarray, list]:
    """(positions, colours) of up to MAX_POINTS samples: (x, y) for 1-D data, the first two
    inputs otherwise; coloured by class, or by the first target on ±`scale`."""
    x, y = x[:MAX_POINTS], y[:MAX_POINTS]
    if x.shape[1] == 1:
        values = np.asarray(y, dtype=float).reshape(len(x), -1)[:, 0]
        return np.column_stack([x[:, 0], values]), [with_alpha(style.POSITIVE, 150)] * len(x)
    if data.task == "classification":
        return x[:, :2], [style.class_color(int(k)) for k in y]
    first = np.asarray(y, dtype=float).reshape(len(x), -1)[:, 0]
    return x[:, :2], [diverging(v, scale) for v in first]


class DataPoints:
    """Scatter items showing a Dataset: `train`, `test` (hidden until asked for) and
    `highlights`, some points of either split drawn large and ringed (`highlight`)."""

    def __init__(self) -> None:
        self.train = pg.ScatterPlotItem(size=6)
        self.test = pg.ScatterPlotItem(size=7, brush=None)
        self.test.setVisible(False)
        self.highlights = pg.ScatterPlotItem(size=HIGHLIGHT_SIZE)
        self.highlights.setZValue(5)  # over the dots, under a fitted curve
        self._train, self._test = NO_POINTS, NO_POINTS
        self._outlined = False
        self._highlighted = NO_POINTS  # (positions, colours) of the highlighted points
        self._highlight_key: tuple[str, bytes] | None = None  # which they are

    def set_data(self, data: Dataset | None) -> None:
        if data is None:
            self._train, self._test, self._outlined = NO_POINTS, NO_POINTS, False
        else:
            scale = symmetric_scale(np.asarray(data.y_train, dtype=float))
            self._train = dots(data, data.x_train, data.y_train, scale)
            self._test = dots(data, data.x_test, data.y_test, scale)
            self._outlined = data.x_train.shape[1] != 1  # a 1-D plot's dots sit on no backdrop
        self._highlighted, self._highlight_key = NO_POINTS, None
        self.paint()

    def highlight(self, split: str, indices: np.ndarray) -> None:
        """Draw the points of `split` ("train" or "test") at `indices` (of the data) large and
        ringed; only points the plot shows (the first MAX_POINTS of each split)."""
        positions, colours = self._train if split == "train" else self._test
        indices = np.asarray(indices, dtype=np.intp)
        indices = indices[indices < len(positions)]
        if (split, indices.tobytes()) == self._highlight_key:
            return  # the same points (most snapshots while playing): no new brushes
        self._highlight_key = (split, indices.tobytes())
        self._highlighted = positions[indices], [colours[i] for i in indices]
        self._paint_highlights()

    def paint(self) -> None:
        """The dots in their colours, with the current theme's outline and ring fill."""
        theme = style.current()
        pos, colors = self._train
        outline = pg.mkPen(theme.text, width=0.8) if self._outlined else pg.mkPen(None)
        self.train.setData(pos=pos, brush=[pg.mkBrush(c) for c in colors], pen=outline)
        pos, colors = self._test
        self.test.setData(pos=pos, pen=[pg.mkPen(c, width=2) for c in colors],
                          brush=pg.mkBrush(with_alpha(theme.canvas_background, RING_ALPHA)))
        self._paint_highlights()

    def _paint_highlights(self) -> None:
        pos, colours = self._highlighted
        self.highlights.setData(pos=pos, brush=[pg.mkBrush(c) for c in colours],
                                pen=pg.mkPen(style.current().text, width=HIGHLIGHT_WIDTH))
        self.highlights.setVisible(len(pos) > 0)
