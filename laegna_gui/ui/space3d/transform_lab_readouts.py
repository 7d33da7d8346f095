"""The transform lab's readouts: what M does to space, on a few short tabs (Summary,
Eigen, SVD, M⁻¹) so each is read whole, never cut off or scrolled. The texts come
from core/transform_readouts.py."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from laegna_gui.core import affine
from laegna_gui.core.transform_readouts import PAGES, readout_pages

TIP = ("What M does to space: its volume factor, whether it can be undone, the directions it "
       "only stretches, and its split into rotation · scale · rotation.")
PAGE_STYLE = "<style>p { margin-top: 0px; margin-bottom: 5px; }</style>"  # Qt's default: 12 px around each
PAGE_TIPS = {
    "Summary": "One sentence, the determinant (volume factor) and whether the map can be undone.",
    "Eigen": "The eigenvalues λ of W and the real eigenvectors: directions W only stretches (by λ).",
    "SVD": "W = U · Σ · Vᵀ: every linear map is a rotation, a stretch along the axes and a rotation.",
    "M⁻¹": "The inverse M⁻¹: the matrix that undoes M (when there is one).",
}


class ReadoutsPanel(QTabWidget):
    """The readouts of one matrix, one page per kind; `toPlainText()` is all of them."""

    def __init__(self) -> None:
        super().__init__(objectName="readouts")
        self.setToolTip(TIP)
        self.setAccessibleName("Matrix readouts")
        self.setDocumentMode(True)
        self.pages: dict[str, QLabel] = {}
        for title in PAGES:
            label = QLabel(objectName=f"readout{title}")
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            page = QWidget()
            layout = QVBoxLayout(page)
            layout.setContentsMargins(4, 2, 4, 2)
            layout.addWidget(label)
            layout.addStretch(1)
            self.addTab(page, title)
            self.setTabToolTip(self.count() - 1, PAGE_TIPS[title])
            self.pages[title] = label
        self._html = ""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 — Qt override
        """Never so narrow that the tab bar scrolls its titles out of sight."""
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.tabBar().sizeHint().width()), hint.height())

    def show_readouts(self, M: np.ndarray, readouts: affine.Readouts) -> None:
        pages = readout_pages(M, readouts)
        for title, html in pages.items():
            self.pages[title].setText(PAGE_STYLE + html)
        self._html = "".join(pages.values())

    def toPlainText(self) -> str:  # noqa: N802 — reads like QTextEdit's, which it replaced
        return QTextDocumentFragment.fromHtml(self._html).toPlainText().replace("\xa0", " ")
