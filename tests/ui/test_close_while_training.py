"""Closing the window, Pause, Reset and File > New do not wait for a training iteration to
end: the worker cancels it between two operations, shows nothing of it, and goes on from
the state before it.

The iteration is made observable with a hook inside the torch network that, on the worker's
thread, says the iteration has begun and then holds it until the window has asked the
worker to stop. Before cancelling existed, nothing asked: the hook gave up waiting and the
iteration ran to its end."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.presets import load_preset
from laegna_gui.ui.training.worker import WorkerThread

WAIT = 10_000
HOLD_SECONDS = 20  # longer than any answer may take; the test fails if the hold runs out


class HeldIteration:
    """Holds the first training iteration after `install` at its first dense layer until the
    worker's cancel token is raised; records whether it was."""

    def __init__(self, monkeypatch, worker) -> None:
        self.started, self.requested = threading.Event(), threading.Event()
        self.saw_request: list[bool] = []
        token = worker.cancel
        request = token.request
        monkeypatch.setattr(token, "request", lambda: (request(), self.requested.set()))

    def install(self, trainer) -> None:
        layer = trainer.network.layer("dense1")
        self._handle = layer.register_forward_hook(self._hold)

    def _hold(self, *_args) -> None:
        if not torch.is_grad_enabled() or self.started.is_set():
            return  # a measurement, or an iteration after the held one
        self.started.set()
        self.saw_request.append(self.requested.wait(HOLD_SECONDS))


@pytest.fixture
def training(qtbot, monkeypatch):
    """A window whose worker trains xor with torch, paused at step 0, with a HeldIteration."""
    from laegna_gui.ui.main_window import MainWindow

    monkeypatch.setenv("LAEGNA_ENGINE", "torch")  # the worker's trainers train with torch
    win = MainWindow(load_preset("xor"), remember_layout=False)
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    held = HeldIteration(monkeypatch, ctl.worker)
    held.install(ctl.worker.trainer)  # the worker is idle: it waits for commands
    problems: list[str] = []
    ctl.failed.connect(problems.append)
    ctl.diverged.connect(problems.append)
    return win, ctl, held, problems


def play_until_held(qtbot, ctl, held: HeldIteration) -> None:
    ctl.play()
    qtbot.waitUntil(lambda: held.started.is_set() and ctl.running, timeout=WAIT)


def test_closing_mid_iteration_stops_the_worker_before_close_returns(qtbot, training):
    win, ctl, held, problems = training
    first = ctl.latest
    trainer = ctl.worker.trainer
    play_until_held(qtbot, ctl, held)
    win.close()
    assert held.saw_request == [True]  # the iteration was asked to stop while it ran…
    assert not ctl.thread.isRunning() and WorkerThread.running() == []  # …and the worker has ended
    assert not win.isVisible() and problems == []
    assert trainer.step_count == 0  # the interrupted iteration left nothing behind
    for name, value in trainer.weights().items():
        np.testing.assert_array_equal(value, first.weights[name])


def test_pause_mid_iteration_shows_the_state_before_it_and_training_goes_on_from_there(qtbot, training):
    win, ctl, held, problems = training
    first = ctl.latest
    play_until_held(qtbot, ctl, held)
    heard: list = []
    ctl.snapshot_changed.connect(heard.append)
    ctl.running_changed.connect(heard.append)
    ctl.pause()
    qtbot.waitUntil(lambda: False in heard, timeout=WAIT)
    # the state training stopped at, then that it stopped: the state before the held iteration
    snapshot, stopped = heard
    assert held.saw_request == [True] and stopped is False
    assert snapshot.step == 0 and all(np.array_equal(snapshot.weights[k], first.weights[k]) for k in first.weights)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        ctl.step()
    assert stepped.args[0].step == 1 and stepped.args[0].report is not None and problems == []


def test_reset_mid_iteration_answers_with_the_reset_network(qtbot, training):
    win, ctl, held, problems = training
    first = ctl.latest
    play_until_held(qtbot, ctl, held)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as reset:
        ctl.reset()
    assert held.saw_request == [True] and reset.args[0].step == 0
    assert all(np.array_equal(reset.args[0].weights[k], first.weights[k]) for k in first.weights)
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        ctl.step()
    assert stepped.args[0].step == 1 and problems == []


def test_a_new_project_mid_iteration_replaces_the_training_at_once(qtbot, training):
    win, ctl, held, problems = training
    play_until_held(qtbot, ctl, held)
    old_trainer = ctl.worker.trainer
    arrived = []
    ctl.snapshot_changed.connect(arrived.append)
    assert win.files.open_preset("xor")  # a new project (File ▸ New is a blank network: nothing to train)
    qtbot.waitUntil(lambda: bool(arrived), timeout=WAIT)
    new_trainer = ctl.worker.trainer
    assert held.saw_request == [True] and old_trainer.step_count == 0 and new_trainer is not old_trainer
    # the first thing shown is the new network: nothing of the old one's interrupted iteration
    assert arrived[0].step == 0 and arrived[0].weights.keys() == new_trainer.weights().keys()
    assert all(np.array_equal(arrived[0].weights[k], v) for k, v in new_trainer.weights().items())
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as stepped:
        ctl.step()
    assert stepped.args[0].step == 1 and problems == []


def test_on_a_large_data_set_pause_shows_the_sampled_state_at_once_and_the_exact_one_next(qtbot):
    """Measuring every point of a big network can take seconds: the state training stopped
    at is shown measured on the fixed sample before the window hears it stopped, and the
    exact measurement follows."""
    from dataclasses import replace

    from laegna_gui.ui.main_window import MainWindow

    project = load_preset("circle")
    project = replace(project, dataset=replace(project.dataset, samples=10_000, test_fraction=0.5))
    win = MainWindow(project, remember_layout=False)
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    assert ctl.latest.metrics.sample == 0  # a paused network is measured on every point
    ctl.play()
    qtbot.waitUntil(lambda: ctl.running and ctl.latest.step > 0, timeout=WAIT)
    heard: list = []
    ctl.snapshot_changed.connect(heard.append)
    ctl.running_changed.connect(heard.append)
    ctl.pause()
    qtbot.waitUntil(lambda: False in heard and heard[-1] is not False, timeout=WAIT)
    at = heard.index(False)  # (snapshots sent while it played may come first)
    sampled, exact = heard[at - 1], heard[at + 1]
    assert len(heard) == at + 2 and sampled.step == exact.step
    assert sampled.metrics.sample > 0 and exact.metrics.sample == 0
    assert all(np.array_equal(sampled.weights[k], exact.weights[k]) for k in exact.weights)
    with qtbot.waitSignals([ctl.snapshot_changed] * 2, timeout=WAIT):  # Reset: the same two
        ctl.reset()
    assert ctl.latest.step == 0 and ctl.latest.metrics.sample == 0
