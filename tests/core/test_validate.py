"""Whole-network validation: every error analyse/check_loss/check_connection can raise."""

from __future__ import annotations

import pytest

from laegna_gui.core import validate
from laegna_gui.core.errors import (
    CycleError,
    DisconnectedNodeError,
    GraphError,
    IncomingEdgesError,
    LossMismatchError,
    MissingEndpointError,
    NoPathError,
    ParameterError,
    ShapeMismatchError,
)
from laegna_gui.core.graph import Graph
from laegna_gui.core.validate import (
    DataSpec,
    TooManyParametersError,
    analyse,
    check_connection,
    check_loss,
    final_activation,
)

TWO_CLASSES = DataSpec(n_inputs=2, task="classification", n_outputs=2)
THREE_CLASSES = DataSpec(n_inputs=2, task="classification", n_outputs=3)
REGRESSION = DataSpec(n_inputs=1, task="regression", n_outputs=1)


def build(*nodes, edges=()) -> Graph:
    """nodes: (id, type, params) triples; edges: 'a>b>c' chains."""
    graph = Graph()
    for node_id, type_name, params in nodes:
        graph.add_node(type_name, params, node_id=node_id)
    for path in edges:
        names = path.split(">")
        for src, dst in zip(names, names[1:]):
            graph.add_edge(src, dst)
    return graph


IN, OUT = ("in", "input", {}), ("out", "output", {})


def dense(node_id, units, **params):
    return (node_id, "dense", {"units": units, **params})


def act(node_id, function):
    return (node_id, "activation", {"function": function})


def test_a_valid_network_passes_with_order_widths_and_counts(xor_graph):
    result = analyse(xor_graph, TWO_CLASSES, "mse")
    assert result.order == ("input1", "dense1", "activation1", "dense2", "output1")
    assert result.widths == {"input1": 2, "dense1": 4, "activation1": 4, "dense2": 1, "output1": 1}
    assert result.param_counts["dense1"] == 2 * 4 + 4 and result.param_counts["dense2"] == 4 + 1
    assert result.total_params == 17


# --- structure ---------------------------------------------------------------
def test_no_input_node():
    with pytest.raises(MissingEndpointError, match="the network has no input node; it needs exactly one"):
        analyse(build(dense("d", 2), OUT, edges=["d>out"]), TWO_CLASSES)


def test_no_output_node():
    with pytest.raises(MissingEndpointError, match="has no output node"):
        analyse(build(IN, dense("d", 2), edges=["in>d"]), TWO_CLASSES)


def test_two_output_nodes():
    graph = build(IN, dense("d", 2), OUT, ("out2", "output", {}), edges=["in>d>out", "d>out2"])
    with pytest.raises(MissingEndpointError, match="the network has 2 output node; it needs exactly one"):
        analyse(graph, TWO_CLASSES)


def test_dense_with_no_incoming_wire():
    graph = build(IN, dense("d", 2), OUT, edges=["in>out"])
    with pytest.raises(IncomingEdgesError, match="Dense 2 needs an incoming wire") as info:
        analyse(graph, TWO_CLASSES)
    assert info.value.node == "d"


def test_add_with_one_incoming_wire():
    graph = build(IN, dense("d", 2), ("sum", "add", {}), OUT, edges=["in>d>sum>out"])
    with pytest.raises(IncomingEdgesError, match="Add needs at least 2 incoming wires") as info:
        analyse(graph, TWO_CLASSES)
    assert info.value.node == "sum"


def test_too_many_wires_loaded_behind_the_graphs_back():
    graph = build(IN, dense("a", 2), dense("b", 2), OUT, edges=["in>a>out", "in>b"])
    graph.edges.append(("b", "out"))  # bypasses check_edge, as a bad file or old code might
    with pytest.raises(IncomingEdgesError, match="Output takes at most 1 incoming wire"):
        analyse(graph, TWO_CLASSES)


def test_cycle_loaded_behind_the_graphs_back():
    graph = build(IN, dense("a", 2), ("sum", "add", {}), OUT, edges=["in>sum>a>out"])
    graph.edges.append(("a", "sum"))
    with pytest.raises(CycleError, match="form a loop"):
        analyse(graph, TWO_CLASSES)


def test_no_path_from_input_to_output():
    # analyse checks wire counts first, and with exactly one input every wired node is
    # reachable from it, so this error is reported by the path check itself.
    graph = build(IN, dense("d", 2), OUT)
    with pytest.raises(NoPathError, match="no path leads from the input to the output"):
        validate._check_paths(graph, graph.node("in"), graph.node("out"))


def test_a_node_not_on_a_path():
    graph = build(IN, dense("d", 2), dense("dangling", 3), OUT, edges=["in>d>out", "in>dangling"])
    with pytest.raises(DisconnectedNodeError, match="Dense 3 is not on a path from input to output") as info:
        analyse(graph, TWO_CLASSES)
    assert info.value.node == "dangling"


# --- shapes ------------------------------------------------------------------
def test_add_with_mismatched_widths():
    graph = build(IN, dense("a", 3), dense("b", 4), ("sum", "add", {}), dense("d", 2), OUT,
                  edges=["in>a>sum>d>out", "in>b>sum"])
    with pytest.raises(ShapeMismatchError, match=r"Add needs inputs of the same width, got 3 \+ 4") as info:
        analyse(graph, TWO_CLASSES)
    assert info.value.node == "sum"


@pytest.mark.parametrize("spec, width, want", [
    (TWO_CLASSES, 3, "1 or 2"), (THREE_CLASSES, 2, "3"), (REGRESSION, 2, "1"),
])
def test_output_width_wrong_for_the_data(spec, width, want):
    graph = build(IN, dense("d", width), OUT, edges=["in>d>out"])
    with pytest.raises(ShapeMismatchError, match=f"the output receives {width} values but the data needs {want}"):
        analyse(graph, spec)


@pytest.mark.parametrize("spec, width", [(TWO_CLASSES, 1), (TWO_CLASSES, 2), (THREE_CLASSES, 3)])
def test_output_widths_that_fit(spec, width):
    assert analyse(build(IN, dense("d", width), OUT, edges=["in>d>out"]), spec).widths["out"] == width


def test_derived_features_on_non_2d_data():
    graph = build(("in", "input", {"features": ["x1", "x1^2"]}), dense("d", 1), OUT, edges=["in>d>out"])
    with pytest.raises(ParameterError, match=r"derived features \(x1², sin x1…\) exist only for 2-D data"):
        analyse(graph, REGRESSION)
    assert analyse(graph, DataSpec(2, "regression", 1)).widths["in"] == 2


def test_input_width_follows_features_on_2d_and_data_otherwise():
    graph = build(("in", "input", {"features": ["x1", "x2", "x1*x2"]}), dense("d", 3), OUT, edges=["in>d>out"])
    assert analyse(graph, DataSpec(2, "regression", 3)).widths["in"] == 3
    plain = build(IN, dense("d", 3), OUT, edges=["in>d>out"])
    assert analyse(plain, DataSpec(3, "regression", 3)).widths["in"] == 3


def test_widths_through_concat_sum_and_add_keeps_width():
    graph = build(IN, dense("a", 3), ("cat", "concat", {}), dense("b", 5), ("sum", "add", {}),
                  ("drop", "dropout", {}), dense("d", 2), OUT,
                  edges=["in>a>cat>sum>drop>d>out", "in>cat", "in>b>sum"])
    widths = analyse(graph, TWO_CLASSES).widths
    assert widths["cat"] == 3 + 2 and widths["sum"] == 5 and widths["drop"] == 5


# --- parameter counts ----------------------------------------------------------
@pytest.mark.parametrize("bias, expected", [(True, 9), (False, 6)])
def test_dense_parameter_count(bias, expected):
    graph = build(IN, dense("d", 3, bias=bias), dense("o", 1), OUT, edges=["in>d>o>out"])
    result = analyse(graph, TWO_CLASSES)
    assert result.param_counts["d"] == expected
    assert result.param_counts["in"] == result.param_counts["out"] == 0


def test_batch_norm_counts_two_per_unit_and_total_sums_everything():
    graph = build(IN, dense("d", 3), ("bn", "batch_norm", {}), act("t", "relu"), dense("o", 2), OUT,
                  edges=["in>d>bn>t>o>out"])
    result = analyse(graph, TWO_CLASSES)
    assert result.param_counts == {"in": 0, "d": 9, "bn": 6, "t": 0, "o": 8, "out": 0}
    assert result.total_params == 23


def test_a_network_over_the_parameter_limit_is_invalid_and_names_its_largest_layer():
    """Three dense layers of 1,024 units, each allowed by the editor: 2.1 million parameters."""
    graph = build(IN, dense("a", 1024), dense("b", 1024), dense("c", 1024), dense("o", 2), OUT,
                  edges=["in>a>b>c>o>out"])
    with pytest.raises(TooManyParametersError) as caught:
        analyse(graph, TWO_CLASSES)
    assert str(caught.value) == ("the network has 2,104,322 parameters; Laegna allows at most 2,000,000 (the "
                                 "largest layer, Dense 1024, has 1,049,600): use fewer or narrower layers")
    assert caught.value.node == "b" and isinstance(caught.value, GraphError)


def test_a_network_exactly_at_the_parameter_limit_is_valid(monkeypatch):
    graph = build(IN, dense("d", 3), dense("o", 2), OUT, edges=["in>d>o>out"])
    monkeypatch.setattr(validate, "MAX_PARAMETERS", 17)  # 9 + 8
    assert analyse(graph, TWO_CLASSES).total_params == 17
    monkeypatch.setattr(validate, "MAX_PARAMETERS", 16)
    with pytest.raises(TooManyParametersError, match="the network has 17 parameters; Laegna allows at most 16"):
        analyse(graph, TWO_CLASSES)


# --- losses --------------------------------------------------------------------
def test_final_activation_skips_dropout():
    graph = build(IN, dense("d", 1), act("s", "sigmoid"), ("p", "dropout", {}), ("q", "dropout", {}), OUT,
                  edges=["in>d>s>p>q>out"])
    assert final_activation(graph) == "sigmoid"
    assert final_activation(build(IN, dense("d", 1), OUT, edges=["in>d>out"])) == "linear"


def sigmoid_net(units):
    return build(IN, dense("d", units), act("s", "sigmoid"), OUT, edges=["in>d>s>out"])


@pytest.mark.parametrize("graph, spec, loss, phrase", [
    (build(IN, dense("d", 1), OUT, edges=["in>d>out"]), REGRESSION, "bce",
     "bce is for classes; for regression use mse, half_mse or mae"),
    (build(IN, dense("d", 1), OUT, edges=["in>d>out"]), REGRESSION, "cross_entropy", "cross_entropy is for classes"),
    (sigmoid_net(1), TWO_CLASSES, "cross_entropy", "cross-entropy needs one output unit per class"),
    (build(IN, dense("d", 1), OUT, edges=["in>d>out"]), TWO_CLASSES, "bce",
     "log loss (bce) needs a single output unit squashed by a sigmoid"),
    (sigmoid_net(2), TWO_CLASSES, "bce", "log loss (bce) needs a single output unit"),
    (sigmoid_net(1), TWO_CLASSES, "hinge", "hinge loss needs scores that can be negative; sigmoid cannot"),
    (sigmoid_net(1), TWO_CLASSES, "huber", "unknown loss 'huber'; use one of mse, half_mse, mae, bce, cross_entropy, hinge"),
])
def test_loss_mismatches(graph, spec, loss, phrase):
    with pytest.raises(LossMismatchError) as info:
        analyse(graph, spec, loss)
    assert phrase in str(info.value)
    with pytest.raises(LossMismatchError):
        check_loss(graph, analyse(graph, spec).widths["out"], spec, loss)


@pytest.mark.parametrize("graph, spec, loss", [
    (sigmoid_net(1), TWO_CLASSES, "bce"),
    (build(IN, dense("d", 3), OUT, edges=["in>d>out"]), THREE_CLASSES, "cross_entropy"),
    (build(IN, dense("d", 1), act("t", "tanh"), OUT, edges=["in>d>t>out"]), TWO_CLASSES, "hinge"),
    (build(IN, dense("d", 1), OUT, edges=["in>d>out"]), REGRESSION, "mae"),
])
def test_fitting_losses_pass(graph, spec, loss):
    analyse(graph, spec, loss)


# --- check_connection ----------------------------------------------------------
def test_check_connection_refuses_an_add_of_different_widths():
    graph = build(IN, dense("a", 3), dense("b", 4), dense("c", 3), ("sum", "add", {}), OUT,
                  edges=["in>a>sum", "in>b", "in>c"])
    before = list(graph.edges)
    with pytest.raises(ShapeMismatchError, match="Add needs inputs of the same width, got 3 and 4") as info:
        check_connection(graph, "b", "sum", TWO_CLASSES)
    assert info.value.node == "sum"
    check_connection(graph, "c", "sum", TWO_CLASSES)  # same width: fine
    check_connection(graph, "b", "out", TWO_CLASSES)  # only add is shape-checked
    assert graph.edges == before  # checking never edits the graph


def test_check_connection_passes_on_structural_errors():
    graph = build(IN, dense("a", 3), dense("b", 3), edges=["in>a", "in>b"])
    with pytest.raises(IncomingEdgesError, match="takes only 1 incoming wire"):
        check_connection(graph, "b", "a", TWO_CLASSES)
    with pytest.raises(CycleError, match="cannot feed itself"):
        check_connection(graph, "a", "a", TWO_CLASSES)


def test_check_connection_names_a_loop_before_a_width_mismatch():
    graph = build(IN, dense("a", 3), ("sum", "add", {}), dense("c", 4), edges=["in>a>sum>c"])
    with pytest.raises(CycleError, match="would make a loop"):  # c (4 wide) into a 3-wide Add
        check_connection(graph, "c", "sum", TWO_CLASSES)
    with pytest.raises(CycleError, match="cannot feed itself"):  # an Add takes any number of wires
        check_connection(graph, "sum", "sum", TWO_CLASSES)
