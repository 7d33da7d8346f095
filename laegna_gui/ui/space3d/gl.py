"""OpenGL availability, and a panel that shows a 3-D scene or, without GL, a clear message.

The scene sits on the theme's plot background and follows a theme switch live: the panel
gives its view the new background and the items the new theme's inks (scene_theme.py)."""

from __future__ import annotations

import functools
import sys

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme import signals as theme_signals
from laegna_gui.ui.space3d.scene_theme import retheme

NO_GL_MESSAGE = ("3-D views need OpenGL, which is not available here ({reason}). "
                 "Everything else in Laegna works; run Laegna on a desktop with OpenGL to see this view.")


def gl_unavailable_reason() -> str:
    """'' when an OpenGL view can be created, else why not (offscreen platform, no context)."""
    return _probe(QGuiApplication.platformName())


@functools.cache
def _probe(platform: str) -> str:
    """The answer cannot change while the process runs: probe a GL context once, not per view."""
    if platform in ("offscreen", "minimal", "vnc"):
        return f"the '{platform}' display has no OpenGL"
    try:
        from PySide6.QtGui import QOffscreenSurface, QOpenGLContext
    except ImportError:  # pragma: no cover - PySide6-Essentials always has these
        return "Qt was built without OpenGL"
    context = QOpenGLContext()
    if not context.create():
        return "no OpenGL context could be created"
    surface = QOffscreenSurface()
    surface.create()
    ok = context.makeCurrent(surface)
    context.doneCurrent()
    return "" if ok else "the OpenGL context could not be made current"


def gl_view_type() -> type | None:
    """pyqtgraph's GLViewWidget class once pyqtgraph.opengl has been imported, else None.
    Asking whether a widget is a 3-D view must not import it (PyOpenGL takes ~0.15 s):
    no GLViewWidget can exist before the module has been imported."""
    module = sys.modules.get("pyqtgraph.opengl")
    return getattr(module, "GLViewWidget", None)


class GLPanel(QWidget):
    """Where OpenGL works (`has_gl`), holds `self.view` (a pyqtgraph GLViewWidget) from the
    first time the panel is shown; owners build their scene items in a slot connected to
    `view_created`. Without GL, `self.view` stays None and a readable message takes its place.
    The owners make their items in the current theme's inks (or in the light theme's: those
    are brought to the current theme when the slot returns); the panel keeps them and the
    background in the current theme from then on.

    The view is made on first show, not with the panel: the 3-D tabs start hidden, and
    importing pyqtgraph.opengl (PyOpenGL) and making four GL views would delay the window."""

    view_created = Signal(object)  # the new GLViewWidget, once

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        reason = gl_unavailable_reason()
        self.view = None
        self._has_gl = not reason
        self.theme = style.LIGHT  # the theme whose inks the view's items are in (made: see ensure_view)
        if reason:
            message = QLabel(NO_GL_MESSAGE.format(reason=reason), objectName=f"{object_name}NoGL")
            message.setWordWrap(True)
            message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            style.set_role(message, "muted")
            message.setContentsMargins(24, 24, 24, 24)
            self._layout.addWidget(message)

    @property
    def has_gl(self) -> bool:
        """OpenGL works here, so the panel shows (or, once shown, will show) a 3-D view."""
        return self._has_gl

    def ensure_view(self) -> QWidget | None:
        """The GL view, made now if GL works and it does not exist yet; None without GL."""
        if self._has_gl and self.view is None:
            import pyqtgraph.opengl as gl

            self.view = gl.GLViewWidget()
            self.view.setObjectName(f"{self.objectName()}GL")
            self._layout.addWidget(self.view)
            if self.isVisible():  # at once, not on the next pass of the event loop: it can be grabbed now
                self.view.show()
                self._layout.activate()
            self.view_created.emit(self.view)
            self._follow_theme()
            theme_signals().theme_changed.connect(self._follow_theme)  # a method: Qt disconnects it with us
        return self.view

    def _follow_theme(self, _name: str = "") -> None:
        """The view's background and its items' inks in the current theme."""
        theme = style.current()
        self.view.setBackgroundColor(theme.canvas_background)
        retheme(self.view, self.theme, theme)
        self.theme = theme

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.ensure_view()
