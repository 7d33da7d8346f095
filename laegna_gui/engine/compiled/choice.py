"""Which engine trains a network faster: a cost model, and a measurement where it is unsure.

The compiled engine's cost grows with the arithmetic (it runs one multiply-add at a time);
torch's is mostly a fixed price per operation per iteration, with fast matrix routines for
the arithmetic. Small networks are many times faster compiled; very wide layers with big
batches are faster in torch. In between, `Trainer.warm_up` times both on the real network.
"""

from __future__ import annotations

from dataclasses import dataclass

# Seconds, fitted on a 2-core machine of our kind (numba 0.68, torch 2.13, one thread).
COMPILED_PER_MAC = 0.7e-9       # per multiply-add, forward and backward each
COMPILED_PER_STEP = 2.0e-6
TORCH_PER_OP = 30.0e-6          # per node, forward + backward + optimizer bookkeeping
TORCH_PER_STEP = 150.0e-6
TORCH_PER_MAC = 0.15e-9
SURE = 3.0                      # the model decides alone when one side is this many times faster


@dataclass(frozen=True)
class Estimate:
    compiled_s: float
    torch_s: float

    @property
    def sure(self) -> bool:
        return max(self.compiled_s, self.torch_s) >= SURE * min(self.compiled_s, self.torch_s)

    @property
    def compiled_faster(self) -> bool:
        return self.compiled_s <= self.torch_s


def estimate(graph, order, widths: dict[str, int], batch: int, n_params: int) -> Estimate:
    """Modelled seconds per iteration of each engine for this network and batch size."""
    macs = 0
    for node_id in order:
        if graph.node(node_id).type == "dense":
            source = graph.inputs_of(node_id)[0]
            macs += widths[source] * widths[node_id]
    elements = sum(widths.values())
    compiled = COMPILED_PER_STEP + batch * (3 * macs + 10 * elements) * COMPILED_PER_MAC + 8 * n_params * COMPILED_PER_MAC
    torch = TORCH_PER_STEP + len(order) * TORCH_PER_OP + batch * 3 * macs * TORCH_PER_MAC
    return Estimate(compiled, torch)
