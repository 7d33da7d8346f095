"""The time machine through the real window: every snapshot is recorded; the timeline takes
every live view back to a recorded moment (exactly the weights the run had then) while training
goes on; ← → move a frame, Live returns to now, Reset starts a new recording, and
"Resume from here" trains on from that moment's weights."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from window_helpers import WAIT, drawn, step, training_window


def _recorded_steps(qtbot, ctl, n: int) -> dict[int, dict[str, np.ndarray]]:
    """`n` Steps; the weights each snapshot had (copies), by step."""
    seen = {ctl.latest.step: {k: v.copy() for k, v in ctl.latest.weights.items()}}
    ctl.snapshot_changed.connect(lambda s: seen.__setitem__(s.step, {k: v.copy() for k, v in s.weights.items()}))
    step(qtbot, ctl, n)
    return seen


def _go_to(qtbot, win, ctl, k: int) -> None:
    """Drag the timeline to the frame of step `k`, and wait for every view to draw it."""
    timeline = win.training.timeline
    timeline.slider.setValue(ctl.recording.index_at(k))
    drawn(qtbot, ctl)


def _shown_weights(win) -> dict[str, np.ndarray]:
    """What the Weights view and the canvas wires draw of the first dense layer."""
    weights_view = win.training.weights
    heatmap = weights_view.layers["dense1"].weight.image.image
    wires = next(g for g in win.canvas.graph_scene.live.wires.values() if g.name == "dense1.weight")
    lines = np.array([[line.value for line in wires.lines if line.index[0] == j] for j in range(heatmap.shape[0])])
    return {"heatmap": heatmap, "wires": lines}


def test_scrubbing_to_step_k_shows_the_weights_the_run_had_at_step_k_in_every_view(qtbot):
    win, ctl = training_window(qtbot)
    win.training.tabs.setCurrentWidget(win.training.weights)
    seen = _recorded_steps(qtbot, ctl, 6)
    assert [f.step for f in ctl.recording.frames] == sorted(seen)  # one frame per snapshot the views got
    latest = ctl.latest
    for k in (2, 0, 4):
        _go_to(qtbot, win, ctl, k)
        state = ctl.state
        assert state.moment == k and state.snapshot.step == k
        for name, expected in seen[k].items():
            np.testing.assert_array_equal(state.snapshot.weights[name], expected)
        assert win.training.weights.snapshot is state.snapshot and win.training.boundary.snapshot is state.snapshot
        assert win.canvas._snapshot is state.snapshot
        shown = _shown_weights(win)
        np.testing.assert_array_equal(shown["heatmap"], seen[k]["dense1.weight"])
        np.testing.assert_allclose(shown["wires"], seen[k]["dense1.weight"], rtol=1e-6)
        assert win.training.controls.counters["iteration"].text() == str(k)
        report = win.training.step_view.report
        assert (report is None) if k == 0 else report.step == k
        win.training.tabs.setCurrentWidget(win.training.curves)  # a tab coming on screen catches up
        marks = win.training.curves.marks
        assert marks.moment == k and marks.moment_lines[0].isVisible() and marks.moment_lines[0].value() == k
        assert f"step {k:,} of {latest.step:,}" in win.training.timeline.label.text()
        win.training.tabs.setCurrentWidget(win.training.weights)
    assert ctl.latest is latest  # only the views went back: training was not touched


def test_arrow_keys_move_one_frame_and_live_returns_to_now(qtbot):
    win, ctl = training_window(qtbot)
    _recorded_steps(qtbot, ctl, 5)
    timeline = win.training.timeline
    _go_to(qtbot, win, ctl, 3)
    timeline.slider.setFocus()
    qtbot.keyClick(timeline.slider, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: ctl.state.moment == 2, timeout=WAIT)
    assert ctl.latest.step == 5  # the window's → (Step) did not fire either way
    qtbot.keyClick(timeline.slider, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: ctl.state.moment == 3, timeout=WAIT)
    assert ctl.latest.step == 5 and timeline.live_button.isEnabled()
    timeline.live_button.click()
    drawn(qtbot, ctl)
    assert ctl.state.moment is None and ctl.state.snapshot is ctl.latest
    assert win.training.boundary.snapshot is ctl.latest and not timeline.live_button.isEnabled()
    assert not win.training.curves.marks.moment_lines[0].isVisible()
    _go_to(qtbot, win, ctl, 1)
    timeline.slider.setValue(timeline.slider.maximum())  # dragging to the end is Live too
    assert ctl.state.moment is None


def test_training_goes_on_undisturbed_while_the_views_show_the_past(qtbot):
    win, ctl = training_window(qtbot)
    _recorded_steps(qtbot, ctl, 3)
    _go_to(qtbot, win, ctl, 1)
    moment = ctl.state.snapshot
    frames = len(ctl.recording)
    win.training.controls.play_button.click()
    qtbot.waitUntil(lambda: ctl.latest.step > 200 and len(ctl.recording) > frames + 3, timeout=WAIT)
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT):
        win.training.controls.play_button.click()
    drawn(qtbot, ctl)
    assert ctl.state.snapshot is moment and ctl.state.moment == 1  # still the chosen moment
    assert win.training.boundary.snapshot is moment and win.canvas._snapshot is moment
    timeline = win.training.timeline
    assert timeline.slider.value() == ctl.recording.index_at(1) and timeline.slider.maximum() == len(ctl.recording) - 1
    assert len(ctl.history) > frames  # the curves grew meanwhile
    timeline.live_button.click()
    assert ctl.state.snapshot is ctl.latest


def test_reset_starts_a_new_recording(qtbot):
    win, ctl = training_window(qtbot)
    _recorded_steps(qtbot, ctl, 4)
    _go_to(qtbot, win, ctl, 2)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.reset()
    drawn(qtbot, ctl)
    assert [f.step for f in ctl.recording.frames] == [0] and ctl.state.moment is None
    assert not win.training.timeline.slider.isEnabled()


def test_resume_from_here_trains_on_from_that_moments_weights(qtbot):
    win, ctl = training_window(qtbot)
    seen = _recorded_steps(qtbot, ctl, 6)
    timeline = win.training.timeline
    _go_to(qtbot, win, ctl, 3)
    asked = []
    timeline.confirm = lambda k: asked.append(k) or True
    assert timeline.resume_button.isEnabled()
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as branched:
        timeline.resume_button.click()
    assert asked == [3]
    first = branched.args[0]
    assert first.step == 3
    for name, expected in seen[3].items():
        np.testing.assert_array_equal(first.weights[name], expected)
    assert [f.step for f in ctl.recording.frames] == [0, 1, 2, 3]  # what came after the moment is gone
    drawn(qtbot, ctl)
    assert ctl.state.moment is None and ctl.state.snapshot is first
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        ctl.step()
    report = stepped.args[0].report
    assert report.step == 4
    for name, expected in seen[3].items():
        np.testing.assert_array_equal(report.weights_before[name], expected)
    assert list(ctl.history.column("step")) == [0, 1, 2, 3, 4]


def test_resume_is_offered_only_while_paused_and_asks_first(qtbot):
    win, ctl = training_window(qtbot)
    _recorded_steps(qtbot, ctl, 3)
    timeline = win.training.timeline
    assert not timeline.resume_button.isEnabled()  # live: nothing to resume from
    _go_to(qtbot, win, ctl, 1)
    timeline.confirm = lambda k: False
    timeline.resume_button.click()
    assert ctl.state.moment == 1 and len(ctl.recording) == 4  # declined: nothing changed
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT):
        win.training.controls.play_button.click()
    assert not timeline.resume_button.isEnabled()
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT):
        win.training.controls.play_button.click()
    assert timeline.resume_button.isEnabled()



def test_the_landscape_path_of_a_moment_ends_at_that_moment(monkeypatch):
    from laegna_gui.ui.training import landscape_path

    class Snap:  # all the path reads of a snapshot
        def __init__(self, step):
            self.step, self.weights = step, {}
            self.metrics = type("M", (), {"train_loss": float(step)})()

    monkeypatch.setattr(landscape_path, "project_point", lambda _landscape, _weights: (0.0, 0.0))
    land = landscape_path.LandscapePath()
    land.landscape = object()
    for k in range(5):
        land.extend(Snap(k))
    part = land.until(2)
    assert list(part[:, 2]) == [0, 1, 2] and land.until(2) is part  # the same array: drawn once
    assert land.until(4) is land.path
    land.extend(Snap(2))  # a branch from step 2 drops what came after it
    assert list(land.path[:, 2]) == [0, 1, 2]
