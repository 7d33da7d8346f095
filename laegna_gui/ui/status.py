"""The status-bar line that always says whether the network is valid, and if not, why."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.document import Document
from laegna_gui.ui.style import ERROR


class ValidityLabel(QLabel):
    def __init__(self, document: Document) -> None:
        super().__init__()
        self.setObjectName("validityLabel")
        self.document = document
        document.validity_changed.connect(self.show_validity)

    def show_validity(self, error: LaegnaError | None) -> None:
        if error is None:
            analysis = self.document.analysis()
            total = analysis.total_params if analysis else 0
            self.setText(f"✓ Network valid — {total:,} trainable parameters")
            self.setStyleSheet("color: #2b7a3d;")
        else:
            self.setText(f"✗ Network not valid: {error}")
            self.setStyleSheet(f"color: {ERROR.name()};")
        self.setToolTip(self.text())
