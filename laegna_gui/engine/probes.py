"""What the live views show, computed from the model in one vectorised pass.

Images are row-major (ny, nx): row 0 is the bottom of the input plane (y_min),
column 0 its left edge (x_min).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from laegna_gui.engine.network import GraphNetwork
from laegna_gui.engine.objective import Objective

BOUNDARY_GRID = 64
NEURON_GRID = 20
CURVE_POINTS = 200
EXPLODING_NORM = 1e3
VANISHING_RATIO = 1e-4
DEAD_CAUSE = 0.5  # dead ReLU units cause a vanishing gradient when half of a layer's are dead
SQUASH_CAUSE = 0.1  # …and the sigmoid/tanh layers do when their slopes together shrink it tenfold
SATURATED = 0.1  # a layer saturates when its mean slope is under a tenth of its steepest
MAX_SLOPE = {"sigmoid": 0.25, "tanh": 1.0}


@dataclass(frozen=True)
class Probes:
    """`boundary`: (ny, nx) P(class 1) for one output unit, or (ny, nx, K) class
    probabilities, or (ny, nx, k) raw outputs for 2-D regression.
    `neuron_maps`: node id -> (units, ny, nx) each unit's output over the plane (2-D data).
    `curve_x`/`curve_y`: 1-D inputs — the input samples and the network's outputs (n, k).
    `dead_fraction`: ReLU-type activation node -> fraction of units dead on the training set.
    `layer_gradient_norms`: node id -> norm of all that layer's parameter gradients.
    `gradient_warning`: a sentence when gradients explode or vanish, else ''."""

    extent: tuple[float, float, float, float]
    boundary: np.ndarray | None
    neuron_maps: dict[str, np.ndarray]
    curve_x: np.ndarray | None
    curve_y: np.ndarray | None
    dead_fraction: dict[str, float]
    layer_gradient_norms: dict[str, float]
    gradient_warning: str


def plane_extent(x: np.ndarray, margin: float = 0.15) -> tuple[float, float, float, float]:
    """A window around the first two input columns, with a margin (1-D data: y is 0…0)."""
    columns = np.concatenate([x[:, :2], np.zeros((len(x), max(0, 2 - x.shape[1])))], axis=1)
    lo, hi = columns.min(axis=0), columns.max(axis=0)
    pad = (hi - lo) * margin + 1e-3 * (hi > lo)
    return float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])


def plane_points(extent: tuple[float, float, float, float], n: int) -> np.ndarray:
    """(n*n, 2) points of a grid over the plane, row-major from the bottom-left."""
    xs = np.linspace(extent[0], extent[1], n, dtype=np.float32)
    ys = np.linspace(extent[2], extent[3], n, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array


@torch.no_grad()
def plane_probes(network: GraphNetwork, objective: Objective, extent, shown: set[str]):
    points = torch.as_tensor(plane_points(extent, BOUNDARY_GRID))
    output = network(points)
    if objective.classifies:
        values = objective.probability(output)
    else:
        values = output
    boundary = values.reshape(BOUNDARY_GRID, BOUNDARY_GRID, -1).numpy()
    if boundary.shape[2] == 1:
        boundary = boundary[:, :, 0]
    small = torch.as_tensor(plane_points(extent, NEURON_GRID))
    _, outputs = network(small, keep=True)
    maps = {node: out.T.reshape(-1, NEURON_GRID, NEURON_GRID).numpy() for node, out in outputs.items()
            if node in shown}
    return _frozen(boundary), {k: _frozen(v) for k, v in maps.items()}


@torch.no_grad()
def dead_fractions(network: GraphNetwork, x: torch.Tensor, relu_nodes: list[str]) -> dict[str, float]:
    """A unit is dead when its input is ≤ 0 for every training point: it outputs 0 (or
    the leaky slope's sliver) and passes back no useful gradient."""
    if not relu_nodes:
        return {}
    _, outputs = network(x, keep=True)
    return {node: float((outputs[node] <= 0).all(dim=0).float().mean()) for node in relu_nodes}


def layer_gradient_norms(gradients: dict[str, np.ndarray]) -> dict[str, float]:
    norms: dict[str, float] = {}
    for name, grad in gradients.items():
        node = name.split(".")[0]
        norms[node] = norms.get(node, 0.0) + float(np.sum(np.square(grad, dtype=np.float64)))
    return {node: float(np.sqrt(total)) for node, total in norms.items()}


def gradient_warning(norms: dict[str, float], order: list[str], trainer=None, points: torch.Tensor | None = None,
                     dead: dict[str, float] | None = None) -> str:
    """'exploding' when any layer's gradient is huge; 'vanishing' when the first layer
    gets a tiny fraction of what the last one gets. Given the trainer, the points the probes
    measured on and the dead fractions found there, a vanishing gradient's advice names its
    cause (`layer_activity`); without them it gives the advice for depth."""
    layered = [norms[n] for n in order if n in norms]
    if not layered:
        return ""
    if max(layered) > EXPLODING_NORM or not np.all(np.isfinite(layered)):
        return (f"Exploding gradients: a layer's gradient norm reached {max(layered):.3g}. "
                "Lower the learning rate or turn on gradient clipping.")
    if len(layered) > 1 and layered[-1] > 0 and layered[0] / layered[-1] < VANISHING_RATIO:
        activity = None if trainer is None else layer_activity(trainer, points, dead or {})
        return vanishing_advice(layered[0] / layered[-1], activity)
    return ""


@dataclass(frozen=True)
class LayerActivity:
    """What the hidden activations do on the data, the signs of a vanishing gradient's cause.

    `dead`/`relu_units`: ReLU-type units never active on the data, of how many; `leaky`:
    whether every ReLU layer is leaky already. `slopes`: hidden sigmoid and tanh nodes ->
    (function, their mean slope on the data), in graph order; the ones feeding the output
    are left out, as they scale every layer's gradient alike."""

    dead: int = 0
    relu_units: int = 0
    leaky: bool = False
    worst_dead_fraction: float = 0.0
    slopes: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def squash(self) -> float:
        """How much the squashing layers shrink a gradient passing back through them all."""
        return float(np.prod([slope for _, slope in self.slopes.values()]))


def layer_activity(trainer, points: torch.Tensor, dead: dict[str, float]) -> LayerActivity:
    """The trainer's network on `points` (eval mode, as the dead fractions were measured)."""
    graph, widths, order = trainer.graph, trainer.analysis.widths, list(trainer.analysis.order)
    functions = {n: graph.node(n).params["function"] for n in order if graph.node(n).type == "activation"}
    last_dense = max((i for i, n in enumerate(order) if graph.node(n).type == "dense"), default=-1)
    squashing = [n for n in order[:last_dense] if functions.get(n) in ("sigmoid", "tanh")]
    return LayerActivity(
        dead=sum(round(fraction * widths[n]) for n, fraction in dead.items()),
        relu_units=sum(widths[n] for n in dead),
        leaky=bool(dead) and all(functions[n] == "leaky_relu" for n in dead),
        worst_dead_fraction=max(dead.values(), default=0.0),
        slopes=_mean_slopes(trainer.network, points, {n: functions[n] for n in squashing}))


@torch.no_grad()
def _mean_slopes(network: GraphNetwork, points: torch.Tensor,
                 squashing: dict[str, str]) -> dict[str, tuple[str, float]]:
    """Each squashing node's slope averaged over the points and its units: σ' = σ(1 − σ), tanh' = 1 − tanh²."""
    if not squashing:
        return {}
    training = network.training
    network.eval()
    try:
        _, outputs = network(points, keep=True)
    finally:
        network.train(training)
    slopes = {}
    for node, function in squashing.items():
        out = outputs[node].double()
        slope = out * (1 - out) if function == "sigmoid" else 1 - out * out
        slopes[node] = (function, float(slope.mean()))
    return slopes


def vanishing_advice(ratio: float, activity: LayerActivity | None) -> str:
    """The vanishing-gradient warning, with the fixes for the cause `activity` shows: dead
    ReLU units, squashing sigmoid/tanh layers, or else plain depth. Short: it sits above a plot."""
    if activity is not None and activity.worst_dead_fraction >= DEAD_CAUSE:
        kind, fixes = (("leaky ReLU", "lower the learning rate or use He initialisation.") if activity.leaky
                       else ("ReLU", "lower the learning rate, use leaky ReLU or He initialisation."))
        return (f"Vanishing gradients: {activity.dead} of {activity.relu_units} {kind} units are dead "
                f"(never active on the data): {fixes}")
    if activity is not None and activity.slopes and activity.squash <= SQUASH_CAUSE:
        return f"Vanishing gradients: {_squash_reason(activity)} Use ReLU, fewer layers or batch norm."
    return (f"Vanishing gradients: the first layer gets {ratio:.1e} of the last layer's gradient, so it barely "
            "learns. Use fewer layers, batch norm, or skip connections (an add block).")


def _squash_reason(activity: LayerActivity) -> str:
    """Why the sigmoid/tanh layers shrink the gradient, with the numbers measured."""
    functions = [function for function, _ in activity.slopes.values()]
    slopes = [slope for _, slope in activity.slopes.values()]
    kinds = " and ".join(sorted(set(functions)))
    together = f"{np.mean(slopes):.2f} on average, {activity.squash:.0e} together"
    saturated = sum(slope < SATURATED * MAX_SLOPE[f] for f, slope in zip(functions, slopes))
    if saturated:
        return (f"{saturated} of {len(slopes)} {kinds} layers saturate (slope near 0 for most points), and "
                f"backprop multiplies the gradient by their slopes: {together}.")
    limits = " and ".join(f"{MAX_SLOPE[k]:g} for {'a ' if k == 'sigmoid' else ''}{k}" for k in sorted(set(functions)))
    return (f"backprop multiplies the gradient by the slopes of {len(slopes)} {kinds} layers, at most "
            f"{limits}: {together}.")
