"""Whole-network checks that need the data: shapes, losses, parameter counts."""

from __future__ import annotations

from dataclasses import dataclass

from laegna_gui.core.errors import (
    DisconnectedNodeError,
    GraphError,
    IncomingEdgesError,
    LossMismatchError,
    MissingEndpointError,
    NoPathError,
    ParameterError,
    ShapeMismatchError,
)
from laegna_gui.core.graph import Graph, Node
from laegna_gui.core.limits import MAX_PARAMETERS
from laegna_gui.core.nodes import RAW_FEATURES, node_type

# half_mse is ½(o − t)² averaged, TensorFlow Playground's squared error: half of mse's slope
LOSSES = ("mse", "half_mse", "mae", "bce", "cross_entropy", "hinge")


class TooManyParametersError(GraphError):
    """The network has more trainable parameters than Laegna trains, saves and reopens."""


@dataclass(frozen=True)
class DataSpec:
    """What the network sees of the data: raw feature count, task, outputs.

    `n_outputs` is the number of classes for classification and the number of
    target values for regression.
    """

    n_inputs: int
    task: str  # "classification" or "regression"
    n_outputs: int


@dataclass(frozen=True)
class Analysis:
    """The result of a successful validation."""

    order: tuple[str, ...]
    widths: dict[str, int]
    param_counts: dict[str, int]

    @property
    def total_params(self) -> int:
        return sum(self.param_counts.values())


def input_width(node: Node, spec: DataSpec) -> int:
    features = node.params["features"]
    if spec.n_inputs == 2:
        return len(features)
    if any(f not in RAW_FEATURES for f in features):
        raise ParameterError("derived features (x1², sin x1…) exist only for 2-D data", node.id)
    return spec.n_inputs


def _single(graph: Graph, type_name: str, what: str) -> Node:
    found = graph.nodes_of_type(type_name)
    if len(found) != 1:
        problem = "has no" if not found else f"has {len(found)}"
        raise MissingEndpointError(f"the network {problem} {what} node; it needs exactly one")
    return found[0]


def _check_wire_counts(graph: Graph) -> None:
    for node in graph.nodes.values():
        spec = node_type(node.type)
        count = len(graph.inputs_of(node.id))
        if count < spec.min_inputs:
            need = "an incoming wire" if spec.min_inputs == 1 else f"at least {spec.min_inputs} incoming wires"
            raise IncomingEdgesError(f"{node.label} needs {need}", node.id)
        if spec.max_inputs is not None and count > spec.max_inputs:
            raise IncomingEdgesError(f"{node.label} takes at most {spec.max_inputs} incoming wire(s)", node.id)


def _check_paths(graph: Graph, source: Node, sink: Node) -> None:
    after_input = _reachable(graph.edges, source.id)
    if sink.id not in after_input:
        raise NoPathError("no path leads from the input to the output; wire them together")
    before_output = _reachable([(dst, src) for src, dst in graph.edges], sink.id)
    for node in graph.nodes.values():
        if node.id not in after_input or node.id not in before_output:
            raise DisconnectedNodeError(
                f"{node.label} is not on a path from input to output; wire it in or delete it", node.id)


def _reachable(edges: list[tuple[str, str]], start: str) -> set[str]:
    """Every node a path of `edges` leads to from `start` (itself included): one walk, so a
    network of hundreds of nodes is checked at once, not node by node."""
    following: dict[str, list[str]] = {}
    for src, dst in edges:
        following.setdefault(src, []).append(dst)
    seen, todo = {start}, [start]
    while todo:
        for node in following.get(todo.pop(), ()):
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen


def _width(graph: Graph, node: Node, widths: dict[str, int], spec: DataSpec) -> int:
    if node.type == "input":
        return input_width(node, spec)
    if node.type == "dense":  # known even when what feeds it is not (partial_widths relies on it)
        return node.params["units"]
    incoming = [widths[src] for src in graph.inputs_of(node.id)]
    if node.type == "concat":
        return sum(incoming)
    if node.type == "add" and len(set(incoming)) > 1:
        sizes = " + ".join(str(w) for w in incoming)
        raise ShapeMismatchError(f"Add needs inputs of the same width, got {sizes}", node.id)
    return incoming[0]


def infer_widths(graph: Graph, order: list[str], spec: DataSpec) -> dict[str, int]:
    """The width of every node's output (the batch dimension is implied)."""
    widths: dict[str, int] = {}
    for node_id in order:
        widths[node_id] = _width(graph, graph.node(node_id), widths, spec)
    return widths


def expected_output_width(spec: DataSpec) -> tuple[int, ...]:
    if spec.task == "classification":
        return (1, spec.n_outputs) if spec.n_outputs == 2 else (spec.n_outputs,)
    return (spec.n_outputs,)


def final_activation(graph: Graph) -> str:
    """The activation function that produces the network's output ('linear' if none)."""
    current = graph.nodes_of_type("output")[0].id
    while True:
        sources = graph.inputs_of(current)
        if len(sources) != 1:
            return "linear"
        node = graph.node(sources[0])
        if node.type == "activation":
            return node.params["function"]
        if node.type != "dropout":
            return "linear"
        current = node.id


def check_loss(graph: Graph, width: int, spec: DataSpec, loss: str) -> None:
    if loss not in LOSSES:
        raise LossMismatchError(f"unknown loss {loss!r}; use one of {', '.join(LOSSES)}")
    if spec.task == "regression":
        if loss not in ("mse", "half_mse", "mae"):
            raise LossMismatchError(f"{loss} is for classes; for regression use mse, half_mse or mae")
        return
    last = final_activation(graph)
    if loss == "cross_entropy" and width < 2:
        raise LossMismatchError("cross-entropy needs one output unit per class; use bce for a single unit")
    if loss == "bce" and (width != 1 or last != "sigmoid"):
        raise LossMismatchError("log loss (bce) needs a single output unit squashed by a sigmoid")
    if loss == "hinge" and last in ("sigmoid", "softmax", "step", "relu"):
        raise LossMismatchError(f"hinge loss needs scores that can be negative; {last} cannot")


def param_count(node: Node, in_width: int, width: int) -> int:
    if node.type == "dense":
        return in_width * width + (width if node.params["bias"] else 0)
    if node.type == "batch_norm":
        return 2 * width
    return 0


def analyse(graph: Graph, spec: DataSpec, loss: str | None = None) -> Analysis:
    """Validate the whole network for this data; raise the first GraphError found."""
    source = _single(graph, "input", "input")
    sink = _single(graph, "output", "output")
    _check_wire_counts(graph)
    order = graph.topological_order()
    _check_paths(graph, source, sink)
    widths = infer_widths(graph, order, spec)
    allowed = expected_output_width(spec)
    if widths[sink.id] not in allowed:
        want = " or ".join(str(w) for w in allowed)
        raise ShapeMismatchError(
            f"the output receives {widths[sink.id]} values but the data needs {want}", sink.id)
    if loss is not None:
        check_loss(graph, widths[sink.id], spec, loss)
    counts = {}
    for node_id in order:
        sources = graph.inputs_of(node_id)
        counts[node_id] = param_count(graph.node(node_id), widths[sources[0]] if sources else 0, widths[node_id])
    check_size(graph, counts)
    return Analysis(tuple(order), widths, counts)


def check_size(graph: Graph, counts: dict[str, int]) -> None:
    """Refuse more parameters than the limit; the node holding the most is named."""
    total = sum(counts.values())
    if total > MAX_PARAMETERS:
        largest = max(counts, key=counts.__getitem__)
        raise TooManyParametersError(
            f"the network has {total:,} parameters; Laegna allows at most {MAX_PARAMETERS:,} "
            f"(the largest layer, {graph.node(largest).label}, has {counts[largest]:,}): "
            "use fewer or narrower layers", largest)


def check_connection(graph: Graph, src: str, dst: str, spec: DataSpec) -> None:
    """Raise the reason a new wire src→dst must be refused, if any (structure or shapes)."""
    graph.check_edge(src, dst)
    trial = graph.copy()
    trial.add_edge(src, dst)
    node = trial.node(dst)
    if node.type != "add":
        return
    widths = partial_widths(trial, spec)
    incoming = {widths.get(s) for s in trial.inputs_of(dst)} - {None}
    if len(incoming) > 1:
        raise ShapeMismatchError(
            f"Add needs inputs of the same width, got {' and '.join(str(w) for w in sorted(incoming))}", dst)


def partial_widths(graph: Graph, spec: DataSpec) -> dict[str, int]:
    """Widths of the nodes whose width is known so far (an unfinished graph is fine)."""
    widths: dict[str, int] = {}
    for node_id in graph.topological_order():
        node = graph.node(node_id)
        sources = graph.inputs_of(node_id)
        if node.type not in ("input", "dense") and (not sources or any(s not in widths for s in sources)):
            continue
        try:
            widths[node_id] = _width(graph, node, widths, spec)
        except GraphError:
            continue
    return widths
