"""A line of text that changes with every snapshot, without laying the window out again.

A QLabel asks its parents to lay themselves out again for every new text, up to the main
window, which then animates its docks towards the same places; 30 times a second while
training runs. This widget only repaints itself, and asks for a new layout only when the
text needs another number of lines (it word-wraps like a QLabel with `setWordWrap(True)`).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap


class LiveText(QWidget):
    """`setText`/`text` like a QLabel; coloured by its palette's WindowText (a style sheet's
    `color:` sets it)."""

    def __init__(self, object_name: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setToolTip(tooltip)
        self._text = ""
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 — the QLabel name, so it reads like one
        if text == self._text:
            return
        width = self.contentsRect().width()
        before = self._text_height(self._text, width), bool(self._text)
        self._text = text
        if (self._text_height(text, width), bool(text)) != before:
            self.updateGeometry()  # another number of lines: the layout must make room
        self.update()

    def _text_height(self, text: str, width: int) -> int:
        """Pixels `text` needs at `width`; an empty text keeps one line, as a QLabel does."""
        rect = QRect(0, 0, max(width, 1), 10_000)
        return QFontMetrics(self.font()).boundingRect(rect, FLAGS, text or " ").height()

    # --- Qt --------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:  # noqa: N802 — Qt override
        return bool(self._text)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 — Qt override
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right()
        return self._text_height(self._text, inner) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override
        metrics = QFontMetrics(self.font())
        margins = self.contentsMargins()
        width = metrics.horizontalAdvance(self._text) + margins.left() + margins.right()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — Qt override: it wraps, so any width will do
        margins = self.contentsMargins()
        return QSize(0, QFontMetrics(self.font()).height() + margins.top() + margins.bottom())

    def paintEvent(self, event) -> None:  # noqa: N802 — Qt override
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(FLAGS), self.palette(), self.isEnabled(),
                                  self._text, QPalette.ColorRole.WindowText)
