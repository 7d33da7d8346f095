"""What the compare and sweep windows share: a window of its own over the main window, its
contents in a scroll area (nothing is cut off on a small screen), a bold verdict and the
notes on which layers started fresh."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from laegna_gui.engine.compare import Race
from laegna_gui.ui.look import style

SAME_START = "Every run started from the same initial weights and trained on the same batches."
NAMED = 3  # runs named before a note they share
SCREEN_SHARE = 0.92  # of the screen's free area, at most, when the window opens
SCROLL_BAR = 24  # px of width kept for a scroll bar


def free_area(widget: QWidget) -> QRect:
    """The free area of the screen `widget` is on (a test stands in a screen of its own here)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


class ResultWindow(QWidget):
    """`body` is the layout the subclass fills; `finish_layout()` sizes the window to it."""

    def __init__(self, parent: QWidget, name: str, title: str) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.content = QWidget(objectName=f"{name}Content")
        self.body = QVBoxLayout(self.content)
        scroll = QScrollArea(objectName=f"{name}Scroll", widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def verdict_label(self, race: Race) -> QLabel:
        label = QLabel(race.verdict, objectName="verdict", wordWrap=True)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def fresh_label(self, race: Race) -> QLabel:
        """The layers each run started fresh, and why (a note several runs share, once);
        or that all started the same."""
        runs: dict[str, list[str]] = {}
        for run in race.runs:
            for note in run.notes:
                runs.setdefault(note, []).append(run.label)
        lines = [f"{', '.join(labels[:NAMED])}{' …' if len(labels) > NAMED else ''}: {note}"
                 for note, labels in runs.items()]
        label = QLabel("\n".join(lines) or SAME_START, objectName="freshLayers", wordWrap=True)
        style.set_role(label, "muted")
        return label

    def room(self) -> QSize:
        """The largest the window opens: a share of the screen's free area."""
        free = free_area(self.parentWidget() or self)
        return QSize(int(free.width() * SCREEN_SHARE), int(free.height() * SCREEN_SHARE))

    def wanted(self, width: int = 0) -> QSize:
        """The window's size with all its contents in view, at least `width` wide: wrapped
        text is taller in a narrower window."""
        width = max(width, self.content.sizeHint().width() + SCROLL_BAR)
        layout = self.content.layout()
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        return QSize(width, height + 8)

    def finish_layout(self, width: int = 0) -> None:
        """As large as the contents want (at least `width` wide), within the screen."""
        want, room = self.wanted(width), self.room()
        self.resize(min(want.width(), room.width()), min(want.height(), room.height()))
