"""A reopened recording keeps only weights and numbers; scrubbed to, a moment is drawn again
from its weights by the worker, in the real window: the Output view shows the boundary those
weights give and the canvas their neuron maps, the trainer is not touched (paused or
playing), and an answer that comes after the project was opened again changes nothing."""

from __future__ import annotations

import threading

import numpy as np

from window_helpers import WAIT, drawn, training_window

from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.training import worker as worker_module
from laegna_gui.ui.training.views.boundary_view import DRAWING, NO_PICTURE


def _saved_run(qtbot, tmp_path):
    """The xor window after 200 steps (a frame every 20) saved with its recording and opened
    again: (window, controller, the weights of each recorded step, the file)."""
    win, ctl = training_window(qtbot)
    for end in range(20, 201, 20):
        ctl.run_steps(20)
        qtbot.waitUntil(lambda: ctl.latest.step == end, timeout=WAIT)
    recorded = {f.step: {k: v.copy() for k, v in f.snapshot.weights.items()} for f in ctl.recording.frames}
    path = tmp_path / "run.laegna"
    win.files.ask_save_path = lambda: str(path)
    assert win.files.save_as()
    _reopen(qtbot, win, path)
    assert ctl.recording.frames[1].snapshot.probes is None  # only the weights came back
    return win, ctl, recorded, path


def _reopen(qtbot, win, path) -> None:
    ctl = win.training.controller
    assert win.files.open(path)
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.step == 200, timeout=WAIT)
    drawn(qtbot, ctl)


def _forward(weights: dict[str, np.ndarray], extent, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The xor preset's network (2 → 4 tanh → 1 sigmoid) in numpy over an n×n grid of the
    plane, row 0 at the bottom: (the hidden tanh layer's maps (4, n, n), the output (n, n))."""
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    hidden = np.tanh(points @ weights["dense1.weight"].T.astype(np.float64) + weights["dense1.bias"])
    out = 1 / (1 + np.exp(-(hidden @ weights["dense2.weight"].T.astype(np.float64) + weights["dense2.bias"])))
    return hidden.T.reshape(-1, n, n), out.reshape(n, n)


def _scrub(qtbot, win, ctl, step: int, release=lambda: None) -> None:
    """Drag the timeline to `step`; the moment is drawn from its weights (once `release` lets
    the worker), then shown."""
    win.training.timeline.slider.setValue(ctl.recording.index_at(step))
    assert ctl.state.moment == step and ctl.state.drawing  # asked for at once
    boundary = win.training.boundary
    release()
    qtbot.waitUntil(lambda: ctl.state.snapshot.probes is not None, timeout=WAIT)
    drawn(qtbot, ctl)
    assert boundary.image.isVisible() and not boundary.caption.isVisible()
    assert boundary.snapshot is ctl.state.snapshot and ctl.state.snapshot.step == step and not ctl.state.drawing


def _trainer_weights(ctl) -> dict[str, np.ndarray]:
    """The live trainer's own weights (read while the worker is idle)."""
    return {k: v.copy() for k, v in ctl.worker.trainer.weights().items()}


def test_a_reopened_moment_is_drawn_from_its_weights(qtbot, tmp_path, monkeypatch):
    win, ctl, recorded, _ = _saved_run(qtbot, tmp_path)
    boundary = win.training.boundary
    before = _trainer_weights(ctl)
    gate, draw = threading.Event(), worker_module.frame_picture
    monkeypatch.setattr(worker_module, "frame_picture", lambda *args: (gate.wait(WAIT / 1000), draw(*args))[1])

    def drawing_shown() -> None:  # while the worker draws, the caption says so (not another moment's picture)
        qtbot.waitUntil(lambda: boundary.caption.isVisible() and boundary.caption.toPlainText() == DRAWING,
                        timeout=WAIT)
        assert not boundary.image.isVisible()
        gate.set()
    _scrub(qtbot, win, ctl, 20, release=drawing_shown)
    probes = ctl.state.snapshot.probes
    maps, output = _forward(recorded[20], probes.extent, probes.boundary.shape[0])
    np.testing.assert_allclose(probes.boundary, output, atol=1e-5)  # what the saved weights predict
    np.testing.assert_array_equal(boundary.image.image.shape[:2], probes.boundary.shape)
    canvas_maps = win.canvas.graph_scene.live.neurons["activation1"].maps  # the canvas draws the neurons
    small, _ = _forward(recorded[20], probes.extent, canvas_maps.shape[1])
    np.testing.assert_allclose(canvas_maps, small, atol=1e-5)
    assert ctl.state.snapshot.metrics.train_answers is not None  # the confusion matrix has its answers
    assert set(probes.layer_gradient_norms) == {"dense1", "dense2"}
    assert ctl.recording.frames[ctl.recording.index_at(20)].snapshot is ctl.state.snapshot  # kept for next time

    after = _trainer_weights(ctl)  # the trainer was not touched: it goes on from step 200's weights
    for name, expected in recorded[200].items():
        np.testing.assert_array_equal(before[name], expected)
        np.testing.assert_array_equal(after[name], expected)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as arrived:
        ctl.step()
    report = arrived.args[0].report
    assert report.step == 201
    for name, expected in recorded[200].items():
        np.testing.assert_array_equal(report.weights_before[name], expected)


def test_a_moment_is_drawn_while_training_plays_on(qtbot, tmp_path):
    win, ctl, recorded, _ = _saved_run(qtbot, tmp_path)
    ctl.play()
    qtbot.waitUntil(lambda: ctl.running and ctl.latest.step > 200, timeout=WAIT)
    _scrub(qtbot, win, ctl, 60)
    _, output = _forward(recorded[60], ctl.state.snapshot.probes.extent, ctl.state.snapshot.probes.boundary.shape[0])
    np.testing.assert_allclose(ctl.state.snapshot.probes.boundary, output, atol=1e-5)
    later = ctl.latest.step
    qtbot.waitUntil(lambda: ctl.latest.step > later, timeout=WAIT)  # training went on
    assert ctl.running and ctl.state.moment == 60
    ctl.pause()
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)


def test_an_answer_for_the_project_before_it_was_opened_again_changes_nothing(qtbot, tmp_path):
    win, ctl, _, path = _saved_run(qtbot, tmp_path)
    answers = []
    ctl.worker.frame_pictured.connect(lambda key, snapshot: answers.append((key, snapshot)))
    _scrub(qtbot, win, ctl, 40)
    assert len(answers) == 1 and answers[0][1].step == 40
    _reopen(qtbot, win, path)  # the same frames again (the same arrivals), of a new generation
    frame = ctl.recording.frames[ctl.recording.index_at(40)]
    assert frame.arrival == answers[0][0][1] and frame.snapshot.probes is None
    version, used = ctl.recording.version, ctl.recording.bytes_used
    ctl.worker.frame_pictured.emit(*answers[0])  # late: it belongs to the generation before
    assert ctl.recording.frames[ctl.recording.index_at(40)] is frame
    assert (ctl.recording.version, ctl.recording.bytes_used) == (version, used)
    _scrub(qtbot, win, ctl, 40)  # asked for now, it is drawn
    assert ctl.recording.frames[ctl.recording.index_at(40)].snapshot.probes is not None


def test_a_moment_that_cannot_be_drawn_says_so_and_is_not_asked_for_again(qtbot, tmp_path, monkeypatch):
    win, ctl, _, _ = _saved_run(qtbot, tmp_path)
    asked = []

    def refuse(trainer, snapshot):
        asked.append(snapshot.step)
        raise LaegnaError("not this one")
    monkeypatch.setattr(worker_module, "frame_picture", refuse)
    boundary, slider = win.training.boundary, win.training.timeline.slider
    for step in (80, 100, 80, 100):  # there, on, and back again
        slider.setValue(ctl.recording.index_at(step))
        qtbot.waitUntil(lambda: not ctl.state.drawing, timeout=WAIT)
        drawn(qtbot, ctl)
        assert boundary.caption.isVisible() and boundary.caption.toPlainText() == NO_PICTURE
        assert not boundary.image.isVisible() and ctl.state.snapshot.probes is None
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):  # the worker has run all it was sent before
        ctl.step()
    assert asked == [80, 100]
