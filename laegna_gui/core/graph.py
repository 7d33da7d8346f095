"""The network graph: nodes, directed edges and the events that announce every change.

The graph is the truth; canvases and engines follow it. Structural rules that hold
whatever the data (no self-loops, no cycles, no duplicate wires, wire counts) are
enforced here, on every edit; rules that need the data (shapes, losses) live in
`validate`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import Any

from laegna_gui.core.errors import (
    CycleError,
    DuplicateEdgeError,
    GraphError,
    IncomingEdgesError,
    UnknownNodeError,
)
from laegna_gui.core.events import EventGroup
from laegna_gui.core.limits import MAX_EDGES, MAX_NODES
from laegna_gui.core.nodes import node_type

Edge = tuple[str, str]
_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


@dataclass(frozen=True)
class Node:
    """One node. Immutable: an edit replaces it, so old copies stay valid for undo."""

    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] = (0.0, 0.0)

    @property
    def label(self) -> str:
        return node_type(self.type).describe(self.params)

    def to_dict(self) -> dict[str, Any]:
        params = {k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()}
        return {"id": self.id, "type": self.type, "params": params, "pos": list(self.pos)}


class Graph:
    """A directed acyclic graph of layers. Every mutation emits one event."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.events = EventGroup(
            "node_added", "node_removed", "node_changed", "node_moved", "edge_added", "edge_removed"
        )

    # --- queries -------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise UnknownNodeError(f"there is no node {node_id!r}", node_id) from None

    def inputs_of(self, node_id: str) -> list[str]:
        """Sources wired into `node_id`, in wiring order (which matters for concat)."""
        return [src for src, dst in self.edges if dst == node_id]

    def outputs_of(self, node_id: str) -> list[str]:
        return [dst for src, dst in self.edges if src == node_id]

    def nodes_of_type(self, type_name: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.type == type_name]

    def new_id(self, type_name: str) -> str:
        i = 1
        while f"{type_name}{i}" in self.nodes:
            i += 1
        return f"{type_name}{i}"

    def reaches(self, start: str, goal: str) -> bool:
        """True when a directed path leads from `start` to `goal`."""
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(self.outputs_of(current))
        return False

    def topological_order(self) -> list[str]:
        """Node ids so that every edge points forward; raises CycleError otherwise."""
        indegree = {n: 0 for n in self.nodes}
        for _, dst in self.edges:
            indegree[dst] += 1
        ready = [n for n, d in indegree.items() if d == 0]
        order: list[str] = []
        while ready:
            current = ready.pop(0)
            order.append(current)
            for dst in self.outputs_of(current):
                indegree[dst] -= 1
                if indegree[dst] == 0:
                    ready.append(dst)
        if len(order) != len(self.nodes):
            stuck = next(n for n in self.nodes if n not in order)
            raise CycleError("the wires form a loop; a feed-forward network must not feed back", stuck)
        return order

    # --- edits ---------------------------------------------------------------
    def add_node(self, type_name: str, params: dict[str, Any] | None = None,
                 pos: tuple[float, float] = (0.0, 0.0), node_id: str | None = None) -> Node:
        spec = node_type(type_name)
        node_id = node_id or self.new_id(type_name)
        if not _ID_PATTERN.fullmatch(node_id):
            raise GraphError(f"{node_id!r} is not a node name: use a letter, then letters, digits, _ or -")
        if node_id in self.nodes:
            raise GraphError(f"a node called {node_id!r} already exists", node_id)
        self.check_room(nodes=1)
        clean = spec.check_params(dict(params or {}), node_id)
        node = Node(node_id, type_name, clean, (float(pos[0]), float(pos[1])))
        self.nodes[node_id] = node
        self.events.node_added.emit(node)
        return node

    def check_room(self, nodes: int = 0, edges: int = 0) -> None:
        """Raise GraphError if adding this many nodes and wires would pass the limits that
        project files accept (so whatever is built can be saved and reopened)."""
        if len(self.nodes) + nodes > MAX_NODES:
            raise GraphError(f"a network holds at most {MAX_NODES} nodes; delete some before adding more")
        if len(self.edges) + edges > MAX_EDGES:
            raise GraphError(f"a network holds at most {MAX_EDGES} wires; remove some before adding more")

    def remove_node(self, node_id: str) -> tuple[Node, list[tuple[int, Edge]]]:
        """Remove a node and its wires. Returns both (with wire positions) for undo."""
        node = self.node(node_id)
        removed = [(i, e) for i, e in enumerate(self.edges) if node_id in e]
        for _, (src, dst) in reversed(removed):
            self.remove_edge(src, dst)
        del self.nodes[node_id]
        self.events.node_removed.emit(node)
        return node, removed

    def set_params(self, node_id: str, params: dict[str, Any]) -> Node:
        """Change some parameters of a node (others keep their values)."""
        old = self.node(node_id)
        clean = node_type(old.type).check_params(old.params | params, node_id)
        if clean == old.params:
            return old
        new = replace(old, params=clean)
        self.nodes[node_id] = new
        self.events.node_changed.emit(new)
        return new

    def move_node(self, node_id: str, pos: tuple[float, float]) -> Node:
        new = replace(self.node(node_id), pos=(float(pos[0]), float(pos[1])))
        self.nodes[node_id] = new
        self.events.node_moved.emit(new)
        return new

    def check_edge(self, src: str, dst: str) -> None:
        """Raise the GraphError that adding src→dst would cause, if any.

        When several rules refuse a wire, the most fundamental one is named: what the two
        ends are (a loop onto itself, the end of the network, its entrance), then the wires
        already there (the same wire, a loop back), then how many wires a node takes, and
        last the size of the whole network."""
        src_node, dst_node = self.node(src), self.node(dst)
        if src == dst:
            raise CycleError(f"a node cannot feed itself: wiring {src_node.label} to itself would make a loop", dst)
        if not node_type(src_node.type).has_output:
            raise IncomingEdgesError(f"{src_node.label} is the end of the network; nothing can follow it", src)
        limit = node_type(dst_node.type).max_inputs
        if limit == 0:
            raise IncomingEdgesError(f"{dst_node.label} is where data enters; it takes no incoming wire", dst)
        if (src, dst) in self.edges:
            raise DuplicateEdgeError(f"{src_node.label} is already wired to {dst_node.label}", dst)
        if self.reaches(dst, src):
            raise CycleError(f"wiring {src_node.label} → {dst_node.label} would make a loop: "
                             f"{dst_node.label} already leads to {src_node.label}", dst)
        if limit is not None and len(self.inputs_of(dst)) >= limit:
            raise IncomingEdgesError(
                f"{dst_node.label} takes only {limit} incoming wire; remove the old one first", dst)
        self.check_room(edges=1)

    def add_edge(self, src: str, dst: str, index: int | None = None) -> Edge:
        self.check_edge(src, dst)
        edge = (src, dst)
        self.edges.insert(len(self.edges) if index is None else index, edge)
        self.events.edge_added.emit(edge)
        return edge

    def remove_edge(self, src: str, dst: str) -> int:
        """Remove a wire; returns its position so undo can put it back in place."""
        index = self.edges.index((src, dst))
        del self.edges[index]
        self.events.edge_removed.emit((src, dst))
        return index

    # --- whole-graph ---------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"nodes": [n.to_dict() for n in self.nodes.values()],
                "edges": [list(e) for e in self.edges]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Graph":
        """Build from plain data already checked by the project loader."""
        graph = cls()
        for n in data["nodes"]:
            graph.add_node(n["type"], n.get("params", {}), tuple(n.get("pos", (0, 0))), n["id"])
        for src, dst in data["edges"]:
            graph.add_edge(src, dst)
        return graph

    def copy(self) -> "Graph":
        """A deep copy without the event subscribers."""
        clone = Graph()
        clone.nodes = {k: replace(v, params=copy.deepcopy(v.params)) for k, v in self.nodes.items()}
        clone.edges = list(self.edges)
        return clone

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Graph) and self.nodes == other.nodes and self.edges == other.edges

    __hash__ = None  # type: ignore[assignment]
