"""Shared builders for the engine tests: graphs, projects and trainers."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.errors import TrainingDiverged
from laegna_gui.core.graph import Graph
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.trainer import Trainer

from graph_builders import act, dense, sequential  # noqa: F401  (tests get them through the builders fixture)


def build_graph(nodes: dict[str, tuple[str, dict]], *chains: str) -> Graph:
    """nodes: {id: (type, params)}; chains: wiring like 'input1>dense1>output1'."""
    graph = Graph()
    for node_id, (type_name, params) in nodes.items():
        graph.add_node(type_name, params, node_id=node_id)
    for path in chains:
        names = path.split(">")
        for src, dst in zip(names, names[1:]):
            graph.add_edge(src, dst)
    return graph


def make_project(graph: Graph, dataset: DatasetSettings | str = "xor", seed: int = 0,
                 **training) -> Project:
    """A project on a generated dataset; `training` overrides TrainingSettings fields."""
    if isinstance(dataset, str):
        dataset = DatasetSettings(name=dataset, samples=200, noise=0.15, test_fraction=0.5)
    return Project(graph, dataset, TrainingSettings(**training), seed=seed)


def preset(name: str, seed: int | None = None, **training) -> Project:
    """A shipped preset with some training settings replaced."""
    project = load_preset(name)
    if seed is not None:
        project = replace(project, seed=seed, weights=None)
    return replace(project, training=replace(project.training, **training))


def trainer_for(name_or_project: str | Project, **training) -> Trainer:
    if isinstance(name_or_project, str):
        return Trainer(preset(name_or_project, **training))
    project = name_or_project
    return Trainer(replace(project, training=replace(project.training, **training)))


def grad_norm(gradients: dict[str, np.ndarray]) -> float:
    return math.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in gradients.values()))


def record_batches(trainer: Trainer) -> list:
    """Make `trainer` remember every mini-batch it draws; returns the (growing) list."""
    seen = []
    original = trainer.next_batch
    trainer.next_batch = lambda: seen.append(original()) or seen[-1]
    return seen


def diverge(trainer: Trainer, limit: int = 500):
    """Step until TrainingDiverged; return (error, weights copied just before the failing step)."""
    for good in range(limit):
        before = {k: v.copy() for k, v in trainer.weights().items()}
        try:
            trainer.run(1)
        except TrainingDiverged as exc:
            assert trainer.step_count == good  # the failed step does not count
            return exc, before
    pytest.fail("training did not diverge")


PLAIN_SGD = dict(optimizer="sgd", regularization="none", reg_rate=0.0, clip=False)


@pytest.fixture
def builders():
    """The builder functions, for tests that want them without importing conftest."""
    class Builders:
        graph = staticmethod(build_graph)
        sequential = staticmethod(sequential)
        dense = staticmethod(dense)
        act = staticmethod(act)
        project = staticmethod(make_project)
        preset = staticmethod(preset)
        trainer = staticmethod(trainer_for)
        grad_norm = staticmethod(grad_norm)
        record_batches = staticmethod(record_batches)
        diverge = staticmethod(diverge)
        plain_sgd = PLAIN_SGD
    return Builders


@pytest.fixture
def xor_trainer() -> Trainer:
    """The xor preset (100 training points) with plain SGD, batches of 10."""
    return trainer_for("xor", learning_rate=0.05, batch_size=10, **PLAIN_SGD)


@pytest.fixture
def bn_dropout_graph() -> Graph:
    """input → dense 8 → batch norm → relu → dropout 0.5 → dense 1 → sigmoid → output."""
    return sequential(dense(8), ("batch_norm", {}), act("relu"), ("dropout", {"p": 0.5}),
                      dense(1), act("sigmoid"))
