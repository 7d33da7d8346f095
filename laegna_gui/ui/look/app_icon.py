"""The application's identity on the desktop: its icon and its .desktop entry id."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from laegna_gui.core.resources import resource

# the freedesktop id: packaging/<DESKTOP_ID>.desktop and its AppStream metainfo use it, and
# Wayland compositors match the window to that entry through it
DESKTOP_ID = "io.laegna.Laegna"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_path(size: int):
    return resource("icons", f"laegna-{size}.png")


def app_icon() -> QIcon:
    """Laegna's icon at every shipped size (PNG, so no SVG image plugin is needed)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = icon_path(size)
        if path.is_file():
            icon.addFile(str(path))
    return icon
