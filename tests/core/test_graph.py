"""Graph edits, their events, the structural wiring rules and serialisation."""

from __future__ import annotations

import pytest

from laegna_gui.core.errors import (
    CycleError,
    DuplicateEdgeError,
    GraphError,
    IncomingEdgesError,
    ParameterError,
    UnknownNodeError,
)
from laegna_gui.core.graph import Graph, Node


def test_add_node_emits_node_added_with_the_normalised_node(record):
    graph = Graph()
    rec = record(graph)
    node = graph.add_node("dense", {"units": 3.0}, pos=(1, 2))
    assert rec.calls == [("node_added", node)]
    assert node == Node("dense1", "dense", {"units": 3, "bias": True, "init": "xavier"}, (1.0, 2.0))
    assert isinstance(node.params["units"], int)
    assert graph.node("dense1") is node
    assert graph.add_node("dense").id == "dense2"


def test_add_node_refuses_a_taken_id_or_unknown_type_without_events(record):
    graph = Graph()
    graph.add_node("input", node_id="a")
    rec = record(graph)
    with pytest.raises(GraphError, match="already exists"):
        graph.add_node("dense", node_id="a")
    with pytest.raises(UnknownNodeError, match="unknown node type 'conv'"):
        graph.add_node("conv")
    assert rec.calls == [] and list(graph.nodes) == ["a"]


def test_move_node_emits_node_moved(record, xor_graph):
    rec = record(xor_graph)
    moved = xor_graph.move_node("dense1", (5, -6))
    assert moved.pos == (5.0, -6.0) and xor_graph.node("dense1") is moved
    assert rec.calls == [("node_moved", moved)]


def test_set_params_emits_node_changed_only_when_something_changes(record, xor_graph):
    rec = record(xor_graph)
    before = xor_graph.node("dense1")
    new = xor_graph.set_params("dense1", {"units": 8})
    assert new.params == {"units": 8, "bias": True, "init": "xavier"}
    assert rec.calls == [("node_changed", new)]
    assert before.params["units"] == 4  # the old node is untouched (undo relies on it)
    rec.clear()
    assert xor_graph.set_params("dense1", {"units": 8}) is new
    assert rec.calls == []


def test_set_params_with_an_invalid_value_raises_and_leaves_the_node(record, xor_graph):
    rec = record(xor_graph)
    before = xor_graph.node("dense1")
    with pytest.raises(ParameterError, match="dense1.units: 0 is outside 1…1024"):
        xor_graph.set_params("dense1", {"units": 0})
    with pytest.raises(ParameterError, match="expected a whole number"):
        xor_graph.set_params("dense1", {"units": "four"})
    with pytest.raises(ParameterError, match="has no parameter 'size'"):
        xor_graph.set_params("dense1", {"size": 3})
    assert xor_graph.node("dense1") is before and before.params["units"] == 4
    assert rec.calls == []


def test_add_and_remove_edge_emit_events(record):
    graph = Graph()
    graph.add_node("input")
    graph.add_node("dense")
    rec = record(graph)
    assert graph.add_edge("input1", "dense1") == ("input1", "dense1")
    assert graph.edges == [("input1", "dense1")]
    assert graph.remove_edge("input1", "dense1") == 0
    assert graph.edges == []
    assert rec.calls == [("edge_added", ("input1", "dense1")), ("edge_removed", ("input1", "dense1"))]


def test_remove_node_removes_its_wires_first_and_returns_them_for_undo(record, xor_graph):
    xor_graph.add_node("dense", {"units": 1}, node_id="side")
    xor_graph.add_edge("activation1", "side")
    edges_before = list(xor_graph.edges)
    rec = record(xor_graph)
    node, removed = xor_graph.remove_node("activation1")
    assert node.id == "activation1" and "activation1" not in xor_graph.nodes
    assert removed == [(1, ("dense1", "activation1")), (2, ("activation1", "dense2")),
                       (4, ("activation1", "side"))]
    # every wire goes before the node itself
    assert rec.names() == ["edge_removed"] * 3 + ["node_removed"]
    assert {payload for _, payload in rec.calls[:3]} == {edge for _, edge in removed}
    assert rec.calls[-1] == ("node_removed", node)
    assert xor_graph.edges == [("input1", "dense1"), ("dense2", "output1")]
    # undo: put the node back and the wires at their old positions
    xor_graph.add_node(node.type, node.params, node.pos, node.id)
    for index, (src, dst) in removed:
        xor_graph.add_edge(src, dst, index)
    assert xor_graph.edges == edges_before


def test_unknown_node_lookups_raise_unknown_node_error(xor_graph):
    with pytest.raises(UnknownNodeError, match="there is no node 'ghost'"):
        xor_graph.remove_node("ghost")
    with pytest.raises(UnknownNodeError):
        xor_graph.check_edge("input1", "ghost")


def _diamond() -> Graph:
    graph = Graph()
    for type_name, params in [("input", {}), ("dense", {}), ("dense", {}), ("add", {}), ("output", {})]:
        graph.add_node(type_name, params)
    return graph


@pytest.mark.parametrize("src, dst, error, phrase", [
    ("dense1", "dense1", CycleError, "cannot feed itself"),
    ("input1", "dense1", DuplicateEdgeError, "Input is already wired to Dense 4"),
    ("output1", "dense2", IncomingEdgesError, "is the end of the network"),
    ("dense1", "input1", IncomingEdgesError, "where data enters; it takes no incoming wire"),
    ("dense2", "dense1", IncomingEdgesError, "takes only 1 incoming wire"),
    ("add1", "add1", CycleError, "cannot feed itself"),
])
def test_check_edge_refusals(src, dst, error, phrase):
    graph = _diamond()
    graph.add_edge("input1", "dense1")
    graph.add_edge("add1", "output1")
    edges = list(graph.edges)
    with pytest.raises(error) as info:
        graph.add_edge(src, dst)
    assert phrase in str(info.value)
    assert info.value.node in (src, dst)
    assert graph.edges == edges


# Wires that break several rules at once: the message names the most fundamental one.
@pytest.mark.parametrize("src, dst, error, phrase", [
    ("activation1", "dense1", CycleError, "would make a loop: Dense 4 already leads to tanh"),  # and a 2nd wire
    ("dense1", "dense1", CycleError, "cannot feed itself"),  # and a 2nd wire, and a loop
    ("output1", "input1", IncomingEdgesError, "is the end of the network"),  # and into the input
    ("dense2", "input1", IncomingEdgesError, "where data enters"),  # and a loop
    ("input1", "dense1", DuplicateEdgeError, "already wired"),  # and a 2nd wire
    ("input1", "dense2", IncomingEdgesError, "takes only 1 incoming wire"),  # only that
])
def test_a_wire_that_breaks_several_rules_is_refused_for_the_most_fundamental(xor_graph, src, dst, error,
                                                                                phrase):
    with pytest.raises(error) as info:
        xor_graph.check_edge(src, dst)
    assert phrase in str(info.value)


def test_a_full_network_refuses_a_loop_as_a_loop_and_a_good_wire_for_its_size(xor_graph, monkeypatch):
    from laegna_gui.core import graph as graph_module

    monkeypatch.setattr(graph_module, "MAX_EDGES", len(xor_graph.edges))
    with pytest.raises(CycleError, match="would make a loop"):
        xor_graph.check_edge("dense2", "activation1")
    xor_graph.add_node("add", node_id="sum")
    with pytest.raises(GraphError, match="at most 4 wires"):
        xor_graph.check_edge("input1", "sum")


def test_check_edge_refuses_a_cycle():
    graph = _diamond()
    graph.add_edge("dense1", "add1")
    graph.add_edge("add1", "dense2")
    # add1 → dense2 exists, so dense2 → add1 would close a loop
    with pytest.raises(CycleError, match="would make a loop") as info:
        graph.check_edge("dense2", "add1")
    assert info.value.node == "add1"
    with pytest.raises(CycleError, match="would make a loop"):
        graph.add_edge("dense2", "add1")
    assert graph.edges == [("dense1", "add1"), ("add1", "dense2")]


def test_merge_nodes_take_many_wires_in_wiring_order():
    graph = _diamond()
    graph.add_edge("input1", "dense1")
    graph.add_edge("input1", "dense2")
    graph.add_edge("dense1", "add1")
    graph.add_edge("dense2", "add1")
    graph.add_edge("input1", "add1")
    assert graph.inputs_of("add1") == ["dense1", "dense2", "input1"]
    assert graph.outputs_of("input1") == ["dense1", "dense2", "add1"]


def test_topological_order_of_a_residual_branch(wire):
    graph = Graph()
    for type_name in ("output", "add", "activation", "dense", "dense", "input"):
        graph.add_node(type_name)  # deliberately added back to front
    wire(graph, "input1", "dense1", "activation1", "dense2", "add1", "output1")
    graph.add_edge("dense1", "add1")  # the shortcut skips activation and dense2
    order = graph.topological_order()
    assert sorted(order) == sorted(graph.nodes)
    position = {node_id: i for i, node_id in enumerate(order)}
    for src, dst in graph.edges:
        assert position[src] < position[dst], (src, dst)
    assert order[0] == "input1" and order[-1] == "output1"


def test_topological_order_reports_a_cycle_that_bypassed_the_checks():
    graph = _diamond()
    graph.edges += [("dense1", "dense2"), ("dense2", "dense1")]
    with pytest.raises(CycleError, match="form a loop"):
        graph.topological_order()


def test_to_dict_from_dict_round_trip(xor_graph):
    xor_graph.add_node("input", {"features": ("x1", "x1*x2")}, pos=(-1.5, 2), node_id="extra")
    data = xor_graph.to_dict()
    assert data["edges"][0] == ["input1", "dense1"]
    assert data["nodes"][-1]["params"] == {"features": ["x1", "x1*x2"]}
    again = Graph.from_dict(data)
    assert again == xor_graph
    assert again.node("extra").pos == (-1.5, 2.0)
    assert list(again.nodes) == list(xor_graph.nodes)
    assert again != Graph()


def test_copy_is_independent_of_the_original(record, xor_graph):
    rec = record(xor_graph)
    clone = xor_graph.copy()
    assert clone == xor_graph
    assert clone.node("dense1").params is not xor_graph.node("dense1").params
    clone.add_node("dropout")
    clone.set_params("dense1", {"units": 9})
    clone.remove_edge("dense2", "output1")
    clone.node("input1").params["features"] = ("x2",)
    assert xor_graph.node("dense1").params["units"] == 4
    assert "dropout1" not in xor_graph.nodes
    assert ("dense2", "output1") in xor_graph.edges
    assert xor_graph.node("input1").params["features"] == ("x1", "x2")
    assert rec.calls == []  # the clone does not share subscribers


def test_a_graph_refuses_nodes_and_wires_beyond_what_a_project_file_accepts():
    from laegna_gui.core.fragment import extract, plan_paste
    from laegna_gui.core.limits import MAX_EDGES, MAX_NODES

    graph = Graph()
    for _ in range(MAX_NODES):
        graph.add_node("add")
    with pytest.raises(GraphError, match=f"at most {MAX_NODES} nodes"):
        graph.add_node("add")
    assert len(graph.nodes) == MAX_NODES
    ids = list(graph.nodes)
    for i in range(MAX_EDGES):  # each add node takes many wires; no loops: lower index feeds higher
        graph.add_edge(ids[i % 50], ids[50 + i // 50])
    with pytest.raises(GraphError, match=f"at most {MAX_EDGES} wires"):
        graph.add_edge(ids[0], ids[199])
    assert len(graph.edges) == MAX_EDGES
    # a paste that would not fit is refused whole, before anything is added
    small = Graph()
    small.add_node("add")
    small.add_node("add")
    with pytest.raises(GraphError, match="nodes"):
        plan_paste(graph, extract(small, list(small.nodes)), (10, 10))
