"""Every live view follows the current network through one path: the Step view, the counters,
the boundary, the tabs and the 3-D views show a new network, a reset, an invalid network and
a diverged run as what they are — never another network's numbers (issue 16, items 1, 5, 6)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from window_helpers import drawn, step, training_window
from laegna_gui.core.presets import load_preset
from laegna_gui.ui.canvas.view import GraphView
from laegna_gui.ui.space3d.affine_fit_view import AffineFitView
from laegna_gui.ui.space3d.landscape_view import LandscapeView
from laegna_gui.ui.space3d.layer_space_view import LayerSpaceView
from laegna_gui.ui.training.banner import TrainingBanner
from laegna_gui.ui.training.controls import TrainingControls
from laegna_gui.ui.training.live_state import Kind, LiveState
from laegna_gui.ui.training.live_views import LiveViews
from laegna_gui.ui.training.views.boundary_view import BoundaryView
from laegna_gui.ui.training.views.curves_view import CurvesView
from laegna_gui.ui.training.views.formula_view import FormulaView
from laegna_gui.ui.training.views.gradients_view import GradientsView
from laegna_gui.ui.training.views.heatmap import compact
from laegna_gui.ui.training.views.step_matrix import CELL_HEIGHT, CELL_WIDTH, GAP
from laegna_gui.ui.training.views.step_view import NO_STEP, StepView
from laegna_gui.ui.training.views.weights_view import WeightsView

WAIT = 20_000
LIVE_VIEW_CLASSES = (TrainingControls, TrainingBanner, BoundaryView, GraphView, CurvesView, WeightsView,
                     GradientsView, StepView, FormulaView, AffineFitView, LayerSpaceView, LandscapeView)


make_window = training_window


def first_numbers(qtbot, ctl) -> None:
    """The new network's (or reset one's) first snapshot has come and is drawn."""
    qtbot.waitUntil(lambda: ctl.state.kind is not Kind.NO_STEP_YET, timeout=WAIT)
    drawn(qtbot, ctl)


def show_tab(win, view: QWidget) -> None:
    win.training.tabs.setCurrentWidget(view)


# --- one list ---------------------------------------------------------------------------------
def test_every_live_view_of_the_window_is_registered_once_in_the_one_list(qtbot):
    win, ctl = make_window(qtbot)
    registry = ctl.views
    widgets = [entry.widget for entry in registry.entries]
    views = registry.views()
    found = [w for w in win.findChildren(QWidget) if isinstance(w, LIVE_VIEW_CLASSES)]
    assert {type(w) for w in found} == set(LIVE_VIEW_CLASSES)  # the walk sees every kind of view
    for widget in found:
        assert widget in widgets or widget in views, f"{type(widget).__name__} is not a registered live view"
    assert len(set(map(id, views))) == len(views)  # each once


def test_a_hidden_tab_catches_up_with_the_latest_state_when_shown(qtbot):
    win, ctl = make_window(qtbot)
    weights = win.training.weights
    show_tab(win, win.training.curves)
    step(qtbot, ctl, 3)
    assert weights.snapshot is not ctl.latest  # hidden: not drawn
    show_tab(win, weights)  # drawn as it comes on screen, before anything else runs
    assert weights.snapshot is ctl.latest
    np.testing.assert_array_equal(weights.layers["dense1"].weight.image.image, ctl.latest.weights["dense1.weight"])


class Recorder:
    """A live view of two parts that notes each part it draws."""

    def __init__(self, name: str, log: list) -> None:
        self.name, self.log = name, log

    def draw_parts(self, state: LiveState) -> list:
        return [lambda k=k: self.log.append((self.name, k, state.generation)) for k in (1, 2)]


def test_the_scheduler_draws_one_part_per_turn_and_a_newer_state_replaces_the_rest(qtbot):
    log: list = []
    frames: list = []
    registry = LiveViews(lambda: frames.append(len(log)))
    widgets = [QWidget() for _ in range(3)]
    for widget in widgets:
        qtbot.addWidget(widget)
        widget.show()
    registry.register(Recorder("counters", log), widgets[0], at_once=True)
    registry.register(Recorder("plot", log), widgets[1])
    registry.register(Recorder("hidden tab", log), widgets[2])
    widgets[2].hide()
    registry.publish(LiveState(generation=1))
    assert log == [("counters", 1, 1), ("counters", 2, 1)]  # at once, in the turn the state came
    registry._draw_timer.stop()  # the test turns the loop by hand
    registry._turn()
    assert log[-1] == ("plot", 1, 1) and registry.busy
    registry.publish(LiveState(generation=2))  # the plot's second part of state 1 is never drawn
    registry._draw_timer.stop()
    for _ in range(3):
        registry._turn()
    assert [e for e in log if e[0] == "plot"] == [("plot", 1, 1), ("plot", 1, 2), ("plot", 2, 2)]
    assert not registry.busy and not [e for e in log if e[0] == "hidden tab"]  # hidden: not drawn
    qtbot.waitUntil(lambda: frames == [len(log)])  # then, a turn later, the frame is said to be drawn
    widgets[2].show()  # comes on screen: catches up with the latest state at once
    assert log[-2:] == [("hidden tab", 1, 2), ("hidden tab", 2, 2)]


# --- item 1: the Step view shows the current network's last step, or none ---------------------
def test_the_step_view_forgets_the_last_step_on_reset_new_and_another_project(qtbot):
    win, ctl = make_window(qtbot)
    view = win.training.step_view
    show_tab(win, view)
    step(qtbot, ctl, 3)
    assert view.step_label.text() == "after step 3" and view.pages.currentIndex() == 1

    win.training.controls.reset_button.click()  # Reset
    first_numbers(qtbot, ctl)
    assert ctl.latest.step == 0
    assert view.report is None and view.pages.currentWidget() is view.hint and view.hint.text() == NO_STEP
    step(qtbot, ctl)
    assert view.step_label.text() == "after step 1"

    win.actions["new"].trigger()  # File ▸ New: a blank network
    qtbot.waitUntil(lambda: ctl.state.generation > 0 and ctl.latest is None, timeout=WAIT)
    drawn(qtbot, ctl)
    assert view.report is None and view.pages.currentWidget() is view.hint
    assert "after step" not in view.hint.text()

    win.document.load(load_preset("spiral3"))  # another project
    first_numbers(qtbot, ctl)
    assert view.report is None and view.hint.text() == NO_STEP
    step(qtbot, ctl)
    report = ctl.latest.report
    assert view.report is report and view.step_label.text() == "after step 1"
    np.testing.assert_array_equal(view.plots[0].image.image, report.weights_before["dense1.weight"])


def test_while_training_runs_on_the_step_view_says_which_step_it_shows(qtbot):
    win, ctl = make_window(qtbot)
    view = win.training.step_view
    show_tab(win, view)
    step(qtbot, ctl)
    with qtbot.waitSignal(ctl.steps_finished, timeout=WAIT):
        ctl.run_steps(500)  # as when playing: no step reports
    drawn(qtbot, ctl)
    assert ctl.latest.step == 501 and ctl.latest.report is None
    assert view.report.step == 1
    assert view.step_label.text().startswith("after step 1 — training has run on since")
    step(qtbot, ctl)
    assert view.step_label.text() == "after step 502"


def test_the_step_view_draws_w_with_its_bias_column_in_small_cells_and_exact_values_on_hover(qtbot):
    win, ctl = make_window(qtbot)
    view = win.training.step_view
    show_tab(win, view)
    step(qtbot, ctl)
    report = ctl.latest.report
    view.set_layer("dense2")  # xor's output layer: a 1×4 matrix and one bias
    after = view.plots[3]
    np.testing.assert_array_equal(after.image.image, report.weights_after["dense2.weight"])
    np.testing.assert_array_equal(after.bias_image.image.ravel(), report.weights_after["dense2.bias"])
    assert after.bias_numbers() == [compact(report.weights_after["dense2.bias"][0])]
    qtbot.waitUntil(lambda: 0 < after.view.height() <= CELL_HEIGHT + 1, timeout=WAIT)  # laid out: one row
    assert after.view.width() <= (4 + GAP + 1) * CELL_WIDTH + 1  # not a panel-wide stretch of four cells
    peak = max(np.abs(report.weights_after["dense2.weight"]).max(), np.abs(report.weights_after["dense2.bias"]).max())
    assert tuple(after.bias_image.levels) == pytest.approx((-peak, peak))  # one scale for W and b

    class Hover:
        def __init__(self, x: float, y: float) -> None:
            self._pos = QPointF(x, y)

        def isExit(self) -> bool:  # noqa: N802 — pyqtgraph's hover event
            return False

        def pos(self) -> QPointF:
            return self._pos

        def acceptClicks(self, _button) -> None:  # noqa: N802
            pass

        def acceptDrags(self, _button) -> None:  # noqa: N802
            pass

    def hovered(image, x: float) -> str:
        image.hoverEvent(Hover(x, 0.5))
        return image.toolTip()

    bias, weights = report.weights_after["dense2.bias"], report.weights_after["dense2.weight"]
    assert hovered(after.bias_image, 0.5) == f"bias of neuron 1: {bias[0]!s}"
    tips = [hovered(after.image, col + 0.5) for col in range(4)]
    assert tips[2].startswith("row 1, column 3: ")
    numbers = [tip.rsplit(": ", 1)[1] for tip in tips]
    assert [np.float32(n) for n in numbers] == list(weights[0])  # each reads back as exactly the weight
    assert any(len(n) > len(compact(w)) for n, w in zip(numbers, weights[0]))  # more than the cells print


# --- item 5: a diverging run shows the kept weights and where it blew up ------------------------
def test_a_diverged_run_shows_the_kept_weights_numbers_and_marks_the_step_on_the_curves(qtbot):
    win, ctl = make_window(qtbot, "exploding")
    show_tab(win, win.training.curves)
    with qtbot.waitSignal(ctl.diverged, timeout=60_000):
        ctl.play()
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    drawn(qtbot, ctl)
    state, kept = ctl.state, ctl.latest
    assert state.kind is Kind.DIVERGED and state.snapshot is kept and state.diverged_at == kept.step + 1
    counters = win.training.controls.counters
    assert counters["iteration"].text() == f"{kept.step:,} (kept)"
    assert all("inf" not in label.text() for label in counters.values())
    assert counters["train_loss"].isEnabled()
    assert f"diverged at step {kept.step + 1}" in counters["train_loss"].toolTip()

    curves = win.training.curves
    line = curves.marks.lines[0]
    assert line.isVisible() and line.value() == kept.step + 1
    assert line.label.toPlainText() == f"diverged at step {kept.step + 1}"
    x0, x1 = curves.loss_plot.getPlotItem().vb.viewRange()[0]
    assert x0 <= 0 and kept.step + 1 <= x1
    y0, y1 = curves.loss_plot.getPlotItem().vb.viewRange()[1]
    assert np.isfinite([y0, y1]).all() and y1 < 1e6  # the blow-up does not squash the curve
    steps, losses = curves.curves["train_loss"].getOriginalDataset()
    assert len(steps) == len(ctl.history) and np.isfinite(losses).sum() >= 1
    assert "diverged at step" in curves.readout.text()

    boundary = win.training.boundary  # the fitted curve's huge values leave the plot's range alone
    (_, _), (b0, b1) = boundary.plot.getPlotItem().vb.viewRange()
    assert -10 < b0 < b1 < 10

    show_tab(win, win.training.gradients)
    grad_line = win.training.gradients.marks.lines[0]
    assert grad_line.isVisible() and grad_line.value() == kept.step + 1

    win.training.controls.reset_button.click()  # a reset network has not diverged
    first_numbers(qtbot, ctl)
    assert ctl.state.kind is Kind.LIVE and not grad_line.isVisible()
    assert counters["iteration"].text() == "0" and not win.training.banner.isVisible()


# --- item 6: an invalid network empties every live view, with the reason ----------------------
def test_an_invalid_network_clears_every_live_view_until_it_is_valid_again(qtbot):
    win, ctl = make_window(qtbot)
    panel = win.training
    step(qtbot, ctl, 20)
    assert panel.boundary.image.isVisible() and win.canvas.graph_scene.live.shown
    layers = [n for n, node in win.document.graph.nodes.items() if node.type not in ("input", "output")]
    win.canvas.select_nodes(layers)
    win.canvas.delete_selection()  # every layer
    reason = str(win.document.error)
    assert win.document.error is not None
    drawn(qtbot, ctl)
    assert ctl.state.kind is Kind.INVALID and ctl.latest is None

    boundary = panel.boundary
    assert not boundary.image.isVisible() and boundary.pages.currentWidget() is boundary.message
    assert boundary.message.text().startswith(f"No valid network: {reason}")
    assert all(label.text() == "—" and not label.isEnabled() for label in panel.controls.counters.values())
    assert reason in panel.controls.counters["train_loss"].toolTip()
    assert not win.canvas.graph_scene.live.shown
    for view, text in ((panel.curves, lambda: panel.curves.readout.text()),
                       (panel.weights, lambda: panel.weights.hint.text()),
                       (panel.gradients, lambda: panel.gradients.legend.text()),
                       (panel.step_view, lambda: panel.step_view.hint.text()),
                       (panel.formula, lambda: panel.formula.plain_text())):
        show_tab(win, view)
        assert text().startswith("No valid network"), type(view).__name__
    assert all(c.opacity() < 1 for c in panel.curves.curves.values())  # the old run, greyed

    win.tabs.show_view("layer-space")
    assert win.tabs.space.note.text().startswith("No valid network")

    win.document.undo_stack.undo()  # valid again: everything resumes
    assert win.document.error is None
    win.tabs.setCurrentIndex(0)
    first_numbers(qtbot, ctl)
    assert boundary.image.isVisible() and boundary.pages.currentWidget() is boundary.plot
    assert panel.controls.counters["iteration"].text() == f"{ctl.latest.step:,}"
    assert win.canvas.graph_scene.live.shown
    show_tab(win, panel.curves)
    assert all(c.opacity() == 1 for c in panel.curves.curves.values())
    assert not panel.curves.readout.text().startswith("No valid network")


def test_training_settings_that_do_not_fit_grey_the_views_and_fitting_ones_bring_them_back(qtbot):
    win, ctl = make_window(qtbot)
    step(qtbot, ctl, 5)
    fitting = win.document.project.training
    win.document.set_training(replace(fitting, loss="cross_entropy"))  # one output unit: does not fit
    drawn(qtbot, ctl)
    assert ctl.state.kind is Kind.INVALID
    assert win.training.boundary.message.text().startswith("No valid network")
    win.document.set_training(fitting)
    drawn(qtbot, ctl)
    assert ctl.state.kind is Kind.LIVE and ctl.state.snapshot.step == 5
    assert win.training.boundary.image.isVisible()
    assert win.training.controls.counters["iteration"].text() == "5"


# --- the 3-D views follow the same path -------------------------------------------------------
def test_the_3d_views_get_their_live_data_through_the_registry(qtbot):
    win, ctl = make_window(qtbot)
    tabs = win.tabs
    tabs.show_view("layer-space")
    qtbot.waitUntil(lambda: ctl.state.stages is not None, timeout=WAIT)
    drawn(qtbot, ctl)
    assert tabs.space.stages is ctl.state.stages and tabs.space.stages.node_id == "dense1"

    tabs.show_view("landscape")
    with qtbot.waitSignal(ctl.landscape_ready, timeout=WAIT):
        ctl.compute_landscape({"n": 9})
    drawn(qtbot, ctl)
    assert tabs.landscape.landscape is ctl.landscape is not None
    step(qtbot, ctl, 2)
    np.testing.assert_array_equal(tabs.landscape.path, ctl.path)
    assert len(ctl.path) == 3

    win.document.set_training(replace(win.document.project.training, loss="mse"))  # its heights no longer apply
    drawn(qtbot, ctl)
    assert ctl.landscape is None and tabs.landscape.landscape is None
    assert tabs.landscape.pages.currentWidget() is not tabs.landscape.panel or not tabs.landscape.panel.has_gl


def test_the_affine_fit_follows_the_snapshots_while_it_is_shown(qtbot):
    win, ctl = make_window(qtbot, "affine3d")
    fit = win.tabs.fit
    win.tabs.show_view("affine-fit")
    drawn(qtbot, ctl)
    assert fit.step_label.text() == "step 0, epoch 0"
    win.tabs.show_view("network")
    step(qtbot, ctl)
    assert fit.step_label.text() == "step 0, epoch 0"  # hidden: not drawn
    win.tabs.show_view("affine-fit")
    assert fit.step_label.text() == "step 1, epoch 0"  # caught up as it came on screen


# --- axis titles and their ticks ----------------------------------------------------------------
def _tick_label_rects(axis) -> list:
    """Where the axis draws its tick labels (axis coordinates)."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [rect for rect, _flags, text in specs[2] if text.strip()]


@pytest.mark.parametrize("size", [(1280, 800), (1400, 860), (1920, 1080)])
def test_axis_titles_stay_clear_of_their_tick_labels_and_whole(qtbot, size):
    win, ctl = make_window(qtbot, "spiral3")
    win.resize(*size)
    panel = win.training
    step(qtbot, ctl, 3)
    for view, plots in ((panel.curves, (panel.curves.loss_plot, panel.curves.accuracy_plot)),
                        (panel.gradients, (panel.gradients.grad_plot, panel.gradients.dead_plot))):
        show_tab(win, view)
        drawn(qtbot, ctl)
        qtbot.waitUntil(lambda: all(p.getAxis("left").height() > 0 for p in plots), timeout=WAIT)
        for plot in plots:
            axis = plot.getAxis("left")
            title = axis.label.mapRectToParent(axis.label.boundingRect())
            ticks = _tick_label_rects(axis)
            assert ticks, axis.labelText
            assert not any(title.intersects(rect) for rect in ticks), f"'{axis.labelText}' runs into a tick label"
            assert -1 <= title.top() and title.bottom() <= axis.height() + 1, f"'{axis.labelText}' is cut off"
