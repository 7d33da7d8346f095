"""The network canvas: a QGraphicsScene that follows the graph, and its view."""

from laegna_gui.ui.canvas.edge_item import EdgeItem
from laegna_gui.ui.canvas.node_item import NodeItem
from laegna_gui.ui.canvas.scene import GraphScene
from laegna_gui.ui.canvas.view import GraphView

__all__ = ["EdgeItem", "GraphScene", "GraphView", "NodeItem"]
