"""The live 3-D views — layer space and loss landscape — fed with real engine data.

The normal suite runs offscreen, where OpenGL is unavailable: these tests drive the
controls and check the data mapping (what would be drawn), and that the fallback message
shows. The one `gl` test draws for real; run it on a display, e.g.
`QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" python -m pytest -m gl …`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from image_helpers import pixels
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QToolButton
from window_helpers import shown_at

from PySide6.QtCore import QCoreApplication

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.landscape import compute_landscape, project_point
from laegna_gui.engine.layer_space import layer_stages
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.look import style
from laegna_gui.ui.space3d import landscape_view as lv_module
from laegna_gui.ui.space3d import live_items as li
from laegna_gui.ui.look.colour_scale import diverging, loss_colors, rgba
from laegna_gui.ui.space3d.landscape_view import HINT, PATH_LIFT, SURFACE_HEIGHT, HeightMap, LandscapeView
from laegna_gui.ui.space3d.layer_space_view import SLIDER_MAX, STAGES, LayerSpaceView, slider_state


# pyqtgraph's GL items cache their shader programs per class; without shared contexts they
# break in every GL view but the first one (pyqtgraph issues #1822, #2008, #2618). Must be set
# before the QApplication exists — test modules are imported before pytest-qt creates it.
if QApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def needs_offscreen() -> None:
    """Checked inside the test: the QApplication exists only once the fixtures ran."""
    if QApplication.platformName() != "offscreen":
        pytest.skip("checks the no-OpenGL fallback, which shows on the offscreen platform")


class Run:
    """A trained xor network with its layer stages, a landscape and a projected path."""

    def __init__(self) -> None:
        self.trainer = Trainer(load_preset("xor"))
        history = [self.trainer.weights()]
        for _ in range(5):
            self.trainer.run(20)
            history.append(self.trainer.weights())
        self.dense1 = layer_stages(self.trainer, "dense1")   # 2 → 4: projected
        self.dense2 = layer_stages(self.trainer, "dense2")
        self.landscape = compute_landscape(self.trainer, n=9)
        self.weight_landscape = compute_landscape(
            self.trainer, n=9, span=2.0, mode="weights",
            weights=(("dense1.weight", (0, 0)), ("dense1.weight", (0, 1))))
        now = self.trainer.weights()
        rows = []
        for w in history:
            a, b = project_point(self.weight_landscape, w)
            self.trainer.network.load_weights(w)
            rows.append((a, b, self.trainer.evaluate().train_loss))
        self.trainer.network.load_weights(now)
        self.path = np.array(rows)


@pytest.fixture(scope="module")
def run() -> Run:
    return Run()


@pytest.fixture
def space(qtbot) -> LayerSpaceView:
    return shown_at(qtbot, LayerSpaceView(), 700, 600)


@pytest.fixture
def landscape(qtbot) -> LandscapeView:
    return shown_at(qtbot, LandscapeView(), 700, 600)


def states(stages):
    return [stages.inputs] + [stages.stages[name][0] for name in STAGES[1:]]


def grids(stages):
    return [li.segments(stages.grid_in)] + [li.segments(stages.stages[name][1]) for name in STAGES[1:]]


# --- layer space ---------------------------------------------------------------------
def test_layer_space_controls_have_their_names(space):
    for name in ("spaceLayer", "stageSlider", "animateStages", "spaceNote", "layerScene"):
        assert space.findChild(object, name) is not None, name
    assert space.objectName() == "layerSpaceView"
    assert (space.slider.minimum(), space.slider.maximum()) == (0, SLIDER_MAX) == (0, 300)
    ticks = [space.findChild(QToolButton, f"stageTick{i}").text() for i in range(4)]
    assert " · ".join(ticks) == "input · W·x · +b · activation"
    assert all(w.toolTip() for w in (space.layer_combo, space.slider, space.animate_button, space.note))


def test_slider_states_and_blends():
    assert [slider_state(v) for v in (0, 100, 200, 300)] == [(0, 0.0), (1, 0.0), (2, 0.0), (3, 0.0)]
    assert slider_state(150) == (1, 0.5)
    assert slider_state(-5) == (0, 0.0) and slider_state(999) == (3, 0.0)


def test_each_state_position_draws_exactly_that_stage(space, run):
    space.show_stages(run.dense1)
    for k, (points, grid) in enumerate(zip(states(run.dense1), grids(run.dense1))):
        np.testing.assert_array_equal(space.points_at(100 * k), points)
        np.testing.assert_array_equal(space.grid_at(100 * k), grid)
        space.slider.setValue(100 * k)
        np.testing.assert_array_equal(space.points_at(), points)  # the current position


def test_between_two_states_points_and_grid_blend_linearly(space, run):
    space.show_stages(run.dense1)
    p, g = states(run.dense1), grids(run.dense1)
    for value, k, t in ((40, 0, 0.4), (150, 1, 0.5), (275, 2, 0.75)):
        np.testing.assert_allclose(space.points_at(value), (1 - t) * p[k] + t * p[k + 1], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(space.grid_at(value), (1 - t) * g[k] + t * g[k + 1], rtol=1e-6, atol=1e-6)
    # the zoom blends the same way, and each state has its own fit
    assert space.scale_at(150) == pytest.approx(0.5 * (space.scale_at(100) + space.scale_at(200)))


def test_grid_segments_come_from_all_polylines(run):
    lines = run.dense1.grid_in
    pairs = li.segments(lines)
    assert pairs.shape == (2 * sum(len(line) - 1 for line in lines), 3)
    np.testing.assert_array_equal(pairs[0], lines[0][0])
    np.testing.assert_array_equal(pairs[1], lines[0][1])
    np.testing.assert_array_equal(pairs[2], lines[0][1])


def test_note_names_the_layer_and_leaves_the_pca_to_the_readout(space, run):
    assert run.dense1.projected
    space.show_stages(run.dense1)
    assert space.note.text() == "dense1: 2 → 4 units; activation tanh"


def test_live_updates_keep_the_slider_and_follow_new_data(space, run):
    space.show_stages(run.dense1)
    space.slider.setValue(230)
    moved = replace(run.dense1, inputs=run.dense1.inputs + 1.0)
    space.show_stages(moved)
    assert space.slider.value() == 230
    space.slider.setValue(0)
    np.testing.assert_array_equal(space.points_at(), moved.inputs)


def test_axis_names_follow_the_side_of_the_layer(space, run):
    space.show_stages(run.dense1)
    assert space.axis_names_at(0) == ("in 1", "in 2", "")        # 2 raw inputs
    assert space.axis_names_at(300) == ("PC 1", "PC 2", "PC 3")  # 4 units, projected
    assert space.axis_names_at(100) == ("PC 1", "PC 2", "PC 3")


def test_layer_picker_emits_layer_chosen(space, qtbot):
    with qtbot.waitSignal(space.layer_chosen) as first:
        space.set_layers(["dense1", "dense2"])
    assert first.args == ["dense1"]
    with qtbot.assertNotEmitted(space.layer_chosen):
        space.set_layers(["dense1", "dense2", "dense3"])  # still there: no change
    space.layer_combo.setCurrentIndex(1)
    with qtbot.waitSignal(space.layer_chosen) as picked:
        space.layer_combo.activated.emit(1)
    assert picked.args == ["dense2"]
    with qtbot.waitSignal(space.layer_chosen) as gone:
        space.set_layers(["dense1"])
    assert gone.args == ["dense1"]


def test_animate_sweeps_through_every_state_and_stops(space, run, qtbot):
    space.show_stages(run.dense1)
    space.timer.setInterval(0)
    seen = []
    space.slider.valueChanged.connect(seen.append)
    qtbot.mouseClick(space.animate_button, Qt.MouseButton.LeftButton)
    assert space.animating and space.animate_button.text() == "Stop"
    qtbot.waitUntil(lambda: not space.animating, timeout=10_000)
    assert space.slider.value() == SLIDER_MAX
    assert {100, 200, 300} <= set(seen)  # it stops on each state, never steps over one
    assert seen == sorted(seen)
    assert space.animate_button.text() == "Animate" and not space.animate_button.isChecked()
    # pressing again replays from the input
    space.start_animation()
    assert space.slider.value() == 0
    space.stop_animation()
    assert not space.animating


def test_tick_buttons_jump_to_their_state(space, run, qtbot):
    space.show_stages(run.dense1)
    qtbot.mouseClick(space.findChild(QToolButton, "stageTick2"), Qt.MouseButton.LeftButton)
    assert space.slider.value() == 200
    assert space.findChild(QToolButton, "stageTick2").font().bold()
    assert space.findChild(QLabel, "stageCaption").text().startswith("+b")


def test_class_and_regression_colours():
    colors = li.label_colors(np.array([0, 1, 2, 1]))
    assert tuple(colors[0]) == pytest.approx(li.rgba(style.NEGATIVE))
    assert tuple(colors[1]) == pytest.approx(li.rgba(style.POSITIVE))
    assert tuple(colors[2]) == pytest.approx(li.rgba(style.class_color(2)))
    values = li.label_colors(np.array([-0.8, 0.0, 0.8, 0.33]))
    assert tuple(values[0]) == pytest.approx(li.rgba(style.NEGATIVE))  # regression: diverging
    assert tuple(values[2]) == pytest.approx(li.rgba(style.POSITIVE))
    assert tuple(values[3]) == pytest.approx(rgba(diverging(0.33, 0.8)), abs=1e-4)


def test_layer_space_without_gl_shows_the_message_and_keeps_working(space, run):
    needs_offscreen()
    assert space.panel.view is None
    message = space.findChild(QLabel, "layerSceneNoGL")
    assert message is not None and message.isVisible() and "OpenGL" in message.text()
    space.show_stages(run.dense1)
    space.slider.setValue(120)
    assert space.points_at().shape == run.dense1.inputs.shape


# --- landscape ------------------------------------------------------------------------
def weight_choices(trainer):
    return [(name, tuple(int(i) for i in index)) for name, w in trainer.weights().items()
            for index in np.ndindex(w.shape)]


def test_landscape_controls_and_defaults(landscape):
    for name in ("landscapeMode", "landscapeWeight1", "landscapeWeight2", "landscapeResolution",
                 "landscapeSpan", "computeLandscape", "cancelLandscape", "landscapeProgress", "landscapeScene"):
        assert landscape.findChild(object, name) is not None, name
    assert landscape.objectName() == "landscapeView"
    modes = [landscape.mode_combo.itemText(i) for i in range(landscape.mode_combo.count())]
    assert modes == ["Two random directions (filter-normalised)", "Two chosen weights"]
    res = landscape.resolution
    assert (res.minimum(), res.maximum(), res.value()) == (9, 61, 25)
    assert landscape.span.value() == 1.0
    assert not landscape.cancel_button.isEnabled() and landscape.compute_button.isEnabled()
    assert not landscape.weight1.isEnabled()  # random mode
    assert landscape.hint.text() == HINT
    assert landscape.progress.value() == 0


def test_compute_emits_the_random_options_the_engine_takes(landscape, run, qtbot):
    landscape.resolution.setValue(9)
    landscape.span.setValue(0.5)
    landscape.seed.setValue(3)
    with qtbot.waitSignal(landscape.compute_requested) as sent:
        qtbot.mouseClick(landscape.compute_button, Qt.MouseButton.LeftButton)
    options = sent.args[0]
    assert options == {"n": 9, "span": 0.5, "mode": "random", "weights": None, "seed": 3}
    assert not landscape.compute_button.isEnabled() and landscape.cancel_button.isEnabled()
    assert not landscape.resolution.isEnabled() and not landscape.seed.isEnabled()  # locked meanwhile
    result = compute_landscape(run.trainer, **options)  # the controller can pass them straight on
    assert result.losses.shape == (9, 9)


def test_weight_mode_sends_the_two_chosen_weights(landscape, run, qtbot):
    landscape.set_weight_choices(weight_choices(run.trainer))
    assert landscape.weight1.itemText(1) == "dense1.weight[0, 1]"
    landscape.mode_combo.setCurrentIndex(1)
    assert landscape.weight1.isEnabled() and not landscape.seed.isEnabled()
    landscape.weight2.setCurrentIndex(2)
    with qtbot.waitSignal(landscape.compute_requested) as sent:
        qtbot.mouseClick(landscape.compute_button, Qt.MouseButton.LeftButton)
    options = sent.args[0]
    assert options["mode"] == "weights"
    assert options["weights"] == (("dense1.weight", (0, 0)), ("dense1.weight", (1, 0)))
    options["n"] = 9
    assert compute_landscape(run.trainer, **options).labels == ("dense1.weight[0, 0]", "dense1.weight[1, 0]")


def test_the_same_weight_twice_cannot_be_computed(landscape, run):
    landscape.set_weight_choices(weight_choices(run.trainer))
    landscape.mode_combo.setCurrentIndex(1)
    landscape.weight2.setCurrentIndex(0)
    assert not landscape.compute_button.isEnabled()
    assert "different" in landscape.compute_button.toolTip()
    landscape.weight2.setCurrentIndex(3)
    assert landscape.compute_button.isEnabled()


def test_weight_choices_keep_the_current_picks(landscape, run):
    choices = weight_choices(run.trainer)
    landscape.set_weight_choices(choices)
    landscape.weight1.setCurrentIndex(4)
    landscape.weight2.setCurrentIndex(5)
    picked = (landscape.weight1.currentData(), landscape.weight2.currentData())
    landscape.set_weight_choices(list(reversed(choices)))
    assert (landscape.weight1.currentData(), landscape.weight2.currentData()) == picked


def test_progress_cancel_and_reset(landscape, qtbot):
    qtbot.mouseClick(landscape.compute_button, Qt.MouseButton.LeftButton)
    for percent in (0, 35, 80):
        landscape.show_progress(percent)
        assert landscape.progress.value() == percent
    with qtbot.waitSignal(landscape.cancel_requested):
        qtbot.mouseClick(landscape.cancel_button, Qt.MouseButton.LeftButton)
    landscape.show_landscape(None)
    assert landscape.progress.value() == 0
    assert landscape.compute_button.isEnabled() and not landscape.cancel_button.isEnabled()
    assert landscape.landscape is None


def test_a_finished_landscape_is_shown_with_a_monotonic_height(landscape, run, qtbot):
    qtbot.mouseClick(landscape.compute_button, Qt.MouseButton.LeftButton)
    landscape.show_landscape(run.landscape)
    assert landscape.progress.value() == 100
    assert landscape.compute_button.isEnabled() and not landscape.cancel_button.isEnabled()
    losses = run.landscape.losses.ravel()
    z = landscape.surface_heights().ravel()
    order = np.argsort(losses)
    assert np.all(np.diff(z[order]) >= -1e-12)                  # monotonic in the loss
    assert z.min() == pytest.approx(0.0) and z.max() == pytest.approx(SURFACE_HEIGHT)
    probe = np.geomspace(1e-6, 1e7, 400)
    assert np.all(np.diff(landscape.height(probe)) >= 0)
    assert "log₁₀(loss)" in landscape.note.text()


def test_height_map_is_log_scaled_and_clips_outliers():
    heights = HeightMap.for_losses(np.array([0.01, 0.1, 1.0, 1e6]))
    assert heights.lo == pytest.approx(0.01)
    assert heights.hi == pytest.approx(100 * np.median([0.01, 0.1, 1.0, 1e6]))  # 1e6 is clipped
    assert heights(0.01) == pytest.approx(0.0)
    assert heights(1e6) == pytest.approx(SURFACE_HEIGHT) == heights(np.inf)
    # equal steps in log(loss) are equal steps in height
    assert heights(0.1) - heights(0.01) == pytest.approx(heights(1.0) - heights(0.1))
    assert np.all(HeightMap.for_losses(np.full((3, 3), 0.5))(np.array([0.1, 0.5, 9.0])) == 0.0)


def test_loss_colours_run_from_blue_to_orange():
    low, high = loss_colors(np.array([0.0, 1.0]))
    assert tuple(low) == pytest.approx(li.rgba(style.POSITIVE))
    assert tuple(high) == pytest.approx(li.rgba(style.NEGATIVE))


def test_the_path_lies_on_the_surface_height_of_its_loss(landscape, run):
    landscape.show_path(run.path)            # before a landscape it is kept for later
    assert len(landscape.drawn_path()) == 0
    landscape.show_landscape(run.weight_landscape)
    drawn = landscape.drawn_path()
    assert len(drawn) == len(run.path)
    np.testing.assert_allclose(drawn[:, 2], landscape.height(run.path[:, 2]) + PATH_LIFT)
    x, y = landscape.scene_xy(run.path[:, 0], run.path[:, 1])
    np.testing.assert_allclose(drawn[:, 0], x)
    np.testing.assert_allclose(drawn[:, 1], y)
    # the current point is the last one; at the centre of the plane it is the scene's middle
    assert drawn[-1, :2] == pytest.approx((0.0, 0.0), abs=1e-9)
    # points outside the computed plane are left out
    far = np.vstack([[[50.0, 50.0, 0.3]], run.path])
    landscape.show_path(far)
    assert len(landscape.drawn_path()) == len(run.path)


def test_the_surface_height_of_a_grid_point_equals_the_height_of_its_loss(landscape, run):
    landscape.show_landscape(run.weight_landscape)
    i, j = 2, 7
    loss = run.weight_landscape.losses[i, j]
    assert landscape.surface_heights()[i, j] == pytest.approx(float(landscape.height(loss)))


def test_landscape_without_gl_shows_the_message(landscape, run):
    needs_offscreen()
    assert landscape.panel.view is None
    message = landscape.findChild(QLabel, "landscapeSceneNoGL")
    assert message is not None and message.isVisible()
    landscape.show_landscape(run.landscape)
    landscape.show_path(run.path)
    assert message.isVisible()
    assert landscape.compute_button.isEnabled()


# --- real drawing (needs a display with OpenGL) -----------------------------------------
def _painted(image, background: QColor) -> float:
    """The share of pixels that differ clearly from the background."""
    arr = pixels(image)
    bg = np.array([background.red(), background.green(), background.blue()])
    return float(np.mean(np.abs(arr.astype(int) - bg).sum(axis=2) > 30))


@pytest.mark.gl
def test_both_scenes_really_render(space, landscape, run, qtbot):
    if space.panel.view is None:
        pytest.skip(f"no OpenGL on the '{QApplication.platformName()}' platform")
    space.show_stages(run.dense1)
    landscape.show_landscape(run.weight_landscape)
    landscape.show_path(run.path)
    for view in (space, landscape):
        qtbot.waitExposed(view)
    qtbot.wait(200)
    background = QColor(247, 248, 250)
    assert _painted(space.panel.view.grabFramebuffer(), background) > 0.01
    assert _painted(landscape.panel.view.grabFramebuffer(), background) > 0.15
    assert lv_module.HINT == landscape.hint.text()


@pytest.mark.gl
def test_scenes_fed_while_hidden_draw_it_when_first_shown(run, qtbot):
    """The GL view and its items are made on first show; what arrived before is drawn then."""
    space, landscape = LayerSpaceView(), LandscapeView()
    for view in (space, landscape):
        qtbot.addWidget(view)
        view.resize(700, 600)
    space.show_stages(run.dense1)
    landscape.show_landscape(run.weight_landscape)
    landscape.show_path(run.path)
    assert space.panel.has_gl and space.panel.view is None and landscape.panel.view is None
    for view in (space, landscape):
        view.show()
        qtbot.waitExposed(view)
    np.testing.assert_allclose(space.points_item.pos, space.points_at())
    np.testing.assert_allclose(space.grid_item.pos, space.grid_at())
    assert landscape.surface.visible()
    np.testing.assert_allclose(landscape.path_item.pos, landscape.drawn_path(), rtol=1e-6)
    background = QColor(247, 248, 250)
    qtbot.waitUntil(lambda: _painted(landscape.panel.view.grabFramebuffer(), background) > 0.15)
    qtbot.waitUntil(lambda: _painted(space.panel.view.grabFramebuffer(), background) > 0.01)
