"""What every live view is given: one frozen `LiveState` per moment of training.

The training controller makes a new LiveState whenever something a view shows changes
(a snapshot, a new network, a reset, an edit that makes the network invalid, a divergence,
the layer stages, the loss landscape and its path) and hands it to the one registry of
live views (`live_views.LiveViews`). A view answers with the parts it has to draw; it
never listens to the controller or the document for numbers of its own.

`generation` changes with every new network the worker is given (a new project, an edit,
new data) and with every reset: whatever a view kept of an older generation belongs to
another network. Qt-free, so it can be read and tested without a screen."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Protocol

import numpy as np

from laegna_gui.core.history import History

if TYPE_CHECKING:
    from laegna_gui.core.graph import Graph
    from laegna_gui.engine.landscape import Landscape
    from laegna_gui.engine.layer_space import LayerStages
    from laegna_gui.engine.recording import Recording
    from laegna_gui.engine.snapshot import Snapshot, StepReport

Part = Callable[[], None]
NO_PATH = np.zeros((0, 3))
NO_PATH.setflags(write=False)


class Kind(Enum):
    NO_STEP_YET = "no step yet"  # a valid network whose first numbers have not come yet
    LIVE = "live"
    INVALID = "invalid network"  # `reason` says what is wrong; nothing can be trained
    DIVERGED = "diverged"  # the last step blew up; `snapshot` holds the weights kept from before it


@dataclass(frozen=True, eq=False)
class LiveState:
    """The current network's latest numbers and what state training is in.

    `snapshot`: the latest Snapshot of this generation (None before the first one and while
    the network is invalid). `report`: the last Step's report in this generation, however
    far training has run since. `reason`: why the network is invalid, or the divergence
    message. `diverged_at`: the step that diverged in this generation (kept after training
    goes on, so the curves can still mark it). `graph`: the network (the document's, read
    only). `history` is the controller's, growing in place; its `version` says when.

    `recording`: the run's recorded frames (the controller's, growing in place like the
    history). `moment`: None while the views follow training; the step shown when the user
    has gone back in time — then `snapshot`, `report`, `stages` and `path` are that moment's,
    while `history` goes on growing (the curves mark the moment). `drawing`: that moment has
    no picture (reopened from a file) and the worker is drawing it from its weights."""

    kind: Kind = Kind.NO_STEP_YET
    generation: int = 0
    snapshot: Snapshot | None = None
    history: History = field(default_factory=History)
    report: StepReport | None = None
    reason: str = ""
    diverged_at: int | None = None
    graph: Graph | None = None
    stages: LayerStages | None = None
    landscape: Landscape | None = None
    path: np.ndarray = field(default_factory=lambda: NO_PATH)
    recording: Recording | None = None
    moment: int | None = None
    drawing: bool = False

    @property
    def valid(self) -> bool:
        return self.kind is not Kind.INVALID

    def shows_as(self, other: LiveState | None) -> bool:
        """Whether a view of the network and its latest numbers draws `other` as it draws
        this (the same generation, kind, reason and snapshot)."""
        return (other is not None and other.generation == self.generation and other.kind is self.kind
                and other.reason == self.reason and other.snapshot is self.snapshot)

    @property
    def invalid_text(self) -> str:
        """One line for a view that has nothing to show while the network is invalid."""
        return f"No valid network: {self.reason}" if self.reason else "No valid network"


class LiveView(Protocol):
    """Anything the registry draws: `draw_parts(state)` returns what to draw for `state`,
    one part per turn of the event loop (an empty list when it shows that state already).
    A view shows every kind of state: numbers when there are some, a clear word when
    there are none (no step yet, an invalid network)."""

    def draw_parts(self, state: LiveState) -> list[Part]: ...


def number_text(value: float, decimals: int = 4) -> str:
    """A loss or accuracy as a person reads it: fixed decimals for ordinary values, powers
    of ten for huge ones, and words for what is not a number at all."""
    if math.isnan(value):
        return "undefined (NaN)"
    if math.isinf(value):
        return "overflow" if value > 0 else "−overflow"
    if abs(value) >= 1e5:
        return f"{value:.3g}"
    return f"{value:.{decimals}f}"


def percent_text(value: float) -> str:
    """An accuracy (0…1) as a percentage."""
    return f"{value:.1%}" if math.isfinite(value) else number_text(value)
