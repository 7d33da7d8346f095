"""The outline a lesson step draws around a control: a frame in the theme's accent colour, laid
over the window, that clicks pass through. It follows its target as the target moves, resizes,
scrolls, hides (its tab left, its dock closed) and shows again, and it stays above the docks
when one of them is raised."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme import signals as theme_signals

MARGIN = 4  # px between the target and the middle of the line
WIDTH = 3  # px of the solid line; a faint glow twice as wide makes it stand out on busy plots
FOLLOWED = {QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.ParentChange}
OBJECT_NAME = "lessonOutline"


@dataclass(frozen=True)
class Spot:
    """What an outline goes around: `widget`, or the part of it `part()` gives in its own
    coordinates (a tab's button in a tab bar, a menu's title in the menu bar)."""

    widget: QWidget
    part: Callable[[], QRect] | None = None

    def rect(self) -> QRect:
        return self.part() if self.part is not None else self.widget.rect()


def _seen(spot: Spot) -> QRect:
    """The part of the spot on screen, in global coordinates: clipped by every widget that holds
    it (a scroll area's viewport, a dock); empty while the spot or a holder is hidden."""
    widget = spot.widget
    if not widget.isVisible():
        return QRect()
    rect = QRect(widget.mapToGlobal(spot.rect().topLeft()), spot.rect().size())
    while widget is not None:
        rect &= QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
        widget = None if widget.isWindow() else widget.parentWidget()
    return rect


class Outline(QWidget):
    """One outline around the spots together (a setting's label and field make one box)."""

    def __init__(self, spots: list[Spot]) -> None:
        host = spots[0].widget.window()
        super().__init__(host)
        self.setObjectName(OBJECT_NAME)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.spots = spots
        self._watched = self._to_watch(host)
        for widget in self._watched:
            widget.installEventFilter(self)
        theme_signals().theme_changed.connect(self.update)
        self.follow()

    def _to_watch(self, host: QWidget) -> list[QWidget]:
        """Every holder of a spot (any of them moving moves it) and the window's own children
        (one raised above the outline would cover it)."""
        watched: dict[int, QWidget] = {}
        for spot in self.spots:
            widget = spot.widget
            while widget is not None:
                watched[id(widget)] = widget
                widget = None if widget.isWindow() else widget.parentWidget()
        for child in host.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not isinstance(child, Outline):  # an old one may be deleted any moment
                watched[id(child)] = child
        return list(watched.values())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() in FOLLOWED or event.type() == QEvent.Type.ZOrderChange:
            self.follow()
        return False

    def target(self) -> QRect:
        """What the outline goes around, in the window's coordinates (empty: nothing on show)."""
        seen = QRect()
        for spot in self.spots:
            seen |= _seen(spot)
        host = self.parentWidget()
        return QRect(host.mapFromGlobal(seen.topLeft()), seen.size()) if seen.isValid() else QRect()

    def follow(self) -> None:
        target = self.target()
        if target.isEmpty():
            self.hide()
            return
        pad = MARGIN + WIDTH  # room for the glow
        grown = target.adjusted(-pad, -pad, pad, pad)
        self.setGeometry(grown & self.parentWidget().rect())  # at the window's edge, drawn just inside it
        self.raise_()
        self.show()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        accent = QColor(style.current().link)  # the theme's accent: readable on its own window colour
        glow = QColor(accent)
        glow.setAlpha(80)
        frame = QRectF(self.rect()).adjusted(WIDTH, WIDTH, -WIDTH, -WIDTH)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(glow, 2 * WIDTH))
        painter.drawRoundedRect(frame, 5, 5)
        painter.setPen(QPen(accent, WIDTH))
        painter.drawRoundedRect(frame, 5, 5)
        painter.end()

    def remove(self) -> None:
        for widget in self._watched:
            if shiboken6.isValid(widget):  # a dialog watched as the window's child may be gone
                widget.removeEventFilter(self)
        theme_signals().theme_changed.disconnect(self.update)
        self.hide()
        self.deleteLater()


def current_outline(window: QWidget) -> Outline | None:
    return window.findChild(Outline, OBJECT_NAME)


def show_outline(window: QWidget, spots: list[Spot]) -> Outline:
    remove_outline(window)
    return Outline(spots)


def remove_outline(window: QWidget) -> None:
    outline = current_outline(window)
    if outline is not None:
        outline.setObjectName("")  # gone at once for current_outline, deleted in a moment
        outline.remove()
