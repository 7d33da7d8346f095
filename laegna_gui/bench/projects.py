"""What `laegna-gui bench` measures: one `BenchTarget` per row (no Qt, no torch here)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from laegna_gui.core.graph import Graph
from laegna_gui.core.presets import load_preset, open_target, preset_names
from laegna_gui.core.project import Project

SHAPES = {"4_2": (4, 2), "8_8_8": (8, 8, 8)}  # the circle rows behind the top-level keys
SCALE_HIDDEN = (128, 128, 128)
SCALE_SAMPLES = 50_000
SCALE_LABEL = "[128,128,128] on 50,000 points"


@dataclass(frozen=True)
class BenchTarget:
    """A row to measure. `kind`: "circle" (the [4, 2] / [8, 8, 8] comparison rows), "preset",
    "file" (a project file named on the command line) or "scale" (the wide network)."""

    label: str
    project: Project
    kind: str


def circle_label(hidden: tuple[int, ...]) -> str:
    return "circle [" + ",".join(map(str, hidden)) + "]"


def bench_project(hidden: tuple[int, ...]) -> Project:
    """The circle preset (TensorFlow Playground's default) with these tanh hidden layers,
    output dense 1 + tanh; data, loss (mse), optimizer (sgd 0.03) and batch 10 unchanged."""
    base = load_preset("circle")
    inputs = base.graph.nodes_of_type("input")[0]
    graph = Graph()
    previous = graph.add_node("input", dict(inputs.params), (0.0, 0.0)).id
    chain: list[tuple[str, dict]] = []
    for units in (*hidden, 1):
        chain += [("dense", {"units": units}), ("activation", {"function": "tanh"})]
    for i, (kind, params) in enumerate([*chain, ("output", {})], start=1):
        node = graph.add_node(kind, params, (i * 200.0, 0.0))
        graph.add_edge(previous, node.id)
        previous = node.id
    project = base.copy()
    project.graph, project.weights = graph, None
    project.name = "bench " + "-".join(map(str, hidden))
    return project


def scale_project() -> Project:
    """[128, 128, 128] tanh on 50,000 circle points (half of them for training, as in the
    preset), Adam at its usual 0.001, batch 10: where a compiled loop has the least edge."""
    project = bench_project(SCALE_HIDDEN)
    project.dataset = replace(project.dataset, samples=SCALE_SAMPLES)
    project.training = replace(project.training, optimizer="adam", learning_rate=0.001)
    project.name = "bench scale"
    return project


def bench_targets(names: list[str] | None = None) -> list[BenchTarget]:
    """The rows, in order: the two circle networks, every shipped preset (or, when `names`
    are given, those project files and presets instead), then the scale row. A bad name
    raises a LaegnaError before anything is measured."""
    chosen = [_named_target(name) for name in dict.fromkeys(names)] if names else [
        BenchTarget(name, load_preset(name), "preset") for name in preset_names()]
    circles = [BenchTarget(circle_label(hidden), bench_project(hidden), "circle") for hidden in SHAPES.values()]
    return [*circles, *chosen, BenchTarget(SCALE_LABEL, scale_project(), "scale")]


def _named_target(name: str) -> BenchTarget:
    from laegna_gui.engine.trainer import Trainer

    path = Path(name)
    kind = "file" if path.suffix == ".laegna" or path.exists() else "preset"  # as open_target decides
    project = open_target(name)
    Trainer(project)  # an untrainable network (bad graph, data, memory) is a usage error now
    return BenchTarget(name, project, kind)


def circle_target(targets: list[BenchTarget], suffix: str) -> BenchTarget:
    label = circle_label(SHAPES[suffix])
    return next(t for t in targets if t.label == label)


def max_width(project: Project) -> int:
    """The widest dense layer (units); 0 without one."""
    return max((n.params["units"] for n in project.graph.nodes_of_type("dense")), default=0)
