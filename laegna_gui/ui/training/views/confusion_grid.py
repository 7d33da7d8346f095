"""The confusion matrix, painted: K×K cells of counts, the classes along both sides.

A cell's fill says what share of its row (its true class) it holds: the theme's ground for
none, deeper towards the theme's text colour for more. The ramp stops where the counts,
printed in the theme's text colour, would stop reading (INK_RATIO), so every cell reads in
both themes. The classes are named by number beside a dot of their data colour, as the
boundary plot colours them. Clicking a cell says so (`cell_clicked`); Escape, when the grid
has the focus, too (`escaped`).
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from laegna_gui.core.confusion import row_shares
from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import ground, lighten, rgb
from laegna_gui.ui.look.theme import signals as theme_signals

FONT_PT = 8
MAX_CELL = 34  # px: a 2×2 matrix stays compact in a tall dock
MAX_WIDTH = 150  # px: many classes make small cells, not a wide matrix
DOT = 7  # px: the class dot beside its number
INK_RATIO = 4.8  # the counts' contrast on the fullest cell (AA asks 4.5:1)
GAP = 3  # px between the class names and the cells
ANSWER_CAPTION, TRUE_CAPTION = "answer →", "true ↓"


@cache
def _depth(theme_name: str) -> float:
    """How far towards the text colour a full row may go while the text still reads on it."""
    theme = style.THEMES[theme_name]
    for depth in np.linspace(1.0, 0.0, 51):
        if style.contrast_ratio(theme.text, _mixed(theme, depth)) >= INK_RATIO:
            return float(depth)
    return 0.0


def _mixed(theme: style.Theme, amount: float) -> QColor:
    r, g, b = lighten(np.asarray(ground(theme)), amount, tuple(rgb(theme.text)))
    return QColor(round(r), round(g), round(b))


def share_colour(share: float, theme: style.Theme | None = None) -> QColor:
    """The fill of a cell holding `share` (0…1) of its row, in `theme` (the current one if None)."""
    theme = theme or style.current()
    return _mixed(theme, float(np.clip(share, 0.0, 1.0)) * _depth(theme.name))


class ConfusionGrid(QWidget):
    """`show_counts(counts)` draws a matrix ([true, answer]; None: K empty cells, `set_classes`);
    `chosen` (true, answer) is framed. `describe(true, answer)` gives a cell's tooltip."""

    cell_clicked = Signal(int, int)  # true class, answer
    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionGrid")
        font = QFont(self.font())
        font.setPointSize(FONT_PT)
        self.setFont(font)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a click on a cell lets Escape clear it
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.n_classes = 2
        self.counts: np.ndarray | None = None
        self.chosen: tuple[int, int] | None = None
        self.describe = lambda true, answer: ""
        theme_signals().theme_changed.connect(self._theme_changed)  # a method: Qt disconnects it with us

    def set_classes(self, n: int) -> None:
        self.n_classes, self.counts, self.chosen = n, None, None
        self.update()

    def show_counts(self, counts: np.ndarray | None, chosen: tuple[int, int] | None) -> None:
        self.counts, self.chosen = counts, chosen
        self.update()

    # --- geometry ---------------------------------------------------------------------
    def _label_width(self) -> float:
        metrics = QFontMetricsF(self.font())
        names = DOT + 3 + metrics.horizontalAdvance(str(self.n_classes - 1))
        return max(metrics.horizontalAdvance(TRUE_CAPTION), names) + GAP

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override
        line = QFontMetricsF(self.font()).height()
        side = min(self.n_classes * MAX_CELL, MAX_WIDTH - self._label_width() - 2)
        return QSize(int(self._label_width() + side) + 2, int(2 * line + GAP + side) + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — Qt override: room for the captions and small cells
        line = QFontMetricsF(self.font()).height()
        return QSize(int(self._label_width() + 2 * line) + 2, int(4 * line + GAP))

    def _cell_size(self) -> float:
        line = QFontMetricsF(self.font()).height()
        room = min(self.width() - self._label_width() - 2, self.height() - 2 * line - GAP - 2)
        return max(1.0, min(MAX_CELL, room / self.n_classes))

    def _origin(self) -> QPointF:
        return QPointF(self._label_width(), 2 * QFontMetricsF(self.font()).height() + GAP)

    def cell_rect(self, true: int, answer: int) -> QRectF:
        size, origin = self._cell_size(), self._origin()
        return QRectF(origin.x() + answer * size, origin.y() + true * size, size, size)

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        size, origin = self._cell_size(), self._origin()
        answer, true = int((pos.x() - origin.x()) // size), int((pos.y() - origin.y()) // size)
        inside = pos.x() >= origin.x() and pos.y() >= origin.y()
        return (true, answer) if inside and true < self.n_classes and answer < self.n_classes else None

    # --- painting -----------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802 — Qt override
        theme = style.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font())
        self._paint_captions(painter, theme)
        shares = None if self.counts is None else row_shares(self.counts)
        for true in range(self.n_classes):
            for answer in range(self.n_classes):
                share = 0.0 if shares is None else shares[true, answer]
                self._paint_cell(painter, theme, true, answer, share)
        if self.chosen is not None:
            painter.setPen(QPen(theme.highlight, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(*self.chosen).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.end()

    def _paint_captions(self, painter: QPainter, theme: style.Theme) -> None:
        line, size, origin = QFontMetricsF(self.font()).height(), self._cell_size(), self._origin()
        painter.setPen(theme.muted_text)
        span = QRectF(origin.x(), 0, self.n_classes * size, line)
        painter.drawText(span, Qt.AlignmentFlag.AlignCenter, ANSWER_CAPTION)
        painter.drawText(QRectF(0, line, origin.x(), line), Qt.AlignmentFlag.AlignLeft, TRUE_CAPTION)
        for k in range(self.n_classes):
            self._paint_class(painter, theme, k, QRectF(origin.x() + k * size, line, size, line))
            self._paint_class(painter, theme, k, QRectF(0, origin.y() + k * size, origin.x() - GAP, size))

    def _paint_class(self, painter: QPainter, theme: style.Theme, k: int, box: QRectF) -> None:
        """A class dot in its data colour and the class number, centred in `box`."""
        text = str(k)
        width = DOT + 3 + QFontMetricsF(self.font()).horizontalAdvance(text)
        left = box.center().x() - width / 2
        painter.setPen(QPen(theme.text, 0.8))
        painter.setBrush(style.class_color(k))
        painter.drawEllipse(QRectF(left, box.center().y() - DOT / 2, DOT, DOT))
        painter.drawText(QRectF(left + DOT + 3, box.top(), width, box.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_cell(self, painter: QPainter, theme: style.Theme, true: int, answer: int, share: float) -> None:
        box = self.cell_rect(true, answer)
        painter.setPen(QPen(theme.wire, 1))
        painter.setBrush(share_colour(share, theme))
        painter.drawRect(box.adjusted(0.5, 0.5, -0.5, -0.5))
        if self.counts is None:
            return
        text = f"{int(self.counts[true, answer]):,}"
        if QFontMetricsF(self.font()).horizontalAdvance(text) + 4 <= box.width():  # else only the tooltip says
            painter.setPen(theme.text)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # --- the mouse and the keys ---------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip:
            return super().event(event)
        cell = self.cell_at(QPointF(event.pos()))  # a cell says what it counts, the rest what the grid is
        QToolTip.showText(event.globalPos(), self.describe(*cell) if cell is not None else self.toolTip(), self)
        return True

    def mousePressEvent(self, event) -> None:  # noqa: N802 — Qt override
        cell = self.cell_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and cell is not None:
            self.cell_clicked.emit(*cell)
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 — Qt override
        if event.key() == Qt.Key.Key_Escape and self.chosen is not None:
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    def _theme_changed(self, _name: str) -> None:
        self.update()
