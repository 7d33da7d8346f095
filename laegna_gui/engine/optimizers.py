"""Optimizers by name, and live updates of their hyper-parameters.

All but one follow the gradient. Random search (`RandomSearch`) uses none: it tries a random
nudge to every weight and keeps it only if the loss falls, the slow baseline that shows what
backpropagation buys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import torch

from laegna_gui.core.training_settings import RANDOM_SEARCH, TrainingSettings
from laegna_gui.engine.compiled import schedule

NUDGE_SALT = 0x2545F4914F6CDD1D  # separates the nudges' random numbers from the batches' and dropout's


def make_optimizer(params: Iterable[torch.nn.Parameter], s: TrainingSettings, seed: int = 0) -> torch.optim.Optimizer:
    """`seed` keys random search's nudges (the other optimizers draw nothing)."""
    params = list(params)
    lr = s.learning_rate
    if s.optimizer == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if s.optimizer in ("momentum", "nesterov"):
        # torch refuses Nesterov without momentum; with momentum 0 it is plain SGD anyway.
        nesterov = s.optimizer == "nesterov" and s.momentum > 0
        return torch.optim.SGD(params, lr=lr, momentum=s.momentum, nesterov=nesterov)
    if s.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=s.momentum if s.momentum > 0 else 0.99)
    if s.optimizer == "adam":
        return torch.optim.Adam(params, lr=lr)
    if s.optimizer == "nadam":
        return torch.optim.NAdam(params, lr=lr)
    if s.optimizer == RANDOM_SEARCH:
        return RandomSearch(params, lr=lr, seed=seed)
    raise ValueError(f"unknown optimizer {s.optimizer!r}")


def update_hyperparameters(optimizer: torch.optim.Optimizer, s: TrainingSettings) -> None:
    """Apply a new learning rate / momentum without losing the optimizer's state."""
    for group in optimizer.param_groups:
        group["lr"] = s.learning_rate
        if "momentum" in group and s.optimizer in ("momentum", "nesterov"):
            group["momentum"] = s.momentum
        if "alpha" in group and s.momentum > 0:
            group["alpha"] = s.momentum


class RandomSearch(torch.optim.Optimizer):
    """Training without gradients. `step(loss, step)` adds one random nudge to every parameter
    — Gaussian, with the learning rate as its standard deviation — and keeps it only if
    `loss()` is then strictly lower than before it; otherwise every parameter is put back bit
    for bit. The nudge of a training step depends only on the seed and the step
    (`nudge_noise`), so a run repeats exactly and the exported script draws the same ones."""

    def __init__(self, params: Iterable[torch.nn.Parameter], lr: float, seed: int) -> None:
        super().__init__(params, {"lr": lr})
        self.seed = seed

    @torch.no_grad()
    def step(self, loss: Callable[[], float], step: int = 0) -> tuple[float, bool]:  # type: ignore[override]
        """One try at training step `step` (the iterations done before it): (the loss before
        the nudge, whether the nudge was kept). A non-finite loss before it tries nothing."""
        before = loss()
        if not np.isfinite(before):
            return before, False
        params = [p for group in self.param_groups for p in group["params"]]
        kept = [p.detach().clone() for p in params]
        noise = nudge_noise(self.seed, step, sum(p.numel() for p in params))
        start = 0
        for group in self.param_groups:
            for p in group["params"]:
                nudge = (group["lr"] * noise[start:start + p.numel()]).astype(np.float32)
                p.add_(torch.from_numpy(nudge).view(p.shape))
                start += p.numel()
        better = False
        try:
            better = loss() < before  # NaN compares False: a nudge to NaN is rejected
        finally:  # rejected, or cancelled while measuring: back to the weights before the nudge
            if not better:
                for p, old in zip(params, kept):
                    p.copy_(old)
        return before, better


def nudge_noise(seed: int, step: int, n: int) -> np.ndarray:
    """n standard normal numbers (float64) for random search's nudge at training step `step`:
    Box–Muller on 2n SplitMix64 draws keyed by the seed and the step, like the batch order
    and the dropout masks (engine/compiled/schedule.py), so the exported script draws them too."""
    key = schedule.splitmix(schedule.splitmix((seed ^ NUDGE_SALT) & schedule.MASK) ^ (step & schedule.MASK))
    z = np.uint64(key) ^ np.arange(2 * n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps, as SplitMix64 wants
        z = z + np.uint64(schedule.GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(schedule.MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(schedule.MIX2)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) / 2.0**53  # in [0, 1)
    return np.sqrt(-2.0 * np.log1p(-u[:n])) * np.cos(2.0 * np.pi * u[n:])
