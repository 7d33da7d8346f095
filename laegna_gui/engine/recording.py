"""The recording of a run: every snapshot the views were given, kept so the views can show any
moment again (the time machine). Qt-free.

Snapshots are frozen, so a frame keeps references to them and copies nothing. Memory is held
within `budget` bytes (the sum of the arrays' `nbytes`) by thinning evenly: frames are kept
at every `stride`-th arrival, and the stride doubles whenever the budget is exceeded, so the
kept frames stay evenly spaced over the whole run. The first frame and the latest are always
kept; the start of the run is never dropped.

A project saves its recording (`saved_run`: the weights and metrics of evenly chosen frames,
within the file's limits) and a reopened project restores it (`Recording.restore`): those
frames have no probes, gradients or Step report, so the views show what the weights and
numbers alone give — until the worker has drawn a frame's picture again from its weights
(engine/frame_picture.py) and `picture` gives it to the frame. Such pictures can always be
drawn again, so they are kept only while the budget holds, and never cost a frame."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING

import numpy as np

from laegna_gui.core.limits import MAX_RECORDED_FRAMES, MAX_RECORDED_WEIGHTS
from laegna_gui.core.recorded_run import RecordedRun
from laegna_gui.engine.snapshot import Metrics, Snapshot

if TYPE_CHECKING:
    from laegna_gui.engine.layer_space import LayerStages
    from laegna_gui.engine.snapshot import StepReport

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
    all frames of the recording, which thinning goes by. `bare`: the snapshot as it was
    recorded, when `snapshot` is that one with its picture drawn again (see `picture`)."""

    snapshot: Snapshot
    report: StepReport | None = None
    stages: LayerStages | None = None
    arrival: int = 0
    nbytes: int = field(default=0, compare=False)
    bare: Snapshot | None = None

    @property
    def step(self) -> int:
        return self.snapshot.step


def _frame(snapshot: Snapshot, report: StepReport | None, stages: LayerStages | None, arrival: int,
           bare: Snapshot | None = None) -> Frame:
    return Frame(snapshot, report, stages, arrival, array_bytes(snapshot) + array_bytes(stages), bare)


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
        self._fit(near=len(self.frames) - 1)
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

    def restore(self, run: RecordedRun) -> None:
        """Start again from a saved recording: its frames, oldest first, within the budget."""
        self.clear()
        for i in range(len(run)):
            self._append(_frame(_snapshot(run, i), None, None, i))
        self._arrivals = len(run)
        self._fit(near=len(self.frames) - 1)

    def frame_of(self, arrival: int) -> Frame | None:
        """The frame that arrived as number `arrival`, if it is still kept."""
        i = bisect_right([f.arrival for f in self.frames], arrival) - 1
        return self.frames[i] if i >= 0 and self.frames[i].arrival == arrival else None

    def picture(self, frame: Frame, snapshot: Snapshot) -> Frame:
        """Give kept `frame`, recorded without probes, its picture drawn again: `snapshot`, the
        same moment with probes. Returns the frame with it (the one to show). To stay within
        the budget, pictures drawn again give way first — the farthest from this frame first,
        this one last — before any frame would."""
        index = self.frames.index(frame)
        pictured = _frame(snapshot, frame.report, frame.stages, frame.arrival,
                          frame.snapshot if frame.bare is None else frame.bare)
        self._replace(index, pictured)
        self._fit(near=index)
        self.version += 1
        return pictured

    # --- keeping within the budget -------------------------------------------------------
    def _fit(self, near: int) -> None:
        """Back within the budget: pictures drawn again give way first (the farthest from
        frame `near` first), then frames, by thinning."""
        if self.bytes_used <= self.budget:
            return
        drawn = sorted((i for i, f in enumerate(self.frames) if f.bare is not None), key=lambda i: -abs(i - near))
        for i in drawn:
            if self.bytes_used <= self.budget:
                return
            f = self.frames[i]
            self._replace(i, _frame(f.bare, f.report, f.stages, f.arrival))
        while self.bytes_used > self.budget and len(self.frames) > 2:
            self._thin()

    def _replace(self, index: int, frame: Frame) -> None:
        self.bytes_used += frame.nbytes - self.frames[index].nbytes
        self.frames[index] = frame

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



def _snapshot(run: RecordedRun, i: int) -> Snapshot:
    train_loss, test_loss, train_accuracy, test_accuracy = (float(v) for v in run.metrics[i])
    metrics = Metrics(train_loss, test_loss, None if np.isnan(train_accuracy) else train_accuracy,
                      None if np.isnan(test_accuracy) else test_accuracy)
    return Snapshot(int(run.steps[i]), int(run.epochs[i]), metrics, {name: a[i] for name, a in run.weights.items()})


def saved_run(recording: Recording) -> RecordedRun | None:
    """What a project file keeps of `recording`: frames with finite weights (a diverged run's
    last ones cannot be saved), thinned evenly — the first and the latest kept — to at most
    MAX_RECORDED_FRAMES and MAX_RECORDED_WEIGHTS. None when nothing is left."""
    frames = [f for f in recording.frames if all(np.isfinite(a).all() for a in f.snapshot.weights.values())]
    if not frames:
        return None
    per_frame = max(1, sum(a.size for a in frames[0].snapshot.weights.values()))
    keep = min(len(frames), MAX_RECORDED_FRAMES, MAX_RECORDED_WEIGHTS // per_frame)
    if keep < 1:
        return None
    chosen = [frames[i] for i in np.unique(np.linspace(0, len(frames) - 1, keep).round().astype(int))]
    snapshots = [f.snapshot for f in chosen]
    metrics = np.array([[m.train_loss, m.test_loss, np.nan if m.train_accuracy is None else m.train_accuracy,
                         np.nan if m.test_accuracy is None else m.test_accuracy] for m in (s.metrics for s in snapshots)],
                       dtype=np.float64)
    with np.errstate(over="ignore"):
        metrics = metrics.astype(np.float32)
    return RecordedRun(np.array([s.step for s in snapshots], dtype=np.int64),
                       np.array([s.epoch for s in snapshots], dtype=np.int64), metrics,
                       {name: np.stack([s.weights[name] for s in snapshots]).astype(np.float32)
                        for name in snapshots[0].weights})
