"""Hovering a neuron's live map on the canvas shows that neuron large in the Output view:
its map over the same plane, on the canvas's scale, with a caption naming it; the network's
output comes back when the mouse leaves, and after a reset or an invalid network."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from canvas_helpers import mouse_move, node_item
from window_helpers import drawn, step, training_window
from laegna_gui.ui.canvas.neuron_maps import heatmap_scale
from laegna_gui.ui.training.live_state import Kind

WAIT = 20_000


make_window = training_window


def shows_output(boundary, snapshot) -> bool:
    return (np.array_equal(boundary.image.image, snapshot.probes.boundary) and boundary.image.isVisible()
            and not boundary.caption.isVisible())


def shows_neuron(boundary, snapshot, node_id: str, unit: int) -> bool:
    return (np.array_equal(boundary.image.image, snapshot.probes.neuron_maps[node_id][unit])
            and boundary.caption.isVisible())


@pytest.fixture
def trained(qtbot):
    win, ctl = make_window(qtbot)
    step(qtbot, ctl, 3)
    return win, ctl


def test_hovering_a_neuron_shows_its_map_large_with_a_caption_and_leaving_brings_the_output_back(trained, qtbot):
    win, ctl = trained
    canvas, boundary = win.canvas, win.training.boundary
    maps = canvas.graph_scene.live.neurons["dense1"]
    away = node_item(canvas, "dense1").mapToScene(QPointF(0.0, node_item(canvas, "dense1").layout.rect.top() + 4))
    mouse_move(canvas, away, Qt.MouseButton.NoButton)
    assert shows_output(boundary, ctl.latest)

    with qtbot.waitSignal(canvas.neuron_hovered):
        mouse_move(canvas, maps.items[2].scenePos(), Qt.MouseButton.NoButton)
    snapshot = ctl.latest
    assert shows_neuron(boundary, snapshot, "dense1", 2)
    assert boundary.caption.toPlainText() == "Neuron 2 of Dense 4 — move off it to see the output"
    # the canvas's own scale for the node (over the neurons it draws), over the boundary's extent
    scale = heatmap_scale(snapshot.probes.neuron_maps["dense1"][:maps.count])
    assert tuple(boundary.image.levels) == pytest.approx((-scale, scale))
    rect = boundary.image.mapRectToParent(boundary.image.boundingRect())
    assert (rect.left(), rect.right(), rect.top(), rect.bottom()) == pytest.approx(snapshot.probes.extent)
    assert boundary.train_points.isVisible() and boundary.train_points.zValue() > boundary.image.zValue()

    step(qtbot, ctl)  # while hovered, it follows training
    assert ctl.latest is not snapshot and shows_neuron(boundary, ctl.latest, "dense1", 2)

    with qtbot.waitSignal(canvas.neuron_hovered):
        mouse_move(canvas, away, Qt.MouseButton.NoButton)
    assert shows_output(boundary, ctl.latest)


def test_an_input_neuron_is_named_by_its_feature(trained):
    win, ctl = trained
    win.canvas.neuron_hovered.emit(("input1", 1))
    assert shows_neuron(win.training.boundary, ctl.latest, "input1", 1)
    assert win.training.boundary.caption.toPlainText().startswith("Input x2 — ")
    win.canvas.neuron_hovered.emit(None)
    assert shows_output(win.training.boundary, ctl.latest)


def test_a_reset_or_an_invalid_network_brings_the_output_back(trained, qtbot):
    win, ctl = trained
    boundary = win.training.boundary
    win.canvas.neuron_hovered.emit(("dense1", 0))  # as if the mouse stayed on it: no leave comes
    assert shows_neuron(boundary, ctl.latest, "dense1", 0)
    ctl.reset()
    qtbot.waitUntil(lambda: ctl.state.kind is Kind.LIVE and ctl.latest.step == 0, timeout=WAIT)
    drawn(qtbot, ctl)
    assert shows_output(boundary, ctl.latest)

    win.canvas.neuron_hovered.emit(("dense1", 0))
    assert shows_neuron(boundary, ctl.latest, "dense1", 0)
    fitting = win.document.project.training
    win.document.set_training(replace(fitting, loss="cross_entropy"))  # one output unit: does not fit
    drawn(qtbot, ctl)
    assert ctl.state.kind is Kind.INVALID and not boundary.caption.isVisible()
    win.document.set_training(fitting)
    qtbot.waitUntil(lambda: ctl.state.kind is Kind.LIVE, timeout=WAIT)
    drawn(qtbot, ctl)
    assert shows_output(boundary, ctl.latest)


def test_1d_data_keeps_the_fitted_curve_and_says_nothing(qtbot):
    win, ctl = make_window(qtbot, "sine")
    step(qtbot, ctl, 2)
    boundary = win.training.boundary
    assert ctl.latest.probes.neuron_maps == {}  # 1-D probes carry no neuron maps (nor curves of them)
    curve = boundary.curve.getData()[1].copy()
    dense = next(n for n, node in win.document.graph.nodes.items() if node.type == "dense")
    win.canvas.neuron_hovered.emit((dense, 0))
    assert boundary.curve.isVisible() and np.array_equal(boundary.curve.getData()[1], curve)
    assert not boundary.caption.isVisible() and not boundary.image.isVisible()
