"""A dense layer's weights drawn as wires: one line from each drawn neuron of the source
node to each drawn neuron of the dense node, coloured by sign and as thick as |w|.

The lines of one wire are made once per structure (how many neurons each end draws)
and only recoloured for each snapshot. Colour and width are both functions of
t = w / max|w| of the layer, so t is quantised and the pens are shared by every line.

Each line is an item of its own, for hovering and clicking, but paints nothing: one
LinesPainter per wire draws them all, in their order, in one call. A hundred lines
painting themselves cost a Python call and Qt's per-item work each, ~30 times a second.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem, QWidget

from laegna_gui.core.nodes import FEATURE_TITLES
from laegna_gui.ui.canvas.geometry import NODE_WIDTH
from laegna_gui.ui.look.colour_scale import diverging

if TYPE_CHECKING:
    from laegna_gui.ui.canvas.edge_item import EdgeItem

PEN_LEVELS = 64            # quantisation steps of t = w / max|w| on each side of zero
MIN_WIDTH, MAX_WIDTH = 0.5, 4.0
HIT_WIDTH = 7.0            # a thin line is still easy to point at
HOVER_HALO = QColor(42, 111, 219, 90)
EditHandler = Callable[["WeightLine", QPointF], None]


@cache  # made on first use: pens need the application's colour handling
def weight_pens() -> tuple[QPen, ...]:
    """Pen for level k = round((t + 1) · PEN_LEVELS): 0 is the most negative, the middle is zero."""
    pens = []
    for k in range(2 * PEN_LEVELS + 1):
        t = k / PEN_LEVELS - 1.0
        pen = QPen(diverging(t), MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * abs(t))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pens.append(pen)
    return tuple(pens)


def pen_levels(weights: np.ndarray, scale: float) -> list[int]:
    """The pen level of every weight, row-major, for a layer whose largest |w| is `scale`."""
    t = np.nan_to_num(weights / scale) if scale > 0 else np.zeros_like(weights)  # NaN: neutral
    return np.rint((np.clip(t, -1.0, 1.0) + 1.0) * PEN_LEVELS).astype(np.intp).ravel().tolist()


def discard(item: QGraphicsItem) -> None:
    """Take a child item off the canvas, also when its parent has already left the scene."""
    if item.scene() is not None:
        item.scene().removeItem(item)  # this also unparents it
    item.setParentItem(None)


def weight_path(start: QPointF, end: QPointF) -> QPainterPath:
    """From a neuron straight to its card's right edge, a curve to the target card's left
    edge at the target neuron's height, and on to that neuron. The straight parts run
    under the cards, so what shows is a clean curve between the two columns."""
    half = NODE_WIDTH / 2
    out, into = QPointF(start.x() + half, start.y()), QPointF(end.x() - half, end.y())
    bend = QPointF(max((into.x() - out.x()) * 0.5, 20.0), 0.0)
    path = QPainterPath(start)
    path.lineTo(out)
    path.cubicTo(out + bend, into - bend, into)
    path.lineTo(end)
    return path


class LinesPainter(QGraphicsItem):
    """Paints every line of one WeightLines group, in the lines' order, each with its own
    pen: the pixels of each line painting itself. The hovered line paints itself, on top,
    with its halo. Under its sibling lines, and invisible to the mouse."""

    def __init__(self, group: WeightLines) -> None:
        super().__init__(group.edge)
        self.group = group
        self._bounds = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def fit(self) -> None:
        """Bounds around every line (after the lines moved)."""
        self.prepareGeometryChange()
        self._bounds = QRectF()
        for line in self.group.lines:
            self._bounds = self._bounds.united(line.boundingRect())

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()  # hits go to the lines themselves

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen = None
        for line in self.group.lines:
            if line.hovered:
                continue
            if line.pen() is not pen:
                pen = line.pen()
                painter.setPen(pen)
            painter.drawPath(line.path())


class WeightLine(QGraphicsItem):
    """One weight w[j, i]. A child of its EdgeItem, so it draws under the nodes. Its
    group's LinesPainter draws it, except while the mouse is on it."""

    def __init__(self, group: WeightLines, index: tuple[int, int]) -> None:
        super().__init__(group.edge)
        self.group, self.index = group, index
        self.value = 0.0
        self.level = -1
        self._pen = weight_pens()[PEN_LEVELS]
        self._path = QPainterPath()
        self._shape: QPainterPath | None = None
        self._bounds = QRectF()
        self.hovered = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def path(self) -> QPainterPath:
        return self._path

    def pen(self) -> QPen:
        return self._pen

    def set_path(self, path: QPainterPath) -> None:
        self.prepareGeometryChange()
        self._path, self._shape = path, None
        margin = (MAX_WIDTH + 4.0) / 2  # constant, so a new pen never changes the geometry
        self._bounds = path.controlPointRect().adjusted(-margin, -margin, margin, margin)

    def set_value(self, value: float, level: int) -> bool:
        """True when the pen changed (the group's painter must paint again)."""
        self.value = value
        changed = level != self.level
        if changed:
            self.level, self._pen = level, weight_pens()[level]
        if self.hovered:
            self.setToolTip(self.group.describe(self))
            self.update()
        return changed

    # --- Qt -------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None:  # only hit tests need it, so not on every move
            stroker = QPainterPathStroker()
            stroker.setWidth(max(HIT_WIDTH, self._pen.widthF()))
            self._shape = stroker.createStroke(self._path)
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if not self.hovered:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(HOVER_HALO, self._pen.widthF() + 4.0))
        painter.drawPath(self._path)
        painter.setPen(self._pen)
        painter.drawPath(self._path)

    def _set_hovered(self, hovered: bool) -> None:
        self.hovered = hovered
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, not hovered)
        self.update()
        self.group.painter.update()

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.setToolTip(self.group.describe(self))
        self._set_hovered(True)

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._set_hovered(False)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()  # so the release comes here, and no rubber band starts
        else:
            event.ignore()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self.shape().contains(event.pos()):
            self.group.on_edit(self, event.scenePos())


class WeightLines:
    """The weight lines that stand in for one EdgeItem whose target is a dense layer."""

    def __init__(self, edge: EdgeItem, on_edit: EditHandler) -> None:
        self.edge, self.on_edit = edge, on_edit
        self.name = f"{edge.target.node_id}.weight"
        self.counts = self.drawn_counts(edge)
        n_out, n_in = self.counts
        self.painter = LinesPainter(self)  # made first, so the lines (and a hovered one) lie above it
        self.lines = [WeightLine(self, (j, i)) for j in range(n_out) for i in range(n_in)]
        edge.set_weight_lines(self)  # hides the grey wire and calls `follow` when nodes move

    @staticmethod
    def drawn_counts(edge: EdgeItem) -> tuple[int, int]:
        """(drawn target neurons, drawn source neurons): the shape of the drawn sub-matrix."""
        return len(edge.target.layout.neurons), len(edge.source.layout.neurons)

    def fits(self) -> bool:
        """Still true to the canvas: the wire is shown and neither end changed its column."""
        return self.edge.scene() is not None and self.drawn_counts(self.edge) == self.counts

    def follow(self) -> None:
        """Re-attach every line to the neurons (after a node moved). When an end changed its
        column (an edit; the overlay is about to be cleared) the lines hide meanwhile."""
        sources, targets = self.edge.source.neuron_positions(), self.edge.target.neuron_positions()
        if (len(targets), len(sources)) != self.counts:
            for line in self.lines:
                line.hide()
            self.painter.hide()
            return
        for line in self.lines:
            j, i = line.index
            line.set_path(weight_path(sources[i], targets[j]))
            line.show()
        self.painter.fit()
        self.painter.show()

    def show(self, weights: np.ndarray) -> None:
        """Recolour from the (out, in) weight matrix of the whole layer."""
        n_out, n_in = self.counts
        drawn = weights[:n_out, :n_in]
        levels = pen_levels(drawn, float(np.max(np.abs(weights), initial=0.0)))
        changed = False
        for line, value, level in zip(self.lines, drawn.ravel().tolist(), levels):
            changed |= line.set_value(value, level)
        if changed:
            self.painter.update()

    def remove(self) -> None:
        self.edge.set_weight_lines(None)
        for line in self.lines:
            discard(line)
        discard(self.painter)
        self.lines.clear()

    def describe(self, line: WeightLine) -> str:
        j, i = line.index
        return (f"{self.name}[{j}, {i}] = {line.value:.3f}  (from {self._source_unit(i)} to neuron {j})\n"
                f"Click to type a new value.\n{self.edge.describe()}")

    def _source_unit(self, i: int) -> str:
        node = self.edge.source.node
        features = node.params.get("features") if node.type == "input" else None
        if features and i < len(features):
            return FEATURE_TITLES.get(features[i], features[i])
        return f"{node.label} neuron {i}"
