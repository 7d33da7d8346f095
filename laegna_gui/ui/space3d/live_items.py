"""Small helpers shared by the live 3-D views (layer space, loss landscape).

Plain numpy colour/geometry helpers work without OpenGL; the `gl_*` factories import
pyqtgraph.opengl lazily and are only called when a GLViewWidget exists.

The views sit on the theme's background (light or dark, see scene_theme.py), so every GL
item here uses 'translucent' or 'opaque' blending: pyqtgraph's default 'additive' blending
adds colour to the background and would wash everything out to white. `AXIS_RGBA`,
`GRID_LINE_RGBA` and `FLOOR_RGBA` are the current theme's inks, read when a view uses them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtGui import QColor, QFont

from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import diverging_rgba, rgba
from laegna_gui.ui.space3d.scene_theme import ink, ink_255

# module constant → (scene_theme role, its form): read through the current theme on every access
_INKED = {"AXIS_RGBA": ("axis", ink), "GRID_LINE_RGBA": ("grid_line", ink),
          "FLOOR_RGBA": ("floor", ink_255)}  # GLGridItem takes 0…255


def __getattr__(name: str):
    """`AXIS_RGBA` and friends are the current theme's inks."""
    if name in _INKED:
        role, form = _INKED[name]
        return form(role)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def is_classes(labels: np.ndarray) -> bool:
    """Class indices (ints, or floats that are small non-negative integers) or regression values."""
    labels = np.asarray(labels)
    if labels.size == 0:
        return True
    if labels.dtype.kind in "iub":
        return True
    if labels.dtype.kind != "f" or not np.all(np.isfinite(labels)):
        return False
    return bool(np.all(labels == np.round(labels)) and labels.min() >= 0 and labels.max() < 10)


def label_colors(labels: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """(n, 4) float32 RGBA: class 0 orange, class 1 blue, class 2 green … (style.class_color);
    regression targets get the diverging orange–neutral–blue scale."""
    labels = np.asarray(labels).reshape(-1)
    out = np.empty((labels.size, 4), dtype=np.float32)
    if is_classes(labels):
        ids = labels.astype(int)
        table = {k: rgba(style.class_color(k), alpha) for k in np.unique(ids)}
        for k, color in table.items():
            out[ids == k] = color
    else:
        values = np.where(np.isfinite(labels), labels.astype(np.float64), 0.0)
        scale = float(np.max(np.abs(values))) if values.size else 0.0
        out[:] = diverging_rgba(values, scale, alpha)
    return out


def segments(polylines: Sequence[np.ndarray]) -> np.ndarray:
    """All polylines' segments as one (2k, 3) float32 array for a GLLinePlotItem in 'lines'
    mode: p0 p1, p1 p2, … for every polyline (polylines with fewer than 2 points add nothing)."""
    parts = []
    for line in polylines:
        line = np.asarray(line, dtype=np.float32).reshape(-1, 3)
        if len(line) < 2:
            continue
        pairs = np.empty((2 * (len(line) - 1), 3), dtype=np.float32)
        pairs[0::2] = line[:-1]
        pairs[1::2] = line[1:]
        parts.append(pairs)
    return np.concatenate(parts) if parts else np.zeros((0, 3), dtype=np.float32)


def blend(a: np.ndarray, b: np.ndarray, t: float) -> np.ndarray:
    """(1 − t)·a + t·b, returning exactly `a` at t = 0 and exactly `b` at t = 1."""
    if t <= 0.0:
        return a
    if t >= 1.0:
        return b
    return (1.0 - t) * a + t * b


def label_font(point_size: int = 10, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


# --- GL factories (only with a GLViewWidget) ------------------------------------------
def gl_text(text: str = "", pos=(0.0, 0.0, 0.0), color: QColor | None = None, size: int = 10,
            bold: bool = False):
    import pyqtgraph.opengl as gl

    return gl.GLTextItem(pos=np.asarray(pos, dtype=float), text=text,
                         color=color or QColor.fromRgbF(*ink("text")), font=label_font(size, bold))


def gl_lines(color=None, width: float = 1.0, antialias: bool = True, mode: str = "lines"):
    import pyqtgraph.opengl as gl

    return gl.GLLinePlotItem(pos=np.zeros((0, 3), dtype=np.float32), color=color or ink("grid_line"), width=width,
                             antialias=antialias, mode=mode, glOptions="translucent")


def gl_points(size: float = 8.0):
    import pyqtgraph.opengl as gl

    return gl.GLScatterPlotItem(pos=np.zeros((0, 3), dtype=np.float32), size=size, pxMode=True,
                                glOptions="translucent")
