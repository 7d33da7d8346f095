"""Classroom mode: a project's hidden controls are not shown while it is open, and come back
when a project without them opens; the teacher picks them in a checklist (an undoable edit
that Save stores and the saved file brings back) or shows everything for the session."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from window_helpers import open_window

from laegna_gui.core.lesson_words import CONTROLS
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import load_project
from laegna_gui.ui.lessons import classroom, controls
from laegna_gui.ui.lessons.classroom_dialog import HideControlsDialog
from laegna_gui.ui.lessons.outline import current_outline

HIDDEN = ("inspector", "play", "learning-rate", "regularization", "gradients-tab", "landscape-tab",
          "experiment-menu")


@pytest.fixture
def win(qtbot):
    window = open_window(qtbot)
    window.resize(1280, 800)
    return window


def _classroom_project(hidden=HIDDEN):
    project = load_preset("xor")
    project.hidden_controls = tuple(hidden)
    return project


def _shown(window, name: str) -> bool:
    """Whether the window offers the control (a tab on its bar, a menu in the menu bar, a dock
    that is open or can be opened, a field with its label)."""
    widget = controls.find_control(window, name)
    kind = controls.kind(name)
    if kind in ("tab", "page"):
        tabs, index = controls.tab_of(widget)
        return tabs.isTabVisible(index)
    if kind == "menu":
        return widget.menuAction().isVisible()
    if kind == "dock":  # open (perhaps tabbed behind another), and not locked closed
        return widget.toggleViewAction().isChecked() and widget.toggleViewAction().isEnabled()
    return all(part.isVisible() for part in controls.parts(window, name))


def _offered(window) -> set[str]:
    return {name for name in CONTROLS if _shown(window, name)}


def _lessons_menu(window):
    """Lessons ▸ Classroom (installed here if the window has no Lessons menu)."""
    return window.findChild(QMenu, "menuClassroom") or \
        classroom.install_classroom_menu(window, window.menuBar().addMenu("&Lessons"))


def test_a_classroom_project_hides_its_controls_and_the_next_project_shows_them(qtbot, win):
    assert _offered(win) == set(CONTROLS)
    win.document.load(_classroom_project())
    assert _offered(win) == set(CONTROLS) - set(HIDDEN)
    inspector = controls.find_control(win, "inspector")
    assert inspector.isHidden() and not inspector.toggleViewAction().isEnabled()
    labels = [part for part in controls.parts(win, "regularization") if part.metaObject().className() == "QLabel"]
    assert len(labels) == 2 and not any(label.isVisible() for label in labels)
    assert "Experiment" not in [a.text().replace("&", "") for a in win.menuBar().actions() if a.isVisible()]
    win.document.load(load_preset("xor"))
    assert _offered(win) == set(CONTROLS) and not inspector.isHidden()


def test_hiding_the_tab_on_show_shows_another(win):
    tabs = win.training.tabs
    tabs.setCurrentWidget(win.training.gradients)
    win.document.load(_classroom_project())
    assert tabs.currentWidget() is not win.training.gradients and tabs.isTabVisible(tabs.currentIndex())


def test_a_hidden_dock_stays_closed_whatever_tries_to_open_it(qtbot, win):
    state = win.saveState()  # the output and the inspector open
    win.document.load(_classroom_project(("output", "inspector")))
    output, inspector = controls.find_control(win, "output"), controls.find_control(win, "inspector")
    win.tabs.setCurrentWidget(win.tabs.widget(1))  # the transform lab sets the output aside…
    win.tabs.setCurrentIndex(0)  # …and brings it back
    win.restoreState(state)
    output.show()
    controls.highlight(win, "inspector")  # a lesson pointing at it does not overrule the classroom
    qtbot.waitUntil(lambda: output.isHidden() and inspector.isHidden())
    assert current_outline(win) is None or not current_outline(win).isVisible()


def test_the_teacher_hides_controls_in_the_checklist_saves_and_the_file_reopens_them_hidden(qtbot, win, tmp_path):
    menu = _lessons_menu(win)
    state = menu.findChild(type(menu.actions()[0]), "action_classroom_state")
    assert state.text() == "No controls hidden"
    menu.findChild(type(state), "action_hide_controls").trigger()
    dialog = win.findChild(HideControlsDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert [dialog.list.item(i).data(256) for i in range(dialog.list.count())] == list(CONTROLS)
    assert dialog.list.item(0).text() == "The Layers palette (blocks to drag onto the canvas)"
    dialog.set_checked(["step", "batch-size", "weights-tab"])
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert win.document.project.hidden_controls == ("step", "batch-size", "weights-tab")
    assert win.document.modified and state.text() == "3 controls hidden"
    assert not {"step", "batch-size", "weights-tab"} & _offered(win)
    win.document.undo_stack.undo()
    assert {"step", "batch-size", "weights-tab"} <= _offered(win) and state.text() == "No controls hidden"
    win.document.undo_stack.redo()
    path = tmp_path / "class.laegna"
    win.files.ask_save_path = lambda: str(path)
    assert win.files.save() and not win.document.modified
    assert json.loads(path.read_text())["classroom"] == {"hidden": ["step", "batch-size", "weights-tab"]}
    win.document.load(load_preset("xor"))
    assert {"step", "batch-size", "weights-tab"} <= _offered(win)
    assert win.files.open(path)
    assert not {"step", "batch-size", "weights-tab"} & _offered(win)


def test_a_saved_classroom_file_opens_hidden_in_a_new_window(qtbot, tmp_path):
    from laegna_gui.core.project_file import save_project
    from laegna_gui.ui.main_window import MainWindow

    path = tmp_path / "class.laegna"
    save_project(_classroom_project(), path)
    window = MainWindow(load_project(path), path, remember_layout=False, autosave=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert _offered(window) == set(CONTROLS) - set(HIDDEN)


def test_cancel_changes_nothing(qtbot, win):
    _lessons_menu(win)
    dialog = classroom.edit_hidden(win)
    dialog.set_checked(["play"])
    dialog.reject()
    assert win.document.project.hidden_controls == () and not win.document.modified and _shown(win, "play")


def test_show_all_controls_for_the_session_leaves_the_project_alone(win):
    menu = _lessons_menu(win)
    show_all = menu.findChild(type(menu.actions()[0]), "action_show_all_controls")
    state = menu.findChild(type(show_all), "action_classroom_state")
    win.document.load(_classroom_project())
    show_all.trigger()
    assert _offered(win) == set(CONTROLS)
    assert state.text() == f"{len(HIDDEN)} controls hidden in this project, shown this session"
    assert win.document.project.hidden_controls == HIDDEN and not win.document.modified
    win.document.load(_classroom_project(("reset",)))  # the session goes on showing everything
    assert _shown(win, "reset")
    show_all.trigger()
    assert not _shown(win, "reset") and state.text() == "1 control hidden"


def test_a_hidden_button_s_keys_do_not_press_it_and_come_back_with_it(win):
    keys = win.training.shortcuts
    win.document.load(_classroom_project(("play", "reset")))
    assert not any(s.isEnabled() for s in keys["play"] + keys["reset"]) and all(s.isEnabled() for s in keys["step"])
    win.document.load(_classroom_project(("training",)))
    assert not any(s.isEnabled() for group in keys.values() for s in group)
    win.document.load(_classroom_project(("training", "step")))
    assert not any(s.isEnabled() for group in keys.values() for s in group)
    win.document.load(load_preset("xor"))
    assert all(s.isEnabled() for group in keys.values() for s in group)
