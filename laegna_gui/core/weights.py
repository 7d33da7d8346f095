"""Names and shapes of a network's trainable state, shared by engine and project files."""

from __future__ import annotations

import numpy as np

from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.graph import Graph
from laegna_gui.core.validate import Analysis


def expected_shapes(graph: Graph, analysis: Analysis) -> dict[str, tuple[int, ...]]:
    """`{"dense1.weight": (4, 2), ...}` — the same names the engine's state uses."""
    shapes: dict[str, tuple[int, ...]] = {}
    for node_id in analysis.order:
        node = graph.node(node_id)
        width = analysis.widths[node_id]
        if node.type == "dense":
            in_width = analysis.widths[graph.inputs_of(node_id)[0]]
            shapes[f"{node_id}.weight"] = (width, in_width)
            if node.params["bias"]:
                shapes[f"{node_id}.bias"] = (width,)
        elif node.type == "batch_norm":
            for name in ("weight", "bias", "running_mean", "running_var"):
                shapes[f"{node_id}.{name}"] = (width,)
    return shapes


def check_weights(weights: dict[str, np.ndarray], expected: dict[str, tuple[int, ...]]) -> None:
    """Raise ProjectFileError unless `weights` has exactly the expected names and shapes."""
    missing = sorted(set(expected) - set(weights))
    extra = sorted(set(weights) - set(expected))
    if missing or extra:
        name = (missing or extra)[0]
        what = "is missing" if missing else "does not belong to this network"
        raise ProjectFileError(f"weights.{name} {what}; the weights do not fit the graph")
    for name, shape in expected.items():
        if tuple(weights[name].shape) != shape:
            raise ProjectFileError(
                f"weights.{name} has shape {tuple(weights[name].shape)} but the graph needs {shape}")
