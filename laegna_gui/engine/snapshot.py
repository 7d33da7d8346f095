"""What leaves the engine: frozen, numpy-only records that are safe to hand to another thread."""

from __future__ import annotations

from dataclasses import dataclass, field

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from laegna_gui.engine.probes import Probes


@dataclass(frozen=True)
class Metrics:
    """Losses without regularization; accuracies are None for regression. `sample` is 0
    when every point was measured, else the size of the fixed sample of each split."""

    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None
    sample: int = 0


@dataclass(frozen=True)
class StepReport:
    """One optimizer iteration made visible: before, slope, update, after."""

    step: int
    batch_size: int
    loss_before: float
    loss_after: float
    weights_before: dict[str, np.ndarray]
    gradients: dict[str, np.ndarray]
    updates: dict[str, np.ndarray]
    weights_after: dict[str, np.ndarray]
    gradient_norm: float
    clipped: bool


@dataclass(frozen=True)
class Snapshot:
    """The state of training at one moment, as numpy copies (safe to send across threads).

    `probes` is None when the snapshot was taken without them; `report` is set when the
    snapshot follows a single Step."""

    step: int
    epoch: int
    metrics: Metrics
    weights: dict[str, np.ndarray]
    gradients: dict[str, np.ndarray] = field(default_factory=dict)
    probes: "Probes | None" = None
    report: StepReport | None = None
    engine: str = ""         # the engine that trains it ("compiled (numba)" or "torch")
    engine_reason: str = ""  # why that one, in a short sentence
