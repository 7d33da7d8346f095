"""The network written as a composition of functions, and its small layers' numbers."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core.formula import network_formula, number, subscript, weights_text
from laegna_gui.core.graph import Graph
from laegna_gui.core.presets import load_preset


def _formula(graph: Graph, **kwargs) -> str:
    return network_formula(graph, graph.topological_order(), **kwargs)


def _graph(*nodes, edges) -> Graph:
    """nodes: (type, params, id); edges: pairs of ids."""
    graph = Graph()
    for type_name, params, node_id in nodes:
        graph.add_node(type_name, params, node_id=node_id)
    for src, dst in edges:
        graph.add_edge(src, dst)
    return graph


def _chain(*nodes) -> Graph:
    ids = [n[2] for n in nodes]
    return _graph(*nodes, edges=list(zip(ids, ids[1:])))


IN = ("input", {}, "in")
OUT = ("output", {}, "out")


def dense(node_id, units=2, bias=True):
    return ("dense", {"units": units, "bias": bias}, node_id)


def act(node_id, function, **extra):
    return ("activation", {"function": function, **extra}, node_id)


@pytest.mark.parametrize("preset, expected", [
    ("xor", "o = σ(W₂·tanh(W₁·x + b₁) + b₂)"),
    ("spiral3", "o = softmax(W₃·ReLU(W₂·ReLU(W₁·x + b₁) + b₂) + b₃)"),
    ("sine", "o = W₃·tanh(W₂·tanh(W₁·x + b₁) + b₂) + b₃"),
    ("line", "o = W₁·x + b₁"),
    ("perceptron-xor", "o = step(W₁·x + b₁)"),
])
def test_presets_read_as_compositions_of_functions(preset, expected):
    project = load_preset(preset)
    assert network_formula(project.graph, project.analyse().order) == expected


def test_the_xor_weights_are_printed_under_the_formula_with_two_decimals():
    project = load_preset("xor")
    weights = {"dense1.weight": np.array([[0.52, -1.1], [0, 1], [2, 3], [-0.004, 1.234]]),
               "dense1.bias": np.array([0.1, 0, 0, -0.5]),
               "dense2.weight": np.array([[1, 2, 3, 4]]), "dense2.bias": np.array([-0.25])}
    text = network_formula(project.graph, project.analyse().order, weights)
    formula, numbers = text.split("\n\n")
    assert formula == "o = σ(W₂·tanh(W₁·x + b₁) + b₂)"
    assert numbers.splitlines() == [
        "W₁ = [[0.52, -1.10], [0.00, 1.00], [2.00, 3.00], [0.00, 1.23]], b₁ = [0.10, 0.00, 0.00, -0.50]",
        "W₂ = [[1.00, 2.00, 3.00, 4.00]], b₂ = [-0.25]",
    ]


def test_big_layers_give_their_shape_instead_of_their_numbers():
    graph = _chain(IN, dense("d1", 16), act("a", "relu"), dense("d2", 1), OUT)
    weights = {"d1.weight": np.zeros((16, 2)), "d1.bias": np.zeros(16),
               "d2.weight": np.ones((1, 16)), "d2.bias": np.zeros(1)}
    lines = weights_text(graph, graph.topological_order(), weights).splitlines()
    assert lines[0] == "W₁: 16×2 (32 numbers, too many to list)"
    assert lines[1].startswith("W₂: 1×16")
    everything = weights_text(graph, graph.topological_order(), weights, max_numbers=32)
    assert everything.startswith("W₁ = [[0.00, 0.00]")


def test_the_limit_counts_matrix_entries_inclusively():
    graph = _chain(IN, dense("d1", 6), OUT)
    weights = {"d1.weight": np.ones((6, 2)), "d1.bias": np.ones(6)}
    assert weights_text(graph, graph.topological_order(), weights, max_numbers=12).startswith("W₁ = ")
    assert weights_text(graph, graph.topological_order(), weights, max_numbers=11).startswith("W₁: 6×2")


def test_missing_weights_give_only_the_formula():
    graph = _chain(IN, dense("d1"), OUT)
    assert _formula(graph, weights=None) == "o = W₁·x + b₁"
    assert weights_text(graph, graph.topological_order(), {}) == ""


def test_a_layer_without_bias_has_no_b_term_and_no_b_numbers():
    graph = _chain(IN, dense("d1", 1, bias=False), OUT)
    assert _formula(graph) == "o = W₁·x"
    assert weights_text(graph, graph.topological_order(), {"d1.weight": np.array([[1.0, -2.0]])}) == \
        "W₁ = [[1.00, -2.00]]"


def test_stacked_linear_layers_bracket_the_inner_sum():
    graph = _chain(IN, dense("d1"), act("lin", "linear"), dense("d2", 1), OUT)
    assert _formula(graph) == "o = W₂·(W₁·x + b₁) + b₂"


@pytest.mark.parametrize("function, symbol", [
    ("sigmoid", "σ"), ("tanh", "tanh"), ("relu", "ReLU"), ("leaky_relu", "leakyReLU"),
    ("softmax", "softmax"), ("step", "step"),
])
def test_every_activation_has_its_symbol(function, symbol):
    graph = _chain(IN, dense("d1"), act("a", function), OUT)
    assert _formula(graph) == f"o = {symbol}(W₁·x + b₁)"


def test_batch_norm_and_dropout_wrap_their_input():
    graph = _chain(IN, dense("d1"), ("batch_norm", {}, "bn"), act("a", "relu"), ("dropout", {}, "drop"),
                   dense("d2", 1), OUT)
    assert _formula(graph) == "o = W₂·dropout(ReLU(BN(W₁·x + b₁))) + b₂"


def test_concat_lists_its_inputs_in_wiring_order():
    graph = _graph(IN, dense("a"), dense("b", 3), ("concat", {}, "cat"), dense("d", 1), OUT,
                   edges=[("in", "b"), ("in", "a"), ("b", "cat"), ("a", "cat"), ("cat", "d"), ("d", "out")])
    order = graph.topological_order()
    numbers = {n: i for i, n in enumerate([n for n in order if n in ("a", "b", "d")], 1)}
    wa, wb = subscript(numbers["a"]), subscript(numbers["b"])
    assert network_formula(graph, order) == f"o = W₃·[W{wb}·x + b{wb}; W{wa}·x + b{wa}] + b₃"


def test_a_shared_branch_is_named_once_and_reused():
    """A residual block: h₁ feeds both the dense layer and the add."""
    graph = _graph(IN, dense("d1"), act("a1", "relu"), dense("d2"), ("add", {}, "sum"), dense("d3", 1), OUT,
                   edges=[("in", "d1"), ("d1", "a1"), ("a1", "d2"), ("a1", "sum"), ("d2", "sum"),
                          ("sum", "d3"), ("d3", "out")])
    assert _formula(graph).splitlines() == [
        "h₁ = ReLU(W₁·x + b₁)",
        "o = W₃·(h₁ + W₂·h₁ + b₂) + b₃",
    ]


def test_a_function_of_a_sum_gets_one_pair_of_brackets():
    graph = _graph(IN, dense("a"), dense("b"), ("add", {}, "sum"), act("r", "relu"), OUT,
                   edges=[("in", "a"), ("in", "b"), ("a", "sum"), ("b", "sum"), ("sum", "r"), ("r", "out")])
    assert _formula(graph) == "o = ReLU(W₁·x + b₁ + W₂·x + b₂)"


def test_the_input_shared_by_two_layers_stays_x():
    graph = _graph(IN, dense("a"), dense("b"), ("add", {}, "sum"), OUT,
                   edges=[("in", "a"), ("in", "b"), ("a", "sum"), ("b", "sum"), ("sum", "out")])
    assert _formula(graph) == "o = (W₁·x + b₁ + W₂·x + b₂)"


def test_derived_features_are_listed_for_2d_data_only():
    graph = _chain(("input", {"features": ["x1", "x2", "x1*x2", "x1^2", "sin_x2"]}, "in"), dense("d1", 1), OUT)
    assert _formula(graph) == "o = W₁·[x1, x2, x1·x2, x1², sin x2] + b₁"
    assert _formula(graph, n_inputs=2) == "o = W₁·[x1, x2, x1·x2, x1², sin x2] + b₁"
    assert _formula(graph, n_inputs=3) == "o = W₁·x + b₁"


def test_a_graph_without_an_output_has_no_formula():
    graph = _graph(IN, dense("d1"), edges=[("in", "d1")])
    assert _formula(graph) == ""


def test_an_output_cut_off_from_the_input_has_no_formula():
    graph = _graph(IN, dense("d1", 1), OUT, edges=[("in", "d1")])
    assert _formula(graph) == ""
    graph.add_edge("d1", "out")
    assert _formula(graph) == "o = W₁·x + b₁"


def test_nodes_off_the_output_path_are_left_out():
    graph = _graph(IN, dense("d1", 1), dense("stray"), OUT, edges=[("in", "d1"), ("d1", "out"), ("in", "stray")])
    assert _formula(graph) == "o = W₁·x + b₁"


def test_the_text_is_html_safe():
    project = load_preset("spiral3")
    text = network_formula(project.graph, project.analyse().order,
                           {"dense3.weight": -np.ones((3, 32)), "dense3.bias": np.zeros(3)})
    assert not set("<>&") & set(text)


def test_numbers_have_two_decimals_and_no_negative_zero():
    assert [number(v) for v in (0.524, -1.1, -0.001, 12.0, np.float32(0.5))] == \
        ["0.52", "-1.10", "0.00", "12.00", "0.50"]
