"""The running application carries Laegna's icon and its .desktop id."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication

from laegna_gui.ui.app import make_application
from laegna_gui.ui.look.app_icon import DESKTOP_ID, ICON_SIZES, app_icon


def test_icon_has_every_shipped_size(qapp):
    icon = app_icon()
    assert not icon.isNull()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(ICON_SIZES)
    # a rendered pixel in the middle is opaque: the PNGs hold the drawing, not an empty canvas
    image = icon.pixmap(QSize(64, 64)).toImage()
    assert image.pixelColor(32, 32).alpha() == 255


def test_application_uses_the_icon_and_desktop_id(qapp):
    app = make_application()
    assert app is qapp
    assert QGuiApplication.desktopFileName() == DESKTOP_ID
    assert sorted(s.width() for s in app.windowIcon().availableSizes()) == sorted(ICON_SIZES)


def test_main_window_shows_the_application_icon(window):
    make_application()
    assert not window.windowIcon().isNull()
    assert window.windowIcon().cacheKey() == QGuiApplication.windowIcon().cacheKey()
