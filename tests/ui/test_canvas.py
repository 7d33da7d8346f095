"""The canvas follows the graph, and every gesture on it is one undoable command."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from laegna_gui.core.presets import load_preset
from laegna_gui.ui.canvas import EdgeItem, GraphView, NodeItem
from laegna_gui.ui.canvas.bubble import MessageBubble
from laegna_gui.ui.canvas.geometry import node_layout
from laegna_gui.ui.canvas.view import MAX_SCALE, MIN_SCALE
from laegna_gui.ui.document.commands import AddEdgeCommand, AddNodeCommand, RemoveEdgeCommand
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.document.mime import node_mime
from canvas_helpers import body_point, drop_block, mouse_drag, mouse_move, node_item, to_view, wire_by_mouse


@pytest.fixture
def document():
    doc = Document()
    doc.load(load_preset("xor"))
    yield doc
    # A parentless Document sits in a reference cycle (its graph's events call it back).
    # If the garbage collector breaks that cycle while commands are still on the stack,
    # shiboken can free a command twice (a segfault at exit); empty the stack first.
    doc.undo_stack.clear()


@pytest.fixture
def view(qtbot, document) -> GraphView:
    canvas = GraphView(document)
    qtbot.addWidget(canvas)
    canvas.resize(900, 500)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit()
    return canvas


def bubbles(view: GraphView) -> list[MessageBubble]:
    return [i for i in view.scene().items() if isinstance(i, MessageBubble)]


def edge_items(view: GraphView) -> set[tuple[str, str]]:
    return {i.edge for i in view.scene().items() if isinstance(i, EdgeItem)}


def add_node(document: Document, type_name: str, params: dict, pos=(300.0, 260.0)) -> str:
    command = AddNodeCommand(document.graph, type_name, params, pos)
    document.push(command)
    return command.node_id


# --- building from the graph ---------------------------------------------------
def test_the_scene_shows_every_node_and_wire_of_the_graph(view, document):
    graph = document.graph
    assert set(view.graph_scene.nodes) == set(graph.nodes)
    assert edge_items(view) == set(graph.edges)
    for node_id, node in graph.nodes.items():
        assert node_item(view, node_id).pos() == QPointF(*node.pos)
    assert view.objectName() == "canvasView"


def test_wires_run_from_output_port_to_input_port(view):
    edge = view.graph_scene.edges[("input1", "dense1")]
    path = edge.path()
    assert path.pointAtPercent(0.0) == node_item(view, "input1").output_point()
    assert path.pointAtPercent(1.0) == node_item(view, "dense1").input_point()
    assert edge.label.text == "2"


def test_loading_another_project_rebuilds_and_forgets_the_old_graph(view, document):
    old_graph = document.graph
    document.load(load_preset("circle"))
    assert set(view.graph_scene.nodes) == set(document.graph.nodes)
    assert edge_items(view) == set(document.graph.edges)
    old_graph.add_node("dense", {"units": 2}, (0, 0), "stray")  # must not reach the canvas
    assert "stray" not in view.graph_scene.nodes


def test_nodes_show_labels_parameter_counts_and_widths(view, document):
    dense = node_item(view, "dense1")
    assert (dense.node.label, dense.width, dense.params_text) == ("Dense 4", 4, "12 params")
    assert node_item(view, "input1").title == "Input (2)"  # the values it passes on, as its wire says
    assert node_item(view, "activation1").params_text == ""
    assert node_item(view, "output1").output_port is None
    assert node_item(view, "input1").input_port is None
    assert "fully connected" in dense.toolTip()



def test_hovering_a_wire_tells_the_shape_of_the_tensor_it_carries(view, document):
    """A wire carries a (batch, width) tensor; the batch follows the training settings."""
    wire = view.graph_scene.edges[("input1", "dense1")]
    middle = wire.path().pointAtPercent(0.5)
    mouse_move(view, middle, Qt.MouseButton.NoButton)
    assert wire.toolTip() == ("Input → Dense 4: a tensor of shape (batch, 2), one row of 2 numbers per "
                              "point — (10, 2) in a training step of batch size 10")
    document.set_training(replace(document.project.training, batch_size=0))
    mouse_move(view, middle + QPointF(0.0, 40.0), Qt.MouseButton.NoButton)  # off the wire, and back on
    mouse_move(view, middle, Qt.MouseButton.NoButton)
    assert wire.toolTip().endswith("(all training points, 2) in a full-batch step")
    out = view.graph_scene.edges[("dense1", "activation1")]
    assert "(batch, 4)" in out.toolTip()

# --- neurons -------------------------------------------------------------------
def test_a_dense_layer_of_four_draws_four_neurons_in_a_column(view):
    positions = node_item(view, "dense1").neuron_positions()
    assert len(positions) == 4
    assert len({p.x() for p in positions}) == 1
    assert [p.y() for p in positions] == sorted(p.y() for p in positions)
    assert node_item(view, "dense1").hidden_units == 0


def test_a_wide_layer_collapses_into_a_marker(view, document):
    node_id = add_node(document, "dense", {"units": 40})
    item = node_item(view, node_id)
    assert len(item.neuron_positions()) <= 8
    assert item.hidden_units == 40 - len(item.neuron_positions())
    assert item.height() == node_layout("dense", 8).rect.height()  # no taller than eight neurons


def test_neuron_counts_follow_a_parameter_change(view, document):
    document.graph.set_params("dense1", {"units": 6})
    assert len(node_item(view, "dense1").neuron_positions()) == 6
    assert len(node_item(view, "activation1").neuron_positions()) == 6
    assert view.graph_scene.edges[("dense1", "activation1")].label.text == "6"
    assert node_item(view, "dense1").params_text == "18 params"


def test_widths_follow_the_dataset(view, document):
    document.set_dataset(load_preset("affine3d").dataset)
    assert len(node_item(view, "input1").neuron_positions()) == 3
    assert view.graph_scene.edges[("input1", "dense1")].label.text == "3"
    assert node_item(view, "dense1").params_text == "16 params"
    assert node_item(view, "input1").title == "Input (3)"  # x1 and x2 are ticked, but 3 values enter
    document.undo_stack.undo()
    assert node_item(view, "input1").title == "Input (2)"


@pytest.fixture(scope="module")
def xor_snapshot():
    from laegna_gui.engine.trainer import Trainer

    trainer = Trainer(load_preset("xor"))
    trainer.run(50)
    return trainer.snapshot()


def test_a_neurons_live_map_is_at_least_32_pixels_at_the_fitted_zoom(qtbot, document, xor_snapshot):
    canvas = GraphView(document)
    qtbot.addWidget(canvas)
    canvas.resize(1200, 600)  # the network (six cards) fits its width at about 100 %
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.fit()
    canvas.show_snapshot(xor_snapshot)
    maps = canvas.graph_scene.live.neurons["dense1"]
    for neuron in maps.items:
        square = canvas.mapFromScene(neuron.sceneBoundingRect()).boundingRect()
        assert min(square.width(), square.height()) >= 32
    assert maps.painter.boundingRect().width() >= 32


def test_hovering_a_neurons_map_names_the_neuron_and_leaving_it_says_none(view, xor_snapshot, qtbot):
    view.show_snapshot(xor_snapshot)
    neuron = view.graph_scene.live.neurons["dense1"].items[2]
    away = node_item(view, "dense1").mapToScene(QPointF(0.0, node_item(view, "dense1").layout.rect.top() + 4))
    mouse_move(view, away, Qt.MouseButton.NoButton)
    with qtbot.waitSignal(view.neuron_hovered) as entered:
        mouse_move(view, neuron.scenePos(), Qt.MouseButton.NoButton)
    assert entered.args == [("dense1", 2)]
    with qtbot.waitSignal(view.neuron_hovered) as left:
        mouse_move(view, away, Qt.MouseButton.NoButton)
    assert left.args == [None]
    mouse_move(view, neuron.scenePos(), Qt.MouseButton.NoButton)
    with qtbot.waitSignal(view.neuron_hovered) as cleared:  # the maps go while the mouse is on one
        view.graph_scene.live.clear()
    assert cleared.args == [None]


def test_unknown_width_draws_no_neurons(view, document):
    node_id = add_node(document, "activation", {})
    assert node_item(view, node_id).neuron_positions() == []


# --- drop from the palette ---------------------------------------------------------
def test_dropping_a_block_adds_the_node_at_the_drop_point(view, document, qtbot):
    target = view.mapToScene(view.viewport().rect().center() + QPointF(40, 150).toPoint())
    before = set(document.graph.nodes)
    drop = drop_block(view, node_mime("dense", {"units": 3}), target)
    assert drop.isAccepted()
    (node_id,) = set(document.graph.nodes) - before
    node = document.graph.node(node_id)
    assert node.type == "dense" and node.params["units"] == 3
    assert abs(node.pos[0] - target.x()) <= 2 and abs(node.pos[1] - target.y()) <= 2
    assert isinstance(view.graph_scene.nodes[node_id], NodeItem)
    assert view.selected_node_ids() == [node_id]
    document.undo_stack.undo()
    assert node_id not in document.graph.nodes and node_id not in view.graph_scene.nodes


def test_a_drop_without_a_block_is_refused(view, document):
    mime = QMimeData()
    mime.setText("hello")
    event = QDragEnterEvent(view.viewport().rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)
    assert not event.isAccepted()
    assert document.undo_stack.count() == 0


# --- wiring ------------------------------------------------------------------------
def test_a_valid_wire_drawn_with_the_mouse_is_one_undo_step(view, document):
    document.push(RemoveEdgeCommand(document.graph, "dense2", "activation2"))
    steps = document.undo_stack.count()
    wire_by_mouse(view, "dense2", "activation2")
    assert ("dense2", "activation2") in document.graph.edges
    assert ("dense2", "activation2") in edge_items(view)
    assert document.undo_stack.count() == steps + 1
    assert document.error is None
    document.undo_stack.undo()
    assert ("dense2", "activation2") not in edge_items(view)


def test_releasing_on_a_node_body_also_connects(view, document):
    document.push(RemoveEdgeCommand(document.graph, "dense2", "activation2"))
    mouse_drag(view, node_item(view, "dense2").output_point(), body_point(view, "activation2"))
    assert ("dense2", "activation2") in document.graph.edges


def test_releasing_on_empty_canvas_cancels_the_wire(view, document):
    steps = document.undo_stack.count()
    start = node_item(view, "dense2").output_point()
    mouse_drag(view, start, start + QPointF(40, 160))
    assert document.undo_stack.count() == steps
    assert not bubbles(view)
    assert view.graph_scene.gesture is None
    assert edge_items(view) == set(document.graph.edges)  # no dashed preview left behind


def _refused(view, document, qtbot, src: str, dst: str, reason: str) -> None:
    before = document.graph.copy()
    steps = document.undo_stack.count()
    with qtbot.waitSignal(view.message_shown) as shown:
        wire_by_mouse(view, src, dst)
    assert reason in shown.args[0]
    assert document.graph == before
    assert document.undo_stack.count() == steps
    assert [b.text for b in bubbles(view)] == [shown.args[0]]


def test_a_second_input_into_a_dense_layer_is_refused(view, document, qtbot):
    _refused(view, document, qtbot, "input1", "dense2", "takes only 1 incoming wire")


def test_a_wire_back_is_refused_as_a_loop_not_as_a_second_input(view, document, qtbot):
    _refused(view, document, qtbot, "activation1", "dense1", "would make a loop")


def test_a_loop_is_refused(view, document, qtbot):
    document.push(RemoveEdgeCommand(document.graph, "input1", "dense1"))
    _refused(view, document, qtbot, "activation2", "dense1", "loop")


def test_adding_vectors_of_different_widths_is_refused(view, document, qtbot):
    add_id = add_node(document, "add", {})
    document.push(AddEdgeCommand(document.graph, "input1", add_id))
    _refused(view, document, qtbot, "activation1", add_id, "same width")


def test_the_message_bubble_goes_away_by_itself(view, document, qtbot):
    view.graph_scene.bubble_ms = 30
    assert not view.try_connect("activation1", "dense1")
    assert len(bubbles(view)) == 1
    qtbot.waitUntil(lambda: not bubbles(view), timeout=2000)


def test_escape_cancels_a_wire_in_progress(view, document):
    start = node_item(view, "dense2").output_point()
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, to_view(view, start))
    mouse_move(view, start + QPointF(50, 50))
    assert view.graph_scene.gesture is not None
    QTest.keyClick(view.viewport(), Qt.Key.Key_Escape)
    assert view.graph_scene.gesture is None
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       to_view(view, body_point(view, "activation2")))
    assert document.undo_stack.count() == 0
    assert edge_items(view) == set(document.graph.edges)


def test_try_connect_adds_a_valid_wire(view, document):
    document.push(RemoveEdgeCommand(document.graph, "activation1", "dense2"))
    assert view.try_connect("activation1", "dense2")
    assert ("activation1", "dense2") in document.graph.edges


# --- moving --------------------------------------------------------------------------
def test_dragging_a_node_is_one_undo_step(view, document):
    old = document.graph.node("dense1").pos
    steps = document.undo_stack.count()
    start = body_point(view, "dense1")
    mouse_drag(view, start, start + QPointF(60, 90))
    new = document.graph.node("dense1").pos
    assert new[0] == pytest.approx(old[0] + 60, abs=2) and new[1] == pytest.approx(old[1] + 90, abs=2)
    assert document.undo_stack.count() == steps + 1
    edge = view.graph_scene.edges[("input1", "dense1")]
    assert edge.path().pointAtPercent(1.0) == node_item(view, "dense1").input_point()
    document.undo_stack.undo()
    assert document.graph.node("dense1").pos == old
    assert node_item(view, "dense1").pos() == QPointF(*old)


def test_dragging_a_selection_moves_all_of_it_in_one_step(view, document):
    view.select_nodes(["dense1", "activation1"])
    steps = document.undo_stack.count()
    start = body_point(view, "dense1")
    mouse_drag(view, start, start + QPointF(0, 120))
    assert document.graph.node("dense1").pos[1] == pytest.approx(120, abs=2)
    assert document.graph.node("activation1").pos[1] == pytest.approx(120, abs=2)
    assert document.graph.node("dense2").pos[1] == 0
    assert document.undo_stack.count() == steps + 1


def test_a_node_follows_the_graph_when_moved_from_outside(view, document):
    document.graph.move_node("dense2", (610.0, -140.0))
    assert node_item(view, "dense2").pos() == QPointF(610.0, -140.0)
    edge = view.graph_scene.edges[("activation1", "dense2")]
    assert edge.path().pointAtPercent(1.0) == node_item(view, "dense2").input_point()


# --- selecting and deleting ---------------------------------------------------------------
def test_clicking_a_node_selects_it(view, qtbot):
    with qtbot.waitSignal(view.node_selected) as selected:
        mouse_drag(view, body_point(view, "activation1"), body_point(view, "activation1"), steps=0)
    assert selected.args == ["activation1"]
    assert view.selected_node_ids() == ["activation1"]


def test_rubber_band_on_empty_background_selects_what_it_covers(view):
    first, second = node_item(view, "input1"), node_item(view, "dense1")
    band = first.sceneBoundingRect().united(second.sceneBoundingRect()).adjusted(-20, -20, 20, 20)
    mouse_drag(view, band.topLeft(), band.bottomRight())
    assert view.selected_node_ids() == ["input1", "dense1"]
    assert ("input1", "dense1") in view.selected_edges()


def test_select_all_and_select_nodes(view, document, qtbot):
    view.select_all()
    assert view.selected_node_ids() == list(document.graph.nodes)
    with qtbot.waitSignal(view.node_selected) as selected:
        view.select_nodes(["dense2"])
    assert selected.args == ["dense2"]
    with qtbot.waitSignal(view.node_selected) as selected:
        view.select_nodes([])
    assert selected.args == [None]


def test_deleting_a_node_removes_its_wires_and_undo_restores_them_in_order(view, document):
    before = document.graph.copy()
    view.select_nodes(["dense1"])
    view.delete_selection()
    assert "dense1" not in document.graph.nodes
    assert all("dense1" not in edge for edge in document.graph.edges)
    assert "dense1" not in view.graph_scene.nodes
    assert edge_items(view) == set(document.graph.edges)
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.graph == before
    assert edge_items(view) == set(before.edges)


def test_deleting_nodes_and_a_wire_is_one_step(view, document):
    before = document.graph.copy()
    view.select_nodes(["input1", "output1"])
    view.graph_scene.edges[("dense2", "activation2")].setSelected(True)
    view.graph_scene.edges[("input1", "dense1")].setSelected(True)  # goes with input1
    view.delete_selection()
    assert document.graph.edges == [("dense1", "activation1"), ("activation1", "dense2")]
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.graph == before


# --- validation outline ---------------------------------------------------------------------
def test_the_node_at_fault_is_outlined_until_the_fault_is_fixed(view, document):
    assert not any(item.in_error for item in view.graph_scene.nodes.values())
    document.push(RemoveEdgeCommand(document.graph, "activation1", "dense2"))
    culprit = document.error.node
    assert culprit == "dense2"
    item = node_item(view, culprit)
    assert item.in_error
    assert str(document.error) in item.toolTip()
    assert [n for n, i in view.graph_scene.nodes.items() if i.in_error] == [culprit]
    assert view.try_connect("activation1", "dense2")
    assert not item.in_error
    assert str(document.error or "needs") not in item.toolTip()


# --- zoom and fit ---------------------------------------------------------------------------
def test_zoom_in_and_out_stay_within_bounds(view):
    scale = view.transform().m11()
    view.zoom_in()
    assert view.transform().m11() > scale
    for _ in range(30):
        view.zoom_in()
    assert view.transform().m11() == pytest.approx(MAX_SCALE)
    for _ in range(60):
        view.zoom_out()
    assert view.transform().m11() == pytest.approx(MIN_SCALE)


def test_wheel_zooms_around_the_cursor(view):
    anchor = QPointF(200, 150)
    fixed = view.mapToScene(anchor.toPoint())
    scale = view.transform().m11()
    wheel = QWheelEvent(anchor, QPointF(view.viewport().mapToGlobal(anchor)), QPoint(), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.transform().m11() > scale
    after = view.mapToScene(anchor.toPoint())
    assert abs(after.x() - fixed.x()) < 3 and abs(after.y() - fixed.y()) < 3


def test_middle_button_drag_pans(view):
    centre = view.viewport().rect().center()
    before = view.mapToScene(centre)
    middle, none = Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(view.viewport(), middle, none, centre)
    mouse_move(view, view.mapToScene(centre + QPoint(80, 40)), middle)
    QTest.mouseRelease(view.viewport(), middle, none, centre + QPoint(80, 40))
    after = view.mapToScene(centre)
    scale = view.transform().m11()
    assert after.x() == pytest.approx(before.x() - 80 / scale, abs=2)
    assert after.y() == pytest.approx(before.y() - 40 / scale, abs=2)
    assert not view.selected_node_ids()


def test_fit_shows_every_item(view):
    for _ in range(10):
        view.zoom_in()
    view.fit()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for item in view.scene().items():
        if isinstance(item, (NodeItem, EdgeItem)):
            assert visible.contains(item.sceneBoundingRect())
    assert MIN_SCALE <= view.transform().m11() <= MAX_SCALE


def test_node_heights_for_automatic_layout(view):
    heights = view.node_heights()
    assert heights["dense1"] > heights["input1"] > 0


def test_the_canvas_renders_the_xor_network(view, tmp_path):
    view.resize(900, 500)
    view.fit()
    image = view.grab().toImage()
    assert image.width() == 900
    colours = {image.pixel(x, y) for x in range(0, 900, 15) for y in range(0, 500, 15)}
    assert len(colours) > 5  # nodes, wires and grid, not a blank widget
    assert image.save(str(tmp_path / "canvas.png"))


def test_a_deleted_view_stops_following_the_graph(qtbot, document):
    canvas = GraphView(document)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.close()
    canvas.deleteLater()
    qtbot.waitUntil(lambda: _deleted(canvas), timeout=2000)
    document.graph.add_node("dense", {"units": 2}, (0, 0), "late")  # no dead scene is called


def _deleted(obj) -> bool:
    from shiboken6 import isValid
    return not isValid(obj)


def test_a_skip_wire_routes_around_the_nodes_it_would_cross(view, document):
    graph, scene = document.graph, view.graph_scene
    plain = scene.edges[("dense1", "activation1")].path().elementCount()
    graph.remove_edge("activation1", "dense2")
    graph.add_edge("dense1", "dense2")  # skips over activation1, which sits on the same line
    wire = scene.edges[("dense1", "dense2")].path()
    between = scene.nodes["activation1"].sceneBoundingRect()
    assert not any(between.contains(wire.pointAtPercent(i / 100)) for i in range(101))
    assert wire.elementCount() > plain  # a detour, not the plain curve
    graph.move_node("activation1", (400.0, 400.0))  # out of the way: the plain curve again
    assert scene.edges[("dense1", "dense2")].path().elementCount() == plain


def test_a_full_network_says_why_no_block_or_paste_is_added(view, document):
    from laegna_gui.core.limits import MAX_NODES
    from laegna_gui.ui.document import clipboard

    clipboard.copy_nodes(document, list(document.graph.nodes)[:2])
    while len(document.graph.nodes) < MAX_NODES:
        add_node(document, "add", {})
    undo_steps = document.undo_stack.count()
    assert view.add_node_at("dense", {"units": 4}, QPointF(300, 200)) is None
    assert [b.text for b in bubbles(view)] == [f"a network holds at most {MAX_NODES} nodes; "
                                               "delete some before adding more"]
    view.insert_nodes(lambda: clipboard.paste(document))
    assert len(document.graph.nodes) == MAX_NODES and document.undo_stack.count() == undo_steps
    assert len(bubbles(view)) == 1 and "at most" in bubbles(view)[0].text
