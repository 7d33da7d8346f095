"""Status-bar lines: whether the network is valid (and if not, why), and whether autosave
is protecting the work."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel

from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.document.autosave import Autosaver
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.look.style import set_role


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
            set_role(self, "ok")
        else:
            self.setText(f"✗ Network not valid: {error}")
            set_role(self, "error")
        self.setToolTip(self.text())


class AutosaveLabel(QLabel):
    """Says, while it lasts, that autosave cannot protect the work and why; then, for a few
    seconds, that it works again. Long text is elided; the tooltip holds all of it."""

    RECOVERED_MS = 8000

    def __init__(self, autosaver: Autosaver) -> None:
        super().__init__()
        self.setObjectName("autosaveLabel")
        self.message = ""
        self.hide()
        self._hide_later = QTimer(self, singleShot=True, interval=self.RECOVERED_MS)
        self._hide_later.timeout.connect(self.hide)
        autosaver.problem_changed.connect(self.show_problem)
        if autosaver.problem:
            self.show_problem(autosaver.problem)

    def show_problem(self, problem: str) -> None:
        if problem:
            self._show(f"⚠ {problem}", "error")
            self._hide_later.stop()
        elif self.message:
            self._show("✓ Autosave works again: your unsaved work is kept safe.", "ok")
            self._hide_later.start()

    def _show(self, message: str, role: str) -> None:
        self.message = message
        self.setToolTip(message)
        set_role(self, role)
        self._elide()
        self.updateGeometry()
        self.show()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override): all of the message, if there is room
        return QSize(self.fontMetrics().horizontalAdvance(self.message) + 8, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override): never widens the window
        return QSize(60, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.message, Qt.TextElideMode.ElideRight, self.width() - 8))
