"""The window as a whole: menus, files, undo history, screenshots (autosave: test_autosave.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox, QGraphicsView,
    QLineEdit, QMessageBox, QWidget,
)

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.ui.document import clipboard
from laegna_gui.ui.document.commands import (
    AddEdgeCommand, AddNodeCommand, MoveNodesCommand, RemoveEdgeCommand, RemoveNodeCommand, SetParamsCommand,
)

INTERACTIVE = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QAbstractSlider,
               QGraphicsView)


def test_every_interactive_widget_has_an_object_name(window):
    unnamed = [f"{type(w).__name__} in {w.parentWidget().objectName() or type(w.parentWidget()).__name__}"
               for w in window.findChildren(QWidget) if isinstance(w, INTERACTIVE) and not w.objectName()]
    assert unnamed == []
    assert all(a.objectName().startswith("action_") for a in window.actions.values())


def test_title_shows_the_file_and_an_unsaved_mark(window, tmp_path):
    assert "XOR" in window.windowTitle() and not window.isWindowModified()
    window.document.push(AddNodeCommand(window.document.graph, "dense", {"units": 2}, (0, 300)))
    assert window.isWindowModified()
    window.files.ask_save_path = lambda: str(tmp_path / "mine")
    assert window.files.save()
    assert window.windowTitle().startswith("mine.laegna") and not window.isWindowModified()


def _state(doc):
    return doc.graph.copy(), doc.project.dataset


def test_twenty_mixed_edits_undo_and_redo_through_every_state(window):
    doc = window.document
    g = doc.graph
    edits = [
        lambda: AddNodeCommand(g, "dense", {"units": 3}, (100, 300), "extra1"),
        lambda: AddNodeCommand(g, "activation", {"function": "relu"}, (300, 300), "extra2"),
        lambda: AddEdgeCommand(g, "extra1", "extra2"),
        lambda: SetParamsCommand(g, "extra1", {"units": 5}),
        lambda: MoveNodesCommand(g, {"extra1": (g.node("extra1").pos, (120.0, 320.0))}),
        lambda: RemoveEdgeCommand(g, "dense1", "activation1"),
        lambda: AddEdgeCommand(g, "input1", "extra1"),
        lambda: SetParamsCommand(g, "activation1", {"function": "relu"}),
        lambda: RemoveNodeCommand(g, "dense2"),
        lambda: AddNodeCommand(g, "dense", {"units": 1}, (500, 0), "dense2b"),
        lambda: AddEdgeCommand(g, "extra2", "dense2b"),
        lambda: SetParamsCommand(g, "dense1", {"bias": False}),
        lambda: MoveNodesCommand(g, {"input1": (g.node("input1").pos, (-50.0, 10.0)),
                                     "dense1": (g.node("dense1").pos, (150.0, 40.0))}),
        lambda: AddEdgeCommand(g, "dense2b", "activation2"),
        lambda: SetParamsCommand(g, "input1", {"features": ["x1", "x2", "x1*x2"]}),
        lambda: RemoveNodeCommand(g, "activation1"),
        lambda: AddNodeCommand(g, "dropout", {"p": 0.3}, (700, 200), "drop1"),
        lambda: SetParamsCommand(g, "drop1", {"p": 0.5}),
        lambda: RemoveNodeCommand(g, "extra2"),
    ]
    states = [_state(doc)]
    for make in edits:
        doc.push(make())
        states.append(_state(doc))
    doc.set_dataset(DatasetSettings("spiral", 300, 0.1, 0.3))  # the 20th edit
    states.append(_state(doc))
    assert doc.undo_stack.count() == 20
    for expected in reversed(states[:-1]):
        doc.undo_stack.undo()
        assert _state(doc) == expected
    for expected in states[1:]:
        doc.undo_stack.redo()
        assert _state(doc) == expected


def test_save_then_open_gives_the_same_graph_and_layout(window, tmp_path):
    doc = window.document
    doc.push(MoveNodesCommand(doc.graph, {"dense1": (doc.graph.node("dense1").pos, (210.0, 55.5))}))
    window.files.ask_save_path = lambda: str(tmp_path / "net.laegna")
    assert window.files.save_as()
    before = doc.graph.copy()
    assert window.files.new()
    assert "dense1" not in doc.graph.nodes  # a blank network
    assert window.files.open(tmp_path / "net.laegna")
    assert doc.graph == before and doc.graph.node("dense1").pos == (210.0, 55.5)
    assert str(tmp_path / "net.laegna") in window.files.recent_files()[0]


def test_opening_a_bad_file_keeps_the_current_project(window, tmp_path):
    bad = tmp_path / "bad.laegna"
    bad.write_text('{"format": "laegna-project", "version": 1, "graph": 7}')
    errors = []
    window.files.show_error = lambda title, text: errors.append(text)
    before = window.document.graph.copy()
    assert not window.files.open(bad)
    assert len(errors) == 1 and "graph" in errors[0] and "unchanged" in errors[0]
    assert window.document.graph == before


@pytest.mark.parametrize("answer, closes", [(QMessageBox.StandardButton.Cancel, False),
                                            (QMessageBox.StandardButton.Discard, True)])
def test_closing_with_unsaved_changes_asks_first(window, answer, closes):
    window.document.push(AddNodeCommand(window.document.graph, "dense", {}, (0, 300)))
    asked = []
    window.files.ask_save_changes = lambda: asked.append(1) or answer
    window.close()
    assert asked == [1]
    assert window.isVisible() is not closes
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard  # let teardown close it


def test_duplicate_copies_nodes_and_their_inner_wires_as_one_step(window):
    doc = window.document
    count = doc.undo_stack.count()
    new = clipboard.duplicate(doc, ["dense1", "activation1"])
    assert sorted(doc.graph.node(n).type for n in new) == ["activation", "dense"]
    assert (new[0], new[1]) in doc.graph.edges
    assert doc.undo_stack.count() == count + 1
    doc.undo_stack.undo()
    assert not set(new) & set(doc.graph.nodes)


def test_copy_then_paste_through_the_clipboard(window):
    doc = window.document
    assert clipboard.copy_nodes(doc, ["dense1"])
    new = clipboard.paste(doc)
    assert len(new) == 1 and doc.graph.node(new[0]).params == doc.graph.node("dense1").params
    assert doc.graph.node(new[0]).pos == (doc.graph.node("dense1").pos[0] + 40, doc.graph.node("dense1").pos[1] + 40)


def test_auto_layout_orders_columns_by_depth_in_one_step(window):
    doc = window.document
    for node_id in doc.graph.nodes:
        doc.graph.move_node(node_id, (0.0, 0.0))
    count = doc.undo_stack.count()
    window.auto_layout()
    xs = [doc.graph.node(n).pos[0] for n in doc.graph.topological_order()]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert doc.undo_stack.count() == count + 1


def test_status_line_says_why_the_network_is_invalid(window):
    assert window.validity.text().startswith("✓")
    window.document.push(RemoveEdgeCommand(window.document.graph, "dense1", "activation1"))
    assert window.validity.text().startswith("✗") and "wire" in window.validity.text()


def test_screenshot_command_writes_a_png_of_the_requested_size(tmp_path):
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "laegna_gui", "screenshot", "spiral3", "--out", str(out),
                             "--size", "900x600"], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)
    assert len({image.pixel(x, y) for x in range(0, 900, 30) for y in range(0, 600, 30)}) > 5


def test_a_bad_target_on_the_command_line_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "laegna_gui", str(tmp_path / "nothing.laegna")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.startswith("error:")


def test_paste_ignores_clipboard_text_that_is_not_laegna_nodes(window):
    from PySide6.QtGui import QGuiApplication

    before = window.document.graph.copy()
    for text in ("hello", '{"laegna-graph-fragment": {"nodes": "x"}}', "[1, 2]"):
        QGuiApplication.clipboard().setText(text)
        assert clipboard.paste(window.document) == []
    assert window.document.graph == before


@pytest.mark.parametrize("target, name, has_path", [(None, "XOR", False), ("spiral3", "Three spirals", False)])
def test_start_target_is_the_default_preset_or_the_one_named(target, name, has_path):
    from laegna_gui.ui.app import load_start_project

    project, path = load_start_project(target)
    assert project.name == name and (path is not None) == has_path


def test_dragging_palette_blocks_onto_the_canvas_adds_those_nodes(window):
    from canvas_helpers import drop_block
    from PySide6.QtCore import QPointF

    doc = window.document
    wanted = {"Dense": ("dense", {}), "Tanh": ("activation", {"function": "tanh"}), "Concat": ("concat", {})}
    items = {i.text(0): i for i in window.palette.block_items()}
    for n, (title, (type_name, params)) in enumerate(wanted.items()):
        before = set(doc.graph.nodes)
        mime = window.palette.tree.mimeData([items[title]])  # what a real drag from the palette carries
        drop_block(window.canvas, mime, QPointF(100.0 + 150 * n, 300.0))
        (new,) = set(doc.graph.nodes) - before
        node = doc.graph.node(new)
        assert node.type == type_name and all(node.params[k] == v for k, v in params.items())
        assert abs(node.pos[0] - (100.0 + 150 * n)) < 2 and abs(node.pos[1] - 300.0) < 2
    assert doc.undo_stack.count() == 3


def test_every_menu_has_its_own_alt_key(window):
    """Experiment's mnemonic was its first letter, E — the same as Edit's."""
    titles = [action.text() for action in window.menuBar().actions()]
    keys = [title[title.index("&") + 1].lower() for title in titles]
    assert "E&xperiment" in titles and len(set(keys)) == len(keys), titles
