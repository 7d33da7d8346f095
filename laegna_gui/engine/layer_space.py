"""What one dense layer does to space, stage by stage: W·x, then +b, then the activation.

`layer_stages` runs the training points and a grid over the input plane through the
network as it is now (eval mode, no gradients), takes what enters the chosen dense
layer, and applies the layer in three steps. Everything is mapped to 3-D for the 3-D
views: widths 1–3 directly (padded with zero columns), wider ones through a PCA
(`laegna_gui.core.affine.pca_project`). One PCA is fitted per side — the input side on
the points and grid entering the layer, the output side on the points and grids of all
three output stages together (an even sample of at most `MAX_FIT_POINTS` rows, as the
SVD behind it is the slow part) — so the stages share one frame and a slider can blend
from one to the next without jumps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

STAGE_NAMES = ("W·x", "+b", "activation")
MAX_FIT_POINTS = 600  # a PCA is fitted on at most this many rows (an even sample), to stay fast


@dataclass(frozen=True)
class LayerStages:
    """One dense layer's action on the data and on a grid over the input plane, in 3-D.

    `activation`: the function of the activation node right after the layer (dropout
    skipped), "linear" if there is none. `labels`: class index per training point, or
    its first target value for regression. `inputs`/`grid_in`: the training points and
    the grid polylines as they enter the layer. `stages`: "W·x", "+b", "activation" →
    (points (n, 3), grid polylines [(m, 3), …]). `projected`: a PCA was needed (input or
    output width > 3). `explained`: the fraction of variance the 3-D PCA keeps (the
    smaller of the two sides when both are projected), 1.0 when nothing is projected."""

    node_id: str
    activation: str
    width_in: int
    width_out: int
    labels: np.ndarray
    inputs: np.ndarray
    grid_in: list[np.ndarray]
    stages: dict[str, tuple[np.ndarray, list[np.ndarray]]]
    projected: bool
    explained: float


def following_activation(graph, node_id: str) -> tuple[str | None, str]:
    """(activation node id, function) right after `node_id`, looking through dropout
    nodes; (None, "linear") if no activation follows directly."""
    frontier = list(graph.outputs_of(node_id))
    seen: set[str] = set()
    while frontier:
        nxt = frontier.pop(0)
        if nxt in seen:
            continue
        seen.add(nxt)
        node = graph.node(nxt)
        if node.type == "activation":
            return nxt, str(node.params["function"])
        if node.type == "dropout":
            frontier.extend(graph.outputs_of(nxt))
    return None, "linear"


def input_grid(trainer, grid_lines: int, grid_points: int) -> list[np.ndarray]:
    """Polylines of raw network inputs: a grid over the plane of the first two input
    features (the other features at their training mean). 1-D data: one line."""
    x = trainer.data.x_train
    dims = x.shape[1]
    x0, x1, y0, y1 = trainer.extent
    base = x.mean(axis=0).astype(np.float32)
    along = np.linspace(x0, x1, grid_points, dtype=np.float32)
    if dims == 1:
        return [along[:, None].copy()]
    lines = []
    for value in np.linspace(y0, y1, grid_lines, dtype=np.float32):  # lines of constant x2
        line = np.repeat(base[None, :], grid_points, axis=0)
        line[:, 0], line[:, 1] = along, value
        lines.append(line)
    along_y = np.linspace(y0, y1, grid_points, dtype=np.float32)
    for value in np.linspace(x0, x1, grid_lines, dtype=np.float32):  # lines of constant x1
        line = np.repeat(base[None, :], grid_points, axis=0)
        line[:, 0], line[:, 1] = value, along_y
        lines.append(line)
    return lines


class _To3D:
    """Maps points of one width to 3-D: padding for ≤ 3, else one PCA fitted once."""

    def __init__(self, fit: np.ndarray) -> None:
        self.width = fit.shape[1]
        self.projected = self.width > 3
        self.explained = 1.0
        if self.projected:
            from laegna_gui.core.affine import pca_project

            if len(fit) > MAX_FIT_POINTS:
                fit = fit[np.linspace(0, len(fit) - 1, MAX_FIT_POINTS).astype(int)]
            fit64 = fit.astype(np.float64)
            _, components, ratio = pca_project(fit64, 3)
            self.mean = fit64.mean(axis=0)
            self.components = np.asarray(components, dtype=np.float64)
            spread = float(np.sum((fit64 - self.mean) ** 2))
            # all points in one spot: nothing is lost
            self.explained = float(np.clip(np.sum(ratio), 0.0, 1.0)) if spread > 0 else 1.0

    def __call__(self, points: np.ndarray) -> np.ndarray:
        if self.projected:
            out = (points.astype(np.float64) - self.mean) @ self.components.T
        else:
            out = np.zeros((len(points), 3))
            out[:, :self.width] = points
        out = np.ascontiguousarray(out, dtype=np.float32)
        out.setflags(write=False)
        return out


def _split(flat: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    return np.split(flat, np.cumsum(sizes)[:-1]) if sizes else []


@torch.no_grad()
def layer_stages(trainer, node_id: str, grid_lines: int = 11, grid_points: int = 40) -> LayerStages:
    """The chosen dense layer's stages for the training points and an input-plane grid.

    Raises ValueError when `node_id` is not a dense layer of the trainer's network."""
    network = trainer.network
    if network.kinds.get(node_id) != "dense":
        raise ValueError(f"{node_id!r} is not a dense layer of this network")
    layer = network.layer(node_id)
    source = network.sources[node_id][0]
    activation_id, function = following_activation(trainer.graph, node_id)

    n = len(trainer.data.x_train)
    grid = input_grid(trainer, grid_lines, grid_points)
    sizes = [len(line) for line in grid]
    raw = torch.as_tensor(np.concatenate([trainer.data.x_train.astype(np.float32)] + grid))

    was_training = network.training
    network.eval()
    try:
        _, outputs = network(raw, keep=True)
        entering = outputs[source]
        wx = entering @ layer.weight.T
        plus_b = wx + layer.bias if layer.bias is not None else wx.clone()
        activated = network.layer(activation_id)(plus_b) if activation_id is not None else plus_b.clone()
    finally:
        network.train(was_training)

    entering_np = entering.numpy()
    stage_values = [t.numpy() for t in (wx, plus_b, activated)]
    to_in = _To3D(entering_np)
    to_out = _To3D(np.concatenate(stage_values))

    def points_and_grid(values: np.ndarray, mapping: _To3D):
        mapped = mapping(values)
        return mapped[:n], _split(mapped[n:], sizes)

    inputs, grid_in = points_and_grid(entering_np, to_in)
    stages = {name: points_and_grid(values, to_out) for name, values in zip(STAGE_NAMES, stage_values)}

    y = trainer.data.y_train
    labels = np.asarray(y if trainer.data.task == "classification" else y.reshape(len(y), -1)[:, 0])
    labels = labels.copy()
    labels.setflags(write=False)
    explained = min(m.explained for m in (to_in, to_out))
    return LayerStages(node_id, function, int(layer.in_features), int(layer.out_features), labels,
                       inputs, grid_in, stages, to_in.projected or to_out.projected, explained)
