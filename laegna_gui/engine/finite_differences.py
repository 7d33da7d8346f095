"""Checking backprop the way people do: nudge one weight a little either way, measure the
batch loss, and compare the slope that gives with backprop's gradient.

A Step's report keeps everything its gradient was the slope of (`StepBatch`): the batch, the
weights before the step, the loss and the regularization, the seed of the dropout masks. A
float64 copy of the network is built from the graph with those weights, in training mode as
the step ran it (batch norm on the batch's own statistics, the step's dropout masks), and each
weight and bias of one layer is moved by ±h: slope ≈ (L(w + h) − L(w − h)) / 2h. With
h = 1e-6·max(1, |w|) in float64, rounding costs about 1e-10 and the curvature about h², so the
numerical slope is good to many digits; backprop's gradient is float32, so where backprop is
right the two agree to about 1e-7.

Qt-free: the Step view runs it off the GUI thread, and `cancelled` stops it between weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from laegna_gui.core.validate import analyse, final_activation
from laegna_gui.engine.network import GraphNetwork
from laegna_gui.engine.objective import Objective
from laegna_gui.engine.snapshot import StepBatch, StepReport

EPS = 1e-6  # the nudge, relative to the weight (absolute below 1)
AGREE = 1e-4  # relative difference under which the slopes agree: float32 backprop gets ~1e-7


class CheckCancelled(Exception):
    """The check was cancelled (its step or network is no longer shown)."""


@dataclass(frozen=True)
class SlopeCheck:
    """One layer's numerical slopes beside backprop's gradient, by parameter name
    ("dense1.weight", "dense1.bias"). `backprop` is the gradient before clipping; `clip_factor`
    is what clipping multiplied it by (1: not clipped). `straight_through`: the network has a
    step activation, whose backward uses a made-up slope instead of its true one (0)."""

    report: StepReport
    layer: str
    numerical: dict[str, np.ndarray]
    backprop: dict[str, np.ndarray]
    clip_factor: float = 1.0
    straight_through: bool = False

    @property
    def max_abs(self) -> float:
        """The largest |numerical − backprop| over the layer's weights and biases."""
        return max(float(np.max(np.abs(self.numerical[k] - self.backprop[k]), initial=0.0)) for k in self.numerical)

    @property
    def largest(self) -> float:
        """The largest slope either way: what the differences are relative to."""
        return max(float(np.max(np.abs(v), initial=0.0)) for v in (*self.numerical.values(), *self.backprop.values()))

    @property
    def relative(self) -> float:
        return self.max_abs / self.largest if self.largest > 0 else 0.0

    @property
    def agrees(self) -> bool:
        return self.relative <= AGREE

    def numbers(self) -> str:
        return (f"max |numerical − backprop| {short(self.max_abs)}, relative {short(self.relative)} "
                "(central differences in float64)")

    def meaning(self) -> str:
        """One line: what the comparison says about backprop."""
        if self.largest == 0:
            line = ("every slope is 0, numerically and by backprop: no gradient reaches this layer on this "
                    "batch, and backprop is right about that.")
        elif self.agrees:
            line = f"backprop's slopes agree with the numerical ones to {short(self.relative)}: backprop is right."
        else:
            why = ("the step activation's backward uses a made-up slope (its true slope is 0)"
                   if self.straight_through else "a bug in backprop, or a kink in the loss (a ReLU input at 0) "
                   "within h of these weights")
            line = f"backprop's slopes differ from the numerical ones by {short(self.relative)} (relative): {why}."
        if self.clip_factor != 1.0:
            line += (f" The step clipped the gradient (×{self.clip_factor:.3g}); compared here as backprop "
                     "computed it, before clipping.")
        return line[0].upper() + line[1:]


def short(value: float) -> str:
    """3e-9, 0.25, 0: one significant digit for the small, two for the rest."""
    if value == 0:
        return "0"
    if abs(value) >= 0.01:
        return f"{value:.2g}"
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


class BatchLoss:
    """The loss the step's gradient is the slope of (data loss + regularization), as a function
    of the float64 network's weights: change a weight in `parameters()`, call it again."""

    def __init__(self, batch: StepBatch, weights: dict[str, np.ndarray], step: int) -> None:
        graph, spec, settings = batch.graph, batch.spec, batch.settings
        analysis = analyse(graph, spec, settings.loss)
        self.network = GraphNetwork(graph, analysis, spec, batch.seed).double()
        self.network.load_weights(weights)  # float32 values, exactly the same in float64
        self.network.train()
        self.network.set_step(step)
        objective = Objective(settings.loss, spec.task, analysis.widths[self.network.output_id],
                              final_activation(graph))
        self.objective, self.settings = objective, settings
        self.x = torch.from_numpy(batch.x.astype(np.float64))
        target = objective.encode(np.array(batch.y))  # a writable copy: torch warns about frozen arrays
        self.y = target.double() if target.is_floating_point() else target
        self.penalised = [p for name, p in self.network.named_trainables().items()
                          if name.endswith(".weight") and self.network.kinds[name.split(".")[0]] == "dense"]

    def parameters(self) -> dict[str, torch.Tensor]:
        return self.network.named_trainables()

    @torch.no_grad()
    def __call__(self) -> float:
        return float(self.objective.loss_of(self.network, self.x, self.y)) + self._penalty()

    def _penalty(self) -> float:
        """The trainer's regularization term (Trainer._penalty), on the dense layers' weights."""
        s = self.settings
        if s.regularization == "none" or s.reg_rate == 0:
            return 0.0
        if s.regularization == "l1":
            return s.reg_rate * float(sum(w.abs().sum() for w in self.penalised))
        return s.reg_rate * 0.5 * float(sum((w * w).sum() for w in self.penalised))


def numerical_slopes(loss: Callable[[], float], tensor: torch.Tensor,
                     tick: Callable[[], None] = lambda: None) -> np.ndarray:
    """(L(w + h) − L(w − h)) / 2h for each entry w of `tensor` (changed in place and put back);
    `tick` runs before each entry (it may raise CheckCancelled)."""
    flat = tensor.detach().view(-1)
    slopes = np.empty(flat.numel())
    for i in range(flat.numel()):
        tick()
        w = float(flat[i])
        h = EPS * max(1.0, abs(w))
        flat[i] = w + h
        up, above = loss(), float(flat[i])
        flat[i] = w - h
        down, below = loss(), float(flat[i])
        flat[i] = w
        slopes[i] = (up - down) / (above - below)  # the nudges as stored, not as meant
    return slopes.reshape(tensor.shape)


def check_layer(report: StepReport, layer: str, cancelled: Callable[[], bool] = lambda: False,
                progress: Callable[[int, int], None] = lambda done, total: None) -> SlopeCheck:
    """The numerical slope of the step's batch loss for each weight and bias of `layer`, at
    the weights the step started from, beside backprop's gradient. Raises CheckCancelled
    once `cancelled()` is true; `progress(done, total)` hears how far it is."""
    if report.batch is None:
        raise ValueError("this step did not keep its batch, so its gradient cannot be checked")
    loss = BatchLoss(report.batch, report.weights_before, report.step - 1)  # the step's dropout masks
    names = [n for n in (f"{layer}.weight", f"{layer}.bias") if n in report.gradients]
    if not names:
        raise ValueError(f"the step kept no gradient of {layer} to check")
    total, done = sum(report.gradients[n].size for n in names), [0]

    def tick() -> None:
        if cancelled():
            raise CheckCancelled(f"the check of {layer} at step {report.step}")
        progress(done[0], total)
        done[0] += 1

    parameters = loss.parameters()
    numerical = {n: numerical_slopes(loss, parameters[n], tick) for n in names}
    factor = clip_factor(report)
    backprop = {n: report.gradients[n].astype(np.float64) / factor for n in names}
    stepped = any(node.type == "activation" and node.params["function"] == "step"
                  for node in report.batch.graph.nodes.values())
    return SlopeCheck(report, layer, numerical, backprop, factor, stepped)


def clip_factor(report: StepReport) -> float:
    """What clipping multiplied the step's gradient by (torch's clip_grad_norm_), 1 if nothing."""
    if not report.clipped or report.batch is None:
        return 1.0
    return min(1.0, report.batch.settings.clip_norm / (report.gradient_norm + 1e-6))
