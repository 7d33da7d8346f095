"""Networks too big for this computer are refused before training, with the estimate."""

from __future__ import annotations

from dataclasses import replace

import pytest

from laegna_gui.core.datasets import DatasetSettings, dataset_spec
from laegna_gui.core.graph import Graph
from laegna_gui.core.memory import (ENGINE_ROWS, SNAPSHOT_COPIES, NetworkTooBigError, check_memory, dataset_size,
                                    default_limit, estimate)
from laegna_gui.core.project import Project
from laegna_gui.core.presets import load_preset
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.validate import analyse


def wide_graph(layers: int, units: int) -> Graph:
    graph = Graph()
    previous = graph.add_node("input", {"features": ["x1", "x2"]}, (0.0, 0.0)).id
    chain = [("dense", {"units": units}), ("activation", {"function": "relu"})] * layers
    chain += [("dense", {"units": 1}), ("activation", {"function": "sigmoid"}), ("output", {})]
    for i, (kind, params) in enumerate(chain, start=1):
        node = graph.add_node(kind, params, (100.0 * i, 0.0)).id
        graph.add_edge(previous, node)
        previous = node
    return graph


CIRCLE = DatasetSettings(name="circle", samples=100_000)


def test_estimate_counts_the_training_state_rows_snapshots_and_activations():
    graph = wide_graph(2, 8)
    analysis = analyse(graph, dataset_spec(CIRCLE))
    sgd, adam = TrainingSettings(optimizer="sgd"), TrainingSettings(optimizer="adam")
    small, large = estimate(analysis, 200, sgd), estimate(analysis, 20_000, sgd)
    assert small.parameters == large.parameters and large.activations > small.activations
    # both engines share flat rows per parameter (weights, gradients, two optimizer moments
    # whatever the optimizer, scratch, kept gradients) and the snapshots hold copies
    assert estimate(analysis, 200, adam).parameters == small.parameters
    assert small.parameters == (ENGINE_ROWS + SNAPSHOT_COPIES) * 4 * analysis.total_params
    from laegna_gui.engine.trainer import Trainer

    trainer = Trainer(Project(graph, replace(CIRCLE, samples=200), sgd))
    assert trainer.flat.rows.shape[0] == ENGINE_ROWS  # what the estimate counts is what the engine keeps
    # every value a point produces is counted once per evaluated point
    per_point = 4 * sum(analysis.widths.values())
    assert large.activations - small.activations == per_point * (20_000 - 200)


def test_a_huge_network_on_many_points_is_refused_with_the_estimate():
    # within the parameter limit (1.9 million), but 21,600 values per point on 100,000 points
    analysis = analyse(wide_graph(60, 180), dataset_spec(CIRCLE))
    with pytest.raises(NetworkTooBigError) as caught:
        check_memory(analysis, 100_000, TrainingSettings(optimizer="adam"))
    message = str(caught.value)
    assert "needs about" in message and "GB" in message and "the limit here is" in message
    assert "fewer or narrower layers" in message
    needed = estimate(analysis, 100_000, TrainingSettings(optimizer="adam")).total
    assert needed > default_limit()  # refused on any computer: the limit is at most 8 GiB


@pytest.mark.parametrize("name", ["xor", "spiral", "spiral3", "overfit", "affine3d"])
def test_every_preset_fits_easily(name):
    project = load_preset(name)
    analysis = analyse(project.graph, dataset_spec(project.dataset))
    check_memory(analysis, dataset_size(project.dataset), project.training, limit=64 * 2**20)


def test_the_limit_can_be_set_in_the_environment(monkeypatch):
    monkeypatch.setenv("LAEGNA_MEMORY_LIMIT_MB", "3")
    assert default_limit() == 3 * 2**20
    project = load_preset("xor")
    analysis = analyse(wide_graph(3, 256), dataset_spec(project.dataset))
    with pytest.raises(NetworkTooBigError, match="the limit here is 3.0 MB"):
        check_memory(analysis, 1000, project.training)
    monkeypatch.setenv("LAEGNA_MEMORY_LIMIT_MB", "not a number")
    assert default_limit() >= 2**30 or default_limit() > 3 * 2**20


def test_dataset_size_of_generated_and_custom_data():
    assert dataset_size(DatasetSettings(name="xor", samples=321)) == 321
    custom = replace(DatasetSettings(), name="custom", points={"x": [[0, 0]] * 7, "y": [0] * 7})
    assert dataset_size(custom) == 7
