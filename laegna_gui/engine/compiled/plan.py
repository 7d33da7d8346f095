"""A graph as integer tables the kernels can walk: one row per node, in training order.

Each node's output occupies `width` columns, from `col`, of the kernels' activation
buffer (rows are the examples of a batch); an output node shares its source's columns.
Parameters are found by their offsets in the flat buffers of `FlatState`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from laegna_gui.engine.compiled.flat import FlatState

# node kinds
INPUT, DENSE, ACTIVATION, BATCH_NORM, DROPOUT, ADD, CONCAT, OUTPUT = range(8)
KINDS = {"input": INPUT, "dense": DENSE, "activation": ACTIVATION, "batch_norm": BATCH_NORM,
         "dropout": DROPOUT, "add": ADD, "concat": CONCAT, "output": OUTPUT}
# activation functions
FUNCTIONS = {"linear": 0, "tanh": 1, "relu": 2, "leaky_relu": 3, "sigmoid": 4, "softmax": 5, "step": 6}
# columns of the node table
KIND, SRC, NSRC, COL, WIDTH, WEIGHT, BIAS, STATS, FUNCTION, SALT = range(10)
NO_OFFSET = -1


@dataclass(frozen=True)
class Plan:
    nodes: np.ndarray    # int64 (n_nodes, 10): the columns above
    sources: np.ndarray  # int64: node indices, each node's NSRC of them from SRC
    reals: np.ndarray    # float64 (n_nodes,): leaky-ReLU slope or dropout probability
    columns: int         # total width of the activation buffer
    has_batch_norm: bool


def make_plan(graph, order: tuple[str, ...], widths: dict[str, int], flat: FlatState) -> Plan:
    index = {node_id: i for i, node_id in enumerate(order)}
    nodes = np.full((len(order), 10), NO_OFFSET, dtype=np.int64)
    sources: list[int] = []
    reals = np.zeros(len(order), dtype=np.float64)
    column = 0
    for i, node_id in enumerate(order):
        node, row = graph.node(node_id), nodes[i]
        inputs = [index[s] for s in graph.inputs_of(node_id)]
        row[KIND], row[SRC], row[NSRC] = KINDS[node.type], len(sources), len(inputs)
        sources += inputs
        row[WIDTH], row[SALT] = widths[node_id], i
        if node.type == "output":
            row[COL] = nodes[inputs[0], COL]
        else:
            row[COL], column = column, column + widths[node_id]
        _parameters(row, node, flat)
    return Plan(nodes, np.array(sources, dtype=np.int64), reals_of(graph, order, reals), max(column, 1),
                any(graph.node(n).type == "batch_norm" for n in order))


def _parameters(row: np.ndarray, node, flat: FlatState) -> None:
    slices = flat.param_slices
    if node.type in ("dense", "batch_norm"):
        row[WEIGHT] = slices[f"{node.id}.weight"][0]
        bias = slices.get(f"{node.id}.bias")
        row[BIAS] = bias[0] if bias else NO_OFFSET
    if node.type == "batch_norm":
        row[STATS] = flat.stat_slices[f"{node.id}.running_mean"][0]  # running_var follows it
    if node.type == "activation":
        row[FUNCTION] = FUNCTIONS[node.params["function"]]


def reals_of(graph, order, reals: np.ndarray) -> np.ndarray:
    for i, node_id in enumerate(order):
        node = graph.node(node_id)
        if node.type == "activation":
            reals[i] = float(node.params.get("slope", 0.01))
        elif node.type == "dropout":
            reals[i] = float(node.params["p"])
    return reals
