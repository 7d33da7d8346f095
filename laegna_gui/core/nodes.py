"""The node types a network can be built from, and what each one needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from laegna_gui.core.errors import ParameterError, UnknownNodeError
from laegna_gui.core.limits import MAX_UNITS
from laegna_gui.core.params import Param

RAW_FEATURES = ("x1", "x2")
DERIVED_FEATURES = ("x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2")
# how each input feature is written for people (canvas, inspector, formula)
FEATURE_TITLES = {"x1": "x1", "x2": "x2", "x1^2": "x1²", "x2^2": "x2²", "x1*x2": "x1·x2",
                  "sin_x1": "sin x1", "sin_x2": "sin x2"}
ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh", "softmax", "linear", "step")
INITS = ("xavier", "he", "normal", "zeros", "playground")


@dataclass(frozen=True)
class NodeType:
    """A kind of node: its parameters, how many wires it takes, and a label maker."""

    name: str
    title: str
    group: str
    help: str
    params: tuple[Param, ...] = ()
    min_inputs: int = 1
    max_inputs: int | None = 1
    has_output: bool = True
    label: Callable[[dict[str, Any]], str] = field(default=lambda p: "")

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def check_params(self, params: dict[str, Any], where: str) -> dict[str, Any]:
        """Return a complete, normalised parameter dict or raise ParameterError."""
        known = {p.name: p for p in self.params}
        for key in params:
            if key not in known:
                raise ParameterError(f"{where}: {self.title} has no parameter {key!r}")
        merged = self.defaults() | params
        return {name: known[name].check(value, f"{where}.{name}") for name, value in merged.items()}

    def describe(self, params: dict[str, Any]) -> str:
        """Short text for the canvas, e.g. 'Dense 4' or 'tanh'."""
        return self.label(params) or self.title


def _activation_label(p: dict[str, Any]) -> str:
    if p["function"] == "leaky_relu":
        return f"leaky ReLU {p['slope']:g}"
    return p["function"]


NODE_TYPES: dict[str, NodeType] = {
    t.name: t
    for t in (
        NodeType(
            "input", "Input", "Data",
            "The dataset's features enter the network here.",
            (Param("features", "multi", RAW_FEATURES,
                   "Which features feed the network; derived ones (x1², sin x1…) exist for 2-D data.",
                   choices=RAW_FEATURES + DERIVED_FEATURES),),
            # how many values enter depends on the data too (1-D and 3-D data ignore the
            # features), so the label names no count: the canvas shows the true width
            min_inputs=0, max_inputs=0, label=lambda p: "Input",
        ),
        NodeType(
            "dense", "Dense", "Layers",
            "A fully connected layer: every output is a weighted sum of all inputs plus a bias.",
            (Param("units", "int", 4, "How many neurons (outputs) the layer has.", 1, MAX_UNITS),
             Param("bias", "bool", True, "A bias shifts each neuron's sum, like the intercept b in y = m·x + b."),
             Param("init", "choice", "xavier",
                   "How the weights start before training. xavier: uniform, narrower for wider layers "
                   "(suits tanh and sigmoid); he: wider, for ReLU; normal: spread 0.5; zeros: all 0, so "
                   "the neurons stay alike; playground: uniform in −0.5…0.5 with biases 0.1, as "
                   "TensorFlow Playground starts. Biases start at 0 otherwise.", choices=INITS)),
            label=lambda p: f"Dense {p['units']}",
        ),
        NodeType(
            "activation", "Activation", "Activations",
            "Bends the signal with a non-linear function; without it, layers collapse to one linear map.",
            (Param("function", "choice", "tanh", "The function applied to each value.", choices=ACTIVATIONS),
             Param("slope", "float", 0.01, "Slope of leaky ReLU below zero.", 0.0, 1.0)),
            label=_activation_label,
        ),
        NodeType(
            "batch_norm", "Batch norm", "Layers",
            "Rescales each feature over the batch to mean 0 and spread 1, then learns a scale and shift.",
            label=lambda p: "BatchNorm",
        ),
        NodeType(
            "dropout", "Dropout", "Layers",
            "During training, zeroes each value with probability p so no neuron relies on another.",
            (Param("p", "float", 0.2, "The probability that a value is dropped while training.", 0.0, 0.95),),
            label=lambda p: f"Dropout {p['p']:g}",
        ),
        NodeType(
            "add", "Add", "Merge",
            "Adds its inputs element by element — the shortcut of a residual connection.",
            min_inputs=2, max_inputs=None, label=lambda p: "Add",
        ),
        NodeType(
            "concat", "Concat", "Merge",
            "Puts its inputs side by side into one longer vector.",
            min_inputs=2, max_inputs=None, label=lambda p: "Concat",
        ),
        NodeType(
            "output", "Output", "Data",
            "The network's prediction leaves here and is compared with the target by the loss.",
            has_output=False, label=lambda p: "Output",
        ),
    )
}


def node_type(name: str) -> NodeType:
    try:
        return NODE_TYPES[name]
    except KeyError:
        raise UnknownNodeError(f"unknown node type {name!r}; use one of {', '.join(NODE_TYPES)}") from None
