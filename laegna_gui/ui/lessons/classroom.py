"""Classroom mode: the controls a project (or a lesson's start) lists in `hidden_controls` are
not shown while it is open — a hidden tab leaves its tab bar, a hidden dock closes and cannot be
reopened from the window's panel menu, a hidden setting goes with its label, a hidden menu leaves
the menu bar. Everything the classroom hid comes back when a project without it opens.

The teacher edits the list with Lessons ▸ Classroom ▸ Hide Controls… (an undoable edit that
File ▸ Save stores), and may see everything for the rest of the session without changing it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from laegna_gui.core.lesson_words import CONTROLS
from laegna_gui.ui.actions import add_menu_action
from laegna_gui.ui.document.commands import SetValueCommand
from laegna_gui.ui.lessons import controls
from laegna_gui.ui.lessons.classroom_dialog import HideControlsDialog

OBJECT_NAME = "classroom"


class Classroom(QObject):
    """Keeps the window showing what the open project's classroom allows. `show_all`: the
    teacher's "show everything this session", whatever the projects opened say."""

    changed = Signal()

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName(OBJECT_NAME)
        self.window = window
        self.hidden: tuple[str, ...] = ()  # what the window hides now
        self.show_all = False
        window.document.project_replaced.connect(self.refresh)
        for name in CONTROLS:
            if controls.kind(name) == "dock":
                dock = controls.find_control(window, name)
                # whatever opens it again (a restored layout, a view stepping back) finds it closed
                dock.toggleViewAction().toggled.connect(
                    lambda on, n=name, d=dock: on and n in self.hidden and d.close())

    def wanted(self) -> tuple[str, ...]:
        return () if self.show_all else self.window.document.project.hidden_controls

    def refresh(self) -> None:
        self.apply(self.wanted())

    def apply(self, names: tuple[str, ...] | list[str]) -> None:
        """Hide `names`; show what this classroom hid before and no longer should."""
        before, self.hidden = self.hidden, tuple(name for name in CONTROLS if name in names)
        for name in CONTROLS:
            if name in self.hidden:
                _set_shown(self.window, name, False)
            elif name in before:
                _set_shown(self.window, name, True)
        for button, keys in self.window.training.shortcuts.items():  # a hidden button's keys do not press it
            for key in keys:
                key.setEnabled(button not in self.hidden and "training" not in self.hidden)
        self.changed.emit()

    def set_show_all(self, show_all: bool) -> None:
        self.show_all = show_all
        self.refresh()

    def state_text(self) -> str:
        listed = len(self.window.document.project.hidden_controls)
        if not listed:
            return "No controls hidden"
        counted = f"{listed} control{'s' * (listed != 1)} hidden"
        return f"{counted} in this project, shown this session" if self.show_all else counted


def _set_shown(window: QMainWindow, name: str, shown: bool) -> None:
    kind, widget = controls.kind(name), controls.find_control(window, name)
    if kind == "dock":
        _set_dock_shown(widget, shown)
    elif kind in ("tab", "page"):
        tabs, index = controls.tab_of(widget)
        tabs.setTabVisible(index, shown)
    elif kind == "menu":
        widget.menuAction().setVisible(shown)
    else:
        for part in controls.parts(window, name):
            part.setVisible(shown)


def _set_dock_shown(dock: QDockWidget, shown: bool) -> None:
    dock.toggleViewAction().setEnabled(shown)  # the panel menu cannot reopen a hidden dock
    if shown:
        dock.show()
    else:
        dock.close()


def follow_document(window: QMainWindow) -> Classroom:
    """The window's classroom, which applies each project's as the document opens it (made,
    and applied to the open project, the first time it is asked for)."""
    classroom = window.findChild(Classroom, OBJECT_NAME)
    if classroom is None:
        classroom = Classroom(window)
        classroom.refresh()
    return classroom


def apply_hidden(window: QMainWindow, names: tuple[str, ...] | list[str]) -> None:
    """Hide the controls `names` and show again those the classroom hid before."""
    follow_document(window).apply(names)


def set_hidden(window: QMainWindow, names: tuple[str, ...] | list[str]) -> None:
    """Make `names` the open project's hidden controls: an undoable edit that Save stores."""
    document, classroom = window.document, follow_document(window)
    project = document.project
    new = tuple(name for name in CONTROLS if name in names)
    if new == project.hidden_controls:
        return

    def put(hidden: tuple[str, ...]) -> None:
        project.hidden_controls = hidden
        classroom.refresh()

    document.push(SetValueCommand("Hide controls", put, project.hidden_controls, new, resets_layers=False))


def edit_hidden(window: QMainWindow) -> HideControlsDialog:
    """Open the checklist of controls; OK makes the checked ones the project's hidden controls."""
    dialog = HideControlsDialog(window.document.project.hidden_controls, window)
    dialog.accepted.connect(lambda: set_hidden(window, dialog.chosen()))
    dialog.open()
    return dialog


def install_classroom_menu(window: QMainWindow, menu: QMenu) -> QMenu:
    """Classroom ▸ the state, Hide Controls…, Show All Controls (this session)."""
    classroom = follow_document(window)
    sub = menu.addMenu("&Classroom")
    sub.setObjectName("menuClassroom")
    state = add_menu_action(sub, "classroom_state", "No controls hidden", "What this project's classroom hides")
    state.setEnabled(False)
    sub.addSeparator()
    hide = add_menu_action(sub, "hide_controls", "&Hide Controls…",
                   "Choose the controls this project hides, for a class (File ▸ Save keeps the choice)")
    hide.triggered.connect(lambda: edit_hidden(window))
    show_all = add_menu_action(sub, "show_all_controls", "&Show All Controls (this session)",
                       "Show every control until Laegna closes, without changing the project")
    show_all.setCheckable(True)
    show_all.toggled.connect(classroom.set_show_all)

    def show_state() -> None:
        state.setText(classroom.state_text())
        show_all.setChecked(classroom.show_all)

    classroom.changed.connect(show_state)
    show_state()
    return sub
