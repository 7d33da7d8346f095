"""Help: the concepts guide and the About box."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from laegna_gui import __version__
from laegna_gui.core.resources import resource


class ConceptsDialog(QDialog):
    """The short concepts guide, from resources/docs/concepts.md."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conceptsDialog")
        self.setWindowTitle("Concepts guide — Laegna")
        self.resize(640, 720)
        browser = QTextBrowser(objectName="conceptsBrowser")
        browser.setMarkdown(resource("docs", "concepts.md").read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, objectName="conceptsButtons")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent, "About Laegna",
        f"<h3>Laegna {__version__}</h3>"
        "<p>A desktop playground for neural networks: build a network on the canvas, "
        "train it, and watch it learn.</p>"
        "<p>Built with PySide6, pyqtgraph and PyTorch.</p>")
