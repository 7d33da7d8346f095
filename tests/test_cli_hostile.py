"""Every hostile project file given to the command line: exit 2, one `error:` line, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hostile_files import HOSTILE, make_hostile

from laegna_gui.cli import main


CASES = [(name, "train") for name in HOSTILE] + [
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
