"""The 3-D views in the time machine, drawn for real: taken back to a recorded moment, the
layer space draws that moment's stages (Frame.stages), not the latest ones, and the loss
landscape draws the optimizer's path only as far as that moment's step, its big dot there;
Live brings both back to now. A moment recorded while the layer space was not followed has
no stages: the view says so instead of showing another moment's.

Run on a display: `LAEGNA_GL_SESSION=1 QT_QPA_PLATFORM=xcb xvfb-run -a pytest -m gl …`."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from laegna_gui.engine.landscape import project_point
from laegna_gui.ui.space3d.landscape_view import PATH_LIFT
from laegna_gui.ui.space3d.layer_space_view import NO_STAGES_THEN
from window_helpers import WAIT, drawn, training_window

pytestmark = pytest.mark.gl

CHUNKS, CHUNK = 12, 25  # 300 steps, a recorded frame at least at the end of each chunk
SPAN = 20.0


def _train(qtbot, ctl, chunks: int = CHUNKS) -> None:
    for _ in range(chunks):
        with qtbot.waitSignal(ctl.steps_finished, timeout=WAIT):
            ctl.run_steps(CHUNK)
        qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    drawn(qtbot, ctl)


def _go_to(qtbot, win, ctl, index: int) -> None:
    win.training.timeline.slider.setValue(index)
    qtbot.waitUntil(lambda: ctl.state.moment == ctl.recording.frames[index].step, timeout=WAIT)
    drawn(qtbot, ctl)


def _live(qtbot, win, ctl) -> None:
    win.training.timeline.live_button.click()
    qtbot.waitUntil(lambda: ctl.state.moment is None, timeout=WAIT)
    drawn(qtbot, ctl)


def _space(qtbot, win):
    win.tabs.show_view("layer-space")
    space = win.tabs.space
    qtbot.waitUntil(lambda: space.points_item is not None, timeout=WAIT)
    if space.panel.view is None:
        pytest.skip(f"no OpenGL on the '{QApplication.platformName()}' platform")
    space.set_stage("activation")
    return space


def _landscape(qtbot, win, ctl):
    """The landscape tab in front, a landscape computed through the weights now, wide enough
    for the path of the training to come."""
    win.tabs.show_view("landscape")
    view = win.tabs.landscape
    view.resolution.setValue(9)
    view.span.setValue(SPAN)
    with qtbot.waitSignal(ctl.landscape_ready, timeout=WAIT):
        view.compute_button.click()
    qtbot.waitUntil(lambda: view.path_item is not None and view.landscape is ctl.landscape, timeout=WAIT)
    return view


def _drawn_points(space) -> np.ndarray:
    return np.asarray(space.points_item.pos)


def _assert_space_shows(space, stages) -> None:
    assert space.stages is stages
    np.testing.assert_array_equal(_drawn_points(space), np.asarray(stages.stages["activation"][0], np.float32))


def test_the_layer_space_draws_the_moment_on_show_and_live_brings_now_back(qtbot):
    win, ctl = training_window(qtbot)
    space = _space(qtbot, win)
    _train(qtbot, ctl)
    frames = ctl.recording.frames
    assert len(frames) > CHUNKS and frames[-1].step == CHUNKS * CHUNK
    latest = frames[-1].stages
    _assert_space_shows(space, latest)
    early = next(i for i, f in enumerate(frames) if f.step >= CHUNK and f.stages is not None)
    frame = frames[early]
    assert frame.step < 3 * CHUNK
    _go_to(qtbot, win, ctl, early)
    _assert_space_shows(space, frame.stages)
    assert not np.allclose(_drawn_points(space), np.asarray(latest.stages["activation"][0], np.float32), atol=1e-3)
    space.set_stage("input")  # the slider walks the moment's stages
    np.testing.assert_array_equal(_drawn_points(space), np.asarray(frame.stages.inputs, np.float32))
    space.set_stage("activation")
    _live(qtbot, win, ctl)
    _assert_space_shows(space, ctl.recording.frames[-1].stages)


def test_a_moment_recorded_without_the_layer_space_says_so(qtbot):
    win, ctl = training_window(qtbot)
    win.tabs.show_view("landscape")  # the layer space is not followed: no stages recorded
    _train(qtbot, ctl, 4)
    bare = [i for i, f in enumerate(ctl.recording.frames) if f.stages is None and f.step > 0]
    space = _space(qtbot, win)
    _train(qtbot, ctl, 4)
    latest = ctl.recording.frames[-1].stages
    _assert_space_shows(space, latest)
    _go_to(qtbot, win, ctl, bare[0])
    assert space.stages is None and len(_drawn_points(space)) == 0
    assert space.note.text() == NO_STAGES_THEN
    _live(qtbot, win, ctl)
    _assert_space_shows(space, ctl.recording.frames[-1].stages)


def _scene_end(view) -> np.ndarray:
    """Where the drawn path ends and where its big dot is (both ghost and solid)."""
    ends = [np.asarray(item.pos)[-1] for item in (view.path_item, view.path_ghost, view.current_item,
                                                   view.current_ghost)]
    for end in ends[1:]:
        np.testing.assert_array_equal(end, ends[0])
    return ends[0]


def _expected_end(view, frame) -> np.ndarray:
    alpha, beta = project_point(view.landscape, frame.snapshot.weights)
    x, y = view.scene_xy(alpha, beta)
    return np.array([x, y, view.height(frame.snapshot.metrics.train_loss) + PATH_LIFT], dtype=np.float32)


def test_the_landscape_path_ends_at_the_moment_on_show_and_live_brings_it_to_now(qtbot):
    win, ctl = training_window(qtbot)
    view = _landscape(qtbot, win, ctl)
    start = len(ctl.path)
    _train(qtbot, ctl)
    frames = ctl.recording.frames
    live_path = ctl.path
    assert len(live_path) - start >= CHUNKS and len(view.path) == len(live_path)
    assert len(view.drawn_path()) == len(live_path)  # all of it on the landscape
    np.testing.assert_allclose(_scene_end(view), _expected_end(view, frames[-1]), rtol=1e-5, atol=1e-5)
    early = next(i for i, f in enumerate(frames) if f.step >= 2 * CHUNK)
    frame = frames[early]
    _go_to(qtbot, win, ctl, early)
    along = sum(1 for f in frames if f.step <= frame.step)
    assert len(view.path) < len(live_path) // 2
    np.testing.assert_array_equal(view.path, live_path[:len(view.path)])  # the same path, cut at the moment
    alpha, beta = project_point(view.landscape, frame.snapshot.weights)
    np.testing.assert_allclose(view.path[-1], [alpha, beta, frame.snapshot.metrics.train_loss], rtol=1e-6)
    assert len(view.path) >= along - 1  # every recorded moment up to it is on it
    np.testing.assert_allclose(_scene_end(view), _expected_end(view, frame), rtol=1e-5, atol=1e-5)
    assert len(view.path_item.pos) == len(view.drawn_path()) < len(live_path)
    _live(qtbot, win, ctl)
    assert view.path is not None and len(view.path) == len(ctl.path)
    np.testing.assert_allclose(_scene_end(view), _expected_end(view, ctl.recording.frames[-1]), rtol=1e-5, atol=1e-5)
