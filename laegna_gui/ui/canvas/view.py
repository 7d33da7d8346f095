"""The canvas widget: zoom, pan, selection, drops from the palette, deletion."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent, QMouseEvent, QPainter, QPen,
                           QResizeEvent, QShowEvent, QWheelEvent)
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from laegna_gui.core.errors import GraphError, LaegnaError
from laegna_gui.core.graph import Edge
from laegna_gui.core.nodes import node_type
from laegna_gui.ui.look import style
from laegna_gui.ui.canvas.edge_item import EdgeItem
from laegna_gui.ui.canvas.geometry import HEATMAP_SIZE
from laegna_gui.ui.canvas.node_item import NodeItem
from laegna_gui.ui.canvas.scene import GraphScene
from laegna_gui.ui.document.commands import AddNodeCommand, RemoveEdgeCommand, RemoveNodeCommand
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.document.mime import read_node_mime

if TYPE_CHECKING:
    from laegna_gui.engine.snapshot import Snapshot
    from laegna_gui.ui.training.live_state import LiveState

MIN_SCALE, MAX_SCALE = 0.2, 3.0
FIT_MAX_SCALE = 1.25   # fitting a tiny network should not blow it up
MAP_MIN_PIXELS = 32.0  # a neuron's live map smaller than this on screen shows no more than a colour
FIT_MIN_SCALE = MAP_MIN_PIXELS / HEATMAP_SIZE
FIT_MARGIN = 40.0
ZOOM_STEP = 1.25
WHEEL_PAN = 80.0       # pixels a sideways wheel step pans
GRID_STEP = 25.0
GRID_MAJOR = 5         # every fifth grid line is stronger


class GraphView(QGraphicsView):
    """Shows a GraphScene for `document`. Every edit becomes a command on its undo stack."""

    node_selected = Signal(object)   # the single selected node id, or None
    message_shown = Signal(str)      # why an edit was refused
    weight_edit_requested = Signal(str, tuple, float)  # (parameter name, index, new value)
    neuron_hovered = Signal(object)  # (node id, unit) when the mouse enters a neuron's live map, None when it leaves

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvasView")
        self.setAccessibleName("Network canvas")
        self.document = document
        self.graph_scene = GraphScene(document, self)
        self.setScene(self.graph_scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        # the grid is drawn once per zoom or pan, not in each of the ~30 live frames a second
        # (a theme switch resets the cache: ui/look/theme_restyle.py)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self._pan_from: QPointF | None = None
        self._fit_when_shown = False
        self._selected: str | None = None
        self.graph_scene.message_shown.connect(self.message_shown)
        self.graph_scene.weight_edit_requested.connect(self.weight_edit_requested)
        self.graph_scene.neuron_hovered.connect(self.neuron_hovered)
        self.graph_scene.selectionChanged.connect(self._selection_changed)

    # --- zoom -----------------------------------------------------------------
    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP, QPointF(self.viewport().rect().center()))

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP, QPointF(self.viewport().rect().center()))

    def _zoom(self, factor: float, anchor: QPointF) -> None:
        """Scale by `factor` (clamped) keeping the scene point under `anchor` in place."""
        current = self.scale_factor()
        target = min(max(current * factor, MIN_SCALE), MAX_SCALE)
        if math.isclose(target, current):
            return
        fixed = self.mapToScene(anchor.toPoint())
        self.scale(target / current, target / current)
        self._scroll_by(QPointF(self.mapFromScene(fixed)) - anchor)

    def _scroll_by(self, delta: QPointF) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(delta.x()))
        v.setValue(v.value() + round(delta.y()))

    def fit(self) -> None:
        """Show every node and wire, with a margin, at a zoom between FIT_MIN_SCALE (the neuron
        maps still readable) and FIT_MAX_SCALE. A network too large for the view at
        FIT_MIN_SCALE is shown from its Input side, and the rest is a pan away; zooming out by
        hand can still show it whole."""
        self._fit_when_shown = not self.isVisible()
        rect = self._content_rect()
        if rect.isNull():
            self.resetTransform()
            self.centerOn(0.0, 0.0)
            return
        rect = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        view = self.viewport().rect()
        scale = min(view.width() / rect.width(), view.height() / rect.height())
        scale = min(max(scale, FIT_MIN_SCALE), FIT_MAX_SCALE)
        self.resetTransform()
        self.scale(scale, scale)
        shown_width = view.width() / scale
        x = rect.left() + shown_width / 2 if rect.width() > shown_width else rect.center().x()
        self.centerOn(x, rect.center().y())

    def _content_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.graph_scene.items():
            if isinstance(item, (NodeItem, EdgeItem)):
                rect = rect.united(item.sceneBoundingRect())
        return rect

    # --- a training snapshot -------------------------------------------------
    _snapshot: Snapshot | None = None  # the one on show

    def draw_parts(self, state: LiveState) -> list[Callable[[], None]]:
        """As a live view: the state's snapshot over the network, or the plain network when
        there is none (no step yet, not valid)."""
        snapshot = state.snapshot
        if snapshot is None:
            return [self.clear_snapshot] if self._snapshot is not None or self.graph_scene.live.shown else []
        return [] if snapshot is self._snapshot else [lambda: self.show_snapshot(snapshot)]

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Live weights on the wires and neuron heatmaps; cheap enough for 30 per second."""
        self._snapshot = snapshot
        self.graph_scene.show_snapshot(snapshot)

    def clear_snapshot(self) -> None:
        """Remove the live overlay (call it when the network is edited)."""
        self._snapshot = None
        self.graph_scene.clear_snapshot()

    # --- selection ------------------------------------------------------------
    def select_all(self) -> None:
        for item in self.graph_scene.nodes.values():
            item.setSelected(True)

    def select_nodes(self, ids) -> None:
        """Select exactly these nodes (unknown ids are ignored)."""
        wanted = set(ids or ())
        self.graph_scene.clearSelection()
        for node_id, item in self.graph_scene.nodes.items():
            item.setSelected(node_id in wanted)

    def selected_node_ids(self) -> list[str]:
        nodes = self.graph_scene.nodes
        return [n for n in self.document.graph.nodes if n in nodes and nodes[n].isSelected()]

    def selected_edges(self) -> list[Edge]:
        edges = self.graph_scene.edges
        return [e for e in self.document.graph.edges if e in edges and edges[e].isSelected()]

    def node_heights(self) -> dict[str, float]:
        """Drawn height of every node (for automatic layout)."""
        return {node_id: item.height() for node_id, item in self.graph_scene.nodes.items()}

    def _selection_changed(self) -> None:
        ids = self.selected_node_ids()
        current = ids[0] if len(ids) == 1 else None
        if current != self._selected:
            self._selected = current
            self.node_selected.emit(current)

    # --- edits ----------------------------------------------------------------
    def try_connect(self, src: str, dst: str) -> bool:
        return self.graph_scene.try_connect(src, dst)

    def delete_selection(self) -> None:
        """Delete the selected nodes (with their wires) and wires, as one undo step."""
        nodes = self.selected_node_ids()
        edges = [e for e in self.selected_edges() if e[0] not in nodes and e[1] not in nodes]
        if not nodes and not edges:
            return
        graph, stack = self.document.graph, self.document.undo_stack
        stack.beginMacro("Delete selection")
        for src, dst in edges:
            self.document.push(RemoveEdgeCommand(graph, src, dst))
        for node_id in nodes:
            self.document.push(RemoveNodeCommand(graph, node_id))
        stack.endMacro()

    def add_node_at(self, type_name: str, params: dict, pos: QPointF) -> str | None:
        """Add a node centred on `pos` (scene coordinates) and select it."""
        try:
            node_type(type_name).check_params(dict(params), type_name)
            self.document.graph.check_room(nodes=1)
        except LaegnaError as exc:
            self.graph_scene.show_message(str(exc), pos)
            return None
        command = AddNodeCommand(self.document.graph, type_name, params, (round(pos.x()), round(pos.y())))
        self.document.push(command)
        self.select_nodes([command.node_id])
        return command.node_id

    def insert_nodes(self, insert: Callable[[], list[str]]) -> None:
        """Run a paste or duplicate and select what it added, or say why it added nothing."""
        try:
            self.select_nodes(insert())
        except GraphError as exc:
            self.graph_scene.show_message(str(exc), self.mapToScene(self.viewport().rect().center()))

    # --- drops from the palette -----------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        self._accept_block(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt override)
        self._accept_block(event)

    def _accept_block(self, event: QDragMoveEvent) -> None:
        if read_node_mime(event.mimeData()) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt override)
        block = read_node_mime(event.mimeData())
        if block is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.add_node_at(*block, self.mapToScene(event.position().toPoint()))

    # --- mouse and keys -------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        """The wheel zooms; sideways (a touchpad, a tilting wheel, or Shift) it pans along a
        network wider than the view, for those without a middle button."""
        delta = event.angleDelta()
        sideways = delta.x() or (delta.y() if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 0)
        if sideways:
            self._scroll_by(QPointF(-sideways / 120 * WHEEL_PAN, 0.0))
        elif delta.y():
            self._zoom(1.15 ** (delta.y() / 120), event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._pan_from is not None:
            self._scroll_by(self._pan_from - event.position())
            self._pan_from = event.position()
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._pan_from is not None and event.button() == Qt.MouseButton.MiddleButton:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        typing = self.graph_scene.weight_editor is not None  # its Backspace edits the number
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not typing:
            self.delete_selection()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- showing --------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._fit_when_shown:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._fit_when_shown:
            self.fit()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt override)
        theme = style.current()
        painter.fillRect(rect, theme.canvas_background)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        minor_visible = self.scale_factor() >= 0.5
        first_x = math.floor(rect.left() / GRID_STEP)
        first_y = math.floor(rect.top() / GRID_STEP)
        minor = QPen(theme.grid.darker(115) if theme.dark else theme.grid.lighter(104), 0)
        major = QPen(theme.grid, 0)
        for i in range(first_x, math.ceil(rect.right() / GRID_STEP) + 1):
            if i % GRID_MAJOR == 0 or minor_visible:
                painter.setPen(major if i % GRID_MAJOR == 0 else minor)
                painter.drawLine(QPointF(i * GRID_STEP, rect.top()), QPointF(i * GRID_STEP, rect.bottom()))
        for j in range(first_y, math.ceil(rect.bottom() / GRID_STEP) + 1):
            if j % GRID_MAJOR == 0 or minor_visible:
                painter.setPen(major if j % GRID_MAJOR == 0 else minor)
                painter.drawLine(QPointF(rect.left(), j * GRID_STEP), QPointF(rect.right(), j * GRID_STEP))
        painter.restore()
