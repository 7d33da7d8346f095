"""The loss landscape: the training loss over a plane through the current weights.

The plane is spanned by two directions in weight space:

- "random": two random Gaussian directions, filter-normalised as in Li et al. 2018,
  "Visualizing the Loss Landscape of Neural Nets": each row of a weight matrix (one
  unit's incoming weights) is scaled to the norm of the same row of the weights, so
  the picture does not depend on how the layers happen to be scaled. Biases, batch-norm
  parameters and all other 1-D tensors get a zero direction (they stay at their value).
  α = β = 1 is therefore a step as large as the weights themselves.
- "weights": two chosen single weights; α and β are absolute changes of their values.

Heights are the training-set loss without regularization, in eval mode (dropout off,
batch norm on its running statistics) — what `Trainer.evaluate().train_loss` reports.
Losses that are NaN, infinite or above `MAX_LOSS` are stored as `MAX_LOSS`, so the
surface stays drawable where the network blows up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from laegna_gui.core.errors import LaegnaError

MAX_LOSS = 1e6  # stand-in for non-finite or absurd losses (documented above)


class LandscapeError(LaegnaError):
    """The landscape cannot be computed with these options (e.g. a weight that is gone)."""


@dataclass(frozen=True)
class Landscape:
    """`losses[i, j]` is the loss at center + alphas[i]·d1 + betas[j]·d2.

    `center` holds every weight tensor of the network (named like the project file);
    `directions` hold arrays of the same names and shapes (zero where nothing moves)."""

    alphas: np.ndarray
    betas: np.ndarray
    losses: np.ndarray
    mode: str
    labels: tuple[str, str]
    center: dict[str, np.ndarray]
    directions: tuple[dict[str, np.ndarray], dict[str, np.ndarray]]


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array


def axis(n: int, span: float) -> np.ndarray:
    """n values from -span to span; the middle one (odd n) is exactly 0."""
    values = np.linspace(-span, span, n)
    if n % 2:
        values[n // 2] = 0.0
    return values


def filter_normalised(weights: dict[str, np.ndarray], trainable: set[str],
                      rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A random direction scaled row by row to the weights' row norms; zero for 1-D
    tensors and anything not trainable. A row of zero weights (e.g. zero init) gets the
    mean row norm of its matrix, or 1 if the whole matrix is zero, so it still moves."""
    direction = {}
    for name, w in weights.items():
        if name not in trainable or w.ndim < 2:
            direction[name] = np.zeros(w.shape, dtype=np.float32)
            continue
        rows = w.reshape(w.shape[0], -1).astype(np.float64)
        d = rng.standard_normal(rows.shape)
        target = np.linalg.norm(rows, axis=1)
        fallback = target.mean() if target.any() else 1.0
        target = np.where(target > 0, target, fallback)
        d *= (target / np.maximum(np.linalg.norm(d, axis=1), 1e-12))[:, None]
        direction[name] = d.reshape(w.shape).astype(np.float32)
    return direction


def weight_label(name: str, index) -> str:
    index = _index(index)
    return f"{name}[{', '.join(str(i) for i in index)}]"


def _index(index) -> tuple[int, ...]:
    if isinstance(index, (int, np.integer)):
        return (int(index),)
    return tuple(int(i) for i in index)


def single_weight_direction(weights: dict[str, np.ndarray], trainable: set[str],
                            name: str, index) -> dict[str, np.ndarray]:
    if name not in weights or name not in trainable:
        raise LandscapeError(f"there is no trainable weight {name!r} in this network")
    index = _index(index)
    shape = weights[name].shape
    if len(index) != len(shape) or any(not 0 <= i < s for i, s in zip(index, shape)):
        raise LandscapeError(f"{weight_label(name, index)} is outside {name}, which has shape {shape}")
    direction = {k: np.zeros(v.shape, dtype=np.float32) for k, v in weights.items()}
    direction[name][index] = 1.0
    return direction


def compute_landscape(trainer, n: int = 25, span: float = 1.0, mode: str = "random",
                      weights: tuple | None = None, seed: int = 0,
                      progress: Callable[[float], None] | None = None,
                      should_stop: Callable[[], bool] | None = None) -> Landscape | None:
    """The training loss over an n×n grid of the plane (α, β ∈ [-span, span]).

    `progress(fraction)` is called after every row (n times, the last with 1.0);
    `should_stop()` is asked before every row — True cancels and returns None. The
    network's weights are restored exactly afterwards, also on cancel or error."""
    if n < 2:
        raise ValueError("a landscape needs at least 2 points per side")
    if not (math.isfinite(span) and span > 0):
        raise ValueError("the span must be a positive number")
    network = trainer.network
    trainable = set(network.named_trainables())
    center = network.weights()
    if mode == "random":
        rng = np.random.default_rng(seed)
        d1 = filter_normalised(center, trainable, rng)
        d2 = filter_normalised(center, trainable, rng)
        labels = ("direction 1", "direction 2")
    elif mode == "weights":
        if not weights or len(weights) != 2:
            raise ValueError('"weights" mode needs two (name, index) pairs')
        (n1, i1), (n2, i2) = weights
        if n1 == n2 and _index(i1) == _index(i2):
            raise LandscapeError("choose two different weights for the two axes")
        d1 = single_weight_direction(center, trainable, n1, i1)
        d2 = single_weight_direction(center, trainable, n2, i2)
        labels = (weight_label(n1, i1), weight_label(n2, i2))
    else:
        raise ValueError(f"unknown landscape mode {mode!r}; use 'random' or 'weights'")

    alphas, betas = axis(n, span), axis(n, span)
    losses = plane_losses(trainer, center, d1, d2, alphas, betas, progress, should_stop)
    if losses is None:
        return None
    return Landscape(_frozen(alphas), _frozen(betas), _frozen(losses), mode, labels,
                     center, ({k: _frozen(v) for k, v in d1.items()}, {k: _frozen(v) for k, v in d2.items()}))


def plane_losses(trainer, center: dict[str, np.ndarray], d1: dict[str, np.ndarray], d2: dict[str, np.ndarray],
                 alphas: np.ndarray, betas: np.ndarray, progress: Callable[[float], None] | None = None,
                 should_stop: Callable[[], bool] | None = None) -> np.ndarray | None:
    """`losses[i, j]`: the training loss (as the module says) at center + alphas[i]·d1 + betas[j]·d2.

    `progress(fraction)` is called after every row, the last with 1.0; `should_stop()` is
    asked before every row — True cancels and returns None. The network's weights are
    restored exactly afterwards, also on cancel or error."""
    network = trainer.network
    state = network.named_state()
    kept = network.weights()
    moving = [k for k in center if d1[k].any() or d2[k].any()]
    # per moving tensor: centre and directions in float64, for exact α=β=0 and a clean sum
    base = {k: torch.from_numpy(center[k].astype(np.float64)) for k in moving}
    dir1 = {k: torch.from_numpy(d1[k].astype(np.float64)) for k in moving}
    dir2 = {k: torch.from_numpy(d2[k].astype(np.float64)) for k in moving}
    x, y = trainer.x_train, trainer.y_train
    losses = np.empty((len(alphas), len(betas)))
    was_training = network.training
    network.eval()
    try:
        network.load_weights(center)
        with torch.no_grad():
            for i, a in enumerate(alphas):
                if should_stop is not None and should_stop():
                    return None
                # the whole row's tensors at once: (n, *shape) per moving tensor
                row = {k: (base[k] + a * dir1[k]).unsqueeze(0)
                       + torch.as_tensor(betas).reshape((-1,) + (1,) * base[k].dim()) * dir2[k]
                       for k in moving}
                row = {k: v.to(torch.float32) for k, v in row.items()}
                for j in range(len(betas)):
                    for k in moving:
                        state[k].copy_(row[k][j])
                    losses[i, j] = trainer.objective.loss_of(network, x, y).item()
                if progress is not None:
                    progress((i + 1) / len(alphas))
    finally:
        network.load_weights(kept)
        network.train(was_training)
    return np.where(np.isfinite(losses), np.minimum(losses, MAX_LOSS), MAX_LOSS)


def project_point(landscape: Landscape, weights: dict[str, np.ndarray]) -> tuple[float, float]:
    """(α, β) of a weight state in the landscape's plane: the least-squares fit of
    (weights − center) by α·d1 + β·d2. Only tensors that the directions move count.
    Raises ValueError when the weights do not fit the landscape's network."""
    d1, d2 = landscape.directions
    names = [k for k in landscape.center if d1[k].any() or d2[k].any()]
    if any(k not in weights or np.shape(weights[k]) != landscape.center[k].shape for k in names):
        raise ValueError("these weights do not belong to the landscape's network")
    offset = np.concatenate([(np.asarray(weights[k], np.float64) - landscape.center[k]).ravel()
                             for k in names]) if names else np.zeros(0)
    if offset.size == 0:
        return 0.0, 0.0
    basis = np.stack([np.concatenate([d[k].ravel() for k in names]).astype(np.float64) for d in (d1, d2)],
                     axis=1)
    coords, *_ = np.linalg.lstsq(basis, offset, rcond=None)
    return float(coords[0]), float(coords[1])
