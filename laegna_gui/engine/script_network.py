"""The network part of an exported PyTorch script: a plain `nn.Module` for a Laegna graph.

The module creates its layers in the graph's topological order, as `GraphNetwork` does, so
the generator seeded with SEED draws the initial weights in the same order as in Laegna.
Dropout layers are the script's own `Dropout` (engine/layers.py SeededDropout): their masks
come from `dropout_keep` (see script_training.random_numbers_code) for the layer's place in
that order and the training step, not from torch's global generator. Where the loss is
computed from the logits (engine/objective.py), `Network.logits` gives them and `forward`
squashes them.
"""

from __future__ import annotations

import builtins
import keyword
import re
import textwrap

from torch import nn

from laegna_gui.core.graph import Graph
from laegna_gui.core.validate import Analysis, DataSpec

# names the script itself uses at module level or inside forward()
_SCRIPT_NAMES = {
    "x", "self", "seed", "generator", "np", "torch", "nn", "F", "math", "json", "argparse",
    "make_points", "hidden_affine", "split", "make_data", "StepFunction", "input_features", "Network",
    "encode", "loss_fn", "predict", "batches", "penalty", "train", "evaluate", "main",
    "splitmix64", "epoch_order", "dropout_keep", "Dropout", "logits", "nudge_noise", "try_nudge",
}
_RESERVED = set(keyword.kwlist) | set(dir(builtins)) | set(dir(nn.Module)) | {"training"} | _SCRIPT_NAMES
_FEATURES = {"x1": "x1", "x2": "x2", "x1^2": "x1 ** 2", "x2^2": "x2 ** 2", "x1*x2": "x1 * x2",
             "sin_x1": "torch.sin(x1)", "sin_x2": "torch.sin(x2)"}
_ACTIVATIONS = {"relu": "torch.relu({})", "sigmoid": "torch.sigmoid({})", "tanh": "torch.tanh({})",
                "softmax": "torch.softmax({}, dim=1)", "step": "StepFunction.apply({})"}
_INITS = {"xavier": "nn.init.xavier_uniform_({}, generator=generator)",
          "he": 'nn.init.kaiming_uniform_({}, nonlinearity="relu", generator=generator)',
          "normal": "nn.init.normal_({}, 0.0, 0.5, generator=generator)",
          "zeros": "nn.init.zeros_({})",
          "playground": "nn.init.uniform_({}, -0.5, 0.5, generator=generator)"}
MAX_PLAIN_SUM = 4  # torch.stack(...).sum(0) adds up to 4 tensors in order; beyond, it groups them

STEP_FUNCTION = '''

class StepFunction(torch.autograd.Function):
    """Heaviside step. Its true slope is 0 everywhere, so nothing could learn; backward
    passes the gradient where |x| <= 1 instead (straight-through), as perceptrons learn."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x.abs() <= 1).to(grad.dtype)
'''


DROPOUT = '''

class Dropout(nn.Module):
    """Dropout as the app does it: while training, each value is dropped with probability
    p and the kept ones are scaled by 1/(1 - p). dropout_keep picks the dropped values from
    the seed, the layer's place in the network (`salt`) and the training step (set by
    train() before each iteration), so they are the ones the app drops."""

    def __init__(self, p, seed, salt):
        super().__init__()
        self.p, self.seed, self.salt, self.step = p, seed, salt, 0

    def forward(self, x):
        if not self.training or self.p == 0:
            return x  # evaluating (or p = 0): every value passes, unscaled
        keep = dropout_keep(self.seed, self.step, self.salt, x.shape[0], x.shape[1], self.p)
        scale = torch.tensor(1 / (1 - self.p), dtype=torch.float32)
        return x * (torch.from_numpy(keep).to(torch.float32) * scale)
'''


def python_names(order: tuple[str, ...]) -> dict[str, str]:
    """A Python identifier per node id ('dense-1' → 'dense_1'), unique and clashing with
    nothing the script or nn.Module uses. State-dict keys are '<name>.weight' etc."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for node_id in order:
        base = re.sub(r"\W", "_", node_id)
        if base in _RESERVED:
            base += "_"
        name, n = base, 2
        while name in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name)
        names[node_id] = name
    return names


class NetworkWriter:
    """Writes the `Network` class (and the helpers it needs) for one validated graph."""

    def __init__(self, graph: Graph, analysis: Analysis, spec: DataSpec, logits: str | None = None) -> None:
        """`logits`: the node whose values the loss reads, squashed by the sigmoid or softmax
        that gives the output; None when the loss reads the output."""
        self.graph, self.analysis, self.spec = graph, analysis, spec
        self.order = analysis.order
        self.logits = logits
        self.names = python_names(self.order)
        self.kinds = {n: graph.node(n).type for n in self.order}
        self.values = self._value_names()

    # --- what each node's output is called inside forward() ---------------------
    def _value_names(self) -> dict[str, str]:
        """`x` for a value used only by the very next node (a chain reads x = f(x));
        the node's own name when a later node, or several, use it."""
        values = {}
        for i, node_id in enumerate(self.order):
            users = self.graph.outputs_of(node_id)
            following = self.order[i + 1] if i + 1 < len(self.order) else None
            values[node_id] = "x" if users == [following] else self.names[node_id]
        return values

    def _features(self) -> tuple[str, ...] | None:
        """The input features when they differ from the raw x (derived features on 2-D data)."""
        source = next(n for n in self.order if self.kinds[n] == "input")
        features = tuple(self.graph.node(source).params["features"])
        if self.spec.n_inputs != 2 or features == ("x1", "x2"):
            return None
        return features

    # --- code -----------------------------------------------------------------
    def code(self) -> str:
        parts = []
        if any(self.graph.node(n).params.get("function") == "step" for n in self.order
               if self.kinds[n] == "activation"):
            parts.append(STEP_FUNCTION)
        if self.has_dropout():
            parts.append(DROPOUT)
        if self._features():
            parts.append(self._input_features())
        parts.append(self._class())
        return "".join(parts)

    def _input_features(self) -> str:
        features = self._features() or ()
        used = [v for v in ("x1", "x2") if any(v in _FEATURES[f] for f in features)]
        pick = ", ".join(f"x[:, {int(v[1]) - 1}]" for v in used)
        titles = ", ".join(features)
        return (f'\n\ndef input_features(x):\n    """The features the network sees: {titles}."""\n'
                f"    {', '.join(used)} = {pick}\n"
                f"    return torch.stack([{', '.join(_FEATURES[f] for f in features)}], dim=1)\n")

    def _class(self) -> str:
        summary = textwrap.wrap(self._summary(), 88, break_on_hyphens=False)
        summary[0] = '    """' + summary[0]
        summary[1:] = [f"    {line}" for line in summary[1:]]
        summary[-1] += '"""'
        lines = ["", "", "class Network(nn.Module):", *summary, "",
                 "    def __init__(self, seed=SEED):", "        super().__init__()"]
        lines += [f"        {line}" for line in self._layers()]
        init = self._initial_weights()
        if init:
            lines += ["        # the initial weights, drawn from a generator seeded as in Laegna",
                      "        generator = torch.Generator().manual_seed(seed)"]
            lines += [f"        {line}" for line in init]
        lines += ["", "    def forward(self, x):"]
        if self.logits is None:
            lines += [f"        {line}" for line in self._forward(self.order[-2])]  # (order[-1] is the output)
        else:
            function = self.graph.node(self.order[-2]).params["function"]
            lines += [f"        return {_ACTIVATIONS[function].format('self.logits(x)')}", "",
                      "    def logits(self, x):",
                      f'        """The scores the final {function} squashes: the loss is computed from them."""']
            lines += [f"        {line}" for line in self._forward(self.logits)]
        return "\n".join(lines) + "\n"

    def _summary(self) -> str:
        chain = all(len(self.graph.inputs_of(n)) <= 1 and len(self.graph.outputs_of(n)) <= 1
                    for n in self.order)
        if chain:
            return " → ".join(self.graph.node(n).label for n in self.order) + "."
        return (f"The graph drawn in Laegna ({len(self.order)} nodes); forward() runs them in an "
                "order where every input is ready.")

    def _layers(self) -> list[str]:
        lines = []
        for node_id in self.order:
            node, name = self.graph.node(node_id), self.names[node_id]
            if node.type == "dense":
                in_width = self.analysis.widths[self.graph.inputs_of(node_id)[0]]
                bias = "" if node.params["bias"] else ", bias=False"
                lines.append(f"self.{name} = nn.Linear({in_width}, {node.params['units']}{bias})")
            elif node.type == "batch_norm":
                lines.append(f"self.{name} = nn.BatchNorm1d({self.analysis.widths[node_id]})")
            elif node.type == "dropout":
                salt = self.order.index(node_id)  # the layer's place in the order tells its masks apart
                lines.append(f"self.{name} = Dropout({float(node.params['p'])!r}, seed, salt={salt})")
        return lines

    def _initial_weights(self) -> list[str]:
        lines = []
        for node_id in self.order:
            node, name = self.graph.node(node_id), self.names[node_id]
            if node.type != "dense":
                continue
            lines.append(_INITS[node.params["init"]].format(f"self.{name}.weight"))
            if node.params["bias"] and node.params["init"] == "playground":
                lines.append(f"nn.init.constant_(self.{name}.bias, 0.1)  # as TensorFlow Playground")
            elif node.params["bias"]:
                lines.append(f"nn.init.zeros_(self.{name}.bias)")
        return lines

    def _forward(self, last: str) -> list[str]:
        """The nodes up to `last` in order (every node before it feeds it), returning its value."""
        lines = []
        for node_id in self.order[:self.order.index(last) + 1]:
            expression = self._expression(node_id, [self.values[s] for s in self.graph.inputs_of(node_id)])
            target = self.values[node_id]
            if expression != target:
                lines.append(f"{target} = {expression}")
        return lines + [f"return {self.values[last]}"]

    def _expression(self, node_id: str, sources: list[str]) -> str:
        node, name = self.graph.node(node_id), self.names[node_id]
        if node.type == "input":
            return "input_features(x)" if self._features() else "x"
        if node.type in ("dense", "batch_norm", "dropout"):
            return f"self.{name}({sources[0]})"
        if node.type == "concat":
            return f"torch.cat([{', '.join(sources)}], dim=1)"
        if node.type == "add":
            if len(sources) <= MAX_PLAIN_SUM:
                return " + ".join(sources)
            return f"torch.stack([{', '.join(sources)}]).sum(dim=0)  # summed in Laegna's order"
        function = node.params["function"]
        if function == "linear":
            return sources[0]
        if function == "leaky_relu":
            return f"F.leaky_relu({sources[0]}, {node.params['slope']!r})"
        return _ACTIVATIONS[function].format(sources[0])

    def state_names(self) -> dict[str, str]:
        """Laegna's weight names ('dense1.weight') → this module's state-dict keys."""
        keys = {}
        for node_id in self.order:
            node, name = self.graph.node(node_id), self.names[node_id]
            if node.type == "dense":
                suffixes = ("weight", "bias") if node.params["bias"] else ("weight",)
            elif node.type == "batch_norm":
                suffixes = ("weight", "bias", "running_mean", "running_var")
            else:
                continue
            keys.update({f"{node_id}.{s}": f"{name}.{s}" for s in suffixes})
        return keys

    def has_dropout(self) -> bool:
        return any(self.kinds[n] == "dropout" for n in self.order)

    def dense_weights(self) -> list[str]:
        """`model.<name>.weight` of every dense layer (what L1/L2 regularization penalises)."""
        return [f"model.{self.names[n]}.weight" for n in self.order if self.kinds[n] == "dense"]
