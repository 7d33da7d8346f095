"""A short-lived message drawn on the canvas where the user is looking."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from laegna_gui.ui.look import style
from laegna_gui.ui.canvas import fonts
from laegna_gui.ui.canvas.fonts import canvas_font

MAX_TEXT_WIDTH = 280.0
PADDING = 8.0
OFFSET = 14.0  # from the point it refers to, so the cursor does not hide it
WRAP = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft)


class MessageBubble(QGraphicsObject):
    """White text on a red rounded box; keeps its size at any zoom; removes itself."""

    def __init__(self, text: str, lifetime_ms: int) -> None:
        super().__init__()
        self.text = text
        metrics = QFontMetricsF(canvas_font(*fonts.MESSAGE))
        bounds = metrics.boundingRect(QRectF(0, 0, MAX_TEXT_WIDTH, 1000), WRAP, text)
        self._text_rect = QRectF(OFFSET + PADDING, OFFSET + PADDING, bounds.width() + 1, bounds.height())
        self._rect = self._text_rect.adjusted(-PADDING, -PADDING, PADDING, PADDING)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(100.0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self._timer.start(lifetime_ms)

    def dismiss(self) -> None:
        scene = self.scene()
        if scene is not None:
            scene.removeItem(self)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 3, 3)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 40))
        painter.drawRoundedRect(self._rect.translated(1.5, 2.0), 7.0, 7.0)
        painter.setBrush(style.ERROR)
        painter.drawRoundedRect(self._rect, 7.0, 7.0)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(canvas_font(*fonts.MESSAGE))
        painter.drawText(self._text_rect, WRAP, self.text)
