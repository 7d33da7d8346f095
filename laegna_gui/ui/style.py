"""Colours and sizes shared by every view (DESIGN.md: orange negative, blue positive).

Data colours (orange/blue, the class colours, the neutral middle of the diverging scale)
are the same in every theme, so a picture means the same thing in light and dark. The
colours of the surroundings (background, grid, text, node cards, wires) belong to a
`Theme`; `current()` is the one in use. `style.TEXT`, `style.MUTED_TEXT`,
`style.CANVAS_BACKGROUND`, `style.GRID` and `style.GROUP_COLORS` read the current theme,
so a view that looks them up when it draws follows a theme switch (ui/theme.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtGui import QColor

NEGATIVE = QColor("#f59322")   # orange
POSITIVE = QColor("#0877bd")   # blue
NEUTRAL = QColor("#e8eaeb")
ERROR = QColor("#d62728")
ACCENT = QColor("#2a6fdb")
DATA_INK = QColor("#1f2933")   # text printed on data colours (heatmap cells): dark in every theme

CLASS_COLORS = [NEGATIVE, POSITIVE, QColor("#2ca02c"), QColor("#9467bd"), QColor("#8c564b"),
                QColor("#e377c2"), QColor("#7f7f7f"), QColor("#bcbd22"), QColor("#17becf"),
                QColor("#d62728")]


def _colors(**hexes: str) -> dict[str, QColor]:
    return {name: QColor(value) for name, value in hexes.items()}


@dataclass(frozen=True)
class Theme:
    """The colours of everything around the data, for one look (light or dark)."""

    name: str
    title: str
    canvas_background: QColor
    grid: QColor
    text: QColor
    muted_text: QColor
    error_text: QColor
    wire: QColor
    wire_hover: QColor
    neuron_fill: QColor
    neuron_edge: QColor
    port_fill: QColor
    port_edge: QColor
    well_fill: QColor            # the panel behind a card's neurons
    group_colors: dict[str, QColor] = field(default_factory=dict)   # one card tint per palette group
    dark: bool = False


LIGHT = Theme(
    "light", "Light",
    canvas_background=QColor("#f7f8fa"), grid=QColor("#e3e6ea"), text=QColor("#1f2933"),
    muted_text=QColor("#6b7785"), error_text=QColor("#d62728"),
    wire=QColor("#9aa5b1"), wire_hover=QColor("#6b7785"),
    neuron_fill=QColor("#dfe4ea"), neuron_edge=QColor("#7b8794"),
    port_fill=QColor("#ffffff"), port_edge=QColor("#7b8794"), well_fill=QColor(255, 255, 255, 190),
    group_colors=_colors(Data="#dfe3e8", Layers="#d6e6f5", Activations="#ede3f6", Merge="#dcefe2"),
)

DARK = Theme(
    "dark", "Dark",
    canvas_background=QColor("#1c2026"), grid=QColor("#2a3038"), text=QColor("#e4e8ed"),
    muted_text=QColor("#9aa5b1"), error_text=QColor("#ff7b72"),
    wire=QColor("#5d6873"), wire_hover=QColor("#a9b4bf"),
    neuron_fill=QColor("#4a535e"), neuron_edge=QColor("#8a96a3"),
    port_fill=QColor("#2b3139"), port_edge=QColor("#8a96a3"), well_fill=QColor(10, 12, 16, 110),
    group_colors=_colors(Data="#363d46", Layers="#24405a", Activations="#3f3354", Merge="#27463a"),
    dark=True,
)

THEMES: dict[str, Theme] = {theme.name: theme for theme in (LIGHT, DARK)}
_current: list[Theme] = [LIGHT]

# module attribute → Theme field: read through `current()` on every access (see __getattr__)
_THEMED = {"CANVAS_BACKGROUND": "canvas_background", "GRID": "grid", "TEXT": "text",
           "MUTED_TEXT": "muted_text", "GROUP_COLORS": "group_colors"}


def current() -> Theme:
    """The theme the views draw with now."""
    return _current[0]


def set_current(theme: Theme) -> None:
    """Only ui/theme.py calls this: it also restyles the application and repaints."""
    _current[0] = theme


def __getattr__(name: str):
    """`style.TEXT` and friends follow the current theme."""
    if name in _THEMED:
        return getattr(current(), _THEMED[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
