"""The colour scales every view shares (DESIGN.md: orange negative, blue positive).

The diverging scale runs from style.NEGATIVE (orange, -1) through style.NEUTRAL (0) to
style.POSITIVE (blue, +1): weights, activations, heatmaps, wires, regression targets. The
sequential loss scale runs from blue (low loss) through neutral to orange (high loss).
These are data colours, the same in every theme, so a picture means the same thing in
light and dark.

A background the data is drawn on (the decision boundary) is the same colours faded half
way towards the theme's ground (`ground`): white in the light theme, the plot background in
the dark one, so it sits in its window like the plots around it and the points stand out
on it in both. Faint marks (the 3-D views' faded arrows) fade towards the same ground.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PySide6.QtGui import QColor

from laegna_gui.ui.look import style
from laegna_gui.ui.look.style import Theme

LUT_SIZE = 256
BACKGROUND_LIGHTEN = 0.5  # a background is half way from the data colours to the ground: fainter than its points
WHITE = (255.0, 255.0, 255.0)
DATA_FRAME = QColor(123, 135, 148, 150)  # a frame around data colours: the same in every theme


def rgb(colour: QColor) -> np.ndarray:
    """(3,) float RGB, 0…255."""
    return np.array([colour.red(), colour.green(), colour.blue()], dtype=float)


def rgba(colour: QColor | str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    """RGBA floats 0…1, as the OpenGL items take them."""
    c = QColor(colour)
    return (c.redF(), c.greenF(), c.blueF(), float(alpha))


def ground(theme: Theme | None = None) -> tuple[float, float, float]:
    """What colours fade towards in `theme` (the current one if None): white in a light
    theme, its plot background in a dark one."""
    theme = theme or style.current()
    return tuple(rgb(theme.canvas_background)) if theme.dark else WHITE


def lighten(colours: np.ndarray, amount: float = BACKGROUND_LIGHTEN,
            towards: tuple[float, float, float] = WHITE) -> np.ndarray:
    """Mix RGB values (0…255, any leading shape) `amount` of the way towards `towards` (white)."""
    return colours + (np.asarray(towards) - colours) * amount


def backdrop(colours: np.ndarray, theme: Theme | None = None) -> np.ndarray:
    """Data colours (RGB 0…255) as the background the data is drawn on in `theme` (now if None)."""
    return lighten(colours, BACKGROUND_LIGHTEN, ground(theme))


def faded(colour: QColor | str, amount: float, alpha: float = 1.0,
          theme: Theme | None = None) -> tuple[float, float, float, float]:
    """`rgba` of the colour mixed `amount` (0…1) of the way towards the ground of `theme`
    (now if None): paler in light, darker in dark, fainter in both."""
    r, g, b = lighten(rgb(QColor(colour)), amount, ground(theme)) / 255.0
    return (float(r), float(g), float(b), float(alpha))


def diverging_rgb(values, scale: float = 1.0) -> np.ndarray:
    """(…, 3) float RGB 0…255 of `values` on the symmetric scale ±`scale` (NaN: neutral)."""
    values = np.asarray(values, dtype=np.float64)
    t = np.clip(np.nan_to_num(values / scale) if scale else np.zeros_like(values), -1.0, 1.0)[..., None]
    neutral = rgb(style.NEUTRAL)
    end = np.where(t >= 0, rgb(style.POSITIVE), rgb(style.NEGATIVE))
    return neutral + (end - neutral) * np.abs(t)


def diverging(value: float, scale: float = 1.0) -> QColor:
    """Orange for negative, blue for positive, fading to neutral at zero."""
    r, g, b = diverging_rgb(float(value), scale) / 255.0
    return QColor.fromRgbF(float(r), float(g), float(b))


def diverging_rgba(values, scale: float = 1.0, alpha: float = 1.0) -> np.ndarray:
    """(n, 4) float32 RGBA 0…1 of `values` on ±`scale`, for the OpenGL items."""
    out = np.empty(np.shape(values) + (4,), dtype=np.float32)
    out[..., :3] = diverging_rgb(values, scale) / 255.0
    out[..., 3] = alpha
    return out


@cache
def diverging_lut(size: int = LUT_SIZE, lightened: float = 0.0, alpha: bool = False,
                  towards: tuple[float, float, float] = WHITE) -> np.ndarray:
    """(size, 3) uint8 RGB (RGBA if `alpha`) from -1 (first row) to +1 (last row), each colour
    mixed `lightened` of the way towards `towards`; read-only."""
    table = np.rint(lighten(diverging_rgb(np.linspace(-1.0, 1.0, size)), lightened, towards)).astype(np.uint8)
    if alpha:
        table = np.concatenate([table, np.full((size, 1), 255, dtype=np.uint8)], axis=1)
    table.setflags(write=False)
    return table


def backdrop_lut(theme: Theme | None = None) -> np.ndarray:
    """The diverging scale as a background in `theme` (now if None): `backdrop` of each row."""
    return diverging_lut(lightened=BACKGROUND_LIGHTEN, towards=ground(theme))


def lut_index(values: np.ndarray, scale: float, size: int = LUT_SIZE) -> np.ndarray:
    """Row of a diverging LUT for each value on a symmetric scale ±`scale` (NaN: the middle)."""
    t = np.clip(np.nan_to_num(values / scale), -1.0, 1.0)
    return np.rint((t + 1.0) * ((size - 1) / 2)).astype(np.intp)


def loss_colors(unit: np.ndarray) -> np.ndarray:
    """(…, 4) float32 RGBA for losses placed 0…1 on their scale: blue (low) → neutral → orange (high)."""
    t = np.clip(np.asarray(unit, dtype=np.float64), 0.0, 1.0)
    out = np.ones(t.shape + (4,), dtype=np.float32)
    out[..., :3] = diverging_rgb(1.0 - 2.0 * t) / 255.0  # low loss is the positive (blue) end
    return out
