"""The small circles on a node's sides where wires end (input) and start (output)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem, QGraphicsItem, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem, QWidget,
)

from laegna_gui.ui.look import style
from laegna_gui.ui.canvas.geometry import NODE_WIDTH, PORT_RADIUS

HIT_RADIUS = 9.0  # the output port is easier to grab than it looks


class PortItem(QGraphicsEllipseItem):
    """A port circle, centred on the node's left or right edge at the column centre."""

    def __init__(self, parent: QGraphicsItem, x: float, tooltip: str) -> None:
        r = PORT_RADIUS
        super().__init__(QRectF(-r, -r, 2 * r, 2 * r), parent)
        self.setPos(QPointF(x, 0.0))
        self.setToolTip(tooltip)
        self.hovered = False

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        theme = style.current()  # read when drawn, so a theme switch needs only a repaint
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.port_edge, 1.5))
        painter.setBrush(style.ACCENT if self.hovered else theme.port_fill)
        painter.drawEllipse(self.rect())

    def scene_centre(self) -> QPointF:
        return self.mapToScene(QPointF(0.0, 0.0))


class InputPort(PortItem):
    """Where wires come in. Presses fall through to the node, so it can be dragged."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent, -NODE_WIDTH / 2, "Wires come in here")
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)


class OutputPort(PortItem):
    """Where wires start: pressing here begins a wire gesture on the scene."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent, NODE_WIDTH / 2, "Drag from here onto another layer to wire them")
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0.0, 0.0), HIT_RADIUS, HIT_RADIUS)
        return path

    def boundingRect(self) -> QRectF:
        return QRectF(-HIT_RADIUS, -HIT_RADIUS, 2 * HIT_RADIUS, 2 * HIT_RADIUS)

    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.hovered = True
        self.update()

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.hovered = False
        self.update()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        self.scene().begin_wire(self.parentItem(), event.scenePos())
        event.accept()
