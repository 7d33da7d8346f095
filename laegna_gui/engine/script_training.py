"""The training part of an exported PyTorch script: targets, loss, optimizer and the loop.

Mirrors engine/objective.py, engine/optimizers.py and Trainer._iteration/next_batch: the same
target encoding, the same loss expression, the same optimizer arguments, the same penalty
and clipping, and mini-batches drawn from a shuffle seeded with SEED in Laegna's order.
"""

from __future__ import annotations

import textwrap

from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.objective import Objective
from laegna_gui.engine.script_data import Constants, Section

_LOSS_NAMES = {"mse": "Mean squared error", "mae": "Mean absolute error", "bce": "Log loss (binary cross-entropy)",
               "cross_entropy": "Cross-entropy", "hinge": "Hinge loss"}
_OPTIMIZER_NAMES = {"sgd": "plain SGD", "momentum": "SGD with momentum", "nesterov": "SGD with Nesterov momentum",
                    "rmsprop": "RMSprop", "adam": "Adam", "nadam": "NAdam"}


def training_section(s: TrainingSettings, objective: Objective, n_train: int, dense_weights: list[str],
                     has_batch_norm: bool) -> Section:
    """Constants and code for encode/loss_fn/predict, batches, penalty, train and evaluate."""
    batch = s.batch_size if 0 < s.batch_size < n_train else n_train
    constants: Constants = [
        ("LEARNING_RATE", repr(float(s.learning_rate)), "the optimizer's step size"),
        ("BATCH_SIZE", str(batch), "points per step" + ("" if batch != n_train else " (all the training points)")),
    ]
    optimizer, more = _optimizer(s)
    constants += more
    penalty = ""
    if s.regularization in ("l1", "l2") and s.reg_rate != 0 and dense_weights:
        name = f"{s.regularization.upper()}_RATE"
        constants.append((name, repr(float(s.reg_rate)), f"strength of the {s.regularization.upper()} penalty"))
        penalty = _penalty(s.regularization, name, dense_weights)
    if s.clip:
        constants.append(("CLIP_NORM", repr(float(s.clip_norm)), "the gradient is scaled down to at most this norm"))
    code = (_targets(objective) + _loss(objective) + _predict(objective) + _batches(has_batch_norm) + penalty
            + _train(s, optimizer, objective, bool(penalty)) + _evaluate(objective))
    return Section(constants, code)


def _optimizer(s: TrainingSettings) -> tuple[str, Constants]:
    if s.optimizer in ("momentum", "nesterov"):
        # (on its own line: the call would not fit on one)
        nesterov = ",\n" + " " * 32 + "nesterov=True" if s.optimizer == "nesterov" and s.momentum > 0 else ""
        return (f"torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM{nesterov})",
                [("MOMENTUM", repr(float(s.momentum)), "how much of the last update carries over")])
    if s.optimizer == "rmsprop":
        alpha = s.momentum if s.momentum > 0 else 0.99
        return ("torch.optim.RMSprop(model.parameters(), lr=LEARNING_RATE, alpha=ALPHA)",
                [("ALPHA", repr(float(alpha)), "how slowly RMSprop's average of squared gradients forgets")])
    kind = {"sgd": "SGD", "adam": "Adam", "nadam": "NAdam"}[s.optimizer]
    return f"torch.optim.{kind}(model.parameters(), lr=LEARNING_RATE)", []


def _targets(o: Objective) -> str:
    if not o.classifies:
        return ""
    if o.width == 1:
        if o.signed:
            return _function("encode(labels)", "Class 1 → +1, class 0 → −1, in one column (scores can be negative).",
                             "return labels.to(torch.float32)[:, None] * 2 - 1")
        return _function("encode(labels)", "Class 1 → 1.0, class 0 → 0.0, in one column.",
                         "return labels.to(torch.float32)[:, None]")
    if o.loss in ("cross_entropy", "hinge"):
        return _function("encode(labels)", "The class indices themselves, as the loss expects.", "return labels")
    return _function("encode(labels)", "One-hot rows: one column per class.",
                     f"return F.one_hot(labels, {o.width}).to(torch.float32)")


def _loss(o: Objective) -> str:
    doc = _LOSS_NAMES[o.loss] + "."
    if o.loss == "mse":
        body = "return F.mse_loss(output, target)"
    elif o.loss == "mae":
        body = "return F.l1_loss(output, target)"
    elif o.loss == "bce":
        doc += " Clamped so that log() stays finite when the sigmoid saturates."
        body = ("p = output.clamp(1e-7, 1 - 1e-7)\n"
                "    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()")
    elif o.loss == "cross_entropy" and o.last == "softmax":
        doc = "Cross-entropy of the softmax output: minus the log of the right class's share."
        body = "return F.nll_loss(torch.log(output.clamp_min(1e-12)), target)"
    elif o.loss == "cross_entropy":
        body = "return F.cross_entropy(output, target)"
    elif o.width == 1:
        doc += " Targets are −1/+1; a score on the right side by a margin of 1 costs nothing."
        body = "return torch.relu(1 - target * output).mean()"
    else:
        body = "return F.multi_margin_loss(output, target)"
    return _function("loss_fn(output, target)", doc, body)


def _predict(o: Objective) -> str:
    if not o.classifies:
        return ""
    if o.width == 1:
        return _function("predict(output)", f"The class: 1 where the output is above {o.threshold:g}.",
                         f"return (output[:, 0] > {o.threshold!r}).long()")
    return _function("predict(output)", "The class with the highest output.", "return output.argmax(dim=1)")


def _batches(has_batch_norm: bool) -> str:
    starts = "range(0, n - 1, BATCH_SIZE)" if has_batch_norm else "range(0, n, BATCH_SIZE)"
    note = ("\n        # batch norm needs 2 points: a last batch of one is skipped (the epoch ends)"
            if has_batch_norm else "")
    return f'''

def batches(n, generator):
    """Indices of mini-batches, forever: every epoch walks a fresh shuffle of the n points."""
    while True:
        order = torch.randperm(n, generator=generator){note}
        for start in {starts}:
            yield order[start:start + BATCH_SIZE]
'''


def _penalty(kind: str, rate: str, weights: list[str]) -> str:
    listed = ", ".join(weights)
    if kind == "l1":
        return _function("penalty(model)", "L1 regularization: the sum of |w| over the dense layers' weights.",
                         f"weights = [{listed}]\n    return {rate} * sum(w.abs().sum() for w in weights)")
    return _function("penalty(model)", "L2 regularization: half the sum of w² over the dense layers' weights.",
                     f"weights = [{listed}]\n    return {rate} * 0.5 * sum((w * w).sum() for w in weights)")


def _train(s: TrainingSettings, optimizer: str, o: Objective, has_penalty: bool) -> str:
    targets = "\n    targets = encode(y)" if o.classifies else ""  # regression compares with y as it is
    backward = "(loss + penalty(model)).backward()" if has_penalty else "loss.backward()"
    clip = "\n        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)" if s.clip else ""
    return f'''

def train(model, x, y, steps):
    """`steps` iterations of {_OPTIMIZER_NAMES[s.optimizer]}, one mini-batch each."""
    optimizer = {optimizer}{targets}
    order = batches(len(x), torch.Generator().manual_seed(SEED))
    report_every = max(1, steps // 10)
    model.train()
    for step in range(1, steps + 1):
        batch = next(order)
        optimizer.zero_grad()
        loss = loss_fn(model(x[batch]), {"targets" if o.classifies else "y"}[batch])
        value = loss.item()
        if not math.isfinite(value):
            raise SystemExit(f"training diverged at step {{step}}: the loss became {{value}}; "
                             "lower LEARNING_RATE")
        {backward}{clip}
        optimizer.step()
        if step % report_every == 0 or step == steps:
            print(f"step {{step:6d}}  batch loss {{value:.6f}}")
'''


def _evaluate(o: Objective) -> str:
    if not o.classifies:
        return '''

@torch.no_grad()
def evaluate(model, x, y):
    """The loss over all of (x, y), with dropout off and batch norm using its running statistics."""
    model.eval()
    return loss_fn(model(x), y).item(), None
'''
    return '''

@torch.no_grad()
def evaluate(model, x, labels):
    """Loss and accuracy over all of (x, labels), with dropout off and batch norm using
    its running statistics."""
    model.eval()
    output = model(x)
    accuracy = (predict(output) == labels).sum().item() / len(labels)
    return loss_fn(output, encode(labels)).item(), accuracy
'''


def _function(signature: str, doc: str, body: str) -> str:
    doc = "\n    ".join(textwrap.wrap(doc, 88, break_on_hyphens=False))
    return f'\n\ndef {signature}:\n    """{doc}"""\n    {body}\n'
