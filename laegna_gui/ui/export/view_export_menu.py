"""View ▸ Export View: save any view as a PNG image or an SVG drawing (3-D views: PNG only).
Dialog hooks are attributes so tests can replace them."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu, QMessageBox, QTabWidget, QWidget

from laegna_gui.ui.actions import add_menu_action
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.export.export_target import suggested_path, write_export
from laegna_gui.ui.export.view_export import export_view, is_3d

FILE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
PNG_FILTER = "PNG image (*.png)"
SEPARATOR_BEFORE = {"boundary", "transform_lab"}  # the canvas | the training area | the 3-D tabs


def window_views(window: QMainWindow) -> dict[str, tuple[str, QWidget]]:
    """Every view of the main window: key → (the name it has on screen, its widget)."""
    live, centre = window.training, window.tabs
    return {
        "network": ("Network", window.canvas), "boundary": ("Decision boundary", live.boundary),
        "loss": ("Loss", live.curves), "weights": ("Weights", live.weights),
        "gradients": ("Gradients", live.gradients), "step": ("Step", live.step_view),
        "formula": ("Formula", live.formula), "transform_lab": ("Transform lab", centre.lab),
        "layer_space": ("Layer space", centre.space), "landscape": ("Loss landscape", centre.landscape),
        "affine_fit": ("Affine fit", centre.fit),
    }


def bring_forward(widget: QWidget) -> None:
    """Show the tab (and the dock) holding `widget`, so it is laid out and drawn up to date."""
    node: QWidget | None = widget
    while node is not None:
        holder = node.parentWidget()
        tabs = holder.parentWidget() if holder is not None else None  # a tab page sits in the tabs' stack
        if isinstance(tabs, QTabWidget) and tabs.indexOf(node) >= 0:
            tabs.setCurrentWidget(node)
        if isinstance(node, QDockWidget):
            node.show()
            node.raise_()
        node = holder


def ask_image_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> str:
    """The save dialog; a name typed without a suffix gets the chosen type's ('' = cancelled)."""
    chosen, picked = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    suffix = re.search(r"\*(\.\w+)", picked or "")
    if chosen and not Path(chosen).suffix and suffix:
        chosen += suffix.group(1)
    return chosen


class ViewExportMenu(QMenu):
    """One entry per view. `ask_save_path(title, suggested, filter) -> str` ('' = cancelled) and
    `show_error(title, text)` are replaceable hooks."""

    exported = Signal(str)  # a status-bar line saying what was written where

    def __init__(self, window: QMainWindow, document: Document, views: dict[str, tuple[str, QWidget]]) -> None:
        super().__init__("&Export View", window)
        self.setObjectName("menuExportView")
        self.setToolTipsVisible(True)
        self.document, self.views = document, views
        self.ask_save_path = lambda title, suggested, file_filter: ask_image_path(
            window, title, suggested, file_filter)
        self.show_error = lambda title, text: QMessageBox.warning(window, title, text)
        self.view_actions: dict[str, QAction] = {}
        for key, (name, widget) in views.items():
            if key in SEPARATOR_BEFORE:
                self.addSeparator()
            tip = (f"Save the {name} view's 3-D picture as a PNG image" if is_3d(widget) else
                   f"Save the {name} view as a PNG image or an SVG drawing")
            action = add_menu_action(self, f"export_view_{key}", f"{name}…", tip)
            action.triggered.connect(lambda _=False, k=key: self.export(k))
            self.view_actions[key] = action

    def export(self, key: str) -> bool:
        """Show the view, ask where, write it; every failure is one message."""
        name, widget = self.views[key]
        title = f"Export the {name} View"
        bring_forward(widget)
        chosen = self.ask_save_path(title, str(self._suggested(name)), PNG_FILTER if is_3d(widget) else FILE_FILTER)
        if not chosen:
            return False
        path = Path(chosen)
        if not path.suffix:
            path = path.with_name(path.name + ".png")
        if not write_export(path, lambda p: export_view(widget, p), title, self.show_error):
            return False
        self.exported.emit(f"Exported the {name} view to {path}")
        return True

    def _suggested(self, name: str) -> Path:
        """<last export folder>/<project>-<view>.png, e.g. xor-loss.png."""
        return suggested_path(self.document, name, ".png")


def install_view_export_menu(window: QMainWindow) -> ViewExportMenu:
    """Add View ▸ Export View (made here) to the window's View menu (made by ui/actions.py);
    what it writes is said in the status bar."""
    menu = ViewExportMenu(window, window.document, window_views(window))
    view_menu = window.findChild(QMenu, "menuView")
    view_menu.addSeparator()
    view_menu.addMenu(menu)
    menu.exported.connect(lambda text: window.statusBar().showMessage(text, 5000))
    return menu
