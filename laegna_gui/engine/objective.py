"""What the network is trained to do: target encoding, the loss, and how outputs become answers.

Log loss after a sigmoid and cross-entropy after a softmax are computed from the logits
(the squashing's input), as softplus and log-sum-exp: in float32 a sigmoid rounds to
exactly 1 from about z = 17 on, so a loss computed from the probability has to be
clamped, and a confidently wrong point then costs at most 16 and teaches nothing. From the
logits it costs about |z| and its slope is p − t, however wrong it is.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

_ZERO_ONE = ("sigmoid", "step", "softmax", "relu")


class Objective:
    """Couples a loss with the task and the network's output.

    A single output unit for two classes is compared with 0/1 targets when it ends in a
    sigmoid or step (threshold 0.5), and with −1/+1 otherwise (tanh, linear; threshold 0).
    Hinge loss always uses −1/+1. Several output units get one-hot targets (or class
    indices for cross-entropy and hinge).
    """

    def __init__(self, loss: str, task: str, width: int, last_activation: str) -> None:
        self.loss, self.task, self.width = loss, task, width
        self.last = last_activation
        self.signed = loss == "hinge" or last_activation not in _ZERO_ONE
        self.threshold = 0.0 if self.signed else 0.5
        # log loss after a sigmoid, cross-entropy after a softmax: computed from the logits
        self.fuses = (loss, last_activation) in (("bce", "sigmoid"), ("cross_entropy", "softmax"))

    @property
    def classifies(self) -> bool:
        return self.task == "classification"

    def encode(self, y: np.ndarray) -> torch.Tensor:
        """Targets in the form this loss compares against."""
        if not self.classifies:
            return torch.as_tensor(y, dtype=torch.float32).reshape(len(y), -1)
        labels = torch.as_tensor(y, dtype=torch.long)
        if self.width == 1:
            target = labels.to(torch.float32)[:, None]
            return target * 2 - 1 if self.signed else target
        if self.loss in ("cross_entropy", "hinge"):
            return labels
        return F.one_hot(labels, self.width).to(torch.float32)

    def loss_of(self, network, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        """The loss of a GraphNetwork on the points x (from the logits where it fuses)."""
        return self(*network.scored(x), target)

    def __call__(self, output: torch.Tensor, logits: torch.Tensor | None, target: torch.Tensor) -> torch.Tensor:
        """The loss of `output`; `logits` is the input of the sigmoid or softmax that gave
        it (GraphNetwork.scored), or None where no such block feeds the output directly."""
        if self.fuses and logits is not None:
            if self.loss == "bce":  # (1 − t)·z + softplus(−z); a NaN logit gives a NaN loss
                return F.binary_cross_entropy_with_logits(logits, target)
            return F.cross_entropy(logits, target)
        if self.loss == "mse":
            return F.mse_loss(output, target)
        if self.loss == "half_mse":  # TensorFlow Playground's ½(o − t)², averaged
            return 0.5 * F.mse_loss(output, target)
        if self.loss == "mae":
            return F.l1_loss(output, target)
        if self.loss == "bce":
            # (only when a dropout sits between the sigmoid and the output: no logits to use)
            # written out so a NaN output gives a NaN loss (torch's BCE raises instead);
            # clamping keeps log() finite when a sigmoid saturates to exactly 0 or 1
            p = output.clamp(1e-7, 1 - 1e-7)
            return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()
        if self.loss == "cross_entropy":
            if self.last == "softmax":
                return F.nll_loss(torch.log(output.clamp_min(1e-12)), target)
            return F.cross_entropy(output, target)
        if self.width == 1:  # hinge, binary
            return torch.relu(1 - target * output).mean()
        return F.multi_margin_loss(output, target)

    def predict(self, output: torch.Tensor) -> torch.Tensor:
        """Class indices for classification (the raw output for regression)."""
        if not self.classifies:
            return output
        if self.width == 1:
            return (output[:, 0] > self.threshold).long()
        return output.argmax(dim=1)

    def probability(self, output: torch.Tensor) -> torch.Tensor:
        """For the decision boundary: P(class 1) for one unit, class probabilities otherwise."""
        if self.width == 1:
            if self.signed:
                return ((output[:, 0].clamp(-1, 1) + 1) / 2)
            return output[:, 0].clamp(0, 1)
        if self.last == "softmax":
            return output
        return torch.softmax(output, dim=1)
