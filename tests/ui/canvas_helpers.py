"""Drive a GraphView the way a user does: real mouse and drag-and-drop events."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from laegna_gui.ui.canvas import GraphView, NodeItem

LEFT = Qt.MouseButton.LeftButton
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def to_view(view: GraphView, scene_point: QPointF) -> QPoint:
    return view.mapFromScene(scene_point)


def node_item(view: GraphView, node_id: str) -> NodeItem:
    return view.graph_scene.nodes[node_id]


def body_point(view: GraphView, node_id: str) -> QPointF:
    """A point on the node's card, clear of its ports and title."""
    item = node_item(view, node_id)
    return item.mapToScene(QPointF(-30.0, item.layout.well_rect.bottom() - 3.0))


def mouse_move(view: GraphView, scene_point: QPointF, buttons: Qt.MouseButton = LEFT) -> None:
    """A move with `buttons` held (QTest's own move does not say which are held)."""
    pos = QPointF(to_view(view, scene_point))
    event = QMouseEvent(QMouseEvent.Type.MouseMove, pos, QPointF(view.viewport().mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, buttons, NO_MODIFIER)
    QApplication.sendEvent(view.viewport(), event)


def mouse_drag(view: GraphView, start: QPointF, end: QPointF, steps: int = 4) -> None:
    """Press at `start`, move there in a few steps, release at `end` (scene points)."""
    QTest.mousePress(view.viewport(), LEFT, NO_MODIFIER, to_view(view, start))
    for i in range(1, steps + 1):
        mouse_move(view, start + (end - start) * (i / steps))
    QTest.mouseRelease(view.viewport(), LEFT, NO_MODIFIER, to_view(view, end))


def wire_by_mouse(view: GraphView, src: str, dst: str) -> None:
    source, target = node_item(view, src), node_item(view, dst)
    end = target.input_point() if target.input_port is not None else body_point(view, dst)
    mouse_drag(view, source.output_point(), end)


def drop_block(view: GraphView, mime, scene_point: QPointF) -> QDropEvent:
    """Send the DragEnter, DragMove and Drop events a palette drag produces."""
    pos = to_view(view, scene_point)  # QPoint: the QPointF overloads of DragEnter/Move are deprecated
    copy = Qt.DropAction.CopyAction
    for event in (QDragEnterEvent(pos, copy, mime, LEFT, NO_MODIFIER),
                  QDragMoveEvent(pos, copy, mime, LEFT, NO_MODIFIER)):
        QApplication.sendEvent(view.viewport(), event)
        assert event.isAccepted()
    drop = QDropEvent(QPointF(pos), copy, mime, LEFT, NO_MODIFIER)
    QApplication.sendEvent(view.viewport(), drop)
    return drop
