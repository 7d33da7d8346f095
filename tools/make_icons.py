"""Render resources/icons/laegna.svg into the PNG sizes desktops and PyInstaller use.

Run `python tools/make_icons.py` after changing the SVG; the PNGs are committed
(resources/icons/laegna-<size>.png), so packaging never needs a renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

from laegna_gui.ui.look.app_icon import ICON_SIZES  # noqa: E402 - the sizes the app loads

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "laegna.svg"


def png_path(size: int) -> Path:
    return ICONS / f"laegna-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon as a size×size ARGB image with a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs it
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"error: {SOURCE} is not a valid SVG Qt can render", file=sys.stderr)
        return 2
    for size in ICON_SIZES:
        out = png_path(size)
        if not render(renderer, size).save(str(out), "PNG"):
            print(f"error: could not write {out}", file=sys.stderr)
            return 2
        print(out.relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
