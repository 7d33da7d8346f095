"""OpenGL availability, and a panel that shows a 3-D scene or, without GL, a clear message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

NO_GL_MESSAGE = ("3-D views need OpenGL, which is not available here ({reason}). "
                 "Everything else in Laegna works; run Laegna on a desktop with OpenGL to see this view.")


def gl_unavailable_reason() -> str:
    """'' when an OpenGL view can be created, else why not (offscreen platform, no context)."""
    platform = QGuiApplication.platformName()
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


class GLPanel(QWidget):
    """Holds `self.view` (a pyqtgraph GLViewWidget) when GL works; otherwise `self.view`
    is None and a readable message takes its place."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        reason = gl_unavailable_reason()
        self.view = None
        if reason:
            message = QLabel(NO_GL_MESSAGE.format(reason=reason), objectName=f"{object_name}NoGL")
            message.setWordWrap(True)
            message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            message.setStyleSheet("color: #6b7785; padding: 24px;")
            layout.addWidget(message)
        else:
            import pyqtgraph.opengl as gl

            self.view = gl.GLViewWidget()
            self.view.setObjectName(f"{object_name}GL")
            self.view.setBackgroundColor((247, 248, 250))
            layout.addWidget(self.view)

    @property
    def has_gl(self) -> bool:
        return self.view is not None
