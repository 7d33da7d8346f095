"""The recording behind the time machine: frames kept by reference, within a memory budget
held by thinning evenly (never by dropping the start), one frame per step, and cut for a branch."""

from __future__ import annotations

import numpy as np

from laegna_gui.engine.recording import DEFAULT_BUDGET, Recording, array_bytes
from laegna_gui.engine.snapshot import Metrics, Snapshot

WEIGHTS = 8 * 8 * 4  # bytes of one synthetic frame's weights


def snapshot(step: int) -> Snapshot:
    weights = {"dense1.weight": np.full((8, 8), step, dtype=np.float32)}
    return Snapshot(step, 0, Metrics(1.0, 1.0, None, None), weights)


def test_frames_keep_the_snapshots_themselves_and_count_their_arrays():
    recording = Recording()
    snaps = [snapshot(i) for i in range(5)]
    for s in snaps:
        recording.add(s)
    assert [f.snapshot for f in recording.frames] == snaps
    assert all(f.snapshot.weights["dense1.weight"] is s.weights["dense1.weight"] for f, s in zip(recording.frames, snaps))
    assert recording.bytes_used == 5 * WEIGHTS == sum(array_bytes(s) for s in snaps)
    assert recording.steps == (0, 4) and recording.budget == DEFAULT_BUDGET


def test_the_budget_holds_over_a_long_run_by_thinning_evenly():
    budget = 100 * WEIGHTS
    recording = Recording(budget)
    for step in range(10_000):
        recording.add(snapshot(step))
        assert recording.bytes_used <= budget
    steps = [f.step for f in recording.frames]
    assert steps[0] == 0 and steps[-1] == 9_999  # the start and now are both kept
    assert len(steps) >= budget // WEIGHTS // 2  # thinned by halves: never below half the budget
    gaps = np.diff(steps[:-1])  # the latest is kept whatever the spacing
    assert len(set(gaps)) == 1 and gaps[0] == recording.stride
    assert recording.bytes_used == sum(array_bytes(f.snapshot) for f in recording.frames)


def test_a_snapshot_of_the_same_step_replaces_the_latest_frame():
    recording = Recording()
    recording.add(snapshot(0))
    recording.add(snapshot(1))
    edited = snapshot(1)
    recording.add(edited)
    assert [f.step for f in recording.frames] == [0, 1] and recording.frames[-1].snapshot is edited
    assert recording.bytes_used == 2 * WEIGHTS


def test_index_at_truncate_and_clear():
    recording = Recording()
    for step in (0, 10, 20, 30):
        recording.add(snapshot(step))
    assert [recording.index_at(s) for s in (0, 5, 10, 29, 30, 99)] == [0, 0, 1, 2, 3, 3]
    recording.truncate_after(20)
    assert [f.step for f in recording.frames] == [0, 10] and recording.bytes_used == 2 * WEIGHTS
    version = recording.version
    recording.clear()
    assert len(recording) == 0 and recording.bytes_used == 0 and recording.steps is None
    assert recording.version > version
