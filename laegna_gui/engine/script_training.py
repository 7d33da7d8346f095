"""The training part of an exported PyTorch script: targets, loss, optimizer and the loop.

Mirrors engine/objective.py, engine/optimizers.py and Trainer._iteration/next_batch: the same
target encoding, the same loss expression, the same optimizer arguments, the same penalty
and clipping, and mini-batches in Laegna's order. `random_numbers_code` writes plain-numpy
copies of engine/compiled/schedule.py (SplitMix64, the epoch shuffle, the dropout masks)
and of random search's nudges, so the script draws exactly the app's batches, dropped
values and nudges. Random search's loop is engine/script_search.py.
"""

from __future__ import annotations

import textwrap

from laegna_gui.core.training_settings import RANDOM_SEARCH, TrainingSettings
from laegna_gui.engine.objective import Objective
from laegna_gui.engine.script_data import Constants, Section
from laegna_gui.engine.script_search import NUDGE_NOISE, search_train

_LOSS_NAMES = {"mse": "Mean squared error",
               "half_mse": "Squared error, ½ — as TensorFlow Playground: the mean of ½(output − target)²",
               "mae": "Mean absolute error", "bce": "Log loss (binary cross-entropy)",
               "cross_entropy": "Cross-entropy", "hinge": "Hinge loss"}
_OPTIMIZER_NAMES = {"sgd": "plain SGD", "momentum": "SGD with momentum", "nesterov": "SGD with Nesterov momentum",
                    "rmsprop": "RMSprop", "adam": "Adam", "nadam": "NAdam"}


def training_section(s: TrainingSettings, objective: Objective, n_train: int, dense_weights: list[str],
                     has_batch_norm: bool, has_dropout: bool = False, fused: bool = False) -> Section:
    """Constants and code for encode/loss_fn/predict, batches, penalty, train and evaluate.
    `fused`: the loss is computed from the network's logits (`model.logits`)."""
    batch = s.batch_size if 0 < s.batch_size < n_train else n_train
    constants: Constants = [
        ("LEARNING_RATE", repr(float(s.learning_rate)),
         "the size of random search's nudges" if s.optimizer == RANDOM_SEARCH else "the optimizer's step size"),
        ("BATCH_SIZE", str(batch), "points per step" + ("" if batch != n_train else " (all the training points)")),
    ]
    optimizer, more = _optimizer(s)
    constants += more
    penalty = ""
    if s.regularization in ("l1", "l2") and s.reg_rate != 0 and dense_weights:
        name = f"{s.regularization.upper()}_RATE"
        constants.append((name, repr(float(s.reg_rate)), f"strength of the {s.regularization.upper()} penalty"))
        penalty = _penalty(s.regularization, name, dense_weights)
    if s.clip and s.optimizer != RANDOM_SEARCH:  # random search has no gradient to clip
        constants.append(("CLIP_NORM", repr(float(s.clip_norm)), "the gradient is scaled down to at most this norm"))
    train = (search_train(objective.classifies, bool(penalty), fused) if s.optimizer == RANDOM_SEARCH
             else _train(s, optimizer, objective, bool(penalty), has_dropout, fused))
    code = (_targets(objective) + _loss(objective, fused) + _predict(objective) + _batches(has_batch_norm)
            + penalty + train + _evaluate(objective, fused))
    return Section(constants, code)


def _optimizer(s: TrainingSettings) -> tuple[str, Constants]:
    if s.optimizer == RANDOM_SEARCH:  # no torch optimizer: its own loop (script_search.py)
        return "", []
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


def _loss(o: Objective, fused: bool) -> str:
    doc = _LOSS_NAMES[o.loss] + "."
    if fused:
        return _fused_loss(o)
    if o.loss == "mse":
        body = "return F.mse_loss(output, target)"
    elif o.loss == "half_mse":
        doc += " Its slope is output − target, half the mean squared error's: the same rate takes half the step."
        body = "return 0.5 * F.mse_loss(output, target)"
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


def _fused_loss(o: Objective) -> str:
    """Log loss or cross-entropy from the logits, as the app computes them: exact where the
    sigmoid or softmax would round a probability to 0 or 1."""
    squash = "sigmoid" if o.loss == "bce" else "softmax"
    doc = (f"{_LOSS_NAMES[o.loss]}, computed from the logits that the {squash} squashes: a confidently "
           "wrong point costs about the size of its logit and its slope stays probability − target, "
           "where the probability itself would round to 0 or 1.")
    body = ("return F.binary_cross_entropy_with_logits(logits, target)" if o.loss == "bce"
            else "return F.cross_entropy(logits, target)")
    return _function("loss_fn(logits, target)", doc, body)


def _predict(o: Objective) -> str:
    if not o.classifies:
        return ""
    if o.width == 1:
        return _function("predict(output)", f"The class: 1 where the output is above {o.threshold:g}.",
                         f"return (output[:, 0] > {o.threshold!r}).long()")
    return _function("predict(output)", "The class with the highest output.", "return output.argmax(dim=1)")


def random_numbers_code(has_dropout: bool, searches: bool = False) -> str:
    """SplitMix64 and the epoch shuffle (and the dropout masks when the network drops out,
    random search's nudges when it trains): the same numbers as engine/compiled/schedule.py
    and engine/optimizers.py, written for a reader."""
    if not has_dropout and not searches:
        return _HEADING + _SPLITMIX + _EPOCH_ORDER
    drawn = ["the batch order"] + ["the dropout masks"] * has_dropout + ["random search's nudges"] * searches
    text = (f"{', '.join(drawn[:-1]).capitalize()} and {drawn[-1]} come from SplitMix64 (Steele, Lea & "
            "Flood, 2014), a hash of a 64-bit counter whose outputs look random. They depend only on SEED "
            "and on the epoch or step they are for, so this script draws exactly what the app draws.")
    heading = _HEADING_WITH_MORE + "".join(f"# {line}\n" for line in textwrap.wrap(text, 88))
    return (heading + _SPLITMIX + _EPOCH_ORDER + (_DROPOUT_KEEP if has_dropout else "")
            + (NUDGE_NOISE if searches else ""))


_HEADING = '''

# --- Laegna's random numbers --------------------------------------------------------
# The batch order comes from SplitMix64 (Steele, Lea & Flood, 2014), a hash of a 64-bit
# counter whose outputs look random. It depends only on SEED and on the epoch, so this
# script visits the points in exactly the app's order.
'''

_HEADING_WITH_MORE = '''

# --- Laegna's random numbers --------------------------------------------------------
'''

_SPLITMIX = '''

def splitmix64(z):
    """One SplitMix64 output for each numpy uint64 counter in z (a number or an array).
    uint64 arithmetic wraps around past 2**64, which is what the algorithm wants."""
    with np.errstate(over="ignore"):  # numpy warns when a single uint64 wraps around
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))
'''

_EPOCH_ORDER = '''

def epoch_order(n, seed, epoch):
    """The order in which epoch `epoch` visits the n training points: the app's shuffle.
    A Fisher–Yates shuffle (walk from the end, swap each place with a place at or before
    it) whose choices come from SplitMix64, keyed by the seed and the epoch."""
    key = splitmix64(splitmix64(np.uint64(seed % 2**64)) ^ np.uint64(epoch))
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(splitmix64(key ^ np.uint64(i)) % np.uint64(i + 1))  # a place from 0 to i
        order[i], order[j] = order[j], order[i]
    return order
'''

_DROPOUT_KEEP = '''

def dropout_keep(seed, step, salt, rows, width, p):
    """The app's dropout mask: which values of a (rows, width) batch a dropout layer keeps
    at training step `step` (the iterations done before this one). `salt` tells the
    layers apart. Each value gets its own SplitMix64 output, read as a number u in [0, 1);
    the value is kept when u >= p."""
    key = splitmix64(np.uint64((seed ^ 0xD1B54A32D192ED03) % 2**64))  # not the shuffle's key
    key = splitmix64(splitmix64(key ^ np.uint64(step)) ^ np.uint64(salt))  # this step, this layer
    z = splitmix64(key ^ np.arange(rows * width, dtype=np.uint64))  # one counter per value
    u = (z >> np.uint64(11)).astype(np.float64) / 2.0**53  # the top 53 bits, as a float
    return (u >= p).reshape(rows, width)
'''


def _batches(has_batch_norm: bool) -> str:
    starts = "range(0, n - 1, BATCH_SIZE)" if has_batch_norm else "range(0, n, BATCH_SIZE)"
    note = ("\n        # batch norm needs 2 points: when one would be left over, the epoch ends"
            if has_batch_norm else "")
    return f'''

def batches(n):
    """Indices of mini-batches, forever: epoch after epoch, the app's shuffle of the n
    points (epoch_order) cut into consecutive batches of BATCH_SIZE."""
    epoch = 0
    while True:
        order = epoch_order(n, SEED, epoch){note}
        for start in {starts}:
            yield torch.tensor(order[start:start + BATCH_SIZE])
        epoch += 1
'''


def _penalty(kind: str, rate: str, weights: list[str]) -> str:
    listed = ", ".join(weights)
    if kind == "l1":
        return _function("penalty(model)", "L1 regularization: the sum of |w| over the dense layers' weights.",
                         f"weights = [{listed}]\n    return {rate} * sum(w.abs().sum() for w in weights)")
    return _function("penalty(model)", "L2 regularization: half the sum of w² over the dense layers' weights.",
                     f"weights = [{listed}]\n    return {rate} * 0.5 * sum((w * w).sum() for w in weights)")


def _train(s: TrainingSettings, optimizer: str, o: Objective, has_penalty: bool, has_dropout: bool,
           fused: bool) -> str:
    targets = "\n    targets = encode(y)" if o.classifies else ""  # regression compares with y as it is
    backward = "(loss + penalty(model)).backward()" if has_penalty else "loss.backward()"
    clip = "\n        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)" if s.clip else ""
    dropouts = masks = ""
    if has_dropout:
        dropouts = "\n    dropouts = [layer for layer in model.modules() if isinstance(layer, Dropout)]"
        masks = ("\n        for layer in dropouts:  # this step's masks: the iterations done before it"
                 "\n            layer.step = step - 1")
    return f'''

def train(model, x, y, steps):
    """`steps` iterations of {_OPTIMIZER_NAMES[s.optimizer]}, one mini-batch each."""
    optimizer = {optimizer}{targets}{dropouts}
    order = batches(len(x))
    report_every = max(1, steps // 10)
    model.train()
    for step in range(1, steps + 1):
        batch = next(order){masks}
        optimizer.zero_grad()
        loss = loss_fn(model{".logits" if fused else ""}(x[batch]), {"targets" if o.classifies else "y"}[batch])
        value = loss.item()
        if not math.isfinite(value):
            raise SystemExit(f"training diverged at step {{step}}: the loss became {{value}}; "
                             "lower LEARNING_RATE")
        {backward}{clip}
        optimizer.step()
        if step % report_every == 0 or step == steps:
            print(f"step {{step:6d}}  batch loss {{value:.6f}}")
'''


def _evaluate(o: Objective, fused: bool) -> str:
    if fused:
        return '''

@torch.no_grad()
def evaluate(model, x, labels):
    """Loss and accuracy over all of (x, labels), with dropout off and batch norm using
    its running statistics. The loss reads the logits, the classes the probabilities."""
    model.eval()
    accuracy = (predict(model(x)) == labels).sum().item() / len(labels)
    return loss_fn(model.logits(x), encode(labels)).item(), accuracy
'''
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
