"""Live training through the real worker thread: Step, Play/Pause, settings, faults, shutdown."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.presets import load_preset
from laegna_gui.ui.document.commands import SetParamsCommand
from laegna_gui.ui.training.worker import MAX_SNAPSHOTS_PER_SECOND, WorkerThread

WAIT = 10_000
PLAY_WAIT = 120_000
# over three times the snapshots the rate bound allows in the longest the play test may wait
PLAYED_ITERATIONS = 15_000
assert PLAYED_ITERATIONS > 3 * ((PLAY_WAIT + 2 * WAIT) / 1000 * MAX_SNAPSHOTS_PER_SECOND + 3)


def make_window(qtbot, preset="xor", **training):
    from laegna_gui.ui.main_window import MainWindow

    project = load_preset(preset)
    if training:
        project.training = replace(project.training, **training)
    win = MainWindow(project)
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)  # the first snapshot: step 0
    return win, ctl


def test_step_runs_exactly_one_sgd_iteration_and_the_step_view_shows_it(qtbot):
    win, ctl = make_window(qtbot, optimizer="sgd", learning_rate=0.1)
    assert ctl.latest.step == 0
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as blocker:
        win.training.controls.step_button.click()
    snap = blocker.args[0]
    report = snap.report
    assert snap.step == 1 and report is not None
    assert win.training.controls.counters["iteration"].text() == "1"
    for name, grad in report.gradients.items():
        np.testing.assert_allclose(report.weights_after[name] - report.weights_before[name], -0.1 * grad,
                                   rtol=1e-5, atol=1e-7)
    view = win.training.step_view  # W before, ∂L/∂W, update, W after — as the inspector shows them
    qtbot.waitUntil(lambda: view.report is report, timeout=WAIT)  # the tabs draw a turn later
    shown = [plot.image.image for plot in view.plots]
    name = "dense1.weight"
    for image, expected in zip(shown, (report.weights_before[name], report.gradients[name],
                                       report.updates[name], report.weights_after[name])):
        np.testing.assert_array_equal(image, expected)
    np.testing.assert_allclose(shown[2], -0.1 * shown[1], rtol=1e-5, atol=1e-7)


def test_play_sends_snapshots_at_a_bounded_rate_and_pause_stops_training(qtbot):
    import time

    win, ctl = make_window(qtbot)
    received = []
    ctl.snapshot_changed.connect(lambda s: received.append(s.step))
    start = time.perf_counter()
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT):
        win.training.controls.play_button.click()
    qtbot.waitUntil(lambda: bool(received) and received[-1] >= PLAYED_ITERATIONS, timeout=PLAY_WAIT)
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT) as paused:
        win.training.controls.play_button.click()
    assert paused.args == [False]
    elapsed = time.perf_counter() - start
    iterations = received[-1]
    assert received == sorted(received)  # every snapshot is newer than the one before
    # an upper bound over the test's own time: a slow machine sends fewer snapshots, never more
    assert len(received) <= elapsed * MAX_SNAPSHOTS_PER_SECOND + 3
    # several iterations per snapshot, never one each, whatever the machine's speed: the waits
    # above end within PLAY_WAIT + 2 × WAIT, and in that time the bound allows under a third
    # of PLAYED_ITERATIONS snapshots (a slower machine only takes longer to get there)
    assert iterations > 3 * len(received)
    last = ctl.latest.step
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        ctl.step()
    assert stepped.args[0].step == last + 1  # nothing ran while paused


def test_changing_a_hyper_parameter_applies_without_a_reset(qtbot):
    win, ctl = make_window(qtbot, optimizer="sgd", learning_rate=0.1)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    weights_before = ctl.latest.weights
    win.training.controls.editors["learning_rate"].setValue(0.01)
    assert win.document.project.training.learning_rate == 0.01
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as blocker:
        ctl.step()
    report = blocker.args[0].report
    assert blocker.args[0].step == 2  # no reset
    np.testing.assert_array_equal(report.weights_before["dense1.weight"], weights_before["dense1.weight"])
    for name, grad in report.gradients.items():
        np.testing.assert_allclose(report.updates[name], -0.01 * grad, rtol=1e-4, atol=2e-7)  # float32 weights


def test_a_diverging_run_pauses_with_a_banner_and_keeps_finite_weights(qtbot):
    win, ctl = make_window(qtbot, "line", learning_rate=50.0)
    with qtbot.waitSignal(ctl.diverged, timeout=30_000):
        ctl.play()
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    banner = win.training.banner
    assert banner.isVisible() and "learning rate" in banner.message.text()
    assert all(np.all(np.isfinite(w)) for w in ctl.latest.weights.values())
    with qtbot.waitSignal(win.document.training_changed, timeout=WAIT):
        banner.lower_button.click()
    assert win.document.project.training.learning_rate == pytest.approx(5.0)
    assert not banner.isVisible()


def test_an_error_in_the_worker_is_shown_and_the_window_keeps_working(qtbot, monkeypatch):
    from laegna_gui.engine.trainer import Trainer

    win, ctl = make_window(qtbot)
    monkeypatch.setattr(Trainer, "step", lambda self: (_ for _ in ()).throw(RuntimeError("boom")))
    with qtbot.waitSignal(ctl.failed, timeout=WAIT) as failed:
        ctl.step()
    assert "boom" in failed.args[0] and win.training.banner.isVisible()
    monkeypatch.undo()
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as blocker:
        ctl.step()
    assert blocker.args[0].step == 1


def test_editing_the_network_pauses_and_keeps_unchanged_layers(qtbot):
    win, ctl = make_window(qtbot)
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT):
        ctl.play()
    qtbot.waitUntil(lambda: ctl.latest.step > 200, timeout=WAIT)
    win.document.push(SetParamsCommand(win.document.graph, "dense2", {"bias": False}))
    qtbot.waitUntil(lambda: ctl.latest is not None and "dense2.bias" not in ctl.latest.weights, timeout=WAIT)
    assert not ctl.running
    kept = ctl.latest
    assert kept.step > 200  # the counters carry on: it is the same run
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        ctl.step()
    # dense1 kept its trained weights: the step starts from them
    np.testing.assert_array_equal(stepped.args[0].report.weights_before["dense1.weight"],
                                  kept.weights["dense1.weight"])


def test_a_weight_typed_on_the_canvas_is_applied_between_iterations(qtbot):
    win, ctl = make_window(qtbot)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as blocker:
        win.canvas.weight_edit_requested.emit("dense1.weight", (1, 0), 0.625)
    assert blocker.args[0].weights["dense1.weight"][1, 0] == pytest.approx(0.625)


def test_reset_restores_the_initial_weights_and_counters(qtbot):
    win, ctl = make_window(qtbot)
    initial = ctl.latest.weights
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step_epoch()
    assert ctl.latest.epoch == 1
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as blocker:
        win.training.controls.reset_button.click()
    assert blocker.args[0].step == 0
    assert all(np.array_equal(blocker.args[0].weights[k], initial[k]) for k in initial)


def test_closing_the_window_mid_training_stops_its_thread(qtbot):
    win, ctl = make_window(qtbot)
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT):
        ctl.play()
    assert ctl.thread.isRunning()
    win.close()
    assert not ctl.thread.isRunning() and WorkerThread.running() == []


def test_screenshot_with_steps_shows_a_trained_state(tmp_path):
    out = tmp_path / "trained.png"
    result = subprocess.run([sys.executable, "-m", "laegna_gui", "screenshot", "xor", "--steps", "1500",
                             "--out", str(out), "--size", "1200x800"], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "after 1500 iterations" in result.stdout
    assert QImage(str(out)).width() == 1200


def test_keyboard_space_plays_and_pauses_and_s_steps(qtbot):
    from PySide6.QtCore import Qt

    win, ctl = make_window(qtbot)
    win.activateWindow()
    win.canvas.setFocus()
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT) as started:
        qtbot.keyClick(win.canvas, Qt.Key.Key_Space)
    assert started.args == [True]
    with qtbot.waitSignal(ctl.running_changed, timeout=WAIT) as stopped:
        qtbot.keyClick(win.canvas, Qt.Key.Key_Space)
    assert stopped.args == [False]
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    before = ctl.latest.step
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        qtbot.keyClick(win.canvas, Qt.Key.Key_S)
    assert stepped.args[0].step == before + 1 and stepped.args[0].report is not None


def test_saving_keeps_the_trained_weights_and_opening_restores_them(qtbot, tmp_path):
    win, ctl = make_window(qtbot)
    with qtbot.waitSignal(ctl.steps_finished, timeout=WAIT):
        ctl.run_steps(300)
    trained = ctl.latest.weights
    win.files.ask_save_path = lambda: str(tmp_path / "trained.laegna")
    assert win.files.save_as()
    assert win.files.open_preset("xor")  # another project: fresh weights (File ▸ New is a blank network)
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.step == 0
                    and not np.array_equal(ctl.latest.weights["dense1.weight"], trained["dense1.weight"]),
                    timeout=WAIT)
    assert win.files.open(tmp_path / "trained.laegna")
    qtbot.waitUntil(lambda: ctl.latest is not None
                    and np.array_equal(ctl.latest.weights["dense1.weight"], trained["dense1.weight"]),
                    timeout=WAIT)
    assert all(np.array_equal(ctl.latest.weights[k], trained[k]) for k in trained)


def test_a_loss_that_does_not_fit_is_shown_as_invalid_not_sent_to_the_worker(qtbot):
    win, ctl = make_window(qtbot)
    failures = []
    ctl.failed.connect(failures.append)
    fitting = win.document.project.training
    win.document.set_training(replace(fitting, loss="cross_entropy"))  # one output unit: does not fit
    assert win.document.error is not None and "cross-entropy" in win.validity.text()
    win.document.set_training(fitting)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        ctl.step()  # the worker answers in order: any failure from the bad loss came first
    assert stepped.args[0].step == 1 and failures == [] and not win.training.banner.isVisible()


def test_the_status_bar_names_the_engine_and_sampled_losses_are_marked(qtbot):
    from laegna_gui.engine.snapshot import Metrics

    win, ctl = make_window(qtbot)
    label = win.engine_label
    qtbot.waitUntil(lambda: label.text().startswith("Engine: "), timeout=WAIT)
    assert label.text() == f"Engine: {ctl.latest.engine}" and ctl.latest.engine_reason in label.toolTip()
    counters = win.training.controls.counters
    assert not counters["train_loss"].text().startswith("≈")  # xor is small: every point
    sampled = replace(ctl.latest, metrics=Metrics(0.25, 0.5, 0.9, 0.8, sample=4096))
    win.training.controls.show_snapshot(sampled)
    assert counters["train_loss"].text() == "≈ 0.2500" and counters["accuracy"].text() == "≈ 80.0%"
    assert "sample of 4,096 points" in counters["test_loss"].toolTip()
