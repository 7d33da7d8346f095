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

Each side also says how much of its spread the view keeps (`Spread`): the explained-
variance ratios of the three shown directions, from the same SVD that gives the
directions, in float64 — so the percentages describe exactly the picture drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

STAGE_NAMES = ("W·x", "+b", "activation")
MAX_FIT_POINTS = 600  # a PCA is fitted on at most this many rows (an even sample), to stay fast
FLAT_SPREAD = 1e-6  # a spread this small next to the values' size is rounding noise: no spread


@dataclass(frozen=True)
class Spread:
    """How much of one side's spread (variance) the 3-D view keeps.

    `kind`: "shown" (3 wide or less: drawn as it is, nothing projected), "projected" (a
    PCA onto the three directions of most spread), "flat" (every point in one spot: there
    is no spread to keep) or "not_finite" (NaN or ∞ values, as after a diverged run: no
    PCA is possible, the finite rows are still drawn). `ratios`: for "projected", the
    share of the total variance along each shown direction, largest first; else empty."""

    kind: str
    width: int
    ratios: tuple[float, ...] = ()

    @property
    def kept(self) -> float:
        """The share of the spread the view keeps: the ratios' sum when projected, 1.0
        when nothing is projected or there is no spread to lose, NaN when not finite."""
        if self.kind == "projected":
            return float(sum(self.ratios))
        return float("nan") if self.kind == "not_finite" else 1.0


@dataclass(frozen=True)
class LayerStages:
    """One dense layer's action on the data and on a grid over the input plane, in 3-D.

    `activation`: the function of the activation node right after the layer (dropout
    skipped), "linear" if there is none. `labels`: class index per training point, or
    its first target value for regression. `inputs`/`grid_in`: the training points and
    the grid polylines as they enter the layer. `stages`: "W·x", "+b", "activation" →
    (points (n, 3), grid polylines [(m, 3), …]). `spread_in`/`spread_out`: how much of
    the spread each side's 3-D view keeps."""

    node_id: str
    activation: str
    width_in: int
    width_out: int
    labels: np.ndarray
    inputs: np.ndarray
    grid_in: list[np.ndarray]
    stages: dict[str, tuple[np.ndarray, list[np.ndarray]]]
    spread_in: Spread
    spread_out: Spread

    @property
    def projected(self) -> bool:
        """A PCA was needed on either side (input or output width > 3)."""
        return self.width_in > 3 or self.width_out > 3


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


class To3D:
    """Maps points of one width to 3-D: padding for ≤ 3, else one PCA fitted once on `fit`
    (an even sample of at most MAX_FIT_POINTS rows). `spread` says how much of the fitted
    points' spread the view keeps; rows with NaN or ∞ are left out of the fit."""

    def __init__(self, fit: np.ndarray) -> None:
        self.width = fit.shape[1]
        self.projected = self.width > 3
        all_finite = bool(np.isfinite(fit).all())  # before sampling, so no bad row is missed
        if self.projected and len(fit) > MAX_FIT_POINTS:
            fit = fit[np.linspace(0, len(fit) - 1, MAX_FIT_POINTS).astype(int)]
        fit64 = fit.astype(np.float64)
        finite = fit64[np.isfinite(fit64).all(axis=1)]
        flat = _is_flat(finite)
        kind = "not_finite" if not all_finite else "flat" if flat else "projected" if self.projected else "shown"
        ratios: tuple[float, ...] = ()
        if self.projected:
            self.mean, self.components, ratio = _principal_directions(finite, flat)
            ratios = tuple(float(r) for r in ratio) if kind == "projected" else ()
        self.spread = Spread(kind, self.width, ratios)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        if self.projected:
            out = (points.astype(np.float64) - self.mean) @ self.components.T
        else:
            out = np.zeros((len(points), 3))
            out[:, :self.width] = points
        out = np.ascontiguousarray(out, dtype=np.float32)
        out.setflags(write=False)
        return out


def _is_flat(points: np.ndarray) -> bool:
    """All (finite) points in one spot, up to float32 rounding: no spread to show or keep."""
    if len(points) == 0:
        return True
    size = float(np.abs(points).max())
    rms = float(np.sqrt(np.mean(np.sum((points - points.mean(axis=0)) ** 2, axis=1))))
    return size == 0.0 or rms <= FLAT_SPREAD * size


def _principal_directions(points: np.ndarray, flat: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, the 3 directions of most spread (3, d), their explained-variance ratios (3,)),
    directions and ratios from one SVD of the centred points. Flat points have no
    directions: they all map to the origin."""
    from laegna_gui.core.affine import pca_project

    width = points.shape[1]
    if flat:
        mean = points.mean(axis=0) if len(points) else np.zeros(width)
        return mean, np.zeros((3, width)), np.zeros(3)
    _, components, ratio = pca_project(points, 3)
    return points.mean(axis=0), np.asarray(components, dtype=np.float64), ratio


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
    to_in = To3D(entering_np)
    to_out = To3D(np.concatenate(stage_values))

    def points_and_grid(values: np.ndarray, mapping: To3D):
        mapped = mapping(values)
        return mapped[:n], _split(mapped[n:], sizes)

    inputs, grid_in = points_and_grid(entering_np, to_in)
    stages = {name: points_and_grid(values, to_out) for name, values in zip(STAGE_NAMES, stage_values)}

    y = trainer.data.y_train
    labels = np.asarray(y if trainer.data.task == "classification" else y.reshape(len(y), -1)[:, 0])
    labels = labels.copy()
    labels.setflags(write=False)
    return LayerStages(node_id, function, int(layer.in_features), int(layer.out_features), labels,
                       inputs, grid_in, stages, to_in.spread, to_out.spread)
