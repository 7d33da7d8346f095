"""Drawing a new wire: from an output port, a dashed curve follows the mouse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsSceneMouseEvent

from laegna_gui.ui.look import style
from laegna_gui.ui.canvas.edge_item import wire_path

if TYPE_CHECKING:
    from laegna_gui.ui.canvas.node_item import NodeItem
    from laegna_gui.ui.canvas.scene import GraphScene


class WireGesture:
    """Receives the scene's mouse events from a press on an output port until release.

    Releasing over another node asks the scene to connect (the scene and the graph
    decide whether the wire is allowed); releasing anywhere else cancels.
    """

    def __init__(self, scene: GraphScene, source: NodeItem, at: QPointF) -> None:
        self.scene, self.source = scene, source
        self.preview = QGraphicsPathItem()
        pen = QPen(style.ACCENT, 2.0, Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.preview.setPen(pen)
        self.preview.setZValue(5.0)
        scene.addItem(self.preview)
        self._follow(at)

    def mouse_move(self, event: QGraphicsSceneMouseEvent) -> None:
        self._follow(event.scenePos())

    def mouse_release(self, event: QGraphicsSceneMouseEvent) -> None:
        self.cancel()
        target = self._target(event.scenePos())
        if target is not None:
            self.scene.try_connect(self.source.node_id, target.node_id, event.scenePos())

    def cancel(self) -> None:
        if self.preview.scene() is not None:
            self.scene.removeItem(self.preview)

    def _target(self, pos: QPointF) -> NodeItem | None:
        target = self.scene.node_at(pos)
        return None if target is self.source else target

    def _follow(self, pos: QPointF) -> None:
        target = self._target(pos)
        end = target.input_point() if target is not None and target.input_port is not None else pos
        self.preview.setPath(wire_path(self.source.output_point(), end))
