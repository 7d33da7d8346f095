"""How much memory training a network will take, estimated before it starts.

A network can be valid and still impossible here: 20 layers of 1,024 units evaluated on
100,000 points needs tens of gigabytes of activations. The estimate counts float32 numbers:

- parameters, their gradients and the optimizer's state (Adam keeps two more per weight),
  plus the copies snapshots and the step inspector hold (before, after and gradient);
- activations of one batch, forward and backward;
- activations of the full training and test sets, which every evaluation computes at once;
- the live probes: the 64×64 decision grid and the 20×20 grid of every neuron.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.errors import GraphError
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.validate import Analysis

BYTES_PER_NUMBER = 4
# the training state's rows, one number per parameter each: weights, gradients, two optimizer
# moments (kept whatever the optimizer), scratch, and the gradients a cancelled step restores
ENGINE_ROWS = 6
SNAPSHOT_COPIES = 4  # the worker's snapshot, the window's, the step report's before and gradient
PROBE_POINTS = 64 * 64 + 20 * 20
LIMIT_CAP_BYTES = 8 * 2**30


class NetworkTooBigError(GraphError):
    """Training this network would need more memory than this computer should give it."""


@dataclass(frozen=True)
class MemoryEstimate:
    parameters: int  # bytes for weights, gradients, optimizer state and snapshot copies
    activations: int  # bytes for batch, evaluation and probe activations

    @property
    def total(self) -> int:
        return self.parameters + self.activations


def estimate(analysis: Analysis, samples: int, training: TrainingSettings) -> MemoryEstimate:
    """The memory training this network on `samples` points will need, in bytes."""
    copies = ENGINE_ROWS + SNAPSHOT_COPIES
    values_per_point = sum(analysis.widths.values())
    points = 2 * training.batch_size + samples + PROBE_POINTS  # a batch's backward pass doubles it
    return MemoryEstimate(parameters=analysis.total_params * copies * BYTES_PER_NUMBER,
                          activations=values_per_point * points * BYTES_PER_NUMBER)


def dataset_size(settings: DatasetSettings) -> int:
    """How many points (train and test) these dataset settings make."""
    if settings.name == "custom":
        x = (settings.points or {}).get("x")
        return len(x) if isinstance(x, (list, np.ndarray)) else 0
    return settings.samples


def default_limit() -> int:
    """Half of this computer's memory, at most 8 GiB (LAEGNA_MEMORY_LIMIT_MB overrides it)."""
    override = os.environ.get("LAEGNA_MEMORY_LIMIT_MB", "")
    if override.isdigit() and int(override) > 0:
        return int(override) * 2**20
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        physical = 2 * 2**30
    return min(LIMIT_CAP_BYTES, physical // 2)


def readable(size: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size / 2**10:.0f} KB"


def check_memory(analysis: Analysis, samples: int, training: TrainingSettings, limit: int | None = None) -> None:
    """Refuse, with the estimate, a network this computer cannot train."""
    limit = default_limit() if limit is None else limit
    needed = estimate(analysis, samples, training)
    if needed.total > limit:
        raise NetworkTooBigError(
            f"training this network needs about {readable(needed.total)} of memory "
            f"({readable(needed.parameters)} for weights and optimizer state, {readable(needed.activations)} "
            f"for activations on {samples:,} points); the limit here is {readable(limit)}. "
            "Use fewer or narrower layers, or fewer data points.")
