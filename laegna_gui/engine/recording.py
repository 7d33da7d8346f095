"""The recording of a run: every snapshot the views were given, kept so the views can show any
moment again (the time machine). Qt-free.

Snapshots are frozen, so a frame keeps references to them and copies nothing. Memory is held
within `budget` bytes (the sum of the arrays' `nbytes`) by thinning evenly: frames are kept
at every `stride`-th arrival, and the stride doubles whenever the budget is exceeded, so the
kept frames stay evenly spaced over the whole run. The first frame and the latest are always
kept; the start of the run is never dropped."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from laegna_gui.engine.layer_space import LayerStages
    from laegna_gui.engine.snapshot import Snapshot, StepReport

DEFAULT_BUDGET = 64 * 2**20  # bytes


def array_bytes(value: object, seen: set[int] | None = None) -> int:
    """The bytes of every numpy array `value` holds (in dataclasses, dicts, lists and tuples),
    each array counted once."""
    seen = set() if seen is None else seen
    if isinstance(value, np.ndarray):
        if id(value) in seen:
            return 0
        seen.add(id(value))
        return value.nbytes
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, (list, tuple)):
        items = value
    elif is_dataclass(value) and not isinstance(value, type):
        items = [getattr(value, f.name) for f in fields(value)]
    else:
        return 0
    return sum(array_bytes(item, seen) for item in items)


@dataclass(frozen=True, eq=False)
class Frame:
    """One recorded moment: the snapshot, the last Step's report at that moment (the Step view
    shows it) and the space layer's stages if they were followed. `arrival`: its number among
    all frames of the recording, which thinning goes by."""

    snapshot: Snapshot
    report: StepReport | None = None
    stages: LayerStages | None = None
    arrival: int = 0
    nbytes: int = field(default=0, compare=False)

    @property
    def step(self) -> int:
        return self.snapshot.step


def _frame(snapshot: Snapshot, report: StepReport | None, stages: LayerStages | None, arrival: int) -> Frame:
    return Frame(snapshot, report, stages, arrival, array_bytes(snapshot) + array_bytes(stages))


class Recording:
    """The frames of one run, oldest first. `version` bumps on every change."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.frames: list[Frame] = []
        self.bytes_used = 0
        self.stride = 1  # frames kept: every stride-th arrival (and the latest)
        self.version = 0
        self._arrivals = 0

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def steps(self) -> tuple[int, int] | None:
        """The first and the latest step recorded (None: nothing yet)."""
        return (self.frames[0].step, self.frames[-1].step) if self.frames else None

    def clear(self) -> None:
        """A new network or a reset: a new recording."""
        self.frames, self.bytes_used, self.stride, self._arrivals = [], 0, 1, 0
        self.version += 1

    def add(self, snapshot: Snapshot, report: StepReport | None = None) -> Frame:
        """Record the snapshot the views were just given (with the report they showed). A
        snapshot of the step the latest frame has (measured in full after a pause, or a weight
        edited) replaces it: one frame per step, the state training went on from."""
        if self.frames and self.frames[-1].step == snapshot.step:
            arrival = self._drop(-1).arrival
        else:
            if self.frames and self.frames[-1].arrival % self.stride:
                self._drop(-1)  # the latest was kept only as the latest
            arrival, self._arrivals = self._arrivals, self._arrivals + 1
        frame = _frame(snapshot, report, None, arrival)
        self._append(frame)
        while self.bytes_used > self.budget and len(self.frames) > 2:
            self._thin()
        self.version += 1
        return frame

    def attach_stages(self, stages: LayerStages) -> None:
        """The layer stages that followed the latest snapshot belong to its frame."""
        if self.frames:
            last = self._drop(-1)
            self._append(_frame(last.snapshot, last.report, stages, last.arrival))
            self.version += 1

    def truncate_after(self, step: int) -> None:
        """Keep only the frames before `step` (a branch continues from there)."""
        while self.frames and self.frames[-1].step >= step:
            self._drop(-1)
        self.version += 1

    def index_at(self, step: int) -> int:
        """The index of the last frame at or before `step` (0 if none)."""
        return max(0, bisect_right([f.step for f in self.frames], step) - 1)

    # --- keeping within the budget -------------------------------------------------------
    def _append(self, frame: Frame) -> None:
        self.frames.append(frame)
        self.bytes_used += frame.nbytes

    def _drop(self, index: int) -> Frame:
        frame = self.frames.pop(index)
        self.bytes_used -= frame.nbytes
        return frame

    def _thin(self) -> None:
        """Every other kept frame goes: the stride doubles (the first and the latest stay)."""
        self.stride *= 2
        latest = self.frames[-1]
        kept = [f for f in self.frames[:-1] if f.arrival % self.stride == 0] + [latest]
        self.frames = kept
        self.bytes_used = sum(f.nbytes for f in kept)

