"""Regenerate resources/presets/*.laegna from the recipes below.

Run `python tools/make_presets.py` after changing a recipe; the JSON files are committed.
"""

from __future__ import annotations

from pathlib import Path

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.graph import Graph
from laegna_gui.core.layout import X_GAP
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import save_project
from laegna_gui.core.training_settings import TrainingSettings

OUT = Path(__file__).resolve().parent.parent / "resources" / "presets"


def chain(*layers: tuple[str, dict]) -> Graph:
    """input → layers… → output, laid out left to right as the automatic layout would."""
    graph = Graph()
    previous = graph.add_node("input", layers[0][1] if layers[0][0] == "input" else {}, (0.0, 0.0)).id
    body = layers[1:] if layers[0][0] == "input" else layers
    for i, (kind, params) in enumerate([*body, ("output", {})], start=1):
        node = graph.add_node(kind, params, (i * X_GAP, 0.0))
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
        description="A disc inside a ring — TensorFlow Playground's default, set up as the playground "
                    "sets it: its own circle data (500 points, half for testing), hidden layers 4 and 2 "
                    "with tanh, its weights U(-0.5, 0.5) with biases 0.1, its squared error ½(o - t)² "
                    "and plain SGD at learning rate 0.03, batch 10 — so the loss curve is the "
                    "playground's.",
        graph=chain(dense(4, init="playground"), act("tanh"), dense(2, init="playground"), act("tanh"),
                    dense(1, init="playground"), act("tanh")),
        dataset=DatasetSettings("circle", 500, 0.0, 0.5, {"variant": "playground"}),
        training=TrainingSettings(loss="half_mse", optimizer="sgd", learning_rate=0.03, batch_size=10),
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
    "dying-relu": dict(
        title="Dying ReLU",
        description="A learning rate that is far too high (3) knocks the ReLU units into the region "
                    "where their input is always negative. There they output 0 for every point and get no "
                    "gradient, so they never come back: within about 40 steps half the first layer's units "
                    "and every unit of the second are dead, nothing reaches the output, the boundary goes flat and the loss sticks near 0.69 (a coin toss). Fix it with a "
                    "lower rate (0.3 learns the circle), or swap ReLU for leaky ReLU at slope 0.1, which "
                    "keeps a small slope below zero so a unit can recover; at this rate it also needs "
                    "gradient clipping (norm 1) to stop each step overshooting.",
        graph=chain(dense(8), act("relu"), dense(8), act("relu"), dense(1), act("sigmoid")),
        dataset=DatasetSettings("circle", 200, 0.1, 0.5),
        training=TrainingSettings(loss="bce", optimizer="sgd", learning_rate=3.0, batch_size=10),
    ),
    "vanishing": dict(
        title="Vanishing gradients",
        description="Eight sigmoid layers in a row. The sigmoid's slope is at most 1/4, and backprop "
                    "multiplies one such slope per layer, so the first layer gets less than a ten-thousandth "
                    "of the gradient the last layer gets: the gradient view warns, "
                    "the early layers barely move and the network stays stuck at a coin toss. Swap the "
                    "hidden sigmoids for leaky ReLU (it then learns the circle in about 1500 steps) or use "
                    "fewer layers.",
        graph=chain(*[layer for _ in range(8) for layer in (dense(8), act("sigmoid"))],
                    dense(1), act("sigmoid")),
        dataset=DatasetSettings("circle", 200, 0.1, 0.5),
        training=TrainingSettings(loss="bce", optimizer="sgd", learning_rate=0.1, batch_size=10),
    ),
    "exploding": dict(
        title="Exploding gradients",
        description="Large starting weights (normal init) in three ReLU layers and a high learning rate. "
                    "Each update overshoots and makes the next gradient bigger: within a few steps the "
                    "gradient norm passes a thousand and training blows up (the loss becomes infinite). "
                    "Turn on gradient clipping in the training settings (norm 1 caps the length of every "
                    "gradient) and press Reset: the same network then fits the sine curve.",
        graph=chain(dense(16, init="normal"), act("relu"), dense(16, init="normal"), act("relu"),
                    dense(16, init="normal"), act("relu"), dense(1, init="normal")),
        dataset=DatasetSettings("sine", 200, 0.05, 0.3),
        training=TrainingSettings(loss="mse", optimizer="sgd", learning_rate=0.3, batch_size=10,
                                  clip=False, clip_norm=1.0),
    ),
    "overfit": dict(
        title="Overfitting",
        description="Only 30 noisy training points and a big network (two layers of 64 units). It soon "
                    "classifies every training point right and its training loss falls towards zero, "
                    "but it has learnt the noise: the test set — half the points, held back and never "
                    "trained on — shows the test loss rising and the test accuracy stuck near 70 %. "
                    "More points, a smaller network or L2 regularisation narrow the gap.",
        graph=chain(dense(64), act("relu"), dense(64), act("relu"), dense(1), act("sigmoid")),
        dataset=DatasetSettings("circle", 60, 0.25, 0.5),
        training=TrainingSettings(loss="bce", optimizer="adam", learning_rate=0.01, batch_size=0),
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
