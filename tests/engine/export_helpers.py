"""Helpers for the export tests: write an exported script, import it, run its main()."""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from pathlib import Path

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.graph import Graph
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.export_script import pytorch_script

from graph_builders import act, dense, sequential  # noqa: F401  (the export tests import them from here)

_counter = itertools.count()


def write_script(project: Project, steps: int, folder: Path, name: str = "exported.py") -> Path:
    path = folder / name
    path.write_text(pytorch_script(project, steps, name), encoding="utf-8")
    return path


def import_script(path: Path):
    """The script as a module (its main() does not run: it is guarded by __name__)."""
    spec = importlib.util.spec_from_file_location(f"exported_script_{next(_counter)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_main(module, monkeypatch, capsys, *args: str) -> dict:
    """Call the script's main() with these command-line arguments; its last line, parsed."""
    monkeypatch.setattr(sys, "argv", ["exported.py", *args])
    module.main()
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def merge_graph(ids: dict[str, str] | None = None) -> Graph:
    """A free-form graph with every kind of node: derived features, dense (he/normal/no bias),
    batch norm, leaky ReLU, dropout, a linear activation, a residual Add, a Concat with the
    input, softmax. `ids` renames nodes (to try awkward names)."""
    ids = ids or {}
    n = {key: ids.get(key, key) for key in ("input1", "dense1", "bn1", "act1", "drop1", "dense2", "lin1",
                                            "add1", "cat1", "dense3", "soft1", "output1")}
    graph = Graph()
    graph.add_node("input", {"features": ["x1", "x2", "x1*x2", "sin_x1", "x2^2"]}, node_id=n["input1"])
    graph.add_node("dense", {"units": 6, "init": "he"}, node_id=n["dense1"])
    graph.add_node("batch_norm", {}, node_id=n["bn1"])
    graph.add_node("activation", {"function": "leaky_relu", "slope": 0.05}, node_id=n["act1"])
    graph.add_node("dropout", {"p": 0.3}, node_id=n["drop1"])
    graph.add_node("dense", {"units": 6, "bias": False, "init": "normal"}, node_id=n["dense2"])
    graph.add_node("activation", {"function": "linear"}, node_id=n["lin1"])
    graph.add_node("add", {}, node_id=n["add1"])
    graph.add_node("concat", {}, node_id=n["cat1"])
    graph.add_node("dense", {"units": 3}, node_id=n["dense3"])
    graph.add_node("activation", {"function": "softmax"}, node_id=n["soft1"])
    graph.add_node("output", {}, node_id=n["output1"])
    chain = ["input1", "dense1", "bn1", "act1", "drop1", "dense2", "lin1", "add1", "cat1", "dense3", "soft1",
             "output1"]
    for src, dst in [*zip(chain, chain[1:]), ("dense1", "add1"), ("input1", "cat1")]:
        graph.add_edge(n[src], n[dst])
    return graph


def make_project(graph: Graph, dataset: DatasetSettings | str, seed: int = 0, **training) -> Project:
    if isinstance(dataset, str):
        dataset = DatasetSettings(dataset, 120, 0.1, 0.3)
    return Project(graph, dataset, TrainingSettings(**training), seed=seed)
