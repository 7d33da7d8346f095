"""A wire between two nodes: a Bézier curve from an output port to an input port."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from laegna_gui.ui.look import style
from laegna_gui.ui.canvas import fonts
from laegna_gui.ui.canvas.fonts import canvas_font

if TYPE_CHECKING:
    from laegna_gui.ui.canvas.node_item import NodeItem
    from laegna_gui.ui.canvas.weight_lines import WeightLines

HIT_WIDTH = 12.0  # clicks this close to the curve select it
LABEL_GAP = 8.0   # from the output port's centre to the width badge


DETOUR_GAP = 22.0  # how far a detouring wire keeps clear of the nodes it avoids
DETOUR_BEND = 30.0


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A curve that leaves `start` and enters `end` horizontally, left to right."""
    bend = max(abs(end.x() - start.x()) * 0.5, 40.0)
    path = QPainterPath(start)
    path.cubicTo(start + QPointF(bend, 0.0), end - QPointF(bend, 0.0), end)
    return path


def detour_path(start: QPointF, end: QPointF, lane: float) -> QPainterPath:
    """Up (or down) to a free horizontal lane, along it, and back down into `end`."""
    r = DETOUR_BEND
    path = QPainterPath(start)
    path.cubicTo(start + QPointF(r, 0.0), QPointF(start.x() + r, lane), QPointF(start.x() + 2 * r, lane))
    path.lineTo(end.x() - 2 * r, lane)
    path.cubicTo(QPointF(end.x() - r, lane), end - QPointF(r, 0.0), end)
    return path


def _blocked_by(path: QPainterPath, obstacles: list[QRectF]) -> list[QRectF]:
    samples = [path.pointAtPercent(i / 40) for i in range(1, 40)]
    return [rect for rect in obstacles if any(rect.contains(p) for p in samples)]


def routed_path(start: QPointF, end: QPointF, obstacles: list[QRectF]) -> QPainterPath:
    """The plain curve, unless it would run through other nodes: then a detour above or
    below them, whichever stays closer to the ports."""
    path = wire_path(start, end)
    blocked = _blocked_by(path, obstacles)
    if not blocked or end.x() - start.x() < 4 * DETOUR_BEND:
        return path
    span = [r for r in obstacles if r.right() > start.x() and r.left() < end.x()]
    above = min(r.top() for r in span) - DETOUR_GAP
    below = max(r.bottom() for r in span) + DETOUR_GAP
    level = min(start.y(), end.y())
    return detour_path(start, end, above if level - above <= below - level else below)


class WidthLabel(QGraphicsItem):
    """The number of values a wire carries: a small badge on the wire near its source."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.text = ""
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(1.0)  # above the weight lines, its siblings

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.prepareGeometryChange()
            self.text = text
        self.setVisible(bool(text))

    def boundingRect(self) -> QRectF:
        width = QFontMetricsF(canvas_font(*fonts.WIRE_LABEL)).horizontalAdvance(self.text) + 10
        return QRectF(0.0, -9.0, max(width, 18.0), 18.0)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        theme = style.current()
        painter.setPen(QPen(theme.grid, 1.0))
        painter.setBrush(theme.canvas_background)
        rect = self.boundingRect().adjusted(0.5, 0.5, -0.5, -0.5)
        painter.drawRoundedRect(rect, 8.5, 8.5)
        painter.setPen(theme.muted_text)
        painter.setFont(canvas_font(*fonts.WIRE_LABEL))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)


class EdgeItem(QGraphicsPathItem):
    """Shows one graph edge; follows both end nodes, also while they are dragged.

    While a snapshot is shown, a wire into a dense layer is drawn by its WeightLines
    (child items, one per weight) instead: the grey curve is hidden and lets the mouse
    through to them; only its width badge stays."""

    def __init__(self, source: NodeItem, target: NodeItem) -> None:
        super().__init__()
        self.source, self.target = source, target
        self.edge = (source.node_id, target.node_id)
        self._hovered = False
        self.width: int | None = None  # what the wire carries per point (None: not known)
        self._shape = QPainterPath()
        self.weight_lines: WeightLines | None = None
        self.label = WidthLabel(self)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(0.0)
        source.edges.append(self)
        target.edges.append(self)
        self.update_path()

    def detach(self) -> None:
        """Forget both ends (before the item leaves the scene)."""
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def update_path(self) -> None:
        start, end = self.source.output_point(), self.target.input_point()
        path = routed_path(start, end, self._obstacles())
        stroker = QPainterPathStroker()
        stroker.setWidth(HIT_WIDTH)
        self._shape = stroker.createStroke(path)
        self.setPath(path)
        # A badge on the wire's first few pixels, where every wire of a fan-out still
        # runs together, so no other wire crosses it.
        self.label.setPos(start + QPointF(LABEL_GAP, 0.0))
        if self.weight_lines is not None:
            self.weight_lines.follow()

    def set_weight_lines(self, lines: WeightLines | None) -> None:
        """Hand the drawing of this wire to `lines` (None: draw the grey curve again)."""
        self.weight_lines = lines
        if lines is not None:
            lines.follow()
        self.update()

    def _obstacles(self) -> list[QRectF]:
        scene = self.scene()
        nodes = getattr(scene, "nodes", {}) if scene is not None else {}
        return [item.sceneBoundingRect() for item in nodes.values() if item not in (self.source, self.target)]

    def set_width(self, width: int | None, show_label: bool) -> None:
        self.width = width
        self.label.set_text(str(width) if width is not None and show_label else "")
        self.setZValue(0.5 if self.label.text else 0.0)  # its badge stays above sibling wires
        self.setToolTip(self.describe())

    def describe(self) -> str:
        """What the wire carries, as a tensor: its shape is (batch, width)."""
        src, dst = self.source.node.label, self.target.node.label
        if self.width is None:
            return f"{src} → {dst}: its shape is known once the network is valid"
        numbers = f"{self.width} number{'s' if self.width != 1 else ''}"
        batch = getattr(self.scene(), "batch_size", lambda: None)()
        step = ("" if batch is None else f" — ({batch}, {self.width}) in a training step of batch size {batch}"
                if batch else f" — (all training points, {self.width}) in a full-batch step")
        return f"{src} → {dst}: a tensor of shape (batch, {self.width}), one row of {numbers} per point{step}"

    def shape(self) -> QPainterPath:
        return self._shape if self.weight_lines is None else QPainterPath()

    def boundingRect(self) -> QRectF:
        return self._shape.boundingRect()

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = True
        self.setToolTip(self.describe())  # the batch size may have changed since the wiring
        self.update()

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = False
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.weight_lines is not None and not self.isSelected():
            return
        if self.isSelected():
            pen = QPen(style.ACCENT, 3.0)
        else:
            theme = style.current()
            pen = QPen(theme.wire_hover if self._hovered else theme.wire, 2.0)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
