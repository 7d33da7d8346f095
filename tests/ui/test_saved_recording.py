"""The time machine's recording saved with the project and reopened in the real window: the
timeline has the same frames at once, scrubbing to step k shows exactly the weights recorded
at step k, and training counts on from the last one. File ▸ Save the Training Recording off
(remembered) leaves it out of the file."""

from __future__ import annotations

import json

import numpy as np

from window_helpers import WAIT, drawn, open_window, training_window


def _train(qtbot, ctl, steps: int, every: int = 10) -> None:
    """`steps` steps, a snapshot (a recorded frame) every `every`."""
    for end in range(every, steps + 1, every):
        ctl.run_steps(every)
        qtbot.waitUntil(lambda: ctl.latest.step == end, timeout=WAIT)
    drawn(qtbot, ctl)


def _save(win, path) -> None:
    win.files.ask_save_path = lambda: str(path)
    assert win.files.save_as()


def test_a_saved_recording_reopens_scrubbable_with_the_weights_of_each_step(qtbot, tmp_path):
    win, ctl = training_window(qtbot)
    _train(qtbot, ctl, 200)
    recorded = {f.step: {k: v.copy() for k, v in f.snapshot.weights.items()} for f in ctl.recording.frames}
    assert len(recorded) > 2 and max(recorded) == 200
    path = tmp_path / "run.laegna"
    _save(win, path)
    assert win.document.project.recording is None  # it lives with training, not in the open project

    other = open_window(qtbot, "circle")
    reopened = other.training.controller
    assert other.files.open(path)
    assert [f.step for f in reopened.recording.frames] == sorted(recorded)  # scrubbable at once
    timeline = other.training.timeline
    assert timeline.slider.isEnabled() and timeline.slider.maximum() == len(recorded) - 1
    qtbot.waitUntil(lambda: reopened.latest is not None, timeout=WAIT)
    assert reopened.latest.step == 200  # training goes on from where the run was saved
    assert len(reopened.history) == len(recorded)  # the curves come back from the recorded numbers
    other.training.tabs.setCurrentWidget(other.training.weights)
    for k in sorted(recorded)[1:-1:max(1, len(recorded) // 4)]:
        timeline.slider.setValue(reopened.recording.index_at(k))
        drawn(qtbot, reopened)
        state = reopened.state
        assert state.moment == k and state.snapshot.step == k
        for name, expected in recorded[k].items():
            np.testing.assert_array_equal(state.snapshot.weights[name], expected)
        np.testing.assert_array_equal(other.training.weights.layers["dense1"].weight.image.image,
                                      recorded[k]["dense1.weight"])
        assert other.training.controls.counters["iteration"].text() == str(k)
        boundary = other.training.boundary  # never the picture of another moment (test_recorded_pictures.py)
        assert boundary.snapshot is None or boundary.snapshot.step == k
    other.training.tabs.setCurrentWidget(other.training.curves)
    drawn(qtbot, reopened)
    assert other.training.curves.marks.moment == state.moment
    timeline.live_button.click()
    drawn(qtbot, reopened)
    assert reopened.state.moment is None
    assert other.training.boundary.image.isVisible() and not other.training.boundary.caption.isVisible()


def test_with_the_option_off_no_recording_is_saved_and_the_choice_is_remembered(qtbot, tmp_path):
    win, ctl = training_window(qtbot)
    _train(qtbot, ctl, 20)
    action = win.actions["save_recording"]
    assert action.isCheckable() and action.isChecked()  # on unless turned off
    _save(win, tmp_path / "with.laegna")
    assert "recording" in json.loads((tmp_path / "with.laegna").read_text())
    action.trigger()
    assert not action.isChecked()
    _save(win, tmp_path / "without.laegna")
    assert "recording" not in json.loads((tmp_path / "without.laegna").read_text())
    assert "weights" in json.loads((tmp_path / "without.laegna").read_text())
    later = open_window(qtbot)
    assert not later.actions["save_recording"].isChecked()

    assert later.files.open(tmp_path / "without.laegna")  # a project without one opens as before
    ctl = later.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    assert ctl.latest.step == 0 and [f.step for f in ctl.recording.frames] == [0]
