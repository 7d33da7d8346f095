"""A text browser showing Markdown whose links keep the theme's link colour: Qt bakes the
palette's link colour into the document when the Markdown is set, so after a theme switch the
same text is set again (where the reader had scrolled to stays)."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QWidget

from laegna_gui.ui.look.theme import signals as theme_signals


class MarkdownBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None, **properties) -> None:
        super().__init__(parent, **properties)
        self._markdown = ""
        theme_signals().theme_changed.connect(self._theme_changed)  # a method: Qt disconnects it with us

    def show_markdown(self, text: str) -> None:
        self._markdown = text
        self.setMarkdown(text)

    def _theme_changed(self, _name: str) -> None:
        bar = self.verticalScrollBar()
        kept = bar.value()
        self.setMarkdown(self._markdown)
        bar.setValue(kept)
