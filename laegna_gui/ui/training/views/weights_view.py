"""Every dense layer's weight matrix W and bias b as heatmaps, on one shared colour scale."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.look import style
from laegna_gui.ui.training.live_state import Kind, LiveState, Part
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.training.views.heatmap import MatrixPlot, ScaleLegend, TitleLabel
from laegna_gui.ui.training.views.plotting import VIEW_HEIGHT, VIEW_WIDTH, symmetric_scale

MAX_LAYERS_PER_ROW = 3
MIN_LAYER_WIDTH = 135  # pixels a layer's title and heatmaps need side by side
BIAS_WIDTH = 14
BIAS_WIDTH_WITH_NUMBERS = 36  # a short bias vector is wide enough to print its numbers
TIPS = {
    "plots": "Each dense layer as numbers: W has one row per neuron (output) and one column per input, "
             "b one bias per neuron; orange is negative, blue positive, pale near zero. Hover a cell for "
             "its value.",
    "scale": "All layers share this colour scale, so their sizes can be compared at a glance.",
    "hint": "The weights appear once the network is built and trained or stepped.",
}


def dense_layers(weights: dict[str, np.ndarray]) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    """(node id, W, b or None) for every dense layer, in the order the weights come (graph order)."""
    layers = []
    for name, value in weights.items():
        node, _, kind = name.partition(".")
        if kind == "weight" and np.ndim(value) == 2:
            layers.append((node, np.asarray(value), weights.get(f"{node}.bias")))
    return layers


def layer_title(node: str, w: np.ndarray, has_bias: bool) -> str:
    return f"{node}: W ({w.shape[0]}×{w.shape[1]})" + (", b" if has_bias else "")


@dataclass
class LayerPlots:
    title: pg.LabelItem
    weight: MatrixPlot
    bias: MatrixPlot | None
    stretch: int

    def items(self) -> list:
        return [self.title, self.weight.view] + ([self.bias.view] if self.bias is not None else [])


def layers_per_row(width: int) -> int:
    return max(1, min(MAX_LAYERS_PER_ROW, width // MIN_LAYER_WIDTH))


class WeightsView(QWidget):
    """`show_snapshot(snapshot)` shows the weights it carries; as a live view (`draw_parts`)
    it says why there are none (no step yet, no valid network)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightsView")
        self.layers: dict[str, LayerPlots] = {}
        self._shapes: tuple | None = None
        self._per_row = 0
        self.snapshot: Snapshot | None = None
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("weightsPlots")
        self.canvas.setToolTip(TIPS["plots"])
        theme_plot(self.canvas)
        self.canvas.ci.setContentsMargins(4, 4, 4, 4)
        self.hint = QLabel(TIPS["hint"], objectName="weightsHint", alignment=Qt.AlignmentFlag.AlignCenter)
        style.set_role(self.hint, "muted")
        self.hint.setWordWrap(True)
        self.pages = QStackedWidget(objectName="weightsPages")
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self.canvas)
        self.scale = ScaleLegend("weightsScale", TIPS["scale"])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.scale)
        self.scale.hide()

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: made for a dock about 300 px tall
        return QSize(VIEW_WIDTH, VIEW_HEIGHT)

    def draw_parts(self, state: LiveState) -> list[Part]:
        if state.snapshot is None:
            text = state.invalid_text if state.kind is Kind.INVALID else TIPS["hint"]
            showing = self.pages.currentWidget() is self.hint and self.hint.text() == text
            return [] if showing else [lambda: self.show_hint(text)]
        return [] if state.snapshot is self.snapshot else [lambda: self.show_snapshot(state.snapshot)]

    def show_hint(self, text: str) -> None:
        """No weights: `text` says why."""
        self.snapshot = None
        self.hint.setText(text)
        self.pages.setCurrentWidget(self.hint)
        self.scale.hide()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        if self.hint.text() != TIPS["hint"]:
            self.hint.setText(TIPS["hint"])
        layers = dense_layers(snapshot.weights)
        if self.pages.currentWidget() is self.hint and layers:  # back from a hint: the heatmaps again
            self.pages.setCurrentWidget(self.canvas)
            self.scale.show()
        shapes = tuple((node, w.shape, None if b is None else b.shape) for node, w, b in layers)
        if shapes != self._shapes:
            self._shapes = shapes
            self._rebuild(layers)
        arrays = [w for _, w, _ in layers] + [b for _, _, b in layers if b is not None]
        scale = symmetric_scale(*arrays)
        for node, w, b in layers:
            plots = self.layers[node]
            plots.weight.set_matrix(w, scale)
            if plots.bias is not None:
                plots.bias.set_matrix(b, scale)
        self.scale.set_scale(scale, "all layers")

    def _rebuild(self, layers: list[tuple[str, np.ndarray, np.ndarray | None]]) -> None:
        """New layers or new shapes: new heatmaps."""
        self.canvas.clear()
        self.layers = {}
        for node, w, b in layers:
            title = TitleLabel(layer_title(node, w, b is not None), size="8pt", color=style.TEXT.name())
            bias = None
            if b is not None:
                bias = MatrixPlot()
                bias.view.setFixedWidth(BIAS_WIDTH_WITH_NUMBERS if b.size <= bias.numbers_up_to else BIAS_WIDTH)
            weight = MatrixPlot()
            weight.view.setMinimumWidth(MIN_LAYER_WIDTH - BIAS_WIDTH_WITH_NUMBERS)  # room for the title
            self.layers[node] = LayerPlots(title, weight, bias, min(w.shape[1], 4) + 4)
        self._per_row = 0
        self._arrange(layers_per_row(self.width()))
        self.pages.setCurrentWidget(self.canvas if layers else self.hint)
        self.scale.setVisible(bool(layers))

    def resizeEvent(self, event) -> None:  # noqa: N802 — Qt override
        super().resizeEvent(event)
        self._arrange(layers_per_row(event.size().width()))

    def _arrange(self, per_row: int) -> None:
        """A title over W and b for each layer, `per_row` layers to a row."""
        if per_row == self._per_row or not self.layers:
            return
        grid = self.canvas.ci
        for plots in self.layers.values():
            for item in plots.items():
                if item in grid.items:
                    grid.removeItem(item)
        for i, plots in enumerate(self.layers.values()):
            row, col = 2 * (i // per_row), 2 * (i % per_row)
            grid.addItem(plots.title, row=row, col=col, colspan=2)
            grid.addItem(plots.weight.view, row=row + 1, col=col)
            grid.layout.setColumnStretchFactor(col, plots.stretch)  # wider matrices get more room
            if plots.bias is not None:
                grid.addItem(plots.bias.view, row=row + 1, col=col + 1)
        self._per_row = per_row
