"""Every number training changes, in a few flat float32 buffers that torch views.

`FlatState(network)` moves each parameter, its gradient and each batch-norm statistic into
flat arrays and points the torch tensors at slices of them (`tensor.data =
view`), so the torch modules, the torch optimizer and the compiled kernels read and write
the same memory. The optimizer's state (momentum, Adam's moments, step counts) lives here
too: `bind_optimizer` hands a torch optimizer views of it, so switching engines between
two iterations carries everything over with nothing to copy.
"""

from __future__ import annotations

import math

import numpy as np
import torch


class FlatState:
    """Flat buffers for one network: params, grads, optimizer moments, running statistics."""

    def __init__(self, network) -> None:
        state = network.named_state()
        self.trainables = network.named_trainables()
        params = {k: v for k, v in state.items() if k in self.trainables}
        stats = {k: v for k, v in state.items() if k not in self.trainables}
        self.param_slices = _slices(params)
        self.stat_slices = _slices(stats)
        n_params = sum(v.numel() for v in params.values())
        # rows: params, grads, moment1, moment2, the kernels' scratch for new weights, and the
        # last gradients kept while an iteration that may be cancelled computes new ones
        self.rows = np.zeros((6, n_params), dtype=np.float32)
        self.params, self.grads, self.moment1, self.moment2 = self.rows[:4]
        self.kept_grads = self.rows[5]
        self.stats = np.zeros(sum(v.numel() for v in stats.values()), dtype=np.float32)
        # per tensor, as torch keeps them: the optimizer's step count and NAdam's mu product
        self.steps = np.zeros(max(1, len(params)), dtype=np.float32)
        self.mu_products = np.ones(max(1, len(params)), dtype=np.float32)
        self._tensors = (params, stats)
        self.rebind()

    def rebind(self) -> None:
        """Copy the tensors' values in and point them (and the gradients) at the buffers
        again: also after someone replaced a tensor instead of writing into it."""
        params, stats = self._tensors
        self._bind(params, self.params, self.param_slices, self.grads)
        self._bind(stats, self.stats, self.stat_slices, None)
        self._pointers = self._current_pointers()

    @staticmethod
    def _bind(tensors: dict, buffer: np.ndarray, slices: dict, grads: np.ndarray | None) -> None:
        for name, tensor in tensors.items():
            start, stop = slices[name]
            buffer[start:stop] = tensor.detach().reshape(-1).numpy()
            tensor.data = torch.from_numpy(buffer[start:stop]).view(tensor.shape)
            if grads is not None:
                tensor.grad = torch.from_numpy(grads[start:stop]).view(tensor.shape)

    def _current_pointers(self) -> tuple[int, ...]:
        params, stats = self._tensors
        return (tuple(t.data_ptr() for t in (*params.values(), *stats.values()))
                + tuple(p.grad.data_ptr() if p.grad is not None else 0 for p in params.values()))

    def still_bound(self) -> bool:
        """False if a tensor or gradient was replaced instead of written in place."""
        return self._current_pointers() == self._pointers

    def keep_gradients(self) -> None:
        """Remember the gradients before an iteration that may be cancelled overwrites them."""
        np.copyto(self.kept_grads, self.grads)

    def restore_gradients(self) -> None:
        np.copyto(self.grads, self.kept_grads)

    def reset_optimizer(self) -> None:
        """A fresh optimizer: moments zero, steps zero (as a newly made torch optimizer)."""
        self.moment1[:] = 0
        self.moment2[:] = 0
        self.steps[:] = 0
        self.mu_products[:] = 1

    def bind_optimizer(self, optimizer: torch.optim.Optimizer, kind: str) -> None:
        """Give a newly made torch optimizer views of this state as its own, so its
        iterations and the compiled ones continue each other's work."""
        for i, (name, p) in enumerate(self.trainables.items()):
            start, stop = self.param_slices[name]
            m1 = torch.from_numpy(self.moment1[start:stop]).view(p.shape)
            m2 = torch.from_numpy(self.moment2[start:stop]).view(p.shape)
            step = torch.from_numpy(self.steps[i:i + 1]).view(())
            mu = torch.from_numpy(self.mu_products[i:i + 1]).view(())
            optimizer.state[p] = _torch_state(kind, m1, m2, step, mu)


def _torch_state(kind: str, m1, m2, step, mu) -> dict:
    if kind in ("momentum", "nesterov"):
        return {"momentum_buffer": m1}  # zeros: torch's first step (buffer = grad) is the same
    if kind == "rmsprop":
        return {"step": step, "square_avg": m1}
    if kind == "adam":
        return {"step": step, "exp_avg": m1, "exp_avg_sq": m2}
    if kind == "nadam":
        return {"step": step, "mu_product": mu, "exp_avg": m1, "exp_avg_sq": m2}
    return {}


def _slices(tensors: dict) -> dict[str, tuple[int, int]]:
    slices, offset = {}, 0
    for name, tensor in tensors.items():
        slices[name] = (offset, offset + tensor.numel())
        offset += tensor.numel()
    return slices


class FlatGuard:
    """The last good weights and batch-norm statistics, so a diverging step can be undone
    (one copy of two flat arrays)."""

    def __init__(self, flat: FlatState) -> None:
        self.flat = flat
        self.params = flat.params.copy()
        self.stats = flat.stats.copy()

    def save(self) -> None:
        np.copyto(self.params, self.flat.params)
        np.copyto(self.stats, self.flat.stats)

    def restore(self) -> None:
        np.copyto(self.flat.params, self.params)
        np.copyto(self.flat.stats, self.stats)

    def finite(self) -> bool:
        # max and min are NaN when any value is, ±inf when any is: no temporary arrays
        return all(a.size == 0 or (math.isfinite(a.max()) and math.isfinite(a.min()))
                   for a in (self.flat.params, self.flat.stats))
