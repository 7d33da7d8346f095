"""A torch module built from any valid graph, run in topological order.

With a `CancelToken` set (`network.cancel`), a forward pass looks at it before every node
and, for a batch big enough to take a while, a backward pass after every node; a dense
layer whose product is very large (many rows through a wide layer) runs in row chunks with
a look between them. So no single operation keeps a cancel waiting for long.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from laegna_gui.core.graph import Graph
from laegna_gui.core.validate import Analysis, DataSpec
from laegna_gui.engine.cancel import CancelToken
from laegna_gui.engine.layers import build_layer

# Multiply-adds one chunk of a dense layer's product may take: about 30 ms on our 2-core
# machine (torch, one thread), a few tenths of a second on a slow one.
CHUNK_MACS = 2**31
# A batch whose pass through the network takes fewer multiply-adds than this is quick
# enough that its backward pass need not look at the token after every node.
WATCH_MACS = 2**24


class GraphNetwork(nn.Module):
    """Runs the graph's nodes in order. `forward(x, keep=True)` also returns every node's output.

    Parameters are named like the project file's weights: "dense1.weight".
    """

    def __init__(self, graph: Graph, analysis: Analysis, spec: DataSpec, seed: int = 0) -> None:
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        self.order = analysis.order
        self.sources = {n: tuple(graph.inputs_of(n)) for n in self.order}
        self.kinds = {n: graph.node(n).type for n in self.order}
        # keyed "n_<id>": a node may be called "forward" or "training", which a ModuleDict
        # refuses as a key because its own attributes carry those names
        self.layers = nn.ModuleDict()
        for node_id in self.order:
            sources = self.sources[node_id]
            in_width = analysis.widths[sources[0]] if sources else spec.n_inputs
            layer = build_layer(graph.node(node_id), in_width, analysis.widths[node_id], spec.n_inputs, generator)
            if layer is not None:
                self.layers[_slot(node_id)] = layer
        self.output_id = next(n for n in self.order if self.kinds[n] == "output")
        self.logits_id = squashed_logits(graph, self.output_id)
        self._dropouts = [self.layer(n) for n in self.order if self.kinds[n] == "dropout"]
        self._macs_per_row = sum(layer.in_features * layer.out_features for layer in self.layers.values()
                                 if isinstance(layer, nn.Linear))
        self.cancel: CancelToken | None = None  # the trainer's, where one may cancel
        for salt, node_id in enumerate(self.order):
            if self.kinds[node_id] == "dropout":
                self.layer(node_id).seed, self.layer(node_id).salt = seed, salt

    def set_step(self, step: int) -> None:
        """The training step whose dropout masks the next forward pass draws."""
        for layer in self._dropouts:
            layer.step = step

    def forward(self, x: torch.Tensor, keep: bool = False):
        outputs: dict[str, torch.Tensor] = {}
        cancel = self.cancel
        watch = (cancel is not None and torch.is_grad_enabled()
                 and x.shape[0] * self._macs_per_row >= WATCH_MACS)
        for node_id in self.order:
            if cancel is not None:
                cancel.check()
            sources = self.sources[node_id]
            kind = self.kinds[node_id]
            if kind == "input":
                value = self.layer(node_id)(x)
            elif kind == "add":
                value = torch.stack([outputs[s] for s in sources]).sum(0)
            elif kind == "concat":
                value = torch.cat([outputs[s] for s in sources], dim=1)
            elif kind == "output":
                value = outputs[sources[0]]
            elif kind == "dense":
                value = dense(self.layer(node_id), outputs[sources[0]], cancel)
            else:
                value = self.layer(node_id)(outputs[sources[0]])
            if watch and kind != "output" and value.requires_grad:
                value.register_hook(_checker(cancel))
            outputs[node_id] = value
        result = outputs[self.output_id]
        return (result, outputs) if keep else result

    def scored(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(output, logits): the logits are what the sigmoid or softmax that gives the output
        squashed (None when no such block feeds the output directly); the loss reads them."""
        if self.logits_id is None:
            return self(x), None
        output, outputs = self(x, keep=True)
        return output, outputs[self.logits_id]

    def layer(self, node_id: str) -> nn.Module:
        """The torch module of a node that has one (input, dense, activation, …)."""
        return self.layers[_slot(node_id)]

    # --- named state, shared with project files --------------------------------
    def named_state(self) -> dict[str, torch.Tensor]:
        """Parameters and batch-norm statistics under their project-file names."""
        state = {}
        for key, value in self.layers.state_dict(keep_vars=True).items():
            if not key.endswith("num_batches_tracked"):
                state[key.removeprefix(_SLOT_PREFIX)] = value
        return state

    def weights(self) -> dict[str, np.ndarray]:
        """Frozen numpy copies of all weights."""
        return {k: _frozen(v.detach()) for k, v in self.named_state().items()}

    def load_weights(self, weights: dict[str, np.ndarray]) -> None:
        state = self.named_state()
        with torch.no_grad():
            for name, array in weights.items():
                state[name].copy_(torch.as_tensor(np.array(array, dtype=np.float32)))

    def named_trainables(self) -> dict[str, nn.Parameter]:
        return {k: v for k, v in self.named_state().items() if isinstance(v, nn.Parameter)}


_SLOT_PREFIX = "n_"


def squashed_logits(graph: Graph, output_id: str) -> str | None:
    """The node whose values a sigmoid or softmax squashes straight into the output, if one does."""
    (last,) = graph.inputs_of(output_id)
    node = graph.node(last)
    if node.type == "activation" and node.params["function"] in ("sigmoid", "softmax"):
        return graph.inputs_of(last)[0]
    return None


def _checker(cancel: CancelToken):
    def check(_grad: torch.Tensor) -> None:  # a gradient hook that changes nothing
        cancel.check()
    return check


def dense(layer: nn.Linear, x: torch.Tensor, cancel: CancelToken | None) -> torch.Tensor:
    """layer(x), in row chunks of about CHUNK_MACS multiply-adds when the product is bigger."""
    rows = max(1, CHUNK_MACS // (layer.in_features * layer.out_features))
    if x.shape[0] <= rows:
        return layer(x)
    return _ChunkedLinear.apply(x, layer.weight, layer.bias, rows, cancel)


class _ChunkedLinear(torch.autograd.Function):
    """x·Wᵀ + b, forward and backward, `rows` rows at a time, looking at `cancel` between
    chunks: the same values as nn.Linear up to float rounding (the weight gradient adds
    the chunks' parts in order), and always the same for the same sizes."""

    @staticmethod
    def forward(ctx, x, weight, bias, rows: int, cancel: CancelToken | None):
        ctx.save_for_backward(x, weight)
        ctx.rows, ctx.cancel, ctx.has_bias = rows, cancel, bias is not None
        out = x.new_empty((x.shape[0], weight.shape[0]))
        for start in _starts(len(x), rows, cancel):
            part, into = x[start:start + rows], out[start:start + rows]
            if bias is None:
                torch.mm(part, weight.t(), out=into)
            else:
                torch.addmm(bias, part, weight.t(), out=into)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        rows, cancel = ctx.rows, ctx.cancel
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_x = grad.new_empty(x.shape)
            for start in _starts(len(x), rows, cancel):
                torch.mm(grad[start:start + rows], weight, out=grad_x[start:start + rows])
        if ctx.needs_input_grad[1]:
            grad_w = weight.new_zeros(weight.shape)
            for start in _starts(len(x), rows, cancel):
                grad_w.addmm_(grad[start:start + rows].t(), x[start:start + rows])
        if ctx.has_bias and ctx.needs_input_grad[2]:
            grad_b = grad.sum(0)
        return grad_x, grad_w, grad_b, None, None


def _starts(n: int, rows: int, cancel: CancelToken | None):
    """0, rows, 2·rows… below n, looking at `cancel` before each."""
    for start in range(0, n, rows):
        if cancel is not None:
            cancel.check()
        yield start


def _slot(node_id: str) -> str:
    return _SLOT_PREFIX + node_id


def _frozen(tensor: torch.Tensor) -> np.ndarray:
    array = tensor.numpy().copy()
    array.setflags(write=False)
    return array


def frozen_numpy(tensor: torch.Tensor) -> np.ndarray:
    return _frozen(tensor.detach())
