"""Graph builders shared by the engine tests and the export tests (a plain module: conftest
files are not meant to be imported)."""

from __future__ import annotations

from laegna_gui.core.graph import Graph


def sequential(*layers: tuple[str, dict], features: tuple[str, ...] = ("x1", "x2")) -> Graph:
    """input → layers… → output, with ids made from the type (dense1, activation1, …)."""
    graph = Graph()
    ids = [graph.add_node("input", {"features": list(features)}).id]
    for type_name, params in layers:
        ids.append(graph.add_node(type_name, params).id)
    ids.append(graph.add_node("output").id)
    for src, dst in zip(ids, ids[1:]):
        graph.add_edge(src, dst)
    return graph


def dense(units: int, **params) -> tuple[str, dict]:
    return "dense", {"units": units, **params}


def act(function: str, **params) -> tuple[str, dict]:
    return "activation", {"function": function, **params}
