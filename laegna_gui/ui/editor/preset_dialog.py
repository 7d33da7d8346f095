"""Open Preset…: a gallery of the ready-made lessons, in the order they teach (core/presets.py),
each with a picture of its data (drawn from the preset when the dialog opens) and its lesson in a line."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from laegna_gui.core.datasets import make_dataset
from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.presets import load_preset, preset_info
from laegna_gui.ui.look import style

THUMB = QSize(150, 100)
MAX_POINTS = 400  # enough to show the shape of the data


def thumbnail(name: str) -> QPixmap:
    """A small scatter of the preset's data: classes in their colours, a regression as y over x."""
    pixmap = QPixmap(THUMB)
    theme = style.current()
    pixmap.fill(theme.canvas_background)
    frame = QPainter(pixmap)
    frame.setPen(theme.grid.lighter(130) if theme.dark else theme.grid.darker(110))
    frame.drawRect(pixmap.rect().adjusted(0, 0, -1, -1))
    frame.end()
    try:
        project = load_preset(name)
        data = make_dataset(project.dataset, project.seed)
    except LaegnaError:
        return pixmap
    x, y = data.x_train[:MAX_POINTS], data.y_train[:MAX_POINTS]
    if data.task == "regression" and x.shape[1] == 1:
        x, colours = np.column_stack([x[:, 0], y[:, 0]]), [style.POSITIVE] * len(x)
    else:
        colours = [style.class_color(int(c)) for c in y] if data.task == "classification" \
            else [style.POSITIVE] * len(x)
    _scatter(pixmap, x[:, :2], colours)
    return pixmap


def _scatter(pixmap: QPixmap, xy: np.ndarray, colours: list[QColor]) -> None:
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    radius = 2.2 if len(xy) > 16 else 6.0  # a truth table's four corners must be seen
    margin = 4.0 + radius
    w, h = pixmap.width() - 2 * margin, pixmap.height() - 2 * margin
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    for (px, py), colour in zip((xy - low) / span, colours):
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(margin + px * w, margin + (1.0 - py) * h), radius, radius)
    painter.end()


class PresetDialog(QDialog):
    """Shows every preset as a tile; Open (or a double click) opens the chosen one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presetDialog")
        self.setWindowTitle("Open preset")
        self.resize(880, 680)
        self.list = QListWidget(objectName="presetList", viewMode=QListView.ViewMode.IconMode,
                                movement=QListView.Movement.Static, resizeMode=QListView.ResizeMode.Adjust,
                                wordWrap=True, uniformItemSizes=True)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 44, THUMB.height() + 96))
        self.list.setSpacing(4)
        self.description = QLabel(objectName="presetDescription", wordWrap=True)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.description.setMinimumHeight(self.description.fontMetrics().lineSpacing() * 4)
        self._fill()
        self.list.currentItemChanged.connect(
            lambda item, _: self.description.setText(item.toolTip() if item else ""))
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                                   objectName="presetButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.description)
        layout.addWidget(buttons)

    def _fill(self) -> None:
        for info in preset_info():
            item = QListWidgetItem(QIcon(thumbnail(info.name)), f"{info.title}\n{info.lesson}")
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setData(Qt.ItemDataRole.ToolTipRole, info.description)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.list.addItem(item)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
