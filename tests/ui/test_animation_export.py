"""View ▸ Export Animation…: the dialog, the recording it starts (the run trains on from where it
is), the progress dialog's Cancel (no file left, not even the encoder's scratch file) and a
failure told in one message."""

from __future__ import annotations

from pathlib import Path

import imageio.v3 as iio
import pytest
from PIL import Image
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QProgressDialog, QPushButton
from window_helpers import open_window

from laegna_gui.core import atomic_file
from laegna_gui.core.animation_plan import ANIMATION_VIEWS, VIEWS_3D, plan_animation
from laegna_gui.ui.export import animation_dialog
from laegna_gui.ui.export.animation import AnimationRecorder
from laegna_gui.ui.export.animation_dialog import AnimationDialog, AnimationRequest, start_recording


@pytest.fixture
def window(qtbot):
    win = open_window(qtbot)
    ctl = win.training.controller
    with qtbot.waitSignal(ctl.steps_finished, timeout=30_000):  # the first snapshot is in
        ctl.run_steps(0)
    return win


def test_the_view_menu_offers_it_and_the_dialog_starts_sensibly(window):
    view_menu = window.findChild(QMenu, "menuView")
    action = window.actions["export_animation"]
    assert action in view_menu.actions() and action.text() == "Export A&nimation…" and action.toolTip()
    dialog = AnimationDialog(window)
    combo = dialog.view_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(ANIMATION_VIEWS)
    enabled = {combo.itemData(i): combo.model().item(i).isEnabled() for i in range(combo.count())}
    assert enabled == {name: name not in VIEWS_3D for name in ANIMATION_VIEWS}  # offscreen: no OpenGL
    assert dialog.path_edit.text().endswith("xor-animation.gif") and dialog.record_button.isEnabled()
    assert dialog.frames.text() == "60 frames, one every 16.9 steps"
    assert "Training goes on from step 0 of the current run" in dialog.findChild(QLabel, "animationNote").text()
    request = dialog.request()
    assert request == AnimationRequest("network", plan_animation(1000, 10, 6), Path(dialog.path_edit.text()))


def test_the_dialog_holds_record_back_for_a_file_it_cannot_write_and_keeps_the_length_in_range(window):
    dialog = AnimationDialog(window)
    dialog.path_edit.setText("/tmp/movie.png")
    assert not dialog.record_button.isEnabled() and dialog.request() is None
    assert "choose a file name ending in .gif or .mp4" in dialog.problem.text()
    dialog.path_edit.setText("/tmp/movie.mp4")
    assert dialog.record_button.isEnabled() and dialog.problem.text() == ""
    dialog.fps.setValue(50)
    assert dialog.seconds.maximum() == 20 and dialog.seconds.value() == 6  # at most 1000 frames
    dialog.seconds.setValue(dialog.seconds.minimum())
    assert dialog.frames.text().startswith("2 frames")
    dialog.steps.setValue(3)
    dialog.fps.setValue(10)
    dialog.seconds.setValue(6)
    assert dialog.frames.text() == "4 frames, one a step"


def test_the_menu_records_a_gif_of_the_view_and_the_run_trains_on(window, qtbot, tmp_path, monkeypatch):
    ctl = window.training.controller
    with qtbot.waitSignal(ctl.steps_finished, timeout=30_000):
        ctl.run_steps(25)  # the run is at step 25 when the recording starts
    out = tmp_path / "boundary.gif"

    def filled(dialog: AnimationDialog) -> QDialog.DialogCode:
        dialog.view_combo.setCurrentIndex(ANIMATION_VIEWS.index("boundary"))
        dialog.steps.setValue(40)
        dialog.fps.setValue(4)
        dialog.seconds.setValue(1)
        dialog.path_edit.setText(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AnimationDialog, "exec", filled)
    window.actions["export_animation"].trigger()
    recorder = window.findChild(AnimationRecorder)
    progress = window.findChild(QProgressDialog, "animationProgress")
    assert progress.isVisible() and progress.maximum() == 4
    with qtbot.waitSignal(recorder.finished, timeout=60_000) as done:
        pass
    assert done.args == [out] and recorder.first_step == 25 and ctl.latest.step == 65
    boundary = window.training.boundary
    with Image.open(out) as gif:
        assert gif.n_frames == 4 and gif.size == (boundary.width(), boundary.height())
    frames = iio.imread(out, index=None)
    assert len(frames) == 4 and (frames[0] != frames[-1]).any()
    assert f"to {out}" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog, "animationProgress") is None)
    assert [p.name for p in tmp_path.iterdir()] == ["boundary.gif"]


@pytest.mark.parametrize("name", ["cancelled.gif", "cancelled.mp4"])
def test_cancel_in_the_progress_dialog_stops_and_leaves_no_file(window, qtbot, tmp_path, name):
    """Cancel is clicked as the first frame arrives: the loop stops there, whatever the timing."""
    request = AnimationRequest("network", plan_animation(1_000_000, 10, 6), tmp_path / name)
    recorder = start_recording(window, request)
    progress = window.findChild(QProgressDialog, "animationProgress")
    cancel = progress.findChild(QPushButton)
    recorder.progressed.connect(lambda frames: frames == 1 and cancel.click())
    with qtbot.waitSignal(recorder.cancelled, timeout=60_000):
        pass
    assert recorder.captured == 1
    assert list(tmp_path.iterdir()) == []  # no animation and no scratch file of the encoder
    assert window.statusBar().currentMessage() == "Animation cancelled: nothing was written"
    qtbot.waitUntil(lambda: not window.training.controller.running)
    assert window.training.controller.latest.step < 1_000_000


def test_a_folder_it_cannot_write_in_is_one_message_and_starts_nothing(window, tmp_path, monkeypatch):
    monkeypatch.setattr(atomic_file.os, "access", lambda *_args: False)  # what a read-only folder answers
    errors: list[tuple[str, str]] = []
    request = AnimationRequest("loss", plan_animation(10, 10, 1), tmp_path / "a.gif")
    assert start_recording(window, request, show_error=lambda *shown: errors.append(shown)) is None
    assert errors == [(animation_dialog.TITLE, f"Nothing was exported: cannot write in the folder "
                                               f"{tmp_path} (permission denied)")]
    assert window.findChild(AnimationRecorder) is None and not window.training.controller.running
    assert list(tmp_path.iterdir()) == []
