"""Torch modules for the node types that torch does not have as such."""

from __future__ import annotations

import torch
from torch import nn

from laegna_gui.core.graph import Node
from laegna_gui.engine.compiled.schedule import dropout_keep

_FEATURES = {
    "x1": lambda x: x[:, 0],
    "x2": lambda x: x[:, 1],
    "x1^2": lambda x: x[:, 0] ** 2,
    "x2^2": lambda x: x[:, 1] ** 2,
    "x1*x2": lambda x: x[:, 0] * x[:, 1],
    "sin_x1": lambda x: torch.sin(x[:, 0]),
    "sin_x2": lambda x: torch.sin(x[:, 1]),
}


class InputFeatures(nn.Module):
    """Turns raw 2-D points into the chosen features (x1, x2, x1², sin x1 …)."""

    def __init__(self, features: tuple[str, ...], n_inputs: int) -> None:
        super().__init__()
        self.features = features if n_inputs == 2 else ()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.features or self.features == ("x1", "x2"):
            return x
        return torch.stack([_FEATURES[f](x) for f in self.features], dim=1)


class _StepFunction(torch.autograd.Function):
    """Heaviside step. Its true slope is 0 everywhere (so nothing could learn); backward
    uses the straight-through estimate — slope 1 for |x| ≤ 1 — as perceptron learning does."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)


class SeededDropout(nn.Module):
    """Dropout whose mask is a pure function of (seed, training step, node): the same
    values are dropped in both engines and in the exported script (`schedule.dropout_keep`).
    The network sets `seed`, `salt` (the node's place in training order) and, before each
    training iteration, `step`."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p, self.seed, self.salt, self.step = float(p), 0, 0, 0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p <= 0:
            return x
        keep = dropout_keep(self.seed, self.step, self.salt, x.shape[0], x.shape[1], self.p)
        scale = torch.tensor(1.0 / (1.0 - self.p), dtype=x.dtype)
        return x * (torch.from_numpy(keep).to(x.dtype) * scale)


class Step(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _StepFunction.apply(x)


def activation_module(function: str, slope: float) -> nn.Module:
    return {
        "relu": nn.ReLU,
        "leaky_relu": lambda: nn.LeakyReLU(slope),
        "sigmoid": nn.Sigmoid,
        "tanh": nn.Tanh,
        "softmax": lambda: nn.Softmax(dim=1),
        "linear": nn.Identity,
        "step": Step,
    }[function]()


def init_dense(layer: nn.Linear, init: str, generator: torch.Generator) -> None:
    """The weights drawn from `generator` (in this order, so the exported script draws the
    same); biases 0, or 0.1 for "playground" (TensorFlow Playground's nn.ts)."""
    with torch.no_grad():
        if init == "xavier":
            nn.init.xavier_uniform_(layer.weight, generator=generator)
        elif init == "he":
            nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu", generator=generator)
        elif init == "normal":
            nn.init.normal_(layer.weight, 0.0, 0.5, generator=generator)
        elif init == "playground":
            nn.init.uniform_(layer.weight, -0.5, 0.5, generator=generator)
        else:
            nn.init.zeros_(layer.weight)
        if layer.bias is not None:
            nn.init.constant_(layer.bias, 0.1 if init == "playground" else 0.0)


def build_layer(node: Node, in_width: int, width: int, n_inputs: int,
                generator: torch.Generator) -> nn.Module | None:
    """The torch module for one node, or None for merge/output nodes handled by the graph."""
    p = node.params
    if node.type == "input":
        return InputFeatures(tuple(p["features"]), n_inputs)
    if node.type == "dense":
        layer = nn.Linear(in_width, width, bias=p["bias"])
        init_dense(layer, p["init"], generator)
        return layer
    if node.type == "activation":
        return activation_module(p["function"], p["slope"])
    if node.type == "batch_norm":
        return nn.BatchNorm1d(width)
    if node.type == "dropout":
        return SeededDropout(p["p"])
    return None
