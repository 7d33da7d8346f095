"""The 3-D views' colours in each theme, and the live switch from one theme to the other.

A 3-D scene sits on its theme's plot background, like the 2-D plots. Data colours (the
classes, the orange–blue scale, the loss surface and the dark path drawn on it, the i/j/k
arrows) are the same in every theme. The colours around the data — labels, axes, grids,
floors, the transform lab's object and its eigen-arrows, faint marks — are *inks*, one per
role, with a value for each theme: dark inks on the light background, light ones on the dark.

Items are made with the current theme's inks (`ink("axis")`, or the live_items and
scene_items constants that read it). A switch does not rebuild anything: `retheme` looks at
the colour of every item of a view, and where it is the old theme's ink of some role,
gives the item the new theme's ink of that role (keeping its alpha). The views keep their
items, made once, and need not know about themes. The inks of both themes are all told
apart (tests/ui/test_dark_views.py), so each colour names one role.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from PySide6.QtGui import QColor

from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import faded, rgba
from laegna_gui.ui.look.style import Theme

RGBA = tuple[float, float, float, float]
BASIS_HEX = ("#d62728", "#2ca02c", "#1f77b4")  # i red, j green, k blue: data colours, the same in both themes
SAME = 0.75 / 255  # two colours closer than this in every channel are one colour

# role → (light, dark): RGBA floats 0…1, or a colour name (alpha 1)
_INKS: dict[str, tuple[RGBA | str, RGBA | str]] = {
    "axis": ((0.42, 0.47, 0.52, 1.0), (0.63, 0.68, 0.73, 1.0)),       # a calm slate
    "grid_line": ((0.62, 0.65, 0.69, 0.9), (0.40, 0.44, 0.49, 0.9)),  # the warped data grid: quieter than the axes
    "floor": ((200 / 255, 205 / 255, 212 / 255, 160 / 255), (72 / 255, 80 / 255, 90 / 255, 160 / 255)),
    "ground_grid": ((110 / 255, 120 / 255, 132 / 255, 70 / 255), (160 / 255, 170 / 255, 182 / 255, 70 / 255)),
    "object": ("#2d3a4a", "#c9d3de"),      # the transformed object: slate, dark on light, light on dark
    "ghost": ((0.45, 0.50, 0.56, 0.45), (0.56, 0.61, 0.67, 0.45)),    # the untransformed object: faint grey
    "eigen": ("#6a3d9a", "#b99ae6"),       # purple
}


@cache
def inks(theme_name: str) -> dict[str, RGBA]:
    """Every role's ink in the theme called `theme_name`, RGBA floats 0…1."""
    theme = style.THEMES[theme_name]
    table = {role: _rgba(values[theme.dark]) for role, values in _INKS.items()}
    table["text"], table["muted"] = rgba(theme.text), rgba(theme.muted_text)
    table["eigen_axis"] = faded(_hex(table["eigen"]), 0.35, 0.55, theme)
    for name, hex_colour in zip("ijk", BASIS_HEX):
        table[f"faint_{name}"] = faded(hex_colour, 0.55, 0.8, theme)  # the original axes, under the moved ones
    return table


def _rgba(value: RGBA | str) -> RGBA:
    return rgba(value) if isinstance(value, str) else tuple(float(c) for c in value)


def _hex(value: RGBA) -> str:
    return QColor.fromRgbF(*value[:3]).name()


def ink(role: str, theme: Theme | None = None) -> RGBA:
    """The ink of `role` in `theme` (the current one if None), RGBA floats 0…1."""
    return inks((theme or style.current()).name)[role]


def ink_hex(role: str, theme: Theme | None = None) -> str:
    """`ink` as '#rrggbb' (its alpha left out)."""
    return _hex(ink(role, theme))


def ink_255(role: str, theme: Theme | None = None) -> tuple[int, int, int, int]:
    """`ink` as 0…255 integers, as GLGridItem takes a colour."""
    return tuple(round(c * 255) for c in ink(role, theme))


# --- the switch ---------------------------------------------------------------------------
def retheme(view, old: Theme, new: Theme) -> None:
    """Give every item of `view` (a GLViewWidget) whose colour is an ink of `old` the same
    role's ink in `new`: background and items follow a theme switch without being rebuilt."""
    swap = _swap_table(old.name, new.name)
    if swap is None:
        return
    for item in _walk(view.items):
        _retheme_item(item, swap)
    view.update()


@cache
def _swap_table(old: str, new: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(old RGB rows, new RGBA rows) of every role, or None when nothing changes."""
    if old == new:
        return None
    roles = sorted(inks(old))
    return (np.array([inks(old)[r][:3] for r in roles]), np.array([inks(new)[r] for r in roles]))


def _walk(items):
    import pyqtgraph.opengl as gl

    for item in items:
        yield item
        if not isinstance(item, gl.GLGridItem):  # a grid's lines take the grid's colour
            yield from _walk(item.childItems())


def _retheme_item(item, swap: tuple[np.ndarray, np.ndarray]) -> None:
    import pyqtgraph.opengl as gl

    if isinstance(item, gl.GLGridItem):
        current, write = item.color().getRgbF(), lambda c: item.setColor(QColor.fromRgbF(*c))
    elif isinstance(item, gl.GLTextItem):
        current, write = QColor(item.color).getRgbF(), lambda c: item.setData(color=QColor.fromRgbF(*c))
    elif isinstance(item, gl.GLMeshItem) and isinstance(item.opts.get("color"), (tuple, list)):
        current, write = item.opts["color"], lambda c: item.setColor(tuple(c))  # an arrow's tip
    elif isinstance(item, (gl.GLLinePlotItem, gl.GLScatterPlotItem)):  # one colour, or one per point
        current, write = item.color, lambda c: item.setData(color=c.astype(np.float32) if c.ndim > 1 else tuple(c))
    else:
        return
    colour = _swapped(np.array(current, dtype=float), swap)
    if colour is not None:
        write(colour)


def _swapped(colours: np.ndarray, swap: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    """`colours` (RGBA, one row or many) with each old ink replaced by the new one, alpha
    kept; None when none of them is an ink."""
    old, new = swap
    rows = colours.reshape(-1, colours.shape[-1])
    if rows.shape[-1] != 4:
        return None
    match = np.all(np.abs(rows[:, None, :3] - old[None, :, :3]) < SAME, axis=2)  # (n colours, n roles)
    hit = match.any(axis=1)
    if not hit.any():
        return None
    out = rows.copy()
    out[hit, :3] = new[match[hit].argmax(axis=1), :3]
    return out.reshape(colours.shape)
