"""Button icons drawn from the SVG files in resources/icons, in the theme's text colour.

Icons, not font glyphs: "⏸" is an empty box in many Linux fonts. Each icon is one black
shape, tinted here with the palette's button text (and its disabled colour), so it reads on
both themes; `set_icon` remembers the name, and a theme switch tints it again
(ui/look/theme_restyle.py calls `refresh_icon` on every widget).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QWidget

from laegna_gui.core.resources import resource
from laegna_gui.ui.look import style
from laegna_gui.ui.look.style import THEMES, Theme

ICON_NAMES = ("play", "pause", "step", "step-epoch", "reset")
SIZES = (16, 24, 32, 48)
PROPERTY = "themedIcon"


def icon_file(name: str):
    return resource("icons", f"{name}.svg")


@cache
def _renderer(name: str) -> QSvgRenderer:
    renderer = QSvgRenderer(str(icon_file(name)))
    if not renderer.isValid():
        raise FileNotFoundError(f"the icon {icon_file(name)} is missing or not SVG; reinstall Laegna")
    return renderer


def tinted(name: str, size: int, colour: QColor) -> QPixmap:
    """The icon `name` at `size`×`size` px, its shape filled with `colour`."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(name).render(painter, QRectF(0, 0, size, size))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(image.rect(), colour)
    painter.end()
    return QPixmap.fromImage(image)


def themed_icon(name: str, theme: Theme | None = None) -> QIcon:
    """The icon in the theme's text colour, greyed when its button is disabled."""
    theme = theme or style.current()
    return _themed_icon(name, theme.name)


@cache
def _themed_icon(name: str, theme_name: str) -> QIcon:
    theme = THEMES[theme_name]
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(tinted(name, size, theme.text), QIcon.Mode.Normal)
        icon.addPixmap(tinted(name, size, theme.highlighted_text), QIcon.Mode.Selected)
        icon.addPixmap(tinted(name, size, theme.disabled_text), QIcon.Mode.Disabled)
    return icon


def set_icon(button: QAbstractButton, name: str) -> None:
    """Give `button` the icon `name` now and after every theme switch."""
    if name not in ICON_NAMES:
        raise ValueError(f"unknown icon {name!r}; the icons are {', '.join(ICON_NAMES)}")
    button.setProperty(PROPERTY, name)
    button.setIcon(themed_icon(name))


def refresh_icon(widget: QWidget, theme: Theme) -> None:
    """Tint the widget's icon for `theme`, if `set_icon` gave it one."""
    name = widget.property(PROPERTY)
    if name and isinstance(widget, QAbstractButton):
        widget.setIcon(themed_icon(name, theme))
