"""Hostile input on the command line: every hostile project file, every output path that is
not a writable regular file, out-of-range numbers, absurd names — exit 2, one `error:` line,
no traceback, nothing changed on disk, and no work done first. Ctrl-C exits 130 in one line."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hostile_files import HOSTILE, INVALID_NETWORKS, make_hostile, unix_socket

from laegna_gui.cli import main
from laegna_gui.core import atomic_file
from laegna_gui.core.limits import SEED_MAX, SEED_MIN
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import dumps_project, loads_project
from laegna_gui.engine.trainer import Trainer


CASES = [(name, "train") for name in [*HOSTILE, *INVALID_NETWORKS]] + [
    (name, "screenshot") for name in ("binary garbage", "cycle", "a pipe", "weights of the wrong shape")]


def _args(command: str, path, tmp_path) -> list[str]:
    return [str(path)] if command == "train" else [str(path), "--out", str(tmp_path / "shot.png")]


@pytest.mark.parametrize("name, command", CASES)
def test_a_hostile_file_on_the_command_line_is_refused_in_one_line(tmp_path, capsys, name, command):
    """In this process (a fresh interpreter per case would only add start-up time)."""
    path, phrase = make_hostile(tmp_path, name)
    capsys.readouterr()
    code = main([command, *_args(command, path, tmp_path)])
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2, err[-1000:]
    assert len(lines) == 1 and lines[0].startswith("error:") and phrase in lines[0], lines
    assert not (tmp_path / "shot.png").exists()


@pytest.mark.parametrize("command", ["train", "screenshot"])
def test_the_real_entry_point_refuses_a_hostile_file_in_one_line(tmp_path, command):
    """The same through `python -m laegna_gui`: exit status, stderr and no traceback."""
    path, phrase = make_hostile(tmp_path, "binary garbage")
    done = subprocess.run([sys.executable, "-m", "laegna_gui", command, *_args(command, path, tmp_path)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr[-1000:]
    assert len(lines) == 1 and lines[0].startswith("error:") and phrase in lines[0], lines
    assert not (tmp_path / "shot.png").exists()


# --- outputs and arguments: checked before any work, refused in one line, nothing changed -----

LONG = "x" * 5000


def _make(folder: Path, kind: str) -> str:
    """An output name of `kind`; a link stands in for /dev/null, so a missing check could only
    ever replace the link (the test also checks /dev/null is still a device)."""
    (folder / "sub").mkdir()
    (folder / "a-file").write_text("x", encoding="utf-8")
    makers = {
        "/dev/null": lambda: (folder / "null").symlink_to("/dev/null") or str(folder / "null"),
        "a pipe": lambda: os.mkfifo(folder / "pipe") or str(folder / "pipe"),
        "a socket": lambda: str(unix_socket(folder)),
        "a folder": lambda: str(folder / "sub"),
        "a link to a folder": lambda: (folder / "to-sub").symlink_to("sub") or str(folder / "to-sub"),
        "a link that loops": lambda: ((folder / "a").symlink_to("b"), (folder / "b").symlink_to("a"))
        and str(folder / "a"),
        "a missing folder": lambda: str(folder / "missing" / "out.x"),
        "a file as folder": lambda: str(folder / "a-file" / "out.x"),
        "an empty name": lambda: "",
        "a NUL character": lambda: str(folder / "bad\0name.x"),
        "a name too long": lambda: str(folder / (LONG + ".x")),
    }
    return makers[kind]()


OUTPUT_KINDS = {  # what the refusal says of each
    "/dev/null": "is a device", "a pipe": "is a pipe", "a socket": "is a device or socket",
    "a folder": "is a folder", "a link to a folder": "is a folder", "a link that loops": "loops",
    "a missing folder": "does not exist", "a file as folder": "is a file, not a folder",
    "an empty name": "needs a file name", "a NUL character": "NUL character",
    "a name too long": "File name too long",
}
OUTPUT_FLAGS = [("train", "--out"), ("screenshot", "--out"), ("export", "--python"), ("export", "--weights"),
                ("export", "--history"), ("export", "--dataset")]


def _on_disk(folder: Path) -> dict[str, tuple]:
    found = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        detail = os.readlink(path) if stat.S_ISLNK(mode) else path.read_bytes() if stat.S_ISREG(mode) else None
        found[str(path.relative_to(folder))] = (stat.S_IFMT(mode), detail)
    return found


@pytest.fixture
def no_work(monkeypatch):
    """Any training or window would be work done before a check: make it fail the test."""
    def work(*_args, **_kwargs):
        raise AssertionError("work started before the arguments were checked")

    monkeypatch.setattr(Trainer, "run", work)
    monkeypatch.setattr(Trainer, "warm_up", work)
    monkeypatch.setattr("laegna_gui.ui.export.screenshot.take_screenshot", work)
    monkeypatch.setattr("laegna_gui.bench.run_all", work)


def _refused(capsys, argv: list[str], phrase: str = "") -> str:
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2, err[-1000:]
    assert len(lines) == 1 and lines[0].startswith("error:") and phrase in lines[0], lines
    assert "Traceback" not in err and len(lines[0]) < 400
    return lines[0]


@pytest.mark.skipif(os.name != "posix", reason="pipes, sockets and devices are POSIX")
@pytest.mark.parametrize("command, flag", OUTPUT_FLAGS)
@pytest.mark.parametrize("kind", OUTPUT_KINDS)
def test_an_output_that_is_not_a_writable_file_is_refused_before_any_work(tmp_path, capsys, no_work,
                                                                          command, flag, kind):
    name = _make(tmp_path, kind)
    before = _on_disk(tmp_path)
    steps = ["--steps", "5"] if command != "screenshot" else []
    line = _refused(capsys, [command, "xor", *steps, flag, name], OUTPUT_KINDS[kind])
    assert line.startswith(f"error: {flag}")
    assert _on_disk(tmp_path) == before
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_train_out_through_a_link_chain_updates_the_file_and_keeps_the_links(tmp_path, capsys):
    (tmp_path / "runs").mkdir()
    (tmp_path / "second.laegna").symlink_to("runs/final.laegna")  # dangling: names the file to make
    (tmp_path / "first.laegna").symlink_to("second.laegna")
    assert main(["train", "xor", "--steps", "20", "--out", str(tmp_path / "first.laegna")]) == 0
    assert os.readlink(tmp_path / "first.laegna") == "second.laegna"
    assert os.readlink(tmp_path / "second.laegna") == "runs/final.laegna"
    trained = loads_project((tmp_path / "runs" / "final.laegna").read_text(encoding="utf-8"))
    assert trained.weights is not None
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["final.laegna"]


def test_an_unwritable_folder_is_refused_before_training(tmp_path, capsys, no_work, monkeypatch):
    monkeypatch.setattr(atomic_file.os, "access", lambda *_args: False)  # what a read-only folder answers
    _refused(capsys, ["train", "xor", "--out", str(tmp_path / "out.laegna")], "permission denied")
    _refused(capsys, ["export", "xor", "--steps", "5", "--dataset", str(tmp_path / "d.csv")], "permission denied")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv, phrase", [
    (["train", "xor", "--seed", "-1"], f"--seed must be a whole number from 0 to {SEED_MAX}"),
    (["train", "xor", "--seed", "99999999999999999999999"], "from 0 to 4294967295"),
    (["train", "xor", "--steps", "10000001"], "--steps must be a whole number from 0 to 10000000"),
    (["train", "xor", "--steps", str(10**30)], "from 0 to 10000000"),
    (["export", "xor", "--steps", "10000001", "--python", "a.py"], "from 0 to 10000000"),
    (["screenshot", "xor", "--steps", "10000001", "--out", "a.png"], "from 0 to 10000000"),
    (["screenshot", "xor", "--out", "picture.txt"], "--out must end in .png"),
    (["screenshot", "xor", "--out", "picture"], "--out must end in .png"),
    (["train", LONG], "(5000 characters): File name too long"),
    (["train", LONG + ".laegna"], "File name too long"),
    (["export", LONG, "--python", "a.py"], "File name too long"),
    (["bench", LONG], "File name too long"),
    (["train", "bad\0name"], "NUL character"),
    (["train", "bad\0name.laegna"], "NUL character"),
    (["export", "bad\0name.laegna", "--python", "a.py"], "NUL character"),
])
def test_each_argument_is_checked_before_any_work(tmp_path, capsys, no_work, monkeypatch, argv, phrase):
    monkeypatch.chdir(tmp_path)
    _refused(capsys, argv, phrase)
    assert list(tmp_path.iterdir()) == []


def test_a_screenshot_of_a_target_with_a_name_too_long_is_refused_before_any_window(tmp_path, capsys,
                                                                                   monkeypatch):
    monkeypatch.setattr("laegna_gui.ui.main_window.MainWindow", None)  # making a window would fail
    _refused(capsys, ["screenshot", LONG, "--out", str(tmp_path / "a.png")], "File name too long")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("seed", [SEED_MIN - 1, SEED_MIN, SEED_MAX, SEED_MAX + 1])
def test_train_accepts_exactly_the_seeds_a_project_file_accepts(tmp_path, capsys, seed):
    text = dumps_project(replace(load_preset("xor"), seed=seed))
    try:
        loads_project(text)
        readable = True
    except Exception:  # noqa: BLE001 - the loader's refusal, whatever its type
        readable = False
    code = main(["train", "xor", "--steps", "0", "--seed", str(seed), "--out", str(tmp_path / "s.laegna")])
    assert (code == 0) == readable
    if readable:
        assert loads_project((tmp_path / "s.laegna").read_text(encoding="utf-8")).seed == seed


# --- Ctrl-C: stops between chunks of training, writes nothing half, exits 130 -------------------

def _interrupt_on_second_run(monkeypatch) -> list[int]:
    """Trainer.run trains its first chunk, then Ctrl-C arrives. Returns the chunk sizes."""
    real, counts = Trainer.run, []

    def run(trainer, n):
        counts.append(n)
        if len(counts) > 1:
            raise KeyboardInterrupt
        return real(trainer, n)

    monkeypatch.setattr(Trainer, "run", run)
    return counts


@pytest.mark.parametrize("argv", [
    ["train", "xor", "--steps", "10000000", "--out", "out.laegna"],
    ["export", "xor", "--steps", "10000000", "--python", "a.py", "--weights", "a.pt"],
    ["export", "xor", "--steps", "10000000", "--history", "h.csv"],
])
def test_ctrl_c_while_training_stops_at_once_and_writes_nothing(tmp_path, capsys, monkeypatch, argv):
    monkeypatch.chdir(tmp_path)
    counts = _interrupt_on_second_run(monkeypatch)
    capsys.readouterr()
    assert main(argv) == 130
    out, err = capsys.readouterr()
    assert err == "interrupted: nothing was written\n" and out == ""
    assert counts[0] < 1000  # training runs in chunks, so Ctrl-C is noticed between them
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_saving_keeps_the_old_file(tmp_path, capsys, monkeypatch):
    old = tmp_path / "kept.laegna"
    old.write_text(dumps_project(load_preset("circle")), encoding="utf-8")
    before = old.read_bytes()

    def interrupted(_fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_file.os, "fsync", interrupted)
    assert main(["train", "xor", "--steps", "5", "--out", str(old)]) == 130
    assert capsys.readouterr().err == "interrupted: nothing was written\n"
    assert old.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["kept.laegna"]


def test_ctrl_c_between_two_exports_names_the_one_written(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    real, calls = atomic_file.write_atomic, []

    def write(path, data):
        calls.append(path)
        if len(calls) > 1:
            raise KeyboardInterrupt
        return real(path, data)

    monkeypatch.setattr(atomic_file, "write_atomic", write)
    assert main(["export", "xor", "--python", "a.py", "--dataset", "d.csv"]) == 130
    assert capsys.readouterr().err == "interrupted after writing a.py\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py"]


# The child prints a line when training has begun; SIGINT is sent only after that line.
CHILD = textwrap.dedent("""
    import signal, sys
    # as in a terminal: a test run started in the background (`cmd &`) ignores SIGINT, and a
    # child would inherit that
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from laegna_gui.cli import main
    from laegna_gui.engine.trainer import Trainer
    real = Trainer.run
    def run(trainer, n):
        if trainer.step_count == 0:
            print("training", flush=True)
        return real(trainer, n)
    Trainer.run = run
    sys.exit(main(sys.argv[1:]))
""")


def interrupted_run(folder, args: list[str]) -> tuple[int, str]:
    """Run `laegna-gui ARGS` in `folder`, press Ctrl-C once it trains; its exit status and stderr."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=folder, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert child.stdout.readline() == "training\n"
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=120)
    finally:
        child.kill()
    return child.returncode, err


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child is POSIX")
@pytest.mark.parametrize("command", [["train", "spiral", "--out", "out.laegna"],
                                     ["export", "spiral", "--python", "a.py", "--weights", "a.pt"]])
def test_a_real_ctrl_c_during_a_long_run_exits_130_with_one_line(tmp_path, command):
    """10 million steps of spiral take many minutes: only stopping at once can finish in time."""
    code, err = interrupted_run(tmp_path, [*command, "--steps", "10000000"])
    assert code == 130, err[-1000:]
    assert err.strip().splitlines() == ["interrupted: nothing was written"]
    assert list(tmp_path.iterdir()) == []
