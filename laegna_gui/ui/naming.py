"""Stable object names for the sub-widgets Qt creates on its own (scroll bars, popup
lists, clear buttons), so tests and screen readers can find every interactive part."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QScrollBar,
    QWidget,
)

INTERACTIVE = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QAbstractSlider)


def _owner_name(widget: QWidget, root: QWidget) -> str:
    """The nearest ancestor's own name (Qt's `qt_…` helper containers do not count)."""
    current = widget.parentWidget()
    while current is not None:
        name = current.objectName()
        if name and not name.startswith("qt_"):
            return name
        if current is root:
            break
        current = current.parentWidget()
    return root.objectName() or "widget"


def _part_name(widget: QWidget) -> str:
    if isinstance(widget, QScrollBar):
        return "hscroll" if widget.orientation() == Qt.Orientation.Horizontal else "vscroll"
    return type(widget).__name__.removeprefix("Q").lower()


def name_parts(root: QWidget) -> None:
    """Name every unnamed interactive descendant after its owner, e.g. `paletteTree_vscroll`."""
    taken = {w.objectName() for w in root.findChildren(QWidget)}
    for widget in root.findChildren(QWidget):
        if widget.objectName() or not isinstance(widget, INTERACTIVE):
            continue
        base = f"{_owner_name(widget, root)}_{_part_name(widget)}"
        name, i = base, 2
        while name in taken:
            name, i = f"{base}{i}", i + 1
        widget.setObjectName(name)
        taken.add(name)
