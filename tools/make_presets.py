"""Regenerate resources/presets/*.laegna from the recipes below.

Run `python tools/make_presets.py` after changing a recipe; the JSON files are committed.
"""

from __future__ import annotations

from pathlib import Path

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.graph import Graph
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import save_project
from laegna_gui.core.training_settings import TrainingSettings

OUT = Path(__file__).resolve().parent.parent / "resources" / "presets"
SPACING = 200.0


def chain(*layers: tuple[str, dict]) -> Graph:
    """input → layers… → output, laid out left to right."""
    graph = Graph()
    previous = graph.add_node("input", layers[0][1] if layers[0][0] == "input" else {}, (0.0, 0.0)).id
    body = layers[1:] if layers[0][0] == "input" else layers
    for i, (kind, params) in enumerate([*body, ("output", {})], start=1):
        node = graph.add_node(kind, params, (i * SPACING, 0.0))
        graph.add_edge(previous, node.id)
        previous = node.id
    return graph


def dense(units: int, **extra) -> tuple[str, dict]:
    return ("dense", {"units": units, **extra})


def act(function: str) -> tuple[str, dict]:
    return ("activation", {"function": function})


RECIPES = {
    "xor": dict(
        title="XOR",
        description="Exclusive or: class 1 when exactly one input is on. No straight line separates "
                    "the classes, so the network needs a hidden layer — watch it bend the boundary.",
        graph=chain(dense(4), act("tanh"), dense(1), act("sigmoid")),
        dataset=DatasetSettings("xor", 200, 0.15, 0.5, {"variant": "cloud"}),
        training=TrainingSettings(loss="bce", optimizer="adam", learning_rate=0.03, batch_size=10),
    ),
    "perceptron-xor": dict(
        title="Perceptron on XOR",
        description="Rosenblatt's perceptron — one neuron with a step threshold — draws a single straight "
                    "line. It can never separate XOR (at best 3 of 4 corners): the lesson that stalled "
                    "the field. Add a hidden layer to fix it.",
        graph=chain(dense(1), act("step")),
        dataset=DatasetSettings("xor", 4, 0.0, 0.0, {"variant": "corners"}),
        training=TrainingSettings(loss="mse", optimizer="sgd", learning_rate=0.1, batch_size=1),
    ),
    "and": dict(
        title="AND",
        description="Logical AND on the four corners of the truth table. One neuron is enough: a single "
                    "line separates (1, 1) from the rest.",
        graph=chain(dense(1), act("sigmoid")),
        dataset=DatasetSettings("and", 4, 0.0, 0.0, {"variant": "corners"}),
        training=TrainingSettings(loss="bce", optimizer="sgd", learning_rate=1.0, batch_size=0),
    ),
    "or": dict(
        title="OR",
        description="Logical OR on the four corners of the truth table. One neuron is enough: a single "
                    "line separates (0, 0) from the rest.",
        graph=chain(dense(1), act("sigmoid")),
        dataset=DatasetSettings("or", 4, 0.0, 0.0, {"variant": "corners"}),
        training=TrainingSettings(loss="bce", optimizer="sgd", learning_rate=1.0, batch_size=0),
    ),
    "circle": dict(
        title="Circle",
        description="A disc inside a ring — TensorFlow Playground's default: hidden layers 4 and 2 with "
                    "tanh, squared error and plain SGD at learning rate 0.03, batch 10.",
        graph=chain(dense(4), act("tanh"), dense(2), act("tanh"), dense(1), act("tanh")),
        dataset=DatasetSettings("circle", 500, 0.0, 0.5),
        training=TrainingSettings(loss="mse", optimizer="sgd", learning_rate=0.03, batch_size=10),
    ),
    "spiral": dict(
        title="Spiral",
        description="Two interleaved spiral arms: a hard problem that needs depth and width. Try fewer "
                    "units, or tanh instead of ReLU, and watch it struggle.",
        graph=chain(dense(32), act("relu"), dense(32), act("relu"), dense(1), act("sigmoid")),
        dataset=DatasetSettings("spiral", 500, 0.02, 0.3),
        training=TrainingSettings(loss="bce", optimizer="adam", learning_rate=0.01, batch_size=16),
    ),
    "spiral3": dict(
        title="Three spirals",
        description="Three classes, one output unit per class: softmax turns the scores into "
                    "probabilities and categorical cross-entropy scores them.",
        graph=chain(dense(32), act("relu"), dense(32), act("relu"), dense(3), act("softmax")),
        dataset=DatasetSettings("spiral3", 600, 0.02, 0.3),
        training=TrainingSettings(loss="cross_entropy", optimizer="adam", learning_rate=0.01, batch_size=32),
    ),
    "sine": dict(
        title="Sine (regression)",
        description="Regression: fit y = sin(πx) from noisy samples. A fit is reached when the test "
                    "loss (mean squared error) falls near the noise level, below 0.02.",
        graph=chain(dense(16), act("tanh"), dense(16), act("tanh"), dense(1)),
        dataset=DatasetSettings("sine", 200, 0.05, 0.3),
        training=TrainingSettings(loss="mse", optimizer="adam", learning_rate=0.01, batch_size=10),
    ),
    "line": dict(
        title="Line (regression)",
        description="One neuron without activation is the line y = m·x + b: its weight learns the slope "
                    "(0.8) and its bias the intercept (0.3). A fit is reached when the test loss falls "
                    "to the noise level, below 0.005.",
        graph=chain(dense(1)),
        dataset=DatasetSettings("line", 100, 0.05, 0.3, {"slope": 0.8, "intercept": 0.3}),
        training=TrainingSettings(loss="mse", optimizer="sgd", learning_rate=0.1, batch_size=10),
    ),
    "affine3d": dict(
        title="Affine map in 3-D",
        description="A single 3→3 dense layer without activation is exactly an affine map W·x + b. "
                    "It learns the hidden rotation, scale, shear and shift between two point clouds.",
        graph=chain(dense(3)),
        dataset=DatasetSettings("affine3d", 300, 0.01, 0.3),
        training=TrainingSettings(loss="mse", optimizer="momentum", learning_rate=0.05, batch_size=10),
    ),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, recipe in RECIPES.items():
        project = Project(recipe["graph"], recipe["dataset"], recipe["training"], seed=0,
                          name=recipe["title"], description=recipe["description"])
        project.analyse()
        save_project(project, OUT / f"{name}.laegna")
        print("wrote", name)


if __name__ == "__main__":
    main()
