"""`laegna-gui record`: an animation of a view over a training run, made in the real window.

The GIF and MP4 are read back by other libraries than the ones that wrote them (Pillow and
imageio for the GIF, imageio's ffmpeg reader for the MP4). Every refusal is one `error:` line,
exit status 2 and nothing on disk; Ctrl-C exits 130 and leaves nothing either. The command
records in its own event loop, so it runs in this process (small frames, few steps)."""

from __future__ import annotations

import errno
import os
import shlex
import sys
from pathlib import Path

import imageio.v2 as imageio_v2
import imageio.v3 as iio
import numpy as np
import pytest
from PIL import Image

from test_cli_hostile import interrupted_run  # the CLI in a child process, saying when training starts

from laegna_gui.cli import build_parser, main
from laegna_gui.core import atomic_file
from laegna_gui.core.animation_plan import (AnimationPlan, animation_format, check_frame_size,
                                            plan_animation)
from laegna_gui.core.errors import LaegnaError
from laegna_gui.engine.trainer import Trainer

SIZE = (240, 200)
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _switch_interval_kept():
    """The command sets the interpreter's thread switch interval for its window: not for the tests after."""
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def record(capsys, out, *extra: str, steps: int = 40, target: str = "xor") -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["record", target, "--steps", str(steps), "--out", str(out), "--size", "x".join(map(str, SIZE)),
                 *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def below_the_badge(frame: np.ndarray) -> np.ndarray:
    """The picture without its top rows, where the step badge is."""
    return frame[frame.shape[0] // 4:, :, :3].astype(int)


def badge(frame: np.ndarray) -> np.ndarray:
    return frame[:frame.shape[0] // 8, frame.shape[1] // 2:, :3].astype(int)


# --- the plan: evenly paced frames --------------------------------------------------------
def test_frames_are_evenly_paced_from_the_first_step_to_the_last():
    plan = plan_animation(1200, fps=10, seconds=6)
    assert plan.frames == 60 and plan.frame_steps()[:3] == [0, 20, 41] and plan.frame_steps()[-1] == 1200
    steps = plan.frame_steps()
    assert all(steps[k] == round(k * 1200 / 59 + 1e-9) for k in range(60))


def test_fewer_steps_than_frames_gives_one_frame_a_step():
    assert plan_animation(3, fps=10, seconds=6).frame_steps() == [0, 1, 2, 3]
    assert AnimationPlan(7, 8, 10).frame_steps() == list(range(8))


@pytest.mark.parametrize("steps, frames", [(1, 2), (5, 4), (99, 7), (1000, 999)])
def test_frame_steps_always_move_forward(steps, frames):
    taken = AnimationPlan(steps, frames, 10).frame_steps()
    assert taken[0] == 0 and taken[-1] == steps and all(b > a for a, b in zip(taken, taken[1:]))


@pytest.mark.parametrize("steps, fps, seconds, phrase", [
    (0, 10, 6, "--steps must be at least 1"), (10, 0, 6, "--fps must be from 1 to 50"),
    (10, 60, 1, "--fps must be from 1 to 50"), (10, 10, 0, "--seconds must be more than 0"),
    (10, 10, float("nan"), "--seconds"), (10, 1, 1, "gives 1 frames"), (10, 50, 100, "gives 5000 frames")])
def test_a_plan_that_cannot_be_an_animation_is_refused(steps, fps, seconds, phrase):
    with pytest.raises(LaegnaError, match=phrase.replace("(", r"\(")):
        plan_animation(steps, fps, seconds)


@pytest.mark.parametrize("command", [
    "laegna-gui record spiral --steps 2000 --size 800x450 --out spiral.gif",
    "laegna-gui record spiral --steps 2000 --view boundary --out spiral.mp4 --fps 25 --seconds 8 --theme dark"])
def test_the_readme_examples_pass_every_check(command):
    """Recording them takes a while; what can refuse them is checked here."""
    assert command in README
    args = build_parser().parse_args(shlex.split(command)[1:])
    plan = plan_animation(args.steps, args.fps, args.seconds)
    check_frame_size(animation_format(args.out), *args.size, plan.frames)


# --- GIF and MP4, read back by a second library ---------------------------------------------
def test_a_gif_has_the_frames_asked_for_and_pillow_and_imageio_read_them_alike(tmp_path, capsys):
    out = tmp_path / "xor.gif"
    code, printed, err = record(capsys, out, "--fps", "5", "--seconds", "1")  # 5 frames: steps 0, 10 … 40
    assert code == 0, err
    assert printed == f"{out} (5 frames of the network view, step 0 to 40)\n"
    with Image.open(out) as gif:
        assert (gif.format, gif.n_frames, gif.size, gif.info["loop"], gif.info["duration"]) == \
            ("GIF", 5, SIZE, 0, 200)
    frames = iio.imread(out, index=None)  # imageio's own reading of it
    assert frames.shape[:3] == (5, SIZE[1], SIZE[0])
    # training changes the picture (the neuron maps), not only the step in the corner
    assert all(np.abs(below_the_badge(a) - below_the_badge(b)).max() > 0 for a, b in zip(frames, frames[1:]))
    assert all(np.abs(badge(a) - badge(b)).max() > 0 for a, b in zip(frames, frames[1:]))
    assert [p.name for p in tmp_path.iterdir()] == ["xor.gif"]


def test_fewer_steps_than_frames_record_each_step_once(tmp_path, capsys):
    out = tmp_path / "short.gif"
    code, printed, err = record(capsys, out, steps=3)  # 60 frames asked, 4 steps to show (0 to 3)
    assert code == 0, err
    assert "4 frames" in printed
    with Image.open(out) as gif:
        assert gif.n_frames == 4


def test_an_mp4_is_read_back_by_ffmpeg_with_its_frames_and_size(tmp_path, capsys):
    out = tmp_path / "xor.mp4"
    code, printed, err = record(capsys, out, "--view", "boundary", "--fps", "5", "--seconds", "1.2", "--theme",
                                "dark", steps=30)
    assert code == 0, err
    assert printed == f"{out} (6 frames of the boundary view, step 0 to 30)\n"
    with imageio_v2.get_reader(out, format="FFMPEG") as reader:
        assert abs(reader.count_frames() - 6) <= 1
        assert tuple(reader.get_meta_data()["size"]) == SIZE
        first, last = reader.get_data(0), reader.get_data(5)
    assert np.abs(below_the_badge(first) - below_the_badge(last)).mean() > 1  # the boundary moved
    assert below_the_badge(first).mean() < 110  # the dark theme
    assert [p.name for p in tmp_path.iterdir()] == ["xor.mp4"]


# --- refusals: one line, exit 2, nothing written, no training --------------------------------
@pytest.fixture
def no_work(monkeypatch):
    def work(*_args, **_kwargs):
        raise AssertionError("work started before the arguments were checked")

    monkeypatch.setattr(Trainer, "run", work)
    monkeypatch.setattr("laegna_gui.ui.export.record.record_animation", work)


def refused(capsys, argv: list[str], phrase: str) -> None:
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2 and out == "", err
    assert len(lines) == 1 and lines[0].startswith("error:") and phrase in lines[0], lines


@pytest.mark.parametrize("name, phrase", [
    ("movie.png", "cannot be written as '.png': choose a file name ending in .gif or .mp4"),
    ("movie", "cannot be written as a name without a suffix"),
    ("movie.avi", "'.avi'")])
def test_a_format_it_cannot_write_is_refused(tmp_path, capsys, no_work, name, phrase):
    refused(capsys, ["record", "xor", "--steps", "10", "--out", str(tmp_path / name)], phrase)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_refused(tmp_path, capsys, no_work, monkeypatch):
    monkeypatch.setattr(atomic_file.os, "access", lambda *_args: False)  # what a read-only folder answers
    refused(capsys, ["record", "xor", "--steps", "10", "--out", str(tmp_path / "a.gif")], "permission denied")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where, phrase", [("folder", "is a folder"), ("missing/a.gif", "does not exist")])
def test_a_path_that_is_no_file_is_refused(tmp_path, capsys, no_work, where, phrase):
    (tmp_path / "folder").mkdir()
    refused(capsys, ["record", "xor", "--steps", "10", "--out", str(tmp_path / where)], phrase)
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]


@pytest.mark.parametrize("steps, phrase", [("0", "--steps must be at least 1"),
                                           ("-5", "--steps must be a whole number from 0"),
                                           ("10000001", "from 0 to 10000000")])
def test_steps_that_cannot_make_an_animation_are_refused(tmp_path, capsys, no_work, steps, phrase):
    refused(capsys, ["record", "xor", "--steps", steps, "--out", str(tmp_path / "a.gif")], phrase)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("extra, phrase", [
    (["--size", "301x200", "--out", "a.mp4"], "an MP4 needs an even width and height, not 301x200"),
    (["--size", "4000x4000", "--out", "a.gif", "--fps", "50", "--seconds", "20"], "too many for a GIF"),
    (["--fps", "100", "--out", "a.gif"], "--fps must be from 1 to 50")])
def test_sizes_and_paces_a_file_cannot_hold_are_refused(tmp_path, capsys, no_work, monkeypatch, extra, phrase):
    monkeypatch.chdir(tmp_path)
    refused(capsys, ["record", "xor", "--steps", "2000", *extra], phrase)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("view", ["layer-space", "landscape", "affine-fit"])
def test_a_3d_view_without_opengl_is_refused_before_training(tmp_path, capsys, view):
    refused(capsys, ["record", "xor", "--steps", "10", "--view", view, "--out", str(tmp_path / "a.gif")],
            f"the {view} view is 3-D and needs OpenGL")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_a_full_disk_is_one_message_and_leaves_nothing(tmp_path, capsys, monkeypatch, suffix):
    def full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_file.os, "fsync", full)
    code, out, err = record(capsys, tmp_path / f"a{suffix}", "--fps", "2", "--seconds", "1", steps=4)
    lines = err.strip().splitlines()
    assert code == 2 and out == ""
    assert lines[-1].startswith("error:") and "No space left on device" in lines[-1], lines
    assert list(tmp_path.iterdir()) == []


# --- Ctrl-C ----------------------------------------------------------------------------------
# The child prints a line once the window trains; SIGINT is sent only after that line.
@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child is POSIX")
@pytest.mark.parametrize("name", ["run.gif", "run.mp4"])
def test_ctrl_c_while_recording_exits_130_and_leaves_nothing(tmp_path, name):
    """10 million steps of spiral take many minutes: only stopping at once can finish in time."""
    code, err = interrupted_run(tmp_path, ["record", "spiral", "--steps", "10000000", "--out", name,
                                           "--size", "240x200"])
    assert code == 130, err[-1000:]
    assert err.strip().splitlines()[-1] == "interrupted: nothing was written" and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# --- with OpenGL (marked `gl`: test_gl_session.py runs these on Xvfb) ---------------------
@pytest.mark.gl
@pytest.mark.parametrize("view", ["layer-space", "landscape"])
def test_with_opengl_a_3d_view_is_recorded(tmp_path, capsys, view):
    out = tmp_path / "space.gif"
    code, printed, err = record(capsys, out, "--view", view, "--fps", "4", "--seconds", "1", steps=60)
    assert code == 0, err
    with Image.open(out) as gif:
        assert (gif.n_frames, gif.size) == (4, SIZE)
    frames = iio.imread(out, index=None)
    assert np.abs(below_the_badge(frames[0]) - below_the_badge(frames[-1])).max() > 0
