"""Fonts of the canvas, in points (10–11 pt for anything a user must read)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFont

TITLE = (10.5, QFont.Weight.DemiBold)
TITLE_LONG = (10.0, QFont.Weight.Normal)  # long labels ("leaky ReLU 0.01") still fit
SUBTITLE = (10.0, QFont.Weight.Normal)
MARKER = (10.0, QFont.Weight.DemiBold)
WIRE_LABEL = (10.0, QFont.Weight.Normal)
MESSAGE = (10.0, QFont.Weight.Normal)


@cache  # made on first use: a QFont made before the application has the wrong metrics
def canvas_font(points: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    font.setWeight(weight)
    return font
