"""What leaves the engine: frozen, numpy-only records that are safe to hand to another thread."""

from __future__ import annotations

from dataclasses import dataclass, field

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from laegna_gui.core.graph import Graph
    from laegna_gui.core.training_settings import TrainingSettings
    from laegna_gui.core.validate import DataSpec
    from laegna_gui.engine.probes import Probes


# what the Gradients view says in place of a warning when the optimizer is random search (a
# choice, not trouble: the view shows it as a note)
NO_GRADIENTS = ("Random search uses no gradients: each step tries a random nudge to every weight and keeps "
                "it only if the batch loss falls, so there are no gradient norms to show.")

@dataclass(frozen=True)
class Metrics:
    """Losses without regularization; accuracies are None for regression. `sample` is 0
    when every point was measured, else the size of the fixed sample of each split.
    `train_answers`/`test_answers`: the class the network gave each point of the split, in
    the data's order (read-only int32; -1 where a sample left the point out; None for
    regression) — the per-class errors behind the accuracy."""

    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None
    sample: int = 0
    train_answers: np.ndarray | None = field(default=None, compare=False)
    test_answers: np.ndarray | None = field(default=None, compare=False)

    def scores(self) -> dict[str, float | int | None]:
        """The numbers alone (losses, accuracies, sample), as the command line prints them."""
        return {"train_loss": self.train_loss, "test_loss": self.test_loss, "train_accuracy": self.train_accuracy,
                "test_accuracy": self.test_accuracy, "sample": self.sample}


@dataclass(frozen=True)
class StepBatch:
    """The loss a Step's gradient is the slope of, with all it depends on, so the gradient can
    be checked away from the trainer (engine/finite_differences.py). `graph` is the trainer's
    own copy, which nothing edits; the dropout masks follow from `seed` and the step."""

    x: np.ndarray  # the batch's points
    y: np.ndarray  # their labels (or targets), as the data set has them
    graph: "Graph"
    spec: "DataSpec"
    settings: "TrainingSettings"  # the loss and the regularization the gradient included
    seed: int


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
    batch: StepBatch | None = None  # what the loss was measured on (None: not kept)
    nudge_kept: bool | None = None  # random search (no gradients): its nudge was kept; None: a gradient step


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
