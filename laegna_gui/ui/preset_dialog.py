"""Open Preset…: pick a ready-made lesson from a list with its description."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from laegna_gui.core.presets import preset_info


class PresetDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presetDialog")
        self.setWindowTitle("Open preset")
        self.resize(620, 360)
        self.list = QListWidget(objectName="presetList")
        self.description = QLabel(objectName="presetDescription", wordWrap=True)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.description.setMinimumWidth(300)
        for info in preset_info():
            item = QListWidgetItem(info.title)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setData(Qt.ItemDataRole.ToolTipRole, info.description)
            self.list.addItem(item)
        self.list.currentItemChanged.connect(
            lambda item, _: self.description.setText(item.toolTip() if item else ""))
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
                                   objectName="presetButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addWidget(self.description, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None
