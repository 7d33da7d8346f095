"""Typing a new value for one weight, in a small field right where the user clicked."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsProxyWidget, QGraphicsScene, QLineEdit

EDITOR_WIDTH = 96
Commit = Callable[[str, tuple, float], None]
Refuse = Callable[[str, QPointF], None]


def parse_number(text: str) -> float | None:
    """The finite number typed in `text` (a decimal comma is accepted), else None."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class WeightField(QLineEdit):
    """A line edit that reports Escape and losing focus as `cancelled`."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # its own context menu keeps it open
            self.cancelled.emit()


class WeightEditor:
    """Opens on the canvas at `at`, prefilled with `value`. Enter with a number calls
    `commit(name, index, number)`; Enter with anything else calls `refuse(message, at)`;
    Escape or clicking elsewhere closes it without a word."""

    def __init__(self, scene: QGraphicsScene, name: str, index: tuple[int, ...], value: float,
                 at: QPointF, commit: Commit, refuse: Refuse) -> None:
        self.name, self.index, self.at = name, index, at
        self._commit, self._refuse = commit, refuse
        self.field = WeightField(f"{value:.4g}")
        self.field.setObjectName("weightEditor")
        self.field.setAccessibleName(f"New value for {name}{list(index)}")
        self.field.setToolTip(f"New value for {name}{list(index)}. Enter applies it, Escape cancels.")
        self.field.setFixedWidth(EDITOR_WIDTH)
        self.field.selectAll()
        self.proxy: QGraphicsProxyWidget = scene.addWidget(self.field)
        self.proxy.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # readable at any zoom
        self.proxy.setZValue(90.0)
        self.proxy.setPos(at)
        self.field.returnPressed.connect(self._enter)
        self.field.cancelled.connect(self.close)
        self.is_open = True
        self.proxy.setFocus()
        self.field.setFocus()

    def _enter(self) -> None:
        if not self.is_open:
            return
        text = self.field.text()
        value = parse_number(text)
        self.close()
        if value is None:
            self._refuse(f"“{text.strip()}” is not a number; {self.name}{list(self.index)} is unchanged.", self.at)
        else:
            self._commit(self.name, self.index, value)

    def close(self) -> None:
        """Hide now, delete later: this may run inside the field's own signal."""
        if not self.is_open:
            return
        self.is_open = False
        self.proxy.hide()
        self.proxy.deleteLater()
