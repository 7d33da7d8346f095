"""A network too big for this computer is refused before training starts, with the estimate."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.presets import load_preset
from laegna_gui.ui.document.commands import SetParamsCommand


def test_a_network_too_big_for_memory_is_refused_with_the_estimate(qtbot, monkeypatch):
    from laegna_gui.ui.main_window import MainWindow

    monkeypatch.setenv("LAEGNA_MEMORY_LIMIT_MB", "16")
    win = MainWindow(load_preset("xor"))
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=10_000)
    doc = win.document
    dense = doc.graph.nodes_of_type("dense")[0]
    # one edit makes it too big: 1,000 hidden units evaluated on 20,000 points
    doc.set_dataset(replace(doc.project.dataset, samples=20_000))
    doc.push(SetParamsCommand(doc.graph, dense.id, {**dense.params, "units": 1000}))
    assert doc.error is not None and "needs about" in win.validity.text() and "16.0 MB" in win.validity.text()
    failures: list[str] = []
    ctl.failed.connect(failures.append)
    qtbot.keyClick(win, Qt.Key.Key_Space)  # Play
    assert failures and "cannot be trained" in failures[0] and "needs about" in failures[0]
    banner = win.training.banner
    assert banner.isVisible() and "needs about" in banner.message.text()
    assert not ctl.running and ctl.latest is None  # nothing was sent to the worker
    # the user's work stays: undo brings back a network that trains
    doc.undo_stack.undo()
    assert doc.error is None
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=10_000)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=10_000, check_params_cb=lambda s: s.step == 1):
        ctl.step()


def test_the_estimate_uses_the_number_of_points(qtbot, monkeypatch):
    from laegna_gui.ui.document.document import Document

    monkeypatch.setenv("LAEGNA_MEMORY_LIMIT_MB", "16")
    project = load_preset("xor")
    doc = Document(project)
    assert doc.error is None
    doc.set_dataset(DatasetSettings(name="circle", samples=100_000))
    dense = doc.graph.nodes_of_type("dense")[0]
    doc.push(SetParamsCommand(doc.graph, dense.id, {**dense.params, "units": 64}))
    assert doc.error is not None and "100,000 points" in str(doc.error)
