"""Colours and sizes shared by every view (DESIGN.md: orange negative, blue positive)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

NEGATIVE = QColor("#f59322")   # orange
POSITIVE = QColor("#0877bd")   # blue
NEUTRAL = QColor("#e8eaeb")
ERROR = QColor("#d62728")
ACCENT = QColor("#2a6fdb")
CANVAS_BACKGROUND = QColor("#f7f8fa")
GRID = QColor("#e3e6ea")
TEXT = QColor("#1f2933")
MUTED_TEXT = QColor("#6b7785")

# One tint per palette group, so a node's kind reads at a glance.
GROUP_COLORS = {
    "Data": QColor("#dfe3e8"),
    "Layers": QColor("#d6e6f5"),
    "Activations": QColor("#ede3f6"),
    "Merge": QColor("#dcefe2"),
}

CLASS_COLORS = [NEGATIVE, POSITIVE, QColor("#2ca02c"), QColor("#9467bd"), QColor("#8c564b"),
                QColor("#e377c2"), QColor("#7f7f7f"), QColor("#bcbd22"), QColor("#17becf"),
                QColor("#d62728")]


def class_color(index: int) -> QColor:
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def diverging(value: float, scale: float = 1.0) -> QColor:
    """Orange for negative, blue for positive, fading to neutral at zero."""
    t = float(np.clip(value / scale if scale else 0.0, -1.0, 1.0))
    end = POSITIVE if t >= 0 else NEGATIVE
    a = abs(t)
    return QColor.fromRgbF(
        NEUTRAL.redF() + (end.redF() - NEUTRAL.redF()) * a,
        NEUTRAL.greenF() + (end.greenF() - NEUTRAL.greenF()) * a,
        NEUTRAL.blueF() + (end.blueF() - NEUTRAL.blueF()) * a,
    )
