"""Autosave and recovery: each window keeps its own locked recovery file, written off the GUI
thread; crashed windows' work is offered back, unreadable files are kept aside, and a data
folder that cannot be written says so once in the status bar instead of raising."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from laegna_gui.core import project_file
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import load_project, save_project
from laegna_gui.ui.document import recovery_offer
from laegna_gui.ui.document import recovery_writer
from laegna_gui.ui.document.commands import AddNodeCommand
from laegna_gui.ui.document.paths import data_dir, settings
from laegna_gui.ui.document.recovery_files import RecoveryFile, find_recoveries

WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def _no_exception_escapes(monkeypatch):
    """Nothing may reach an excepthook: not from a slot, a timer, closeEvent or the writer thread."""
    escaped = []
    monkeypatch.setattr(sys, "excepthook", lambda *args: escaped.append(args))
    monkeypatch.setattr(threading, "excepthook", lambda args: escaped.append(args))
    yield
    assert escaped == []


def _new_window(qtbot, preset: str = "xor", autosave: bool = True):
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(load_preset(preset), autosave=autosave)
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(window)
    return window


def _edit(window, units: int = 7, node: str = "late") -> None:
    doc = window.document
    doc.push(AddNodeCommand(doc.graph, "dense", {"units": units}, (0, 300), node))


def _autosave(qtbot, window) -> None:
    """Write now, and wait until the writer thread says the file holds the work."""
    with qtbot.waitSignal(window.autosaver.written, timeout=WAIT_MS):
        window.autosaver.write()


def _crashed_window_file(folder: Path, name: str = "20260101-000000-crashed", project=None) -> RecoveryFile:
    """A recovery file as a window that crashed leaves it: the work, a note, no live lock."""
    folder.mkdir(parents=True, exist_ok=True)
    file = RecoveryFile(folder, name)
    project = project or load_preset("xor")
    project.graph.add_node("dense", {"units": 9}, (0, 0), "crashed")
    save_project(project, file.project_path)
    file.note_path.write_text('{"path": null, "saved_at": 1767225600}', encoding="utf-8")
    return file


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- one window, its own file ----------------------------------------------------------
def test_an_edit_is_autosaved_to_the_windows_own_file_and_saving_removes_it(window, qtbot, tmp_path,
                                                                            _private_data_dir):
    window.autosaver.timer.setInterval(10)
    with qtbot.waitSignal(window.autosaver.written, timeout=WAIT_MS):
        _edit(window)
    file = window.autosaver.file
    assert file.parent == _private_data_dir / "recovery" and file.name != "recovery.laegna"
    assert load_project(file).graph.node("late").params["units"] == 7
    assert find_recoveries(_private_data_dir).recoveries == ()  # its window is open: not a crash
    window.files.ask_save_path = lambda: str(tmp_path / "kept.laegna")
    assert window.files.save()
    assert not file.exists() and not window.autosaver.meta.exists()


def test_two_windows_get_their_own_files_and_saving_one_keeps_the_others_work(qtbot, tmp_path):
    first, second = _new_window(qtbot), _new_window(qtbot)
    assert first.autosaver.file != second.autosaver.file
    _edit(first, units=3, node="first")
    _edit(second, units=5, node="second")
    _autosave(qtbot, first)
    _autosave(qtbot, second)
    first.files.ask_save_path = lambda: str(tmp_path / "first.laegna")
    assert first.files.save()
    assert not first.autosaver.file.exists()
    kept = load_project(second.autosaver.file)
    assert kept.graph.node("second").params["units"] == 5 and "first" not in kept.graph.nodes


def test_closing_a_window_that_keeps_no_file_leaves_others_alone(qtbot, _private_data_dir):
    crashed = _crashed_window_file(_private_data_dir / "recovery")
    before = _snapshot(crashed.folder)
    window = _new_window(qtbot)
    assert len(_snapshot(crashed.folder)) == len(before) + 1  # the window's lock
    window.close()
    assert _snapshot(crashed.folder) == before  # its own lock is gone too


# --- finding the work of crashed windows ---------------------------------------------
LOCK_HOLDER = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
print(lock.tryLock(0), flush=True)
sys.stdin.read()
"""


def test_a_file_another_process_holds_is_not_offered_until_that_process_dies(_private_data_dir):
    file = _crashed_window_file(_private_data_dir / "recovery")
    before = file.project_path.read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(file.folder / f"{file.name}.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "True"
        assert find_recoveries(_private_data_dir).recoveries == ()  # its window is still open
        assert file.project_path.read_bytes() == before and file.note_path.exists()
        os.kill(holder.pid, signal.SIGKILL)  # the other window crashes: its lock is stale
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    found = find_recoveries(_private_data_dir)
    assert [r.file.project_path for r in found.recoveries] == [file.project_path]
    assert "crashed" in found.recoveries[0].project.graph.nodes
    found.recoveries[0].discard()


def test_a_file_held_in_this_process_is_not_offered_nor_removed(_private_data_dir):
    file = _crashed_window_file(_private_data_dir / "recovery")
    held = QLockFile(str(file.folder / f"{file.name}.lock"))
    assert held.tryLock(0)
    try:
        assert find_recoveries(_private_data_dir).recoveries == ()
        assert file.project_path.exists() and file.note_path.exists()
    finally:
        held.unlock()


def test_restoring_makes_the_window_the_owner_of_the_file(window, qtbot, monkeypatch, _private_data_dir):
    file = _crashed_window_file(_private_data_dir / "recovery")
    found = find_recoveries(_private_data_dir)
    monkeypatch.setattr(recovery_offer.QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert recovery_offer.offer_recoveries(window, found) == []  # into the start window: it shows no file
    assert "crashed" in window.document.graph.nodes and window.document.modified
    assert window.autosaver.file == file.project_path
    assert find_recoveries(_private_data_dir).recoveries == ()  # owned by a running window now
    _edit(window)
    _autosave(qtbot, window)
    assert {"crashed", "late"} <= set(load_project(file.project_path).graph.nodes)
    window.document.undo_stack.setClean()  # saved elsewhere, say: the recovery file goes
    assert not file.project_path.exists()


def test_each_crashed_window_is_offered_and_declining_discards_it(window, qtbot, monkeypatch, _private_data_dir):
    folder = _private_data_dir / "recovery"
    files = [_crashed_window_file(folder, f"2026010{i}-000000-crashed") for i in (1, 2)]
    asked = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(recovery_offer.QMessageBox, "question",
                        lambda _parent, title, *a, **k: asked.append(title) or next(answers))
    window.document.set_path(_private_data_dir / "open.laegna")  # the start window shows a file
    opened = recovery_offer.offer_recoveries(window, find_recoveries(_private_data_dir))
    for extra in opened:
        extra.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(extra)
    assert asked == ["Restore unsaved work? (1 of 2)", "Restore unsaved work? (2 of 2)"]
    assert not files[0].project_path.exists()  # declined: discarded
    assert len(opened) == 1 and opened[0].autosaver.file == files[1].project_path
    assert "crashed" in opened[0].document.graph.nodes and "crashed" not in window.document.graph.nodes


def test_an_unreadable_recovery_file_is_kept_aside_and_named_in_one_message(window, monkeypatch,
                                                                           _private_data_dir):
    folder = _private_data_dir / "recovery"
    folder.mkdir(exist_ok=True)
    (folder / "20260101-000000-broken.laegna").write_text("{ not json", encoding="utf-8")
    found = find_recoveries(_private_data_dir)
    assert found.recoveries == () and len(found.set_aside) == 1
    kept = found.set_aside[0]
    assert kept.parent == folder and ".unreadable-" in kept.name and kept.suffix == ".laegna"
    assert kept.read_text(encoding="utf-8") == "{ not json"
    assert not (folder / "20260101-000000-broken.laegna").exists()
    messages = []
    monkeypatch.setattr(recovery_offer.QMessageBox, "warning", lambda *a, **k: messages.append(a[2]))
    monkeypatch.setattr(recovery_offer.QMessageBox, "question", lambda *a, **k: pytest.fail("nothing to offer"))
    recovery_offer.offer_recoveries(window, found)
    assert len(messages) == 1 and str(kept) in messages[0]
    assert find_recoveries(_private_data_dir) == type(found)()  # set aside: never offered again


def test_the_shared_file_of_an_older_version_is_offered(_private_data_dir):
    save_project(load_preset("spiral3"), _private_data_dir / "recovery.laegna")
    found = find_recoveries(_private_data_dir)
    assert len(found.recoveries) == 1 and found.recoveries[0].project.name == load_preset("spiral3").name
    assert not (_private_data_dir / "recovery.laegna").exists()
    found.recoveries[0].discard()


# --- a data folder that cannot be used --------------------------------------------------
def test_a_data_folder_that_is_a_file_leaves_the_window_working_and_says_so_once(qtbot, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("LAEGNA_DATA_DIR", str(blocker))
    assert data_dir() == blocker
    store = settings()
    store.setValue("probe", 1)  # kept for the session; nothing raises
    assert settings().value("probe") in (1, "1")
    window = _new_window(qtbot)
    window.show()
    qtbot.waitExposed(window)
    label = window.autosave_label
    assert label.isVisible() and "Autosave is off" in label.message and str(blocker) in label.message
    assert "LAEGNA_DATA_DIR" in label.message and "tries again" in label.message
    problems = []
    window.autosaver.problem_changed.connect(problems.append)
    _edit(window)
    window.autosaver.write()  # tries again, fails the same way: not said again
    window.autosaver.write()
    assert problems == [] and window.autosaver.file is None
    assert "late" in window.document.graph.nodes and window.isWindowModified()  # the window works
    window.close()


def test_a_read_only_data_folder_turns_autosave_off_until_it_can_write_again(qtbot, monkeypatch):
    def refuse(folder):  # simulated: as root (CI containers) chmod 0o500 does not stop writes
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    real_claim = RecoveryFile.claim_new
    monkeypatch.setattr(RecoveryFile, "claim_new", refuse)
    window = _new_window(qtbot)
    autosaver = window.autosaver
    assert autosaver.problem.startswith("Autosave is off") and "permission denied" in autosaver.problem
    assert window.autosave_label.message.endswith(autosaver.problem)
    monkeypatch.setattr(RecoveryFile, "claim_new", real_claim)  # the folder is writable again
    _edit(window)
    _autosave(qtbot, window)
    assert autosaver.problem == "" and "works again" in window.autosave_label.message
    assert "late" in load_project(autosaver.file).graph.nodes
    window.close()


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "is full"), (errno.EACCES, "permission denied")])
def test_a_failing_write_is_said_once_retried_and_the_recovery_is_said(window, qtbot, monkeypatch, code, words):
    # simulated: as root (CI containers) chmod does not stop writes
    def fail(project, path, *args):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(recovery_writer, "save_project", fail)
    autosaver, label = window.autosaver, window.autosave_label
    autosaver.retry.setInterval(10)
    problems = []
    autosaver.problem_changed.connect(problems.append)
    _edit(window)
    with qtbot.waitSignal(autosaver.problem_changed, timeout=WAIT_MS):
        autosaver.write()
    assert len(problems) == 1 and problems[0].startswith("Autosave failed") and words in problems[0]
    assert "tries again" in problems[0] and label.isVisible() and label.message.endswith(problems[0])
    attempts = []
    monkeypatch.setattr(recovery_writer, "save_project", lambda *a: attempts.append(1) or fail(*a))
    qtbot.waitUntil(lambda: len(attempts) >= 2, timeout=WAIT_MS)  # retried by itself, and again
    assert len(problems) == 1  # said once
    monkeypatch.setattr(recovery_writer, "save_project", save_project)  # space freed
    qtbot.waitUntil(lambda: problems[-1] == "", timeout=WAIT_MS)
    assert "works again" in label.message and load_project(autosaver.file).graph.node("late")


def test_clearing_and_closing_do_not_raise_when_the_file_cannot_be_removed(window, qtbot, monkeypatch, tmp_path):
    _edit(window)
    _autosave(qtbot, window)

    def refuse(_self):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(RecoveryFile, "remove", refuse)
    window.files.ask_save_path = lambda: str(tmp_path / "saved.laegna")
    assert window.files.save()  # clears the recovery file: refused
    assert "could not remove" in window.autosaver.problem and window.autosave_label.isVisible()
    window.close()  # closeEvent clears and releases: no exception either
    monkeypatch.undo()


# --- off the GUI thread ------------------------------------------------------------------
class _BlockedWrites:
    """Replaces the writer's save: records the thread and waits until the test lets it go."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.written: list[set[str]] = []
        self.go = threading.Event()

    def __call__(self, project, path, *args) -> None:
        self.threads.append(threading.current_thread())
        self.go.wait(WAIT_MS / 1000)
        self.written.append(set(project.graph.nodes))
        save_project(project, path, *args)


def test_the_edit_only_copies_the_work_and_another_thread_serialises_it(window, qtbot, monkeypatch):
    blocked = _BlockedWrites()
    serialised_on = []
    real_dumps = project_file.dumps_project
    monkeypatch.setattr(recovery_writer, "save_project", blocked)
    monkeypatch.setattr(project_file, "dumps_project",
                        lambda *a, **k: serialised_on.append(threading.current_thread()) or real_dumps(*a, **k))
    window.autosaver.timer.setInterval(3_600_000)  # only the writes the test asks for
    _edit(window, node="one")
    window.autosaver.write()  # returns while the write waits: the GUI thread does not write
    qtbot.waitUntil(lambda: len(blocked.threads) == 1, timeout=WAIT_MS)
    _edit(window, node="two")
    window.autosaver.write()
    _edit(window, node="three")
    window.autosaver.write()  # replaces "two", which waits: the latest wins
    with qtbot.waitSignal(window.autosaver.written, timeout=WAIT_MS):
        blocked.go.set()
    qtbot.waitUntil(lambda: len(blocked.written) == 2 and not window.autosaver.writer.busy, timeout=WAIT_MS)
    main = threading.main_thread()
    assert all(t is not main for t in blocked.threads) and serialised_on and main not in serialised_on
    assert "three" not in blocked.written[0] and {"one", "two", "three"} <= blocked.written[1]
    assert {"one", "two", "three"} <= set(load_project(window.autosaver.file).graph.nodes)


def test_closing_does_not_wait_for_a_slow_write_and_nothing_stays_behind(window, qtbot, monkeypatch):
    blocked = _BlockedWrites()
    monkeypatch.setattr(recovery_writer, "save_project", blocked)
    writer, file = window.autosaver.writer, window.autosaver.file
    window.autosaver.timer.setInterval(3_600_000)  # only the writes the test asks for
    _edit(window)
    window.autosaver.write()
    qtbot.waitUntil(lambda: len(blocked.threads) == 1, timeout=WAIT_MS)
    window.close()  # the user discards the work while the write still runs
    assert writer.busy  # close returned without waiting for it
    window.autosaver.write()  # nothing more is written after the window closed
    blocked.go.set()
    qtbot.waitUntil(lambda: not writer.busy, timeout=WAIT_MS)
    assert len(blocked.threads) == 1
    assert not file.exists() and not (file.parent / file.name.replace(".laegna", ".lock")).exists()


def test_windows_for_screenshots_and_benchmarks_keep_no_recovery_file(qtbot, _private_data_dir):
    crashed = _crashed_window_file(_private_data_dir / "recovery")
    before = _snapshot(crashed.folder)
    window = _new_window(qtbot, autosave=False)
    assert _snapshot(crashed.folder) == before  # not even a lock
    _edit(window)
    window.autosaver.write()
    assert window.autosaver.file is None and window.autosaver.writer is None
    window.close()
    assert _snapshot(crashed.folder) == before


@pytest.mark.parametrize("data", ["holds another window's file", "is a file"])
def test_the_screenshot_command_leaves_recovery_files_alone(tmp_path, data):
    folder = tmp_path / "data"
    if data == "is a file":
        folder.write_text("x", encoding="utf-8")
    else:
        _crashed_window_file(folder / "recovery")
    before = _snapshot(folder) if folder.is_dir() else None
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "laegna_gui", "screenshot", "xor", "--view", "network",
                           "--size", "600x400", "--out", str(out)], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "LAEGNA_DATA_DIR": str(folder)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.exists() and "Traceback" not in done.stderr
    if before is not None:
        after = {k: v for k, v in _snapshot(folder).items() if k != "settings.ini"}
        assert after == before
