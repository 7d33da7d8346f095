"""The numbers of one training snapshot, drawn on the canvas: weights as wires and each
neuron's response as a heatmap. Items are made once per graph structure and updated
for every snapshot (up to ~30 a second), never rebuilt."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QPointF

from laegna_gui.core.graph import Edge
from laegna_gui.ui.canvas.edge_item import EdgeItem
from laegna_gui.ui.canvas.neuron_maps import NeuronMaps
from laegna_gui.ui.canvas.node_item import NodeItem
from laegna_gui.ui.canvas.weight_editor import WeightEditor
from laegna_gui.ui.canvas.weight_lines import WeightLine, WeightLines

if TYPE_CHECKING:
    from laegna_gui.engine.snapshot import Snapshot
    from laegna_gui.ui.canvas.scene import GraphScene

EditRequest = Callable[[str, tuple, float], None]


def _layer_weights(edge: EdgeItem, weights: dict[str, np.ndarray]) -> np.ndarray | None:
    """The (out, in) matrix this wire feeds, if it matches what the canvas shows."""
    target, source = edge.target, edge.source
    if target.node.type != "dense" or target.width is None or source.width is None:
        return None
    matrix = weights.get(f"{target.node_id}.weight")
    if matrix is None or matrix.shape != (target.width, source.width):
        return None  # a stale snapshot of an older network
    return matrix if target.layout.neurons and source.layout.neurons else None


def _node_arrays(item: NodeItem, weights: dict[str, np.ndarray], maps: dict[str, np.ndarray]):
    """(neuron maps, bias) of a node, each None when absent or not of the node's width."""
    grid = maps.get(item.node_id)
    if grid is None or grid.ndim != 3 or grid.shape[0] != item.width:
        grid = None
    bias = weights.get(f"{item.node_id}.bias") if item.node.type == "dense" else None
    if bias is None or bias.shape != (item.width,):
        bias = None
    return grid, bias


class LiveOverlay:
    """Owned by a GraphScene; `show` a snapshot, `clear` it when the network changes."""

    def __init__(self, scene: GraphScene, edit_requested: EditRequest) -> None:
        self.scene = scene
        self.edit_requested = edit_requested
        self.wires: dict[Edge, WeightLines] = {}
        self.neurons: dict[str, NeuronMaps] = {}
        self.editor: WeightEditor | None = None

    @property
    def shown(self) -> bool:
        return bool(self.wires or self.neurons)

    def show(self, snapshot: Snapshot) -> None:
        self.prune()
        weights = snapshot.weights
        maps = snapshot.probes.neuron_maps if snapshot.probes is not None else {}
        for edge, item in self.scene.edges.items():
            self._show_wire(edge, item, _layer_weights(item, weights))
        for node_id, item in self.scene.nodes.items():
            self._show_neurons(node_id, item, *_node_arrays(item, weights, maps))

    def _show_wire(self, edge: Edge, item: EdgeItem, matrix: np.ndarray | None) -> None:
        group = self.wires.get(edge)
        if matrix is None:
            if group is not None:
                self.wires.pop(edge).remove()
            return
        if group is None:
            group = self.wires[edge] = WeightLines(item, self._open_editor)
        group.show(matrix)

    def _show_neurons(self, node_id: str, item: NodeItem, grid, bias) -> None:
        group = self.neurons.get(node_id)
        if (grid is None and bias is None) or not item.layout.neurons:
            if group is not None:
                self.neurons.pop(node_id).remove()
            return
        if group is None:
            group = self.neurons[node_id] = NeuronMaps(item)
        group.show(grid, bias)

    def prune(self) -> None:
        """Drop the items of wires and nodes that left the canvas or redrew their column."""
        for edge in [e for e, g in self.wires.items() if self.scene.edges.get(e) is not g.edge or not g.fits()]:
            self.wires.pop(edge).remove()
        for node in [n for n, g in self.neurons.items() if self.scene.nodes.get(n) is not g.node or not g.fits()]:
            self.neurons.pop(node).remove()

    def clear(self) -> None:
        self.close_editor()
        for group in self.wires.values():
            group.remove()
        for maps in self.neurons.values():
            maps.remove()
        self.wires.clear()
        self.neurons.clear()

    # --- editing a weight -----------------------------------------------------
    def close_editor(self) -> None:
        if self.editor is not None:
            self.editor.close()
            self.editor = None

    def _open_editor(self, line: WeightLine, at: QPointF) -> None:
        self.close_editor()
        self.editor = WeightEditor(self.scene, line.group.name, line.index, line.value, at,
                                   self.edit_requested, self.scene.show_message)
