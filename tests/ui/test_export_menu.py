"""File ▸ Export in the window: script, trained weights, loss history and dataset files."""

from __future__ import annotations

import csv
import importlib.util

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QMenu

from laegna_gui.core.datasets import make_dataset
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.document.commands import RemoveEdgeCommand
from laegna_gui.ui.document.paths import settings

WAIT = 10_000
STEPS = 240


@pytest.fixture
def exporter(window, tmp_path, monkeypatch):
    """The window's Export menu with its dialogs recorded instead of shown."""
    menu = window.export_menu
    menu.asked, menu.messages, menu.errors = [], [], []

    def ask(title, suggested, file_filter):
        menu.asked.append((title, suggested, file_filter))
        return menu.answer

    menu.answer = ""
    monkeypatch.setattr(menu, "ask_save_path", ask)
    monkeypatch.setattr(menu, "show_message", lambda title, text: menu.messages.append(text))
    monkeypatch.setattr(menu, "show_error", lambda title, text: menu.errors.append(text))
    return menu


def _train(qtbot, window, steps=STEPS):
    controller = window.training.controller
    qtbot.waitUntil(lambda: controller.latest is not None, timeout=WAIT)
    with qtbot.waitSignal(controller.steps_finished, timeout=30_000):
        controller.run_steps(steps)
    qtbot.waitUntil(lambda: controller.latest.step == steps and not controller.running, timeout=WAIT)
    return controller


def _export(exporter, name, path):
    exporter.answer = str(path)
    exporter.export_actions[name].trigger()


def _rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_file_menu_has_an_export_submenu_above_quit(window):
    file_menu = window.findChild(QMenu, "menuFile")
    entries = [a.menu().objectName() if a.menu() else a.objectName() for a in file_menu.actions()]
    assert entries.index("menuExport") < entries.index("action_quit")
    names = [a.objectName() for a in window.export_menu.actions()]
    assert names == ["action_export_python", "action_export_weights", "action_export_history",
                     "action_export_dataset"]
    assert all(a.toolTip() for a in window.export_menu.actions())


def test_trained_weights_and_script_load_together_and_match_the_app(qtbot, window, exporter, tmp_path):
    controller = _train(qtbot, window)
    _export(exporter, "weights", tmp_path / "xor.pt")
    _export(exporter, "python", tmp_path / "xor")  # the suffix is added
    assert exporter.errors == [] and exporter.messages == []

    spec = importlib.util.spec_from_file_location("ui_exported_xor", tmp_path / "xor.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.STEPS == STEPS  # the script trains as long as the app did
    model = module.Network()
    model.load_state_dict(torch.load(tmp_path / "xor.pt", weights_only=True), strict=True)
    model.eval()
    data = make_dataset(window.document.project.dataset, window.document.project.seed)
    app = Trainer(window.document.project)
    app.network.load_weights(controller.latest.weights)
    with torch.no_grad():
        predicted = model(torch.as_tensor(data.x_test)).numpy()
    np.testing.assert_allclose(predicted, app.predict(data.x_test), rtol=1e-6, atol=1e-7)


def test_history_and_dataset_are_written_as_csv(qtbot, window, exporter, tmp_path):
    controller = _train(qtbot, window)
    _export(exporter, "history", tmp_path / "history.csv")
    _export(exporter, "dataset", tmp_path / "data.csv")

    rows = _rows(tmp_path / "history.csv")
    assert len(rows) == len(controller.history)
    assert [float(r["step"]) for r in rows] == list(controller.history.column("step"))
    assert rows[-1]["step"] == str(STEPS) and rows[-1]["epoch"] == str(controller.latest.epoch)
    assert float(rows[-1]["test_loss"]) == controller.latest.metrics.test_loss
    assert float(rows[-1]["test_accuracy"]) == controller.latest.metrics.test_accuracy

    data = make_dataset(window.document.project.dataset, window.document.project.seed)
    points = _rows(tmp_path / "data.csv")
    assert len(points) == len(data.x_train) + len(data.x_test)
    assert [int(p["label"]) for p in points if p["split"] == "test"] == list(data.y_test)


def test_before_training_weights_and_history_say_there_is_nothing_yet(qtbot, window, exporter, tmp_path):
    qtbot.waitUntil(lambda: window.training.controller.latest is not None, timeout=WAIT)
    _export(exporter, "weights", tmp_path / "w.pt")
    _export(exporter, "history", tmp_path / "h.csv")
    assert exporter.asked == []  # no file dialog for something that cannot be exported
    assert "not been trained yet" in exporter.messages[0] and "no loss history yet" in exporter.messages[1]
    _export(exporter, "python", tmp_path / "untrained.py")  # a script is fine: it trains by itself
    assert "STEPS = 1000" in (tmp_path / "untrained.py").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["untrained.py"]


def test_the_last_folder_is_remembered_and_a_cancel_writes_nothing(qtbot, window, exporter, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    _export(exporter, "dataset", folder / "points.csv")
    assert settings().value("export/last_folder") == str(folder.resolve())
    _export(exporter, "python", "")  # the dialog was cancelled
    assert exporter.asked[-1][1].startswith(str(folder.resolve()))
    assert exporter.asked[-1][1].endswith(".py")
    assert [p.name for p in folder.iterdir()] == ["points.csv"]


def test_failures_are_one_message_each(qtbot, window, exporter, tmp_path):
    _export(exporter, "dataset", tmp_path / "no-such-folder" / "d.csv")
    assert "could not be written" in exporter.errors[-1]
    doc = window.document
    doc.push(RemoveEdgeCommand(doc.graph, "dense1", "activation1"))
    _export(exporter, "python", tmp_path / "broken.py")
    assert "not valid" in exporter.messages[-1]
    assert list(tmp_path.iterdir()) == []


def test_a_successful_export_is_announced_in_the_status_bar(qtbot, window, exporter, tmp_path):
    _export(exporter, "dataset", tmp_path / "d.csv")
    assert "d.csv" in window.statusBar().currentMessage()
