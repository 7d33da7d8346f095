"""What the live views show, computed from the model in one vectorised pass.

Images are row-major (ny, nx): row 0 is the bottom of the input plane (y_min),
column 0 its left edge (x_min).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from laegna_gui.engine.network import GraphNetwork
from laegna_gui.engine.objective import Objective

BOUNDARY_GRID = 64
NEURON_GRID = 20
CURVE_POINTS = 200
EXPLODING_NORM = 1e3
VANISHING_RATIO = 1e-4


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


def gradient_warning(norms: dict[str, float], order: list[str]) -> str:
    """'exploding' when any layer's gradient is huge; 'vanishing' when the first layer
    gets a tiny fraction of what the last one gets."""
    layered = [norms[n] for n in order if n in norms]
    if not layered:
        return ""
    if max(layered) > EXPLODING_NORM or not np.all(np.isfinite(layered)):
        return (f"Exploding gradients: a layer's gradient norm reached {max(layered):.3g}. "
                "Lower the learning rate or turn on gradient clipping.")
    if len(layered) > 1 and layered[-1] > 0 and layered[0] / layered[-1] < VANISHING_RATIO:
        return (f"Vanishing gradients: the first layer gets {layered[0] / layered[-1]:.1e} of the last "
                "layer's gradient, so it barely learns. Try ReLU, fewer layers or batch norm.")
    return ""
