"""The mouse wheel scrolls a panel, not the value of a box the pointer happens to cross.

Without this, rolling the wheel down a scrolling settings panel changes every combo box
and spin box that passes under the pointer. Such a widget takes the wheel only once it
has the keyboard focus (a click or Tab gives it); otherwise the wheel goes to the
scrolling area around it, as in most desktop applications.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QComboBox, QScrollBar, QWidget


def takes_wheel_only_focused(widget: QObject) -> bool:
    """Boxes and sliders whose value the wheel would change (a scroll bar is for scrolling)."""
    if isinstance(widget, QScrollBar):
        return False
    return isinstance(widget, (QAbstractSpinBox, QComboBox, QAbstractSlider))


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelGuard(QObject):
    """An application-wide event filter (see `install_wheel_guard`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.Polish and takes_wheel_only_focused(watched):
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:  # the wheel must not give focus either
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and takes_wheel_only_focused(watched) and not watched.hasFocus():
            area = _scroll_area(watched)
            event.ignore()
            if area is not None:
                QCoreApplication.sendEvent(area.viewport(), event)
            return True  # an ignored event still goes on to the parents, as Qt does for any widget
        return False


def install_wheel_guard(app: QCoreApplication) -> WheelGuard:
    """Install the guard once per application; returns it."""
    guard = app.findChild(WheelGuard)
    if guard is None:
        guard = WheelGuard(app)
        app.installEventFilter(guard)
    return guard
