"""Each drawn neuron as a small heatmap of its output over the input plane.

Colour scale: symmetric per node, ±(98th percentile of |output| over the node's drawn
neurons). A fixed [-1, 1] would suit tanh but saturates ReLU and pre-activation layers,
whose outputs reach tens; one scale per node keeps every layer readable and its neurons
comparable with each other. The percentile rather than the maximum because linear
layers peak in the far corners of the plane, and those few cells would wash out the
rest. The exact range of each neuron is in its tooltip.

The pixels of a node live in one uint8 RGBA buffer that is rewritten in place for each
snapshot; each neuron's QImage wraps its slice of that buffer without copying. One
MapsPainter per node paints all its heatmaps in one call; the LiveNeuron items on the
circles only answer the mouse.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from laegna_gui.core.nodes import FEATURE_TITLES
from laegna_gui.ui.canvas.geometry import HEATMAP_SIZE
from laegna_gui.ui.canvas.node_item import NodeItem
from laegna_gui.ui.canvas.weight_lines import discard
from laegna_gui.ui.look.colour_scale import DATA_FRAME, diverging_lut, lut_index

SCALE_PERCENTILE = 98.0
MIN_SCALE = 1e-6          # a node whose outputs are all zero shows neutral, not noise
SQUARE = QRectF(-HEATMAP_SIZE / 2, -HEATMAP_SIZE / 2, HEATMAP_SIZE, HEATMAP_SIZE)


def heatmap_scale(maps: np.ndarray) -> float:
    """The symmetric colour scale of a node whose drawn neurons output `maps`."""
    flat = np.abs(maps).ravel()
    rank = round(SCALE_PERCENTILE / 100 * (flat.size - 1))  # nearest rank: a partition, not a sort
    return max(float(np.partition(flat, rank)[rank]), MIN_SCALE)


class MapsPainter(QGraphicsItem):
    """Paints the heatmaps of one node's neurons, each with its frame, in one call. Above
    the node's card, invisible to the mouse."""

    def __init__(self, group: NeuronMaps) -> None:
        super().__init__(group.node)
        self.group = group
        self._squares = [SQUARE.translated(centre) for centre in group.node.layout.neurons[:group.count]]
        self._bounds = QRectF()
        for square in self._squares:
            self._bounds = self._bounds.united(square.adjusted(-1, -1, 1, 1))
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()  # hovering goes to the LiveNeuron items

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)  # crisp cells
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(self.group.border)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for square, item in zip(self._squares, self.group.items):
            if item.image is not None:
                painter.drawImage(square, item.image)
                painter.drawRect(square)


class LiveNeuron(QGraphicsItem):
    """Sits on one neuron circle and explains its heatmap on hover (its node's MapsPainter
    draws the heatmap). Presses go through to the node, so it can still be dragged by them."""

    def __init__(self, group: NeuronMaps, unit: int) -> None:
        super().__init__(group.node)
        self.group, self.unit = group, unit
        self.image: QImage | None = None
        self._hovered = False
        self.setPos(group.node.layout.neurons[unit])
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(True)

    def boundingRect(self) -> QRectF:
        return SQUARE.adjusted(-1, -1, 1, 1)

    def refresh(self) -> None:
        if self._hovered:
            self.setToolTip(self.group.describe(self.unit))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        pass  # ItemHasNoContents: the MapsPainter draws the heatmap

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = True
        self.setToolTip(self.group.describe(self.unit))
        self._announce((self.group.node.node_id, self.unit))

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = False
        self._announce(None)

    def unhover(self) -> None:
        """Going away under the mouse: no leave event will come, so say it here."""
        if self._hovered:
            self._hovered = False
            self._announce(None)

    def _announce(self, neuron: tuple[str, int] | None) -> None:
        """The scene tells the view, which shows this neuron's map large elsewhere."""
        hovered = getattr(self.scene(), "neuron_hovered", None)
        if hovered is not None:
            hovered.emit(neuron)


class NeuronMaps:
    """The live neurons of one node: made once per column, repainted per snapshot."""

    border = QPen(DATA_FRAME, 0)  # cosmetic: one device pixel at any zoom

    def __init__(self, node: NodeItem) -> None:
        self.node = node
        self.count = len(node.layout.neurons)
        self.items = [LiveNeuron(self, k) for k in range(self.count)]
        self.painter = MapsPainter(self)
        self.maps: np.ndarray | None = None
        self.bias: np.ndarray | None = None
        self._rgba: np.ndarray | None = None  # (count, ny, nx, 4), shared with the QImages

    def fits(self) -> bool:
        return self.node.scene() is not None and len(self.node.layout.neurons) == self.count

    def show(self, maps: np.ndarray | None, bias: np.ndarray | None) -> None:
        """`maps`: (units, ny, nx), row 0 = bottom of the plane; `bias`: (units,)."""
        self.maps, self.bias = maps, bias
        if maps is None:
            self._rgba = None
            for item in self.items:
                item.image = None
        else:
            self._paint_buffer(maps)
        for item in self.items:
            item.refresh()
        self.painter.update()

    def _paint_buffer(self, maps: np.ndarray) -> None:
        _, ny, nx = maps.shape
        if self._rgba is None or self._rgba.shape[1:3] != (ny, nx):
            self._rgba = np.empty((self.count, ny, nx, 4), dtype=np.uint8)
            for k, item in enumerate(self.items):
                item.image = QImage(self._rgba[k].data, nx, ny, nx * 4, QImage.Format.Format_RGBA8888)
        drawn = maps[:self.count]
        # Qt's row 0 is the top of an image, the probe's row 0 the bottom of the plane.
        np.take(diverging_lut(alpha=True), lut_index(drawn[:, ::-1, :], heatmap_scale(drawn)), axis=0, out=self._rgba)

    def remove(self) -> None:
        for item in self.items:
            item.unhover()
            discard(item)
        discard(self.painter)
        self.items.clear()
        self._rgba = None

    def describe(self, unit: int) -> str:
        node = self.node.node
        features = node.params.get("features") if node.type == "input" else None
        name = FEATURE_TITLES.get(features[unit], features[unit]) if features else f"neuron {unit}"
        lines = [f"{node.label} · {name}"]
        if self.bias is not None:
            lines.append(f"bias b[{unit}] = {float(self.bias[unit]):.3f}")
        if self.maps is not None:
            values = self.maps[unit]
            lines.append(f"output over the plane: {float(values.min()):.3f} … {float(values.max()):.3f}")
        return "\n".join(lines)
