"""Pictures drawn again for the frames of a reopened recording (Recording.picture): the frame
keeps its place, arrival and step, the memory count follows, and over the budget such pictures
give way — the farthest from the one just drawn first — before any recorded frame would."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from laegna_gui.core.recorded_run import RecordedRun
from laegna_gui.engine.probes import Probes
from laegna_gui.engine.recording import Recording, array_bytes, saved_run
from laegna_gui.engine.snapshot import Metrics, Snapshot

WEIGHTS = 8 * 8 * 4  # bytes of one frame's weights
PICTURE = 32 * 32 * 4  # bytes of one picture's boundary


def reopened(frames: int, budget: int = 10**9) -> Recording:
    """A recording restored from a file: `frames` frames, steps 0, 10, 20…, weights only."""
    run = RecordedRun(np.arange(frames, dtype=np.int64) * 10, np.zeros(frames, dtype=np.int64),
                      np.ones((frames, 4), dtype=np.float32),
                      {"dense1.weight": np.stack([np.full((8, 8), i, dtype=np.float32) for i in range(frames)])})
    recording = Recording(budget)
    recording.restore(run)
    return recording


def pictured(snapshot: Snapshot) -> Snapshot:
    probes = Probes((0.0, 1.0, 0.0, 1.0), np.full((32, 32), snapshot.step, dtype=np.float32), {}, None, None,
                    {}, {}, "")
    return replace(snapshot, probes=probes)


def accounted(recording: Recording) -> bool:
    return recording.bytes_used == sum(f.nbytes for f in recording.frames) == sum(
        array_bytes(f.snapshot) for f in recording.frames)


def test_a_picture_replaces_the_frames_snapshot_in_place():
    recording = reopened(5)
    frame = recording.frames[2]
    assert recording.frame_of(frame.arrival) is frame and recording.frame_of(99) is None
    version, used = recording.version, recording.bytes_used
    drawn = recording.picture(frame, pictured(frame.snapshot))
    assert recording.frames[2] is drawn and drawn.snapshot.probes is not None
    assert (drawn.arrival, drawn.step, drawn.bare) == (frame.arrival, frame.step, frame.snapshot)
    assert recording.frame_of(frame.arrival) is drawn and [f.step for f in recording.frames] == [0, 10, 20, 30, 40]
    assert recording.bytes_used == used + PICTURE and accounted(recording) and recording.version > version
    again = saved_run(recording)  # what is saved is what was recorded: weights and numbers
    np.testing.assert_array_equal(again.weights["dense1.weight"][2], frame.snapshot.weights["dense1.weight"])


def test_over_the_budget_pictures_give_way_farthest_first_and_no_frame_goes():
    recording = reopened(10, budget=10 * WEIGHTS + 3 * PICTURE)
    for i in (0, 9, 4, 5):  # the fourth picture does not fit: the one farthest from frame 5 (0) goes
        recording.picture(recording.frames[i], pictured(recording.frames[i].snapshot))
    assert len(recording) == 10 and recording.stride == 1 and accounted(recording)
    assert [i for i, f in enumerate(recording.frames) if f.snapshot.probes is not None] == [4, 5, 9]
    assert recording.frames[0].bare is None and recording.frames[0].snapshot.probes is None
    assert recording.bytes_used <= recording.budget


def test_new_frames_take_the_pictures_room_before_any_frame_is_thinned():
    recording = reopened(10, budget=11 * WEIGHTS + PICTURE)
    recording.picture(recording.frames[3], pictured(recording.frames[3].snapshot))
    recording.add(Snapshot(100, 0, Metrics(1.0, 1.0, None, None), {"dense1.weight": np.zeros((8, 8), np.float32)}))
    assert recording.frames[3].snapshot.probes is not None  # it still fits
    recording.add(Snapshot(110, 0, Metrics(1.0, 1.0, None, None), {"dense1.weight": np.zeros((8, 8), np.float32)}))
    assert len(recording) == 12 and recording.stride == 1 and accounted(recording)
    assert recording.frames[3].snapshot.probes is None and recording.frames[3].step == 30
