"""Optimizers by name, and live updates of their hyper-parameters."""

from __future__ import annotations

from collections.abc import Iterable

import torch

from laegna_gui.core.training_settings import TrainingSettings


def make_optimizer(params: Iterable[torch.nn.Parameter], s: TrainingSettings) -> torch.optim.Optimizer:
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
    raise ValueError(f"unknown optimizer {s.optimizer!r}")


def update_hyperparameters(optimizer: torch.optim.Optimizer, s: TrainingSettings) -> None:
    """Apply a new learning rate / momentum without losing the optimizer's state."""
    for group in optimizer.param_groups:
        group["lr"] = s.learning_rate
        if "momentum" in group and s.optimizer in ("momentum", "nesterov"):
            group["momentum"] = s.momentum
        if "alpha" in group and s.momentum > 0:
            group["alpha"] = s.momentum
