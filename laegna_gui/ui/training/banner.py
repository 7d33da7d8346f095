"""A banner above the live views: divergence (with its remedies) or a training error."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from laegna_gui.ui.look import style
from laegna_gui.ui.training.live_state import LiveState, Part


class TrainingBanner(QFrame):
    """Hidden until something goes wrong. Divergence offers Reset and Lower learning rate."""

    reset_requested = Signal()
    lower_rate_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("trainingBanner")
        self.kind = ""
        self.message = QLabel(objectName="bannerMessage", wordWrap=True)
        self.reset_button = QPushButton("Reset weights", objectName="bannerReset")
        self.lower_button = QPushButton("Lower learning rate ÷10", objectName="bannerLowerRate")
        self.dismiss_button = QPushButton("Dismiss", objectName="bannerDismiss")
        self.reset_button.setToolTip("Start again from the initial weights.")
        self.lower_button.setToolTip("Divide the learning rate by 10 and keep the last good weights.")
        self.reset_button.clicked.connect(self.reset_requested)
        self.lower_button.clicked.connect(self.lower_rate_requested)
        for button in (self.reset_button, self.lower_button, self.dismiss_button):
            button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.message, 1)
        for button in (self.reset_button, self.lower_button, self.dismiss_button):
            layout.addWidget(button)
        self.hide()

    def show_diverged(self, text: str) -> None:
        self._show("diverged", f"⚠ {text}")
        self.reset_button.show()
        self.lower_button.show()

    def draw_parts(self, state: LiveState) -> list[Part]:
        """As a live view: a divergence banner goes once its network is reset or replaced."""
        if self.kind == "diverged" and state.diverged_at is None and not self.isHidden():
            return [self.hide]
        return []

    def show_error(self, text: str) -> None:
        self._show("error", f"✗ {text}")
        self.reset_button.hide()
        self.lower_button.hide()

    def _show(self, kind: str, text: str) -> None:
        self.kind = kind
        self.message.setText(text)
        style.set_role(self, f"banner-{kind}")  # its colours: the style sheet's, for the theme
        self.show()
