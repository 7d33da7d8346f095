"""One neuron's live map, large: what the Output view shows while the mouse is on a neuron.

The canvas draws each neuron of a layer as a small map of its output over the input plane
(ui/canvas/neuron_maps.py); hovering one there shows it here over the whole Output view,
with the data on top, so the user can see which part of the boundary that neuron draws.
The map comes from the same probes (`snapshot.probes.neuron_maps`, over the boundary's
extent) and is drawn on the same scale as the canvas draws it, so the large picture is the
small one enlarged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from laegna_gui.core.nodes import FEATURE_TITLES
from laegna_gui.ui.canvas.geometry import node_layout
from laegna_gui.ui.canvas.neuron_maps import heatmap_scale
from laegna_gui.ui.look.colour_scale import backdrop_lut
from laegna_gui.ui.training.views.boundary_picture import Picture

if TYPE_CHECKING:
    from laegna_gui.core.graph import Graph
    from laegna_gui.engine.probes import Probes

Neuron = tuple[str, int]  # (node id, unit), as GraphView.neuron_hovered names it
LEAVE_HINT = "move off it to see the output"


def neuron_picture(probes: Probes | None, neuron: Neuron | None, graph: Graph | None) -> Picture | None:
    """The neuron's output over the plane (row 0 = bottom) on the scale the canvas draws its
    map on, as a backdrop; None when the probes have no map of it (1-D data, another
    network, no such unit)."""
    if probes is None or neuron is None:
        return None
    node_id, unit = neuron
    maps = probes.neuron_maps.get(node_id)
    if maps is None or maps.ndim != 3 or not 0 <= unit < maps.shape[0]:
        return None
    scale = canvas_scale(graph, node_id, maps)
    return Picture(maps[unit], (-scale, scale), backdrop_lut())


def canvas_scale(graph: Graph | None, node_id: str, maps: np.ndarray) -> float:
    """The symmetric scale the canvas draws this node's maps on: over the neurons it has
    room to draw (all of them if the graph is not known)."""
    node = graph.nodes.get(node_id) if graph is not None else None
    drawn = len(node_layout(node.type, maps.shape[0]).neurons) if node is not None else maps.shape[0]
    return heatmap_scale(maps[:max(drawn, 1)])


def neuron_title(graph: Graph | None, neuron: Neuron) -> str:
    """'Neuron 3 of Dense 4' (the canvas's names: its card's label, its input's feature)."""
    node_id, unit = neuron
    node = graph.nodes.get(node_id) if graph is not None else None
    if node is None:
        return f"Neuron {unit} of {node_id}"
    features = node.params.get("features") if node.type == "input" else None
    if features and unit < len(features):
        return f"Input {FEATURE_TITLES.get(features[unit], features[unit])}"
    return f"Neuron {unit} of {node.label}"


def caption(graph: Graph | None, neuron: Neuron) -> str:
    return f"{neuron_title(graph, neuron)} — {LEAVE_HINT}"
