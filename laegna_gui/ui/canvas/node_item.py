"""A node on the canvas: a tinted card with its label, parameter count and neurons."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from laegna_gui.core.graph import Node
from laegna_gui.core.nodes import node_type
from laegna_gui.ui.look import style
from laegna_gui.ui.canvas import fonts
from laegna_gui.ui.canvas.fonts import canvas_font
from laegna_gui.ui.canvas.geometry import CORNER, NEURON_RADIUS, NodeLayout, node_layout
from laegna_gui.ui.canvas.ports import InputPort, OutputPort

if TYPE_CHECKING:
    from laegna_gui.ui.canvas.edge_item import EdgeItem

HALO = 4.0  # the selection halo reaches this far outside the card


class NodeItem(QGraphicsItem):
    """Shows one graph node. The scene feeds it the node, its width and its error."""

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node_id = node.id
        self.node = node
        self.edges: list[EdgeItem] = []
        self.width: int | None = None
        self.params_text = ""
        self.error_message: str | None = None
        self.layout: NodeLayout = node_layout(node.type, None)
        kind = node_type(node.type)
        self.input_port = InputPort(self) if kind.max_inputs != 0 else None
        self.output_port = OutputPort(self) if kind.has_output else None
        flags = QGraphicsItem.GraphicsItemFlag
        self.setFlags(flags.ItemIsMovable | flags.ItemIsSelectable | flags.ItemSendsGeometryChanges)
        self.setZValue(1.0)
        # the card is painted into a pixmap once and only blitted while the live overlay on
        # top of it changes ~30 times a second; update() (or a theme switch) paints it again
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setPos(QPointF(*node.pos))
        self._update_tooltip()

    # --- what the scene tells it ---------------------------------------------
    def set_node(self, node: Node) -> None:
        """New parameters (the label may change; the size follows in `set_width`)."""
        self.node = node
        self.update()

    def set_width(self, width: int | None, params_text: str) -> None:
        if (width, params_text) == (self.width, self.params_text):
            return
        self.prepareGeometryChange()
        self.width, self.params_text = width, params_text
        self.layout = node_layout(self.node.type, width)
        self.update()

    def set_error(self, message: str | None) -> None:
        if message != self.error_message:
            self.error_message = message
            self._update_tooltip()
            self.update()

    # --- what others ask ------------------------------------------------------
    @property
    def in_error(self) -> bool:
        return self.error_message is not None

    @property
    def hidden_units(self) -> int:
        """Units not drawn as circles (shown as the "+N" marker)."""
        return self.layout.hidden

    def neuron_positions(self) -> list[QPointF]:
        """Centres of the drawn neuron circles, in scene coordinates, top to bottom."""
        return [self.mapToScene(p) for p in self.layout.neurons]

    def input_point(self) -> QPointF:
        return self.input_port.scene_centre() if self.input_port else self.scenePos()

    def output_point(self) -> QPointF:
        return self.output_port.scene_centre() if self.output_port else self.scenePos()

    def height(self) -> float:
        return self.layout.rect.height()

    # --- Qt -------------------------------------------------------------------
    def boundingRect(self) -> QRectF:
        return self.layout.rect.adjusted(-HALO, -HALO, HALO, HALO)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.layout.rect, CORNER, CORNER)
        return path

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):  # noqa: N802 (Qt override)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
        return super().itemChange(change, value)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_card(painter)
        self._paint_text(painter)
        self._paint_neurons(painter)

    # --- drawing --------------------------------------------------------------
    def _paint_card(self, painter: QPainter) -> None:
        theme = style.current()
        rect, tint = self.layout.rect, theme.group_colors.get(node_type(self.node.type).group, theme.neuron_fill)
        if self.isSelected():
            halo = QColor(style.ACCENT)
            halo.setAlpha(70)
            painter.setPen(QPen(halo, 2 * HALO))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect, CORNER, CORNER)
        if self.in_error:
            edge = QPen(style.ERROR, 2.5)
        elif self.isSelected():
            edge = QPen(style.ACCENT, 2.0)
        else:
            edge = QPen(tint.lighter(150) if theme.dark else tint.darker(135), 1.0)
        painter.setPen(edge)
        painter.setBrush(tint)
        painter.drawRoundedRect(rect, CORNER, CORNER)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.well_fill)
        painter.drawRoundedRect(self.layout.well_rect, 5.0, 5.0)

    @property
    def title(self) -> str:
        """The card's title. The Input card counts the values the network receives, which
        the data decides as much as the checked features (1-D data ignores them)."""
        if self.node.type == "input" and self.width is not None:
            return f"{self.node.label} ({self.width})"
        return self.node.label

    def _paint_text(self, painter: QPainter) -> None:
        title_rect = self.layout.title_rect
        theme = style.current()
        painter.setPen(theme.error_text if self.in_error else theme.text)
        font = canvas_font(*fonts.TITLE)
        if QFontMetricsF(font).horizontalAdvance(self.title) > title_rect.width():
            font = canvas_font(*fonts.TITLE_LONG)
        painter.setFont(font)
        title = QFontMetricsF(font).elidedText(self.title, Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignCenter, title)
        if self.layout.subtitle_rect is not None and self.params_text:
            painter.setPen(theme.muted_text)
            painter.setFont(canvas_font(*fonts.SUBTITLE))
            painter.drawText(self.layout.subtitle_rect, Qt.AlignmentFlag.AlignCenter, self.params_text)

    def _paint_neurons(self, painter: QPainter) -> None:
        theme = style.current()
        painter.setPen(QPen(theme.neuron_edge, 1.2))
        painter.setBrush(theme.neuron_fill)
        for centre in self.layout.neurons:
            painter.drawEllipse(centre, NEURON_RADIUS, NEURON_RADIUS)
        if self.layout.marker is not None:
            painter.setPen(theme.muted_text)
            painter.setFont(canvas_font(*fonts.MARKER))
            box = QRectF(-40, self.layout.marker.y() - 9, 80, 18)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, f"+{self.layout.hidden}")

    def _update_tooltip(self) -> None:
        kind = node_type(self.node.type)
        text = f"<b>{html.escape(kind.title, quote=False)}</b><br>{html.escape(kind.help, quote=False)}"
        if self.error_message:
            message = html.escape(self.error_message, quote=False)
            text += f"<br><br><span style='color:{style.ERROR.name()}'>⚠ {message}</span>"
        self.setToolTip(text)
