"""Lesson text (Markdown) whose `guide:PAGE` links open the concepts guide at that page and
whose web links open in the browser; a lesson file can link nowhere else."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from laegna_gui.ui.help.topics import TOPICS
from laegna_gui.ui.help.window import open_topic
from laegna_gui.ui.look.markdown_browser import MarkdownBrowser


class GuideText(MarkdownBrowser):
    def __init__(self, parent: QWidget | None = None, **properties) -> None:
        super().__init__(parent, **properties)
        self.setOpenLinks(False)  # we decide where each link goes
        self.anchorClicked.connect(self.follow)

    def follow(self, url: QUrl) -> None:
        if url.scheme() == "guide" and url.path() in {t.id for t in TOPICS}:
            open_topic(self, url.path())
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
