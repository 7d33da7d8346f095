"""The window's menu actions: text, shortcut, tooltip and a stable objectName each."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

Std = QKeySequence.StandardKey

# name: (menu, text, shortcut, tooltip)
ACTION_SPECS: dict[str, tuple[str, str, object, str]] = {
    "new": ("File", "&New", Std.New, "Start a blank network: an Input and an Output, ready for your layers"),
    "open": ("File", "&Open…", Std.Open, "Open a saved .laegna project"),
    "open_preset": ("File", "Open &Preset…", "Ctrl+Shift+O", "Open one of the ready-made lessons"),
    "import_csv": ("File", "&Import CSV…", None, "Use your own data: read a CSV file and choose its columns"),
    "save": ("File", "&Save", Std.Save, "Save the project, with its weights"),
    "save_as": ("File", "Save &As…", Std.SaveAs, "Save the project under a new name"),
    "save_recording": ("File", "Save the Training &Recording", None,
                       "Save the time machine's recording with the project, so it reopens scrubbable"),
    "quit": ("File", "&Quit", Std.Quit, "Close Laegna"),
    "undo": ("Edit", "&Undo", Std.Undo, "Undo the last edit"),
    "redo": ("Edit", "&Redo", "Ctrl+Shift+Z", "Redo the edit you undid"),
    "cut": ("Edit", "Cu&t", Std.Cut, "Cut the selected layers"),
    "copy": ("Edit", "&Copy", Std.Copy, "Copy the selected layers"),
    "paste": ("Edit", "&Paste", Std.Paste, "Paste layers"),
    "duplicate": ("Edit", "D&uplicate", "Ctrl+D", "Duplicate the selected layers"),
    "delete": ("Edit", "&Delete", Std.Delete, "Delete the selection; a layer's wires go with it"),
    "select_all": ("Edit", "Select &All", Std.SelectAll, "Select every layer"),
    "zoom_in": ("View", "Zoom &In", Std.ZoomIn, "Zoom in on the canvas"),
    "zoom_out": ("View", "Zoom &Out", Std.ZoomOut, "Zoom out of the canvas"),
    "fit": ("View", "&Fit Network", "F", "Fit the network in view (a network too wide to show its neuron maps at 32 px opens from the Input side: Shift+wheel pans)"),
    "auto_layout": ("View", "&Auto-layout", "Ctrl+L", "Arrange the layers left to right"),
    "export_animation": ("View", "Export A&nimation…", None,
                         "Train on and save a view as a GIF or MP4, with the step in each frame"),
    "compare": ("Experiment", "&Compare…", None, "Train the project with a setting changed, from the same start, side by side"),
    "sweep": ("Experiment", "S&weep…", None, "Train a grid of two settings from the same start and pick the best"),
    "lessons": ("Lessons", "&Lessons…", None,
                "Step-by-step lessons with goals: each opens in a window of its own, beside your work"),
    "open_lesson": ("Lessons", "&Open Lesson File…", None, "Start a lesson from a lesson file (a teacher's own)"),
    "concepts": ("Help", "&Concepts Guide", Std.HelpContents, "What neurons, losses and optimizers are"),
    "about": ("Help", "&About Laegna", None, "Version and credits"),
}
MENU_ORDER = ("File", "Edit", "View", "Experiment", "Lessons", "Help")
MENU_TITLES = {"Experiment": "E&xperiment"}  # Alt+E is Edit's
SEPARATOR_AFTER = {"save_as", "redo", "delete", "zoom_out", "auto_layout", "open_lesson"}
CHECKABLE = {"save_recording"}  # their handler is given the new state; the window sets the first


def build_actions(window: QMainWindow, handlers: dict[str, Callable[[], object]]) -> dict[str, QAction]:
    """Create every action, put it in its menu and connect it to its handler."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    for title in MENU_ORDER:
        menus[title] = window.menuBar().addMenu(MENU_TITLES.get(title, f"&{title}"))
        menus[title].setObjectName(f"menu{title}")
    for name, (menu, text, shortcut, tip) in ACTION_SPECS.items():
        action = QAction(text, window)
        action.setObjectName(f"action_{name}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if name in CHECKABLE:
            action.setCheckable(True)
            action.triggered.connect(handlers[name])
        else:
            action.triggered.connect(lambda _=False, f=handlers[name]: f())
        menus[menu].addAction(action)
        if name == "save_as":
            menus["File"].addMenu(_recent_menu(window))
        if name in SEPARATOR_AFTER:
            menus[menu].addSeparator()
        actions[name] = action
    window.addActions(list(actions.values()))
    return actions


def add_menu_action(menu: QMenu, name: str, text: str, tip: str) -> QAction:
    """An action at the end of `menu`, named `action_<name>` (tests and screen readers find it),
    its tip shown as tooltip and in the status bar."""
    action = menu.addAction(text)
    action.setObjectName(f"action_{name}")
    action.setToolTip(tip)
    action.setStatusTip(tip)
    return action


def _recent_menu(window: QMainWindow) -> QMenu:
    menu = QMenu("Open &Recent", window)
    menu.setObjectName("menuRecent")
    window.recent_menu = menu  # filled by the window from its FileController
    return menu
