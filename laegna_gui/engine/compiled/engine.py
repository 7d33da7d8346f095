"""The compiled engine's Python side: builds the kernels' inputs and calls them.

Importing this module does not import numba; the first call of `run` or `step` does (and
compiles the kernels, or loads them from numba's cache).
"""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import torch

from laegna_gui.engine.compiled.flat import FlatState
from laegna_gui.engine.compiled.plan import make_plan

OK, BAD_LOSS, BAD_GRADIENT, BAD_WEIGHTS, CANCELLED = 0, 1, 2, 3, 4
FAILURE = {BAD_LOSS: "loss", BAD_GRADIENT: "gradient", BAD_WEIGHTS: "weights"}


def numba_error() -> str:
    """'' when numba is installed; without it every network trains with torch. (Looked up,
    not imported: importing numba takes half a second the first snapshot need not wait.)"""
    if importlib.util.find_spec("numba") is None:  # pragma: no cover - depends on the environment
        return "numba is not installed, so torch trains every network"
    return ""


def kernels():
    """The compiled kernels module (imports numba and compiles or loads them)."""
    from laegna_gui.engine.compiled import kernels as module

    return module


class CompiledEngine:
    """Trains one Trainer's network with the kernels, on the trainer's flat buffers."""

    def __init__(self, trainer) -> None:
        self.flat: FlatState = trainer.flat
        self.plan = make_plan(trainer.graph, trainer.analysis.order, trainer.analysis.widths, self.flat)
        network = trainer.network
        input_id = trainer.analysis.order[0]
        with torch.no_grad():
            features = network.layer(input_id)(trainer.x_train)
        self.x = np.ascontiguousarray(features.numpy(), dtype=np.float32)
        self._targets_of = None
        self.y = self.labels = None
        self.result = np.zeros(4, dtype=np.float64)

    def _targets(self, encoded: torch.Tensor) -> None:
        if self._targets_of is encoded:
            return
        n = len(self.x)
        if encoded.dtype == torch.long:
            self.labels = np.ascontiguousarray(encoded.numpy(), dtype=np.int64)
            self.y = np.zeros((n, 1), dtype=np.float32)
        else:
            self.y = np.ascontiguousarray(encoded.reshape(n, -1).numpy(), dtype=np.float32)
            self.labels = np.zeros(n, dtype=np.int64)
        self._targets_of = encoded

    def _arguments(self, trainer, config: np.ndarray) -> tuple:
        self._targets(trainer.y_train)
        p, f = self.plan, self.flat
        return (p.nodes, p.sources, p.reals, p.columns, self.x, self.y, self.labels,
                f.rows, f.stats, f.steps, f.mu_products, config)

    def run(self, trainer, n: int, config: np.ndarray, state: np.ndarray) -> tuple[int, float, int]:
        """Up to n iterations from the schedule `state` (updated). (done, last loss, status)."""
        result = self.result
        kernels().run_steps(n, *self._arguments(trainer, config), state, trainer.schedule.order,
                            trainer.cancel.flag, result)
        done = int(result[0])
        return done, float(result[1]) if done else math.nan, int(result[2])

    def step(self, trainer, batch: np.ndarray, config: np.ndarray, seed: int, step: int) -> tuple[int, float]:
        """One iteration on `batch`. (status, gradient norm before clipping)."""
        result = self.result
        kernels().run_batch(np.ascontiguousarray(batch, dtype=np.int64), *self._arguments(trainer, config),
                            seed, step, trainer.cancel.flag, result)
        return int(result[2]), float(result[3])
