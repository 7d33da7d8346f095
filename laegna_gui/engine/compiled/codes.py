"""The kernels' integer codes for losses and optimizers (no numba import here)."""

from __future__ import annotations

MSE, MAE, BCE, CE_PROBABILITIES, CE_LOGITS, HINGE, MULTI_MARGIN = range(7)
SGD, MOMENTUM, NESTEROV, RMSPROP, ADAM, NADAM = range(6)
OPTIMIZERS = {"sgd": SGD, "momentum": MOMENTUM, "nesterov": NESTEROV, "rmsprop": RMSPROP,
              "adam": ADAM, "nadam": NADAM}
REGULARIZATIONS = {"none": 0, "l1": 1, "l2": 2}


def loss_kind(objective) -> int:
    """The kernel's code for an Objective's loss."""
    if objective.loss == "cross_entropy":
        return CE_PROBABILITIES if objective.last == "softmax" else CE_LOGITS
    if objective.loss == "hinge":
        return HINGE if objective.width == 1 else MULTI_MARGIN
    return {"mse": MSE, "mae": MAE, "bce": BCE}[objective.loss]
