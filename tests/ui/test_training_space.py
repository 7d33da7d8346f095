"""The training controller's 3-D extras: loss landscape, the path across it, layer stages."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.landscape import Landscape, project_point
from laegna_gui.engine.layer_space import LayerStages
from laegna_gui.ui.document.commands import SetParamsCommand
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.training.controller import TrainingController

WAIT = 10_000


@pytest.fixture
def ctl(qtbot):
    parent = QObject()
    doc = Document(parent=parent)
    doc.load(load_preset("xor"))
    controller = TrainingController(doc, parent)
    qtbot.waitUntil(lambda: controller.latest is not None, timeout=WAIT)
    yield controller
    controller.shutdown()
    parent.deleteLater()


def landscape_now(qtbot, ctl, **options) -> Landscape:
    with qtbot.waitSignal(ctl.landscape_ready, timeout=WAIT) as ready:
        ctl.compute_landscape({"n": 11, **options})
    assert isinstance(ready.args[0], Landscape)
    return ready.args[0]


def test_landscape_reports_progress_then_arrives_and_training_draws_a_path(qtbot, ctl):
    progress, paths = [], []
    ctl.landscape_progress.connect(progress.append)
    ctl.path_changed.connect(paths.append)
    land = landscape_now(qtbot, ctl, span=0.5, seed=3)
    assert progress[0] == 0 and progress[-1] == 100 and progress == sorted(progress)
    assert land.losses.shape == (11, 11) and land.alphas[-1] == 0.5
    assert ctl.landscape is land
    assert land.losses[5, 5] == ctl.latest.metrics.train_loss  # computed through the current weights
    # the path starts at the centre
    np.testing.assert_array_equal(ctl.path, [[0.0, 0.0, ctl.latest.metrics.train_loss]])

    with qtbot.waitSignal(ctl.steps_finished, timeout=WAIT):
        ctl.run_steps(50)
    qtbot.waitUntil(lambda: ctl.latest.step == 50 and len(ctl.path) >= 2, timeout=WAIT)
    lengths = [len(p) for p in paths]
    assert lengths == sorted(lengths) and lengths[-1] == len(ctl.path)
    assert ctl.path.shape[1] == 3 and not ctl.path.flags.writeable
    alpha, beta = project_point(land, ctl.latest.weights)
    np.testing.assert_allclose(ctl.path[-1], [alpha, beta, ctl.latest.metrics.train_loss])

    # a reset starts a new path from the new starting weights
    ctl.reset()
    qtbot.waitUntil(lambda: ctl.latest.step == 0, timeout=WAIT)
    qtbot.waitUntil(lambda: len(ctl.path) == 1, timeout=WAIT)
    assert ctl.path[0, 2] == ctl.latest.metrics.train_loss


def test_cancel_stops_a_long_landscape_and_keeps_the_earlier_one(qtbot, ctl):
    first = landscape_now(qtbot, ctl)
    progress = []
    ctl.landscape_progress.connect(progress.append)
    ctl.compute_landscape({"n": 301})  # ~90 000 evaluations: seconds, unless cancelled
    qtbot.waitUntil(lambda: any(0 < p < 100 for p in progress), timeout=WAIT)
    with qtbot.waitSignal(ctl.landscape_ready, timeout=WAIT) as ready:
        ctl.cancel_landscape()
    assert ready.args == [None] and ctl.landscape is first
    # cancelled before it even started
    with qtbot.waitSignal(ctl.landscape_ready, timeout=WAIT) as ready:
        ctl.compute_landscape({"n": 301})
        ctl.cancel_landscape()
    assert ready.args == [None]
    # the worker is free again, with the same weights
    assert landscape_now(qtbot, ctl).losses[5, 5] == first.losses[5, 5]


def test_weights_mode_and_a_bad_request_through_the_controller(qtbot, ctl):
    land = landscape_now(qtbot, ctl, mode="weights", weights=(("dense1.weight", (0, 0)), ("dense2.bias", (0,))))
    assert land.labels == ("dense1.weight[0, 0]", "dense2.bias[0]")
    bad = {"mode": "weights", "weights": (("dense7.weight", (0, 0)), ("dense2.bias", 0))}
    with qtbot.waitSignal(ctl.failed, timeout=WAIT) as failed, \
            qtbot.waitSignal(ctl.landscape_ready, timeout=WAIT) as ready:
        ctl.compute_landscape(bad)
    assert ready.args == [None] and "dense7.weight" in failed.args[0]
    assert ctl.landscape is land


def test_a_graph_edit_clears_the_landscape_and_its_path(qtbot, ctl):
    landscape_now(qtbot, ctl)
    assert len(ctl.path) == 1
    with qtbot.waitSignal(ctl.landscape_cleared, timeout=WAIT):
        ctl.document.push(SetParamsCommand(ctl.document.graph, "activation1", {"function": "relu"}))
    assert ctl.landscape is None and ctl.path.shape == (0, 3)
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    assert ctl.path.shape == (0, 3)  # no landscape, no path


def test_layer_stages_follow_the_snapshots_of_the_chosen_layer(qtbot, ctl):
    arrived = []
    ctl.layer_stages_ready.connect(arrived.append)
    with qtbot.waitSignal(ctl.layer_stages_ready, timeout=WAIT):
        ctl.set_space_layer("dense1")  # sent at once, even while paused
    with qtbot.waitSignal(ctl.layer_stages_ready, timeout=WAIT):
        ctl.step()
    stages = arrived[-1]
    assert isinstance(stages, LayerStages) and stages.node_id == "dense1" and stages.width_out == 4
    assert list(stages.stages) == ["W·x", "+b", "activation"]
    with qtbot.waitSignal(ctl.steps_finished, timeout=WAIT):
        ctl.run_steps(200)
    qtbot.waitUntil(lambda: ctl.latest.step == 201, timeout=WAIT)
    assert len(arrived) >= 3
    # not a dense layer: nothing is sent, and training carries on without complaint
    failures = []
    ctl.failed.connect(failures.append)
    count = len(arrived)
    ctl.set_space_layer("activation1")
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    ctl.set_space_layer(None)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    assert len(arrived) == count and not failures


def test_shutting_down_during_a_landscape_does_not_wait_for_it(qtbot, ctl):
    import time

    progress = []
    ctl.landscape_progress.connect(progress.append)
    ctl.compute_landscape({"n": 301})
    qtbot.waitUntil(lambda: any(0 < p < 100 for p in progress), timeout=WAIT)
    start = time.perf_counter()
    ctl.shutdown()
    assert time.perf_counter() - start < 1.0 and not ctl.thread.isRunning()
