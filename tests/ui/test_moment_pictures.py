"""Which reopened moment the worker is asked to draw (moment_pictures.py), without a window:
one request out at a time, the moment on show next; an answer of another generation, for a
frame gone, or for a moment drawn already changes nothing."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from laegna_gui.core.recorded_run import RecordedRun
from laegna_gui.engine.probes import Probes
from laegna_gui.engine.recording import Recording
from laegna_gui.ui.training.moment_pictures import MomentPictures

PROBES = Probes((0.0, 1.0, 0.0, 1.0), np.zeros((4, 4), dtype=np.float32), {}, None, None, {}, {}, "")


def reopened(frames: int) -> Recording:
    run = RecordedRun(np.arange(frames, dtype=np.int64) * 10, np.zeros(frames, dtype=np.int64),
                      np.ones((frames, 4), dtype=np.float32), {"w": np.zeros((frames, 2), dtype=np.float32)})
    recording = Recording()
    recording.restore(run)
    return recording


def answer(key, recording: Recording):
    return replace(recording.frame_of(key[1]).snapshot, probes=PROBES)


def test_one_request_at_a_time_and_the_moment_on_show_is_asked_for_next():
    recording, sent = reopened(6), []
    pictures = MomentPictures(lambda key, snapshot: sent.append((key, snapshot.step)))
    a, b, c = recording.frames[1], recording.frames[2], recording.frames[3]
    pictures.want(7, a)
    pictures.want(7, b)  # scrubbed on while a is drawn: b waits
    pictures.want(7, c)
    assert sent == [((7, a.arrival), 10)] and pictures.drawing(7, c)
    drawn = pictures.arrived((7, a.arrival), answer((7, a.arrival), recording), 7, recording)
    assert drawn is recording.frames[1] and drawn.snapshot.probes is PROBES and not pictures.drawing(7, drawn)
    pictures.want(7, c)  # the moment on show when the answer came
    assert sent[-1] == ((7, c.arrival), 30) and len(sent) == 2
    pictures.want(7, drawn)  # drawn already: not asked again
    assert len(sent) == 2


def test_answers_that_no_longer_fit_change_nothing():
    recording, sent = reopened(6), []
    pictures = MomentPictures(lambda key, snapshot: sent.append(key))
    frame = recording.frames[2]
    key = (3, frame.arrival)
    pictures.want(3, frame)
    version = recording.version
    assert pictures.arrived(key, answer(key, recording), 4, recording) is None  # another generation's
    assert pictures.asked is None  # …but the worker is free again
    pictures.want(3, frame)
    recording.truncate_after(20)  # the frame is gone (a branch from step 10)
    assert pictures.arrived(key, replace(frame.snapshot, probes=PROBES), 3, recording) is None
    assert recording.frame_of(frame.arrival) is None and recording.version == version + 1
    assert all(f.snapshot.probes is None for f in recording.frames)


def test_an_interrupted_request_frees_the_worker_and_a_refused_moment_is_not_asked_again():
    recording, sent = reopened(4), []
    pictures = MomentPictures(lambda key, snapshot: sent.append(key))
    frame = recording.frames[1]
    pictures.want(0, frame)
    pictures.interrupted()  # cancelled: no answer will come
    pictures.want(0, frame)
    assert sent == [(0, frame.arrival)] * 2
    assert pictures.arrived((0, frame.arrival), None, 0, recording) is None
    assert not pictures.drawing(0, frame)
    pictures.want(0, frame)
    assert len(sent) == 2
    pictures.forget()  # a new recording
    assert pictures.drawing(0, frame)
