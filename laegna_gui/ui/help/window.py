"""Help: the concepts guide (a topic list and its pages), the "?" buttons that open it, About."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QSplitter,
    QToolButton, QVBoxLayout, QWidget,
)

from laegna_gui import __version__
from laegna_gui.ui.help.topics import TOPICS, topic
from laegna_gui.ui.look.markdown_browser import MarkdownBrowser
from laegna_gui.ui.naming import name_parts

if TYPE_CHECKING:
    from laegna_gui.ui.help.plots import ActivationPlots

PLOTTED_TOPIC = "activations"  # the page that shows a plot per activation
BUTTON_SIZE = 20


class ConceptsGuide(QDialog):
    """The concepts guide: pick a topic on the left, read it on the right. Not modal, so it
    can stay open beside the window while you try things."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conceptsGuide")
        self.setWindowTitle("Concepts guide — Laegna")
        self.resize(960, 720)
        self.topics = QListWidget(objectName="helpTopics")
        for t in TOPICS:
            item = QListWidgetItem(t.title, self.topics)
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            item.setToolTip(t.question)
        self.topics.setMinimumWidth(200)
        self.page = MarkdownBrowser(objectName="helpPage")
        self.page.setOpenLinks(False)  # topic: links change the page here; web links go to the browser
        self.page.anchorClicked.connect(self._link_clicked)
        self.plots: ActivationPlots | None = None  # made the first time the activations page opens
        self._build()
        self.topics.currentRowChanged.connect(self._row_changed)
        self.topics.setCurrentRow(0)
        name_parts(self)

    def _build(self) -> None:
        self._right = QSplitter(Qt.Orientation.Vertical, objectName="helpPageSplitter")
        self._right.setChildrenCollapsible(False)
        self._right.addWidget(self.page)
        splitter = QSplitter(objectName="helpSplitter")
        splitter.addWidget(self.topics)
        splitter.addWidget(self._right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 730])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, objectName="helpButtons")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    # --- pages ---------------------------------------------------------------
    def show_topic(self, topic_id: str) -> None:
        """Open the page `topic_id` (a KeyError names the known ids if there is none)."""
        topic(topic_id)
        self.topics.setCurrentRow([t.id for t in TOPICS].index(topic_id))

    def current_topic(self) -> str:
        return TOPICS[max(self.topics.currentRow(), 0)].id

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        shown = TOPICS[row]
        self.page.show_markdown(shown.text())
        if shown.id == PLOTTED_TOPIC and self.plots is None:
            # imported here: the plots use torch, which the window itself need not load
            from laegna_gui.ui.help.plots import ActivationPlots

            self.plots = ActivationPlots()
            self._right.addWidget(self.plots)
            self._right.setSizes([320, 380])  # the text stays readable above the plots
            name_parts(self)
        if self.plots is not None:
            self.plots.setVisible(shown.id == PLOTTED_TOPIC)

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "topic":
            target = url.path()
            if target in {t.id for t in TOPICS}:  # a broken link in a page does nothing
                self.show_topic(target)
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)


ConceptsDialog = ConceptsGuide  # the name the window used before the guide had topics


def open_topic(parent: QWidget | None, topic_id: str | None = None) -> ConceptsGuide:
    """Show the guide (one per window, reused) on `topic_id`, or where it was left."""
    host = parent.window() if parent is not None else None
    guide = host.findChild(ConceptsGuide) if host is not None else None
    if guide is None:
        guide = ConceptsGuide(host)
    if topic_id is not None:
        guide.show_topic(topic_id)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide


class HelpButton(QToolButton):
    """A small "?" beside a control: opens the guide on the concept behind it."""

    def __init__(self, topic_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText("?")
        self.setAutoRaise(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setFixedSize(BUTTON_SIZE, BUTTON_SIZE)
        self.setCursor(Qt.CursorShape.WhatsThisCursor)
        self.set_topic(topic_id)
        self.clicked.connect(lambda: open_topic(self, self.topic_id))

    def set_topic(self, topic_id: str) -> None:
        shown = topic(topic_id)  # an unknown id is a programming error: fail at once, not on click
        self.topic_id = topic_id
        self.setObjectName(f"help_{topic_id}")
        self.setToolTip(shown.question)
        self.setAccessibleName(f"Help: {shown.title}")


def with_help(widget: QWidget, topic_id: str | None) -> QWidget:
    """`widget` with a "?" for `topic_id` right beside it, as one form field. Without a
    topic, an empty space of the same width keeps the fields of a form aligned."""
    row = QWidget(objectName=f"{widget.objectName() or 'field'}Row")
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget, 1)
    if topic_id is None:
        layout.addSpacing(BUTTON_SIZE)
    else:
        layout.addWidget(HelpButton(topic_id))
    return row


def show_about(parent: QWidget) -> None:
    QMessageBox.about(
        parent, "About Laegna",
        f"<h3>Laegna {__version__}</h3>"
        "<p>A desktop playground for neural networks: build a network on the canvas, "
        "train it, and watch it learn.</p>"
        "<p>Built with PySide6, pyqtgraph and PyTorch.</p>")
