"""The place where training controls and live views go (filled by the training issue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class TrainingPlaceholder(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("trainingArea")
        label = QLabel("Training controls and live views — loss curves, decision boundary, weights — "
                       "will appear here.\nFor now, train from the command line: laegna-gui train FILE")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #6b7785;")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setMinimumHeight(90)
