"""The scene that shows a Document's graph and turns gestures into undo commands."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent, QLineEdit

from laegna_gui.core.errors import GraphError, LaegnaError
from laegna_gui.core.events import Event
from laegna_gui.core.graph import Edge, Graph, Node
from laegna_gui.core.validate import check_connection, param_count
from laegna_gui.ui.canvas.bubble import MessageBubble
from laegna_gui.ui.canvas.edge_item import EdgeItem
from laegna_gui.ui.canvas.geometry import PARAM_TYPES
from laegna_gui.ui.canvas.live_overlay import LiveOverlay
from laegna_gui.ui.canvas.node_item import NodeItem
from laegna_gui.ui.canvas.wire_gesture import WireGesture
from laegna_gui.ui.document.commands import AddEdgeCommand, MoveNodesCommand
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.look.theme import signals as theme_signals

if TYPE_CHECKING:
    from laegna_gui.engine.snapshot import Snapshot

SCENE_EXTENT = 20000.0  # room to pan around any reasonable network
Link = tuple[Event, Callable]


def params_text(graph: Graph, node: Node, widths: dict[str, int]) -> str:
    """ "9 params" for a layer with weights whose widths are known, else ""."""
    width, sources = widths.get(node.id), graph.inputs_of(node.id)
    in_width = widths.get(sources[0]) if sources else None
    if node.type not in PARAM_TYPES or width is None or (node.type == "dense" and in_width is None):
        return ""
    count = param_count(node, in_width or 0, width)
    return f"{count:,} param{'' if count == 1 else 's'}"


def _unlink(links: list[Link]) -> None:
    for event, callback in links:
        event.disconnect(callback)
    links.clear()


class GraphScene(QGraphicsScene):
    """Follows `document.graph` through its events; never the other way round."""

    message_shown = Signal(str)
    weight_edit_requested = Signal(str, tuple, float)  # e.g. ("dense1.weight", (2, 0), 0.5)
    neuron_hovered = Signal(object)  # (node id, unit) of a live neuron map under the mouse, or None
    bubble_ms = 3000

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[Edge, EdgeItem] = {}
        self.gesture: WireGesture | None = None
        self._bubble: MessageBubble | None = None
        self._links: list[Link] = []
        self.live = LiveOverlay(self, self.weight_edit_requested.emit)
        self.setSceneRect(QRectF(-SCENE_EXTENT, -SCENE_EXTENT, 2 * SCENE_EXTENT, 2 * SCENE_EXTENT))
        self.destroyed.connect(partial(_unlink, self._links))  # the graph may outlive us
        document.project_replaced.connect(self.rebuild)
        document.validity_changed.connect(self.refresh)
        document.dataset_changed.connect(self.refresh)
        theme_signals().theme_changed.connect(self._theme_changed)  # a method: Qt disconnects it with us
        self.rebuild()

    def render(self, painter, target: QRectF = QRectF(), source: QRectF = QRectF(),
               mode: Qt.AspectRatioMode = Qt.AspectRatioMode.KeepAspectRatio) -> None:
        """Draw the scene for a file (an export): the node cards as shapes and text, not the
        bitmaps they keep for the screen (an SVG would hold pictures of the titles)."""
        cached = [item for item in self.nodes.values() if item.cacheMode() != item.CacheMode.NoCache]
        for item in cached:
            item.setCacheMode(item.CacheMode.NoCache)
        try:
            super().render(painter, target, source, mode)
        finally:
            for item in cached:
                item.setCacheMode(item.CacheMode.DeviceCoordinateCache)

    def _theme_changed(self, _name: str) -> None:
        """Node cards keep a painted copy of themselves (NodeItem): paint them in the new colours."""
        for item in self.nodes.values():
            item.update()

    # --- following the graph --------------------------------------------------
    def rebuild(self) -> None:
        """Drop every item and build them again from the document's current graph."""
        _unlink(self._links)
        self.live.clear()  # before clear() deletes the items it still points at
        self.gesture, self._bubble = None, None
        self.nodes.clear()
        self.edges.clear()
        self.clear()
        graph = self.document.graph
        events = graph.events
        for event, callback in ((events.node_added, self._node_added), (events.node_removed, self._node_removed),
                                (events.node_changed, self._node_changed), (events.node_moved, self._node_moved),
                                (events.edge_added, self._edge_added), (events.edge_removed, self._edge_removed)):
            event.connect(callback)
            self._links.append((event, callback))
        for node in graph.nodes.values():
            self._add_node_item(node)
        for edge in graph.edges:
            self._add_edge_item(edge)
        self.refresh()

    def batch_size(self) -> int:
        """Rows per training step (0: the whole training set), for the wires' shapes."""
        return self.document.project.training.batch_size

    def refresh(self, *_args) -> None:
        """Re-read widths, parameter counts and the validation error."""
        graph, widths = self.document.graph, self.document.widths()
        for node_id, item in self.nodes.items():
            if node_id in graph.nodes:
                item.set_width(widths.get(node_id), params_text(graph, graph.nodes[node_id], widths))
        labelled: set[str] = set()
        for edge in graph.edges:  # one label per source: its wires all carry the same width
            if edge in self.edges:
                self.edges[edge].set_width(widths.get(edge[0]), edge[0] not in labelled)
                labelled.add(edge[0])
        self._show_error(self.document.error)
        self.reroute()
        self.live.prune()  # a column that changed drops its live items; the rest stay

    def reroute(self) -> None:
        """Recompute every wire's route: a node that moved or grew may now be in the way."""
        for item in self.edges.values():
            item.update_path()

    def _show_error(self, error: LaegnaError | None) -> None:
        culprit = getattr(error, "node", None)
        for node_id, item in self.nodes.items():
            item.set_error(str(error) if node_id == culprit else None)

    def _add_node_item(self, node: Node) -> None:
        item = NodeItem(node)
        self.nodes[node.id] = item
        self.addItem(item)

    def _add_edge_item(self, edge: Edge) -> None:
        item = EdgeItem(self.nodes[edge[0]], self.nodes[edge[1]])
        self.edges[edge] = item
        self.addItem(item)

    def _node_added(self, node: Node) -> None:
        self._add_node_item(node)
        self.refresh()

    def _node_removed(self, node: Node) -> None:
        item = self.nodes.pop(node.id, None)
        if item is not None:
            self.removeItem(item)
        self.refresh()

    def _node_changed(self, node: Node) -> None:
        self.nodes[node.id].set_node(node)
        self.refresh()

    def _node_moved(self, node: Node) -> None:
        self.nodes[node.id].setPos(QPointF(*node.pos))
        self.reroute()

    def _edge_added(self, edge: Edge) -> None:
        self._add_edge_item(edge)
        self.refresh()

    def _edge_removed(self, edge: Edge) -> None:
        item = self.edges.pop(edge, None)
        if item is not None:
            item.detach()
            self.removeItem(item)
        self.refresh()

    # --- a training snapshot -------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Draw its weights on the wires into dense layers and each neuron's map."""
        self.live.show(snapshot)

    def clear_snapshot(self) -> None:
        """Back to the plain network: the numbers no longer match the graph."""
        self.live.clear()

    @property
    def weight_editor(self) -> QLineEdit | None:
        """The open inline weight editor, if any."""
        editor = self.live.editor
        return editor.field if editor is not None and editor.is_open else None

    # --- queries --------------------------------------------------------------
    def node_at(self, pos: QPointF) -> NodeItem | None:
        """The node drawn at `pos` (a port counts as its node)."""
        for item in self.items(pos):
            while item is not None and not isinstance(item, NodeItem):
                item = item.parentItem()
            if item is not None:
                return item
        return None

    # --- edits ----------------------------------------------------------------
    def try_connect(self, src: str, dst: str, at: QPointF | None = None) -> bool:
        """Add the wire src→dst as one undo step, or show why it is refused."""
        graph = self.document.graph
        try:
            check_connection(graph, src, dst, self.document.spec)
        except GraphError as exc:
            target = self.nodes.get(dst)
            self.show_message(str(exc), at or (target.input_point() if target else QPointF()))
            return False
        self.document.push(AddEdgeCommand(graph, src, dst))
        return True

    def show_message(self, text: str, at: QPointF) -> None:
        """A bubble at `at` for a few seconds, and `message_shown` for the status bar."""
        if self._bubble is not None and self._bubble.scene() is self:
            self.removeItem(self._bubble)
        self._bubble = MessageBubble(text, self.bubble_ms)
        self._bubble.setPos(at)
        self.addItem(self._bubble)
        self.message_shown.emit(text)

    def begin_wire(self, source: NodeItem, at: QPointF) -> None:
        """Called by an output port on press: the gesture gets the mouse until release."""
        self.gesture = WireGesture(self, source, at)

    def _commit_moves(self) -> None:
        graph = self.document.graph
        moves = {}
        for node_id, item in self.nodes.items():
            old = graph.node(node_id).pos
            new = (float(round(item.x())), float(round(item.y())))  # whole pixels in the file
            if new != old:
                moves[node_id] = (old, new)
            elif (item.x(), item.y()) != old:
                item.setPos(QPointF(*old))  # a sub-pixel jiggle is not a move
        if moves:
            self.document.push(MoveNodesCommand(graph, moves))

    # --- Qt mouse: a running gesture sees events first ------------------------
    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self.gesture is not None:
            self.gesture.mouse_move(event)
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 (Qt override)
        gesture, self.gesture = self.gesture, None
        if gesture is not None:
            gesture.mouse_release(event)
        super().mouseReleaseEvent(event)
        self._commit_moves()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if self.gesture is not None and event.key() == Qt.Key.Key_Escape:
            self.gesture.cancel()
            self.gesture = None
            event.accept()
            return
        super().keyPressEvent(event)
