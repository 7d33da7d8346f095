"""What the editor says is true: the Input card counts the values that really enter, undo
brings back the trained weights an edit replaced, File ▸ New is blank, presets open from
a gallery, and the wheel scrolls panels instead of changing the boxes it passes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication, QComboBox, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from window_helpers import open_window
from laegna_gui.core.presets import LESSONS, load_preset, preset_names
from laegna_gui.ui.document import document as document_module
from laegna_gui.ui.document.commands import MoveNodesCommand, SetParamsCommand
from laegna_gui.ui.dataset.csv_import_dialog import CsvImportDialog
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.editor.preset_dialog import PresetDialog
from laegna_gui.ui.look.wheel_guard import install_wheel_guard

WAIT = 10_000
# three features and a 0/1 class: the XOR network still fits, with a 3-wide first layer
THREE_COLUMNS = "a,b,c,label\n" + "".join(f"{i % 5},{i % 7 / 3:.2f},{(i * 3) % 11 / 4:.2f},{i % 2}\n"
                                           for i in range(40))


def make_window(qtbot, preset: str = "xor"):
    return open_window(qtbot, preset)


def card(win, node_id: str):
    return win.canvas.graph_scene.nodes[node_id]


def wire_label(win, src: str, dst: str) -> str:
    return win.canvas.graph_scene.edges[(src, dst)].label.text


def import_csv(qtbot, win, path) -> None:
    """File ▸ Import CSV… with the columns it suggests (the last one is the target)."""
    dialog = CsvImportDialog(win.document, win)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loading_finished, timeout=20_000):
        dialog.load(path)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == CsvImportDialog.DialogCode.Accepted


# --- defect 3: the Input card counts the values that enter ------------------------------
@pytest.mark.parametrize("preset, width", [("xor", 2), ("sine", 1), ("affine3d", 3)])
def test_the_input_card_counts_the_values_its_wire_carries(qtbot, preset, width):
    win = make_window(qtbot, preset)
    first = win.document.graph.outputs_of("input1")[0]
    assert card(win, "input1").title == f"Input ({width})"
    assert wire_label(win, "input1", first) == str(width)


def test_the_input_card_follows_a_csv_import_and_its_undo(qtbot, tmp_path):
    win = make_window(qtbot)
    path = tmp_path / "three.csv"
    path.write_text(THREE_COLUMNS, encoding="utf-8")
    import_csv(qtbot, win, path)
    assert (card(win, "input1").title, wire_label(win, "input1", "dense1")) == ("Input (3)", "3")
    win.actions["undo"].trigger()
    assert (card(win, "input1").title, wire_label(win, "input1", "dense1")) == ("Input (2)", "2")
    win.actions["redo"].trigger()
    assert card(win, "input1").title == "Input (3)"


def test_on_1d_data_the_inspector_says_the_features_do_not_count(qtbot):
    win = make_window(qtbot, "sine")
    win.canvas.select_nodes(["input1"])
    text = win.inspector.width_label.text()
    assert text.startswith("Output: 1 value") and "the data has 1 input" in text


def test_at_1280_by_800_the_inspector_reads_whole(qtbot):
    win = make_window(qtbot)
    win.resize(1280, 800)
    win.actions["new"].trigger()
    win.canvas.select_nodes(["output1"])
    label = win.inspector.width_label
    assert label.text() == "Receives: not known until it is wired to the input"

    def reads_whole() -> bool:
        room = QRect(0, 0, label.contentsRect().width(), 10_000)
        needed = label.fontMetrics().boundingRect(room, Qt.TextFlag.TextWordWrap, label.text())
        shown = label.visibleRegion().boundingRect()  # what the panel around it does not clip
        return label.isVisible() and shown == label.rect() and needed.height() <= label.contentsRect().height()
    qtbot.waitUntil(reads_whole, timeout=WAIT)


# --- defect 4: undo brings back the trained weights ---------------------------------------
def trained_xor(qtbot):
    win = make_window(qtbot)
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    for _ in range(20):  # a fixed number of steps per round: the same on any machine
        with qtbot.waitSignal(ctl.steps_finished, timeout=WAIT):
            ctl.run_steps(150)
        if ctl.latest.metrics.test_accuracy >= 0.9:
            return win, ctl, ctl.latest
    raise AssertionError(f"XOR did not train: accuracy {ctl.latest.metrics.test_accuracy}")


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_undoing_a_csv_import_brings_back_the_trained_network(qtbot, tmp_path):
    win, ctl, trained = trained_xor(qtbot)
    path = tmp_path / "three.csv"
    path.write_text(THREE_COLUMNS, encoding="utf-8")
    import_csv(qtbot, win, path)
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.weights["dense1.weight"].shape == (4, 3),
                    timeout=WAIT)  # the first layer starts afresh on three inputs
    win.actions["undo"].trigger()  # Ctrl+Z
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.weights["dense1.weight"].shape == (4, 2),
                    timeout=WAIT)
    assert same_weights(ctl.latest.weights, trained.weights)
    assert ctl.latest.metrics.test_accuracy == trained.metrics.test_accuracy
    win.actions["redo"].trigger()  # and the imported data's network comes back as it was
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.weights["dense1.weight"].shape == (4, 3),
                    timeout=WAIT)


def test_undoing_a_layer_size_change_brings_back_its_trained_weights(qtbot):
    win, ctl, trained = trained_xor(qtbot)
    win.document.push(SetParamsCommand(win.document.graph, "dense1", {"units": 6}))
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.weights["dense1.weight"].shape == (6, 2),
                    timeout=WAIT)
    win.actions["undo"].trigger()
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.weights["dense1.weight"].shape == (4, 2),
                    timeout=WAIT)
    assert same_weights(ctl.latest.weights, trained.weights)


def test_a_saved_network_can_still_change_a_layer_size(qtbot, tmp_path):
    """Saving stores the weights in the project; a later edit must not feed weights of the
    old shape to the new layer (it stopped training with an internal error)."""
    win, ctl, _trained = trained_xor(qtbot)
    failures = []
    ctl.failed.connect(failures.append)
    win.files.ask_save_path = lambda: str(tmp_path / "trained.laegna")
    assert win.files.save_as()
    win.document.push(SetParamsCommand(win.document.graph, "dense1", {"units": 5}))
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.weights["dense1.weight"].shape == (5, 2),
                    timeout=WAIT)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    assert failures == []


def _weights(units: int, value: float) -> dict:
    return {"dense1.weight": np.full((units, 2), value, np.float32), "dense1.bias": np.full(units, value, np.float32),
            "dense2.weight": np.full((1, units), value, np.float32), "dense2.bias": np.full(1, value, np.float32)}


def test_the_document_hands_back_the_weights_an_edit_replaced():
    doc = Document(load_preset("xor"))
    live = {"now": _weights(4, 0.5)}
    doc.weights_provider = lambda: live["now"]
    doc.push(SetParamsCommand(doc.graph, "dense1", {"units": 6}))
    live["now"] = _weights(6, 0.25)  # the trainer's weights after the edit
    doc.undo_stack.undo()
    assert same_weights(doc.project.weights, _weights(4, 0.5))
    doc.undo_stack.redo()
    assert same_weights(doc.project.weights, _weights(6, 0.25))
    doc.undo_stack.clear()


def test_weights_that_no_longer_fit_are_dropped_layer_by_layer():
    doc = Document(load_preset("xor"))
    doc.project.weights = _weights(4, 0.5)
    doc.push(SetParamsCommand(doc.graph, "dense2", {"bias": False}))
    assert set(doc.project.weights) == {"dense1.weight", "dense1.bias"}  # dense2 lost a tensor
    doc.undo_stack.clear()


def test_past_the_memory_budget_the_edit_says_that_the_oldest_undo_loses_its_weights(monkeypatch, qtbot):
    doc = Document(load_preset("xor"))
    notices = []
    doc.notice.connect(notices.append)
    monkeypatch.setattr(document_module, "KEPT_WEIGHTS_BYTES", 3 * sum(a.nbytes for a in _weights(4, 0).values()))
    for i in range(4):
        doc.weights_provider = lambda i=i: _weights(4, float(i))
        node = ("activation1", "activation2")[i % 2]  # one node after the other: edits that do not merge
        doc.push(SetParamsCommand(doc.graph, node, {"function": ("relu", "relu", "tanh", "sigmoid")[i]}))
    assert len(notices) == 1 and "oldest edit" in notices[0] and "will not bring back" in notices[0]
    doc.undo_stack.undo()
    assert same_weights(doc.project.weights, _weights(4, 3.0))
    doc.undo_stack.clear()


def test_moves_and_training_settings_keep_no_weights():
    doc = Document(load_preset("xor"))
    doc.weights_provider = lambda: pytest.fail("read weights for an edit that resets no layer")
    doc.set_training(replace(doc.project.training, learning_rate=0.1))
    doc.push(MoveNodesCommand(doc.graph, {"dense1": (doc.graph.node("dense1").pos, (5.0, 5.0))}))
    doc.undo_stack.clear()


# --- defect 7: the refused wire names the real rule -----------------------------------------
@pytest.mark.parametrize("src, dst, reason", [
    ("activation1", "dense1", "would make a loop"),  # also a second wire into Dense 4
    ("input1", "dense2", "takes only 1 incoming wire"),
    ("input1", "dense1", "already wired"),
])
def test_a_refused_wire_names_the_rule_it_breaks(qtbot, src, dst, reason):
    win = make_window(qtbot)
    shown = []
    win.canvas.message_shown.connect(shown.append)
    assert not win.canvas.try_connect(src, dst)
    assert reason in shown[-1] and reason in win.statusBar().currentMessage()


# --- File ▸ New and the preset gallery ------------------------------------------------------
def test_file_new_gives_a_blank_network(qtbot):
    win = make_window(qtbot)
    win.actions["new"].trigger()
    graph = win.document.graph
    assert sorted(n.type for n in graph.nodes.values()) == ["input", "output"] and graph.edges == []
    assert "Output needs an incoming wire" in str(win.document.error)
    assert not win.isWindowModified() and win.document.undo_stack.count() == 0


def test_the_gallery_lists_every_preset_in_lesson_order_with_a_thumbnail_and_its_lesson(qtbot):
    dialog = PresetDialog()
    qtbot.addWidget(dialog)
    names = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())]
    assert names[0] == "xor" and sorted(names) == sorted(preset_names()) and names == list(LESSONS)
    for i, name in enumerate(names):
        item = dialog.list.item(i)
        assert LESSONS[name] in item.text()
        pixmap = item.icon().pixmap(dialog.list.iconSize())
        assert not pixmap.isNull() and len({pixmap.toImage().pixel(x, y) for x in range(0, pixmap.width(), 7)
                                            for y in range(0, pixmap.height(), 7)}) > 3  # a picture
    assert dialog.chosen() == "xor"


def test_choosing_a_preset_in_the_gallery_opens_it(qtbot):
    win = make_window(qtbot)
    dialog = PresetDialog(win)
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(list(LESSONS).index("spiral"))
    assert dialog.chosen() == "spiral"
    assert win.files.open_preset(dialog.chosen()) and win.document.project.dataset.name == "spiral"


# --- the wheel scrolls panels ---------------------------------------------------------------
@pytest.fixture
def wheel_guard(qapp):
    guard = install_wheel_guard(qapp)
    yield guard
    qapp.removeEventFilter(guard)
    guard.setParent(None)
    guard.deleteLater()


def wheel_down(widget: QWidget) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_a_panel_past_boxes_until_one_is_clicked(qtbot, wheel_guard):
    body = QWidget()
    column = QVBoxLayout(body)
    combo, spin = QComboBox(), QSpinBox(minimum=0, maximum=10, value=5)
    combo.addItems(["one", "two", "three"])
    for widget in (combo, spin):
        column.addWidget(widget)
    column.addSpacing(2000)
    area = QScrollArea(widgetResizable=True)
    area.setWidget(body)
    qtbot.addWidget(area)
    area.resize(300, 200)
    area.show()
    qtbot.waitExposed(area)
    assert combo.focusPolicy() == spin.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel gives no focus
    bar = area.verticalScrollBar()
    for widget in (combo, spin):
        before = bar.value()
        wheel_down(widget)
        assert (combo.currentIndex(), spin.value()) == (0, 5) and bar.value() > before
    area.activateWindow()
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel_down(spin)
    assert spin.value() == 4  # a focused box takes the wheel
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel_down(combo)
    assert combo.currentIndex() == 1


def test_in_the_window_the_wheel_over_a_settings_box_leaves_its_value(qtbot, wheel_guard):
    win = make_window(qtbot)
    win.setFocus()
    boxes = [w for w in win.findChildren(QComboBox) if w.isVisible() and w.isEnabled() and w.count() > 2]
    assert boxes
    for box in boxes:
        index = box.currentIndex()
        wheel_down(box)
        assert box.currentIndex() == index, box.objectName()
