"""Automatic left-to-right layout of a graph (pure geometry; positions are plain tuples)."""

from __future__ import annotations

from laegna_gui.core.graph import Graph

X_GAP = 180.0  # column to column: a 130-wide card and room for the wires between
Y_GAP = 40.0


def _layers(graph: Graph) -> dict[str, int]:
    """Each node's column: the length of the longest path that reaches it."""
    column: dict[str, int] = {}
    for node_id in graph.topological_order():
        sources = graph.inputs_of(node_id)
        column[node_id] = max((column[s] + 1 for s in sources), default=0)
    return column


def _columns(graph: Graph) -> list[list[str]]:
    column = _layers(graph)
    columns: list[list[str]] = [[] for _ in range(max(column.values(), default=-1) + 1)]
    for node_id in graph.nodes:  # insertion order keeps ties stable
        columns[column[node_id]].append(node_id)
    rank: dict[str, float] = {}
    for nodes in columns:
        def barycentre(n: str) -> float:
            sources = graph.inputs_of(n)
            return sum(rank[s] for s in sources) / len(sources) if sources else rank.get(n, 0.0)
        nodes.sort(key=barycentre)
        rank.update({n: float(i) for i, n in enumerate(nodes)})
    return columns


def layered_layout(graph: Graph, heights: dict[str, float] | None = None,
                   x_gap: float = X_GAP, y_gap: float = Y_GAP) -> dict[str, tuple[float, float]]:
    """Node positions (a node's `pos` is its centre on the canvas, where its ports sit):
    one column per depth, each column centred on y = 0, so a chain lies on one line.

    `heights` (drawn node heights) keeps nodes of one column from overlapping."""
    heights = heights or {}
    positions: dict[str, tuple[float, float]] = {}
    for x_index, nodes in enumerate(_columns(graph)):
        sizes = [heights.get(n, 60.0) for n in nodes]
        total = sum(sizes) + y_gap * (len(nodes) - 1)
        y = -total / 2
        for node_id, size in zip(nodes, sizes):
            positions[node_id] = (x_index * x_gap, y + size / 2)
            y += size + y_gap
    return positions
