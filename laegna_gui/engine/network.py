"""A torch module built from any valid graph, run in topological order."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from laegna_gui.core.graph import Graph
from laegna_gui.core.validate import Analysis, DataSpec
from laegna_gui.engine.layers import build_layer


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
        self._dropouts = [self.layer(n) for n in self.order if self.kinds[n] == "dropout"]
        for salt, node_id in enumerate(self.order):
            if self.kinds[node_id] == "dropout":
                self.layer(node_id).seed, self.layer(node_id).salt = seed, salt

    def set_step(self, step: int) -> None:
        """The training step whose dropout masks the next forward pass draws."""
        for layer in self._dropouts:
            layer.step = step

    def forward(self, x: torch.Tensor, keep: bool = False):
        outputs: dict[str, torch.Tensor] = {}
        for node_id in self.order:
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
            else:
                value = self.layer(node_id)(outputs[sources[0]])
            outputs[node_id] = value
        result = outputs[self.output_id]
        return (result, outputs) if keep else result

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


def _slot(node_id: str) -> str:
    return _SLOT_PREFIX + node_id


def _frozen(tensor: torch.Tensor) -> np.ndarray:
    array = tensor.numpy().copy()
    array.setflags(write=False)
    return array


def frozen_numpy(tensor: torch.Tensor) -> np.ndarray:
    return _frozen(tensor.detach())
