"""Copy and paste of part of a graph, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from laegna_gui.core.graph import Graph
from laegna_gui.core.project_schema import read_graph


@dataclass(frozen=True)
class PastePlan:
    """New nodes (id, type, params, pos) and wires among them, ready to be added."""

    nodes: list[tuple[str, str, dict[str, Any], tuple[float, float]]]
    edges: list[tuple[str, str]]


def extract(graph: Graph, node_ids: list[str]) -> dict[str, Any]:
    """The chosen nodes and the wires between them, as project-file data."""
    chosen = [n for n in graph.nodes if n in set(node_ids)]
    return {"nodes": [graph.node(n).to_dict() for n in chosen],
            "edges": [list(e) for e in graph.edges if e[0] in chosen and e[1] in chosen]}


def plan_paste(graph: Graph, fragment: Any, offset: tuple[float, float]) -> PastePlan:
    """Fresh ids for pasted nodes, shifted by `offset`. Raises ProjectFileError on bad data,
    GraphError when the network has no room for it."""
    pasted = read_graph(fragment if isinstance(fragment, dict) else {})
    graph.check_room(nodes=len(pasted.nodes), edges=len(pasted.edges))
    taken = set(graph.nodes)
    renamed: dict[str, str] = {}
    nodes = []
    for node in pasted.nodes.values():
        i = 1
        while f"{node.type}{i}" in taken:
            i += 1
        new_id = f"{node.type}{i}"
        taken.add(new_id)
        renamed[node.id] = new_id
        nodes.append((new_id, node.type, dict(node.params), (node.pos[0] + offset[0], node.pos[1] + offset[1])))
    edges = [(renamed[s], renamed[d]) for s, d in pasted.edges]
    return PastePlan(nodes, edges)
