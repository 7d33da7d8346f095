"""The guide's activation plots: each activation the app offers, with its slope.

Both curves come from the engine's own activation module, and the slope from torch
autograd, so the picture is exactly what training computes (for step, the
straight-through slope it trains with).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from laegna_gui.core.nodes import ACTIVATIONS, node_type
from laegna_gui.engine.layers import activation_module
from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.editor.palette import ACTIVATION_TITLES

X_RANGE = (-4.0, 4.0)
SAMPLES = 401
COLUMNS = 4


def default_slope() -> float:
    """Leaky ReLU's slope below zero as a new activation node has it."""
    return node_type("activation").defaults()["slope"]


def activation_curve(function: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f′(x) from the engine's module for `function`. Softmax, which needs a
    vector, is shown for the two scores (x, 0): the probability of the first class."""
    module = activation_module(function, default_slope())
    t = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    if function == "softmax":
        y = module(torch.stack([t, torch.zeros_like(t)], dim=1))[:, 0]
    else:
        y = module(t[:, None])[:, 0]
    (slope,) = torch.autograd.grad(y.sum(), t)  # each y[i] depends on x[i] only
    return y.detach().numpy(), slope.numpy()


class ActivationPlots(QWidget):
    """A small plot per activation: f solid blue, f′ dashed orange."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationPlots")
        self.x = np.linspace(*X_RANGE, SAMPLES)
        self.plots: dict[str, pg.PlotWidget] = {}
        self.curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        key = QLabel(objectName="activationKey", textFormat=Qt.TextFormat.RichText)
        key.setText(f"<span style='color:{style.POSITIVE.name()}'>━━</span> f(x) &nbsp;&nbsp; "
                    f"<span style='color:{style.NEGATIVE.name()}'>╍╍</span> slope f′(x)")
        grid.addWidget(key, 0, 0, 1, COLUMNS)
        for i, function in enumerate(ACTIVATIONS):
            grid.addWidget(self._plot(function), 1 + i // COLUMNS, i % COLUMNS)

    def _plot(self, function: str) -> pg.PlotWidget:
        theme = style.current()
        title = ACTIVATION_TITLES.get(function, function)
        plot = pg.PlotWidget()
        plot.setObjectName(f"activationPlot_{function}")
        plot.setToolTip(f"{title}: the function (solid) and its slope as training computes it (dashed)")
        plot.setMinimumSize(150, 150)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setTitle(title, color=theme.text.name(), size="9pt")
        plot.showGrid(x=True, y=True, alpha=0.15)
        theme_plot(plot, theme)
        y, slope = activation_curve(function, self.x)
        f_item = plot.plot(self.x, y, pen=pg.mkPen(style.POSITIVE, width=2), name="f")
        df_item = plot.plot(self.x, slope, pen=pg.mkPen(style.NEGATIVE, width=2, style=Qt.PenStyle.DashLine),
                            name="f′")
        plot.setXRange(*X_RANGE, padding=0.02)
        self.plots[function] = plot
        self.curves[function] = (f_item, df_item)
        return plot
