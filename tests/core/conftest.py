"""Shared builders for the core tests."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.graph import Graph
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.weights import expected_shapes


class Recorder:
    """Subscribes to every event of a graph and records (event name, payload)."""

    def __init__(self, graph: Graph) -> None:
        self.calls: list[tuple[str, object]] = []
        for event in graph.events.all():
            event.connect(lambda payload, name=event.name: self.calls.append((name, payload)))

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def clear(self) -> None:
        self.calls.clear()


def chain(graph: Graph, *node_ids: str) -> None:
    """Wire the given nodes one after the other."""
    for src, dst in zip(node_ids, node_ids[1:]):
        graph.add_edge(src, dst)


def build_xor_graph() -> Graph:
    """input → dense 4 → tanh → dense 1 → output, with distinct positions."""
    graph = Graph()
    graph.add_node("input", pos=(0, 0))
    graph.add_node("dense", {"units": 4}, pos=(100, 10))
    graph.add_node("activation", {"function": "tanh"}, pos=(200, 20.5))
    graph.add_node("dense", {"units": 1}, pos=(300, -30))
    graph.add_node("output", pos=(400, 0))
    chain(graph, "input1", "dense1", "activation1", "dense2", "output1")
    return graph


def build_xor_project(with_weights: bool = True, seed: int = 7) -> Project:
    graph = build_xor_graph()
    dataset = DatasetSettings(name="xor", samples=64, noise=0.05, test_fraction=0.25)
    training = TrainingSettings(loss="mse", optimizer="adam", learning_rate=0.01, batch_size=8)
    project = Project(graph, dataset, training, seed=seed, name="xor demo", description="a test")
    if with_weights:
        rng = np.random.default_rng(seed)
        shapes = expected_shapes(graph, project.analyse())
        project.weights = {name: rng.normal(size=shape).astype(np.float32) for name, shape in shapes.items()}
    return project


@pytest.fixture
def xor_graph() -> Graph:
    return build_xor_graph()


@pytest.fixture
def xor_project() -> Project:
    return build_xor_project()


@pytest.fixture
def record():
    """`record(graph)` starts recording that graph's events."""
    return Recorder


@pytest.fixture
def wire():
    """`wire(graph, a, b, c)` adds the edges a→b→c."""
    return chain


@pytest.fixture(scope="session")
def xor_data() -> dict:
    """The plain (JSON-ready) data of the xor project. Shared: deep-copy before changing it."""
    from laegna_gui.core.project_file import project_to_data
    return project_to_data(build_xor_project())
