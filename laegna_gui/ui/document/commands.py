"""Undoable edits. Each verb is one small QUndoCommand acting on the core graph;
the canvas follows the graph's events, so commands never touch items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtGui import QUndoCommand

from laegna_gui.core.graph import Graph, Node

_PARAMS_ID = 1001
Weights = dict[str, np.ndarray]


class AddNodeCommand(QUndoCommand):
    def __init__(self, graph: Graph, type_name: str, params: dict[str, Any] | None = None,
                 pos: tuple[float, float] = (0.0, 0.0), node_id: str | None = None,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(f"Add {type_name}", parent)
        self.graph, self.type_name, self.params, self.pos = graph, type_name, dict(params or {}), pos
        self.node_id = node_id or graph.new_id(type_name)

    def redo(self) -> None:
        self.graph.add_node(self.type_name, self.params, self.pos, self.node_id)

    def undo(self) -> None:
        self.graph.remove_node(self.node_id)


class AddEdgeCommand(QUndoCommand):
    def __init__(self, graph: Graph, src: str, dst: str, index: int | None = None,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__("Connect", parent)
        self.graph, self.src, self.dst, self.index = graph, src, dst, index

    def redo(self) -> None:
        self.graph.add_edge(self.src, self.dst, self.index)

    def undo(self) -> None:
        self.graph.remove_edge(self.src, self.dst)


class RemoveEdgeCommand(QUndoCommand):
    def __init__(self, graph: Graph, src: str, dst: str, parent: QUndoCommand | None = None) -> None:
        super().__init__("Disconnect", parent)
        self.graph, self.src, self.dst = graph, src, dst
        self.index = 0

    def redo(self) -> None:
        self.index = self.graph.remove_edge(self.src, self.dst)

    def undo(self) -> None:
        self.graph.add_edge(self.src, self.dst, self.index)


class RemoveNodeCommand(QUndoCommand):
    """Removes a node; its wires go first and come back on undo.

    The wire commands are held in a plain list, not as Qt child commands: PySide does not
    give a child's ownership to its parent, so a child is either collected at once (redo
    then crashes) or, if referenced, deleted twice when the undo stack goes.
    """

    def __init__(self, graph: Graph, node_id: str, parent: QUndoCommand | None = None) -> None:
        super().__init__("Delete", parent)
        self.graph, self.node_id = graph, node_id
        self.node: Node = graph.node(node_id)
        self.wires = [RemoveEdgeCommand(graph, src, dst) for src, dst in graph.edges if node_id in (src, dst)]

    def redo(self) -> None:
        for wire in self.wires:
            wire.redo()
        self.graph.remove_node(self.node_id)

    def undo(self) -> None:
        n = self.node
        self.graph.add_node(n.type, n.params, n.pos, n.id)
        for wire in reversed(self.wires):
            wire.undo()


class MoveNodesCommand(QUndoCommand):
    """A whole drag of one or more nodes: one undo step."""

    resets_layers = False  # positions change no weight

    def __init__(self, graph: Graph, moves: dict[str, tuple[tuple[float, float], tuple[float, float]]],
                 parent: QUndoCommand | None = None) -> None:
        super().__init__("Move", parent)
        self.graph, self.moves = graph, moves

    def redo(self) -> None:
        for node_id, (_, new) in self.moves.items():
            self.graph.move_node(node_id, new)

    def undo(self) -> None:
        for node_id, (old, _) in self.moves.items():
            self.graph.move_node(node_id, old)


class SetParamsCommand(QUndoCommand):
    """A parameter change; quick successive edits of one field merge into one step."""

    def __init__(self, graph: Graph, node_id: str, params: dict[str, Any],
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(f"Change {', '.join(params)}", parent)
        self.graph, self.node_id, self.new = graph, node_id, dict(params)
        self.old = {k: graph.node(node_id).params[k] for k in params}

    def redo(self) -> None:
        self.graph.set_params(self.node_id, self.new)

    def undo(self) -> None:
        self.graph.set_params(self.node_id, self.old)

    def id(self) -> int:
        return _PARAMS_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetParamsCommand) or other.node_id != self.node_id \
                or set(other.new) != set(self.new):
            return False
        self.new = other.new
        return True


class SetValueCommand(QUndoCommand):
    """Replace a value held by a setter (dataset or training settings) — undoable.
    `resets_layers`: whether the new value can make layers start afresh (new data can)."""

    def __init__(self, text: str, setter, old: Any, new: Any, parent: QUndoCommand | None = None,
                 resets_layers: bool = True) -> None:
        super().__init__(text, parent)
        self.setter, self.old, self.new = setter, old, new
        self.resets_layers = resets_layers

    def redo(self) -> None:
        self.setter(self.new)

    def undo(self) -> None:
        self.setter(self.old)


class WeightsMemo:
    """The trained weights around one edit: from before it, and from before its last undo."""

    __slots__ = ("before", "after", "__weakref__")

    def __init__(self, before: Weights | None) -> None:
        self.before: Weights | None = before
        self.after: Weights | None = None

    def arrays(self) -> list[np.ndarray]:
        return [a for w in (self.before, self.after) if w for a in w.values()]

    def forget(self) -> None:
        self.before = self.after = None


class KeepWeightsCommand(QUndoCommand):
    """Wraps an edit after which layers may start afresh (a new width, other data): undo
    hands back the trained weights from before the edit, redo those from before the undo.

    `read` gives the trained weights now (None when unknown); `put` hands weights to the
    project before the edit's own signals make the trainer reload, which takes them for
    each layer whose shape no longer fits the weights it was training. The edit is held
    in a plain attribute, not as a Qt child (see RemoveNodeCommand)."""

    def __init__(self, edit: QUndoCommand, read: Callable[[], Weights | None],
                 put: Callable[[Weights], None]) -> None:
        super().__init__(edit.text())
        self.edit, self.read, self.put = edit, read, put
        self.memo = WeightsMemo(read())

    def redo(self) -> None:
        if self.memo.after is not None:
            self.put(self.memo.after)
        self.edit.redo()

    def undo(self) -> None:
        self.memo.after = self.read() or self.memo.after
        if self.memo.before is not None:
            self.put(self.memo.before)
        self.edit.undo()

    def id(self) -> int:
        return self.edit.id()

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        """A merged edit keeps the weights from before the first of its parts."""
        if not isinstance(other, KeepWeightsCommand) or not self.edit.mergeWith(other.edit):
            return False
        self.setText(self.edit.text())
        return True
