"""The canvas shows a training snapshot live: weights as wires, neurons as heatmaps,
and a click on a weight edits it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.canvas import GraphView, NodeItem
from laegna_gui.ui.canvas.bubble import MessageBubble
from laegna_gui.ui.canvas.neuron_maps import LiveNeuron
from laegna_gui.ui.look.colour_scale import LUT_SIZE, diverging, lut_index
from laegna_gui.ui.canvas.weight_editor import parse_number
from laegna_gui.ui.canvas.weight_lines import (MAX_WIDTH, MIN_WIDTH, PEN_LEVELS, WeightLine, pen_levels,
                                               weight_pens)
from laegna_gui.ui.document.document import Document
from canvas_helpers import LEFT, NO_MODIFIER, body_point, mouse_drag, mouse_move, node_item, to_view

INTO_DENSE1 = ("input1", "dense1")


def _snapshots(preset: str, first: int, more: int):
    trainer = Trainer(load_preset(preset))
    trainer.run(first)
    before = trainer.snapshot()
    trainer.run(more)
    return before, trainer.snapshot()


@pytest.fixture(scope="module")
def xor_snapshots():
    return _snapshots("xor", 200, 100)


@pytest.fixture
def owner():
    return QObject()


def make_view(qtbot, owner, preset: str) -> GraphView:
    document = Document(parent=owner)
    document.load(load_preset(preset))
    canvas = GraphView(document)
    document.setParent(canvas)  # goes with the canvas when pytest-qt closes it
    qtbot.addWidget(canvas)
    canvas.resize(1000, 500)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit()
    return canvas


@pytest.fixture
def view(qtbot, owner) -> GraphView:
    return make_view(qtbot, owner, "xor")


@pytest.fixture
def live(view, xor_snapshots) -> GraphView:
    view.show_snapshot(xor_snapshots[0])
    return view


def lines_of(view: GraphView, edge=INTO_DENSE1) -> list[WeightLine]:
    return view.graph_scene.live.wires[edge].lines


def live_items(view: GraphView) -> list:
    return [i for i in view.scene().items() if isinstance(i, (WeightLine, LiveNeuron))]


def is_orange(colour: QColor) -> bool:
    return colour.red() > colour.blue() + 40


def is_blue(colour: QColor) -> bool:
    return colour.blue() > colour.red() + 40


def clickable_point(view: GraphView, line: WeightLine) -> QPointF:
    """A point of the line's visible curve where it is the topmost item."""
    for k in range(40, 61):
        point = line.path().pointAtPercent(k / 100)
        if view.items(to_view(view, point))[:1] == [line]:
            return point
    pytest.fail(f"no clickable point on weight line {line.index}")


def open_editor(view: GraphView, line: WeightLine):
    QTest.mouseClick(view.viewport(), LEFT, NO_MODIFIER, to_view(view, clickable_point(view, line)))
    editor = view.graph_scene.weight_editor
    assert editor is not None
    return editor


def type_into(editor, text: str) -> None:
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)


# --- weights as wires ------------------------------------------------------------
def test_without_a_snapshot_the_canvas_is_plain(view):
    assert live_items(view) == []
    assert view.graph_scene.edges[INTO_DENSE1].weight_lines is None


def test_an_edge_into_a_dense_layer_becomes_one_line_per_weight(live, xor_snapshots):
    weights = xor_snapshots[0].weights["dense1.weight"]
    lines = lines_of(live)
    assert weights.shape == (4, 2) and len(lines) == 8
    assert sorted(line.index for line in lines) == [(j, i) for j in range(4) for i in range(2)]
    for line in lines:
        assert line.value == pytest.approx(float(weights[line.index]))
    assert set(live.graph_scene.live.wires) == {INTO_DENSE1, ("activation1", "dense2")}
    assert len(lines_of(live, ("activation1", "dense2"))) == 4


def test_line_width_and_colour_follow_the_weight(live, xor_snapshots):
    weights = xor_snapshots[0].weights["dense1.weight"]
    biggest = float(np.abs(weights).max())
    lines = lines_of(live)
    widest = max(lines, key=lambda line: line.pen().widthF())
    assert abs(weights[widest.index]) == pytest.approx(biggest)
    assert widest.pen().widthF() == pytest.approx(MAX_WIDTH)
    for line in lines:
        w = float(weights[line.index])
        assert line.pen().widthF() == pytest.approx(MIN_WIDTH + 3.5 * abs(w) / biggest, abs=3.5 / PEN_LEVELS)
        if w < -0.3 * biggest:
            assert is_orange(line.pen().color()), line.index
        elif w > 0.3 * biggest:
            assert is_blue(line.pen().color()), line.index
    assert any(w < -0.3 * biggest for w in weights.ravel()) and any(w > 0.3 * biggest for w in weights.ravel())
    assert all(any(line.pen() is pen for pen in weight_pens()) for line in lines)  # shared, not made per frame


def test_the_lines_replace_the_grey_wire_but_keep_its_badge(live):
    edge = live.graph_scene.edges[INTO_DENSE1]
    assert edge.weight_lines is not None and edge.shape().isEmpty()
    assert edge.label.isVisible() and edge.label.text == "2"
    assert edge.label.zValue() > lines_of(live)[0].zValue()
    plain = live.graph_scene.edges[("dense1", "activation1")]
    assert plain.weight_lines is None and not plain.shape().isEmpty()


def test_lines_run_under_the_nodes_so_titles_stay_readable(live):
    scene = live.graph_scene
    for line in lines_of(live):
        assert line.parentItem().zValue() < node_item(live, "dense1").zValue()
    for node_id in ("input1", "dense1", "activation1", "dense2"):
        title = node_item(live, node_id).mapToScene(node_item(live, node_id).layout.title_rect.center())
        assert isinstance(scene.items(title)[0], NodeItem)


def test_a_second_snapshot_updates_the_same_items(live, xor_snapshots):
    items_before = live_items(live)
    count_before = len(live.scene().items())
    live.show_snapshot(xor_snapshots[1])
    assert live_items(live) == items_before
    assert len(live.scene().items()) == count_before
    weights = xor_snapshots[1].weights["dense1.weight"]
    assert not np.allclose(weights, xor_snapshots[0].weights["dense1.weight"])
    for line in lines_of(live):
        assert line.value == pytest.approx(float(weights[line.index]))


def test_clear_snapshot_removes_lines_and_heatmaps(live):
    assert live_items(live)
    live.clear_snapshot()
    assert live_items(live) == []
    edge = live.graph_scene.edges[INTO_DENSE1]
    assert edge.weight_lines is None and not edge.shape().isEmpty()
    assert all(not item.childItems() or all(not isinstance(c, LiveNeuron) for c in item.childItems())
               for item in live.graph_scene.nodes.values())


def test_moving_a_node_keeps_the_lines_attached(live):
    dense = node_item(live, "dense1")
    start, before = body_point(live, "dense1"), dense.pos()
    mouse_drag(live, start, start + QPointF(40.0, 90.0))
    assert dense.pos() != before
    sources, targets = node_item(live, "input1").neuron_positions(), dense.neuron_positions()
    for line in lines_of(live):
        j, i = line.index
        first = line.path().elementAt(0)
        assert QPointF(first.x, first.y) == sources[i]
        assert line.path().currentPosition() == targets[j]


def test_hovering_a_line_tells_its_weight(live):
    line = next(line for line in lines_of(live) if line.index == (2, 0))
    mouse_move(live, clickable_point(live, line), Qt.MouseButton.NoButton)
    assert line.toolTip().startswith(f"dense1.weight[2, 0] = {line.value:.3f}  (from x1 to neuron 2)")
    assert "a tensor of shape (batch, 2)" in line.toolTip()  # the wire's shape, under its weights too


# --- neurons -------------------------------------------------------------------
def test_each_drawn_neuron_shows_its_heatmap(live, xor_snapshots):
    maps = xor_snapshots[0].probes.neuron_maps["dense1"]
    units, ny, nx = maps.shape
    scale = float(np.percentile(np.abs(maps), 98))  # of the drawn neurons: here all four
    neurons = live.graph_scene.live.neurons["dense1"].items
    assert units == len(neurons) == 4
    for k, neuron in enumerate(neurons):
        assert neuron.parentItem() is node_item(live, "dense1")
        assert neuron.pos() == node_item(live, "dense1").layout.neurons[k]
        image = neuron.image
        assert (image.width(), image.height()) == (nx, ny)
        for (px, py), value in (((0, ny - 1), maps[k, 0, 0]), ((nx - 1, 0), maps[k, -1, -1])):
            got, want = image.pixelColor(px, py), diverging(float(value), scale)
            assert abs(got.red() - want.red()) <= 3 and abs(got.blue() - want.blue()) <= 3, (k, px, py)


def test_heatmaps_follow_the_next_snapshot(live, xor_snapshots):
    neuron = live.graph_scene.live.neurons["dense1"].items[0]
    image = neuron.image
    live.show_snapshot(xor_snapshots[1])
    maps = xor_snapshots[1].probes.neuron_maps["dense1"]
    want = diverging(float(maps[0, 0, 0]), float(np.percentile(np.abs(maps), 98)))
    assert neuron.image is image  # the same image, its pixels rewritten in place
    assert abs(image.pixelColor(0, image.height() - 1).red() - want.red()) <= 3


def test_hovering_a_neuron_tells_its_bias_and_range(live, xor_snapshots):
    neuron = live.graph_scene.live.neurons["dense1"].items[2]
    mouse_move(live, neuron.scenePos(), Qt.MouseButton.NoButton)
    bias = float(xor_snapshots[0].weights["dense1.bias"][2])
    maps = xor_snapshots[0].probes.neuron_maps["dense1"][2]
    assert f"bias b[2] = {bias:.3f}" in neuron.toolTip()
    assert f"output over the plane: {maps.min():.3f} … {maps.max():.3f}" in neuron.toolTip()
    activation = live.graph_scene.live.neurons["activation1"].items[0]
    assert "bias" not in live.graph_scene.live.neurons["activation1"].describe(0)
    assert activation.image is not None


def test_only_drawn_neurons_get_lines_in_a_wide_network(qtbot, owner):
    view = make_view(qtbot, owner, "spiral3")
    snapshot = _snapshots("spiral3", 20, 1)[0]
    view.show_snapshot(snapshot)
    wires = view.graph_scene.live.wires
    assert {edge: len(group.lines) for edge, group in wires.items()} == {
        ("input1", "dense1"): 2 * 7, ("activation1", "dense2"): 7 * 7, ("activation2", "dense3"): 7 * 3}
    assert len(view.graph_scene.live.neurons["dense1"].items) == 7
    items = live_items(view)
    view.show_snapshot(_snapshots("spiral3", 20, 1)[1])
    assert live_items(view) == items


# --- the graph changes under a snapshot ---------------------------------------
def test_a_stale_snapshot_draws_nothing_it_no_longer_fits(live, xor_snapshots):
    live.document.graph.set_params("dense1", {"units": 6})
    assert INTO_DENSE1 not in live.graph_scene.live.wires  # its column changed: dropped at once
    live.show_snapshot(xor_snapshots[1])
    assert INTO_DENSE1 not in live.graph_scene.live.wires
    assert "dense1" not in live.graph_scene.live.neurons
    assert live.graph_scene.edges[INTO_DENSE1].weight_lines is None


def test_loading_another_project_drops_the_overlay(live):
    live.document.load(load_preset("circle"))
    assert live_items(live) == [] and not live.graph_scene.live.shown


# --- editing a weight ----------------------------------------------------------
def test_clicking_a_line_opens_an_editor_that_applies_a_number(live, qtbot):
    line = lines_of(live)[5]
    editor = open_editor(live, line)
    assert editor.objectName() == "weightEditor"
    assert float(editor.text()) == pytest.approx(line.value, abs=1e-3)
    with qtbot.waitSignal(live.weight_edit_requested, timeout=1000) as blocker:
        type_into(editor, "0.5")
    assert blocker.args == ["dense1.weight", line.index, 0.5]
    assert live.graph_scene.weight_editor is None


def test_an_invalid_entry_emits_nothing_and_says_why(live, qtbot):
    editor = open_editor(live, lines_of(live)[0])
    with qtbot.assertNotEmitted(live.weight_edit_requested):
        type_into(editor, "abc")
    bubbles = [i for i in live.scene().items() if isinstance(i, MessageBubble)]
    assert len(bubbles) == 1 and "not a number" in bubbles[0].text
    assert live.graph_scene.weight_editor is None


def test_escape_cancels_the_edit(live, qtbot):
    editor = open_editor(live, lines_of(live)[1])
    with qtbot.assertNotEmitted(live.weight_edit_requested):
        QTest.keyClicks(editor, "7")
        QTest.keyClick(editor, Qt.Key.Key_Escape)
    assert live.graph_scene.weight_editor is None


def test_clearing_the_snapshot_closes_an_open_editor(live):
    open_editor(live, lines_of(live)[0])
    live.clear_snapshot()
    assert live.graph_scene.weight_editor is None


def test_numbers_are_read_forgivingly():
    assert parse_number(" -1,25 ") == -1.25
    assert parse_number("1e-3") == 0.001
    assert parse_number("abc") is None and parse_number("nan") is None and parse_number("inf") is None


def test_backspace_in_the_editor_edits_the_number_not_the_graph(live, qtbot):
    live.select_nodes(["dense2"])
    live.activateWindow()
    qtbot.waitActive(live)
    editor = open_editor(live, lines_of(live)[0])
    assert live.scene().focusItem() is not None
    editor.setText("0.25")
    QTest.keyClick(live, Qt.Key.Key_Backspace)
    assert editor.text() == "0.2"
    assert "dense2" in live.document.graph.nodes


def test_clicking_elsewhere_closes_the_editor_without_a_change(live, qtbot):
    live.activateWindow()
    qtbot.waitActive(live)
    open_editor(live, lines_of(live)[0])
    with qtbot.assertNotEmitted(live.weight_edit_requested):
        QTest.mouseClick(live.viewport(), LEFT, NO_MODIFIER, to_view(live, QPointF(300.0, 250.0)))
    assert live.graph_scene.weight_editor is None


def test_colour_levels_stay_in_range_even_for_nan():
    values = np.array([-5.0, -1.0, 0.0, 1.0, 5.0, np.nan])
    assert pen_levels(values, 1.0) == [0, 0, PEN_LEVELS, 2 * PEN_LEVELS, 2 * PEN_LEVELS, PEN_LEVELS]
    assert lut_index(values, 1.0).tolist() == [0, 0, 128, LUT_SIZE - 1, LUT_SIZE - 1, 128]
