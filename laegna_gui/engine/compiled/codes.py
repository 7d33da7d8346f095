"""The kernels' integer codes for losses and optimizers (no numba import here)."""

from __future__ import annotations

(MSE, MAE, BCE, CE_PROBABILITIES, CE_LOGITS, HINGE, MULTI_MARGIN, HALF_MSE,
 BCE_LOGITS) = range(9)
SGD, MOMENTUM, NESTEROV, RMSPROP, ADAM, NADAM = range(6)
OPTIMIZERS = {"sgd": SGD, "momentum": MOMENTUM, "nesterov": NESTEROV, "rmsprop": RMSPROP,
              "adam": ADAM, "nadam": NADAM}
REGULARIZATIONS = {"none": 0, "l1": 1, "l2": 2}


def loss_kind(objective, fused: bool) -> int:
    """The kernel's code for an Objective's loss; `fused`: it reads the logits that the
    network's last sigmoid or softmax squashes (Objective.fuses, with logits to read)."""
    if objective.loss == "cross_entropy":
        return CE_PROBABILITIES if objective.last == "softmax" and not fused else CE_LOGITS
    if objective.loss == "hinge":
        return HINGE if objective.width == 1 else MULTI_MARGIN
    if objective.loss == "bce":
        return BCE_LOGITS if fused else BCE
    return {"mse": MSE, "half_mse": HALF_MSE, "mae": MAE}[objective.loss]
