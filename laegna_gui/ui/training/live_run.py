"""What the training controller knows of the current network's run, from which it makes each
`LiveState`: the generation, its latest snapshot, the last Step's report, where the run
diverged and the chosen layer's stages. Qt-free.

A generation is one network given to the worker (or one reset of it). The worker announces
each generation before sending anything of it (`started`), so what arrives before that
announcement — the last numbers of a network that has been replaced — can be told apart and
dropped (`current`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from laegna_gui.ui.training.live_state import Kind, LiveState

if TYPE_CHECKING:
    from laegna_gui.engine.snapshot import Snapshot


@dataclass
class Divergence:
    at: int  # the step that blew up; the kept weights are those of the step before
    message: str


class LiveRun:
    """`latest` is the newest snapshot (it outlives a reset until the reset network's first one
    comes, but is only shown while it is of the current generation)."""

    def __init__(self) -> None:
        self.generation = 0  # of the network the views show
        self.sent = 0  # the generation the worker was last given
        self.started = 0  # the generation the worker's signals now belong to
        self.latest: Snapshot | None = None
        self._latest_generation = 0
        self.report = None  # the last Step's StepReport in this generation
        self.divergence: Divergence | None = None
        self.stages = None  # the space layer's latest LayerStages

    @property
    def current(self) -> bool:
        """What the worker sends now is of the current generation."""
        return self.started == self.generation

    def new_generation(self) -> None:
        """Another network, or the same reset: nothing of before applies."""
        self.generation += 1
        self.report = self.divergence = self.stages = None

    def snapshot_arrived(self, snapshot: Snapshot) -> None:
        self.latest, self._latest_generation = snapshot, self.generation
        if snapshot.report is not None:
            self.report = snapshot.report

    def diverged(self, message: str) -> None:
        """The worker sent the kept weights' snapshot first: the step after it blew up."""
        at = self.latest.step + 1 if self.latest is not None else 0
        self.divergence = Divergence(at, message)

    def state(self, error: Exception | None, **shared) -> LiveState:
        """The LiveState of this run for a network whose validation `error` is given; `shared`:
        history, graph, landscape and path, as the controller keeps them."""
        latest = self.latest if self._latest_generation == self.generation else None
        divergence, kind, reason = self.divergence, Kind.LIVE, ""
        if error is not None:
            kind, reason, latest = Kind.INVALID, str(error), None
        elif latest is None:
            kind = Kind.NO_STEP_YET
        elif divergence is not None and latest.step < divergence.at:
            kind, reason = Kind.DIVERGED, divergence.message
        return LiveState(kind=kind, generation=self.generation, snapshot=latest, report=self.report,
                         reason=reason, diverged_at=divergence.at if divergence else None,
                         stages=self.stages, **shared)
