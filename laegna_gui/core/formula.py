"""The network written out as maths: a composition of functions, and its current numbers.

Plain text with Unicode (σ, ·, subscripts) and no HTML special characters, so it can go
straight into a label. Dense layers are numbered in graph order: W₁, b₁, W₂, b₂ …
A node that feeds more than one other node (a residual branch, say) gets a name of its
own, h₁, h₂ …, defined on a line before it is used, so a DAG never repeats itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from laegna_gui.core.graph import Graph, Node
from laegna_gui.core.nodes import FEATURE_TITLES

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
ACTIVATION_SYMBOLS = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leakyReLU",
                      "softmax": "softmax", "step": "step", "linear": ""}
FEATURE_SYMBOLS = FEATURE_TITLES
RAW = ("x1", "x2")


def subscript(n: int) -> str:
    return str(n).translate(_SUBSCRIPT)


@dataclass(frozen=True)
class _Expr:
    text: str
    is_sum: bool = False  # a bare "a + b" needs brackets before it is multiplied
    bracketed: bool = False  # already "(…)": a function applied to it needs no second pair

    def argument_of(self, function: str) -> str:
        return f"{function}{self.text}" if self.bracketed else f"{function}({self.text})"


def dense_numbers(graph: Graph, order: Sequence[str]) -> dict[str, int]:
    """{dense node id: k} — the k of Wₖ and bₖ, counting dense layers in graph order."""
    dense = [n for n in order if n in graph.nodes and graph.node(n).type == "dense"]
    return {node_id: k for k, node_id in enumerate(dense, 1)}


def _needed(graph: Graph, output: str) -> set[str]:
    """Every node the output depends on, found by walking the wires backwards."""
    seen, todo = set(), [output]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(graph.inputs_of(current))
    return seen


def _input_expr(node: Node, n_inputs: int | None) -> _Expr:
    features = tuple(node.params.get("features", RAW))
    if features == RAW or (n_inputs is not None and n_inputs != 2):
        return _Expr("x")  # the engine ignores the feature choice for 1-D and 3-D data
    return _Expr("[" + ", ".join(FEATURE_SYMBOLS.get(f, f) for f in features) + "]")


def _node_expr(node: Node, sources: list[_Expr], k: int | None, n_inputs: int | None) -> _Expr:
    inner = sources[0] if sources else _Expr("?")
    if node.type == "input":
        return _input_expr(node, n_inputs)
    if node.type == "dense":
        arg = f"({inner.text})" if inner.is_sum else inner.text
        text = f"W{subscript(k)}·{arg}"
        return _Expr(f"{text} + b{subscript(k)}", True) if node.params.get("bias", True) else _Expr(text)
    if node.type == "activation":
        symbol = ACTIVATION_SYMBOLS.get(node.params.get("function", "linear"), node.params.get("function"))
        return _Expr(inner.argument_of(symbol)) if symbol else inner
    if node.type == "batch_norm":
        return _Expr(inner.argument_of("BN"))
    if node.type == "dropout":
        return _Expr(inner.argument_of("dropout"))
    if node.type == "add":
        return _Expr("(" + " + ".join(s.text for s in sources) + ")", bracketed=True)
    if node.type == "concat":
        return _Expr("[" + "; ".join(s.text for s in sources) + "]")
    if node.type == "output":
        return inner
    return _Expr(inner.argument_of(node.type))


def formula_lines(graph: Graph, order: Sequence[str], n_inputs: int | None = None) -> list[str]:
    """["h₁ = …", …, "o = …"]; empty when the graph has no single output node or a node on
    the way to it is missing its input wire."""
    outputs = [n.id for n in graph.nodes.values() if n.type == "output"]
    if len(outputs) != 1:
        return []
    needed = _needed(graph, outputs[0])
    if any(not graph.inputs_of(n) and graph.node(n).type != "input" for n in needed):
        return []
    numbers = dense_numbers(graph, order)
    shared = [n for n in order if n in needed and graph.node(n).type not in ("input", "output")
              and sum(1 for d in graph.outputs_of(n) if d in needed) > 1]
    names = {node_id: f"h{subscript(i)}" for i, node_id in enumerate(shared, 1)}
    exprs: dict[str, _Expr] = {}
    lines: list[str] = []
    for node_id in order:
        if node_id not in needed:
            continue
        sources = [_Expr(names[s]) if s in names else exprs.get(s, _Expr("?")) for s in graph.inputs_of(node_id)]
        exprs[node_id] = _node_expr(graph.node(node_id), sources, numbers.get(node_id), n_inputs)
        if node_id in names:
            lines.append(f"{names[node_id]} = {exprs[node_id].text}")
    if outputs[0] in exprs:
        lines.append(f"o = {exprs[outputs[0]].text}")
    return lines


def number(value: float) -> str:
    """Two decimals, and never "-0.00"."""
    text = f"{float(value):.2f}"
    return "0.00" if text == "-0.00" else text


def _vector(values: np.ndarray) -> str:
    return "[" + ", ".join(number(v) for v in values) + "]"


def _matrix(values: np.ndarray) -> str:
    return "[" + ", ".join(_vector(row) for row in values) + "]"


def layer_numbers(graph: Graph, order: Sequence[str], weights: dict[str, np.ndarray] | None
                  ) -> list[tuple[int, np.ndarray, np.ndarray | None]]:
    """(k, Wₖ, bₖ or None) for every dense layer whose weights are given, in graph order."""
    layers = []
    for node_id, k in dense_numbers(graph, order).items():
        w = None if weights is None else weights.get(f"{node_id}.weight")
        if w is not None:
            b = weights.get(f"{node_id}.bias")
            layers.append((k, np.atleast_2d(np.asarray(w)), None if b is None else np.ravel(b)))
    return layers


def weights_lines(graph: Graph, order: Sequence[str], weights: dict[str, np.ndarray] | None,
                  max_numbers: int = 12) -> list[str]:
    """One line per dense layer: its numbers when W has at most `max_numbers` entries,
    else only its shape. Layers without stored weights are skipped."""
    lines = []
    for k, w, b in layer_numbers(graph, order, weights):
        if w.size > max_numbers:
            lines.append(f"W{subscript(k)}: {w.shape[0]}×{w.shape[1]} ({w.size} numbers, too many to list)")
            continue
        line = f"W{subscript(k)} = {_matrix(w)}"
        if b is not None:
            line += f", b{subscript(k)} = {_vector(b)}"
        lines.append(line)
    return lines


def weights_text(graph: Graph, order: Sequence[str], weights: dict[str, np.ndarray] | None,
                 max_numbers: int = 12) -> str:
    """The current numbers of the small dense layers, one layer per line."""
    return "\n".join(weights_lines(graph, order, weights, max_numbers))


def network_formula(graph: Graph, order: Sequence[str], weights: dict[str, np.ndarray] | None = None,
                    max_numbers: int = 12, n_inputs: int | None = None) -> str:
    """The network as a composition of functions, e.g. "o = σ(W₂·tanh(W₁·x + b₁) + b₂)".

    With `weights`, the numbers of the small layers (see `weights_text`) follow after a
    blank line. `n_inputs` (the data's raw input count) makes 1-D and 3-D inputs read "x"
    whatever features the input node lists, as the engine does."""
    text = "\n".join(formula_lines(graph, order, n_inputs))
    numbers = weights_text(graph, order, weights, max_numbers) if weights else ""
    return f"{text}\n\n{numbers}" if text and numbers else text
