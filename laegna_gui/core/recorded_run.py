"""A training recording as a project file keeps it (the time machine's frames, saved so a
reopened project can be scrubbed again), and its checks on load. Qt-free, engine-free.

Compact: the weights are packed per name, every frame's array of that name in one packed
array of shape [frames, *the weight's shape]; the four metric numbers of every frame in one
[frames, 4] array, where NaN and infinities may stand (a run can diverge; NaN is also "no
accuracy", as for regression). Steps and epochs are lists of whole numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.limits import MAX_RECORDED_FRAMES, MAX_RECORDED_STEP, MAX_RECORDED_WEIGHTS
from laegna_gui.core.stored_arrays import ROLES, packed, read_packed

METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")  # the columns of `metrics`
FIELDS = ("steps", "epochs", "metrics", "weights")


@dataclass(frozen=True, eq=False)
class RecordedRun:
    """The kept frames of one run, oldest first: `steps` and `epochs` (int64, one per frame),
    `metrics` (float32 [frames, 4], in METRICS order) and `weights` (name → float32
    [frames, *shape]). Arrays read from a file are read-only."""

    steps: np.ndarray
    epochs: np.ndarray
    metrics: np.ndarray
    weights: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.steps)

    def fits(self, shapes: dict[str, tuple[int, ...]]) -> bool:
        """Its weights are those of a network with these weight shapes."""
        return set(self.weights) == set(shapes) and all(
            tuple(a.shape[1:]) == tuple(shapes[name]) for name, a in self.weights.items())


def run_to_data(run: RecordedRun) -> dict[str, Any]:
    return {"steps": [int(s) for s in run.steps], "epochs": [int(e) for e in run.epochs],
            "metrics": packed(run.metrics, "<f4", finite=False),
            "weights": {name: packed(a, "<f4") for name, a in run.weights.items()}}


def read_run(raw: Any, shapes: dict[str, tuple[int, ...]]) -> RecordedRun:
    """Check a file's `recording` against the network's weight shapes; every defect is one
    ProjectFileError naming its field."""
    if not isinstance(raw, dict):
        raise ProjectFileError("recording: expected an object with steps, epochs, metrics and weights")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise ProjectFileError(f"recording.{unknown[0]}: unknown field; a recording has {', '.join(FIELDS)}")
    for key in FIELDS:
        if key not in raw:
            raise ProjectFileError(f"recording.{key} is missing")
    steps = _counts(raw["steps"], "recording.steps")
    frames = len(steps)
    if frames and (np.diff(steps) < 0).any():
        at = int(np.flatnonzero(np.diff(steps) < 0)[0]) + 1
        raise ProjectFileError(f"recording.steps[{at}]: {int(steps[at]):,} comes after step {int(steps[at - 1]):,}; "
                               "steps may not go back")
    epochs = _counts(raw["epochs"], "recording.epochs")
    if len(epochs) != frames:
        raise ProjectFileError(f"recording.epochs: expected {frames:,} epochs, one per step, got {len(epochs):,}")
    metrics = read_packed(_object(raw["metrics"], "recording.metrics"), "recording.metrics", ROLES["recorded_metrics"])
    if metrics.shape != (frames, len(METRICS)):
        raise ProjectFileError(f"recording.metrics.shape: expected [{frames}, {len(METRICS)}] (one row of "
                               f"{', '.join(METRICS)} per step), got {list(metrics.shape)}")
    weights = _weights(raw["weights"], shapes, frames)
    return RecordedRun(steps, epochs, metrics, weights)


def _counts(raw: Any, where: str) -> np.ndarray:
    """A list of whole numbers 0…MAX_RECORDED_STEP, at most MAX_RECORDED_FRAMES of them."""
    if not isinstance(raw, list):
        raise ProjectFileError(f"{where}: expected a list of whole numbers")
    if len(raw) > MAX_RECORDED_FRAMES:
        raise ProjectFileError(f"{where}: {len(raw):,} frames; a recording may hold at most "
                               f"{MAX_RECORDED_FRAMES:,}")
    for i, value in enumerate(raw):
        if type(value) is not int or not 0 <= value <= MAX_RECORDED_STEP:
            raise ProjectFileError(f"{where}[{i}]: expected a whole number of 0 to {MAX_RECORDED_STEP:,}, "
                                   f"got {str(value)[:40]}")
    array = np.array(raw, dtype=np.int64)
    array.flags.writeable = False
    return array


def _object(raw: Any, where: str) -> dict:
    if not isinstance(raw, dict):
        raise ProjectFileError(f"{where}: expected a packed array (shape, dtype, base64)")
    return raw


def _weights(raw: Any, shapes: dict[str, tuple[int, ...]], frames: int) -> dict[str, np.ndarray]:
    if not isinstance(raw, dict):
        raise ProjectFileError("recording.weights: expected an object of packed arrays, one per weight")
    missing = sorted(set(shapes) - set(raw))
    if missing:
        raise ProjectFileError(f"recording.weights.{missing[0]} is missing; the recording must hold every "
                               "weight of the network")
    weights, total = {}, 0
    for name, entry in raw.items():
        where = f"recording.weights.{name}"
        if name not in shapes:
            raise ProjectFileError(f"{where}: the network has no such weight")
        want = [frames, *shapes[name]]
        shape = _object(entry, where).get("shape")
        if shape != want:  # checked before decoding: a shape that does not fit is refused at once
            raise ProjectFileError(f"{where}.shape: expected {want} (one {list(shapes[name])} array per "
                                   f"frame), got {str(shape)[:60]}")
        total += int(np.prod(want))
        if total > MAX_RECORDED_WEIGHTS:
            raise ProjectFileError(f"{where}: the recording holds more than {MAX_RECORDED_WEIGHTS:,} weights "
                                   "in all, the most a project file may")
        weights[name] = read_packed(entry, where, ROLES["recorded_weights"])
    return weights
