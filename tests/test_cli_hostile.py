"""Every hostile project file given to the command line: exit 2, one `error:` line, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hostile_files import HOSTILE, make_hostile


CASES = [(name, "train") for name in HOSTILE] + [
    (name, "screenshot") for name in ("binary garbage", "cycle", "a pipe", "weights of the wrong shape")]


@pytest.mark.parametrize("name, command", CASES)
def test_a_hostile_file_on_the_command_line_is_refused_in_one_line(tmp_path, name, command):
    path, phrase = make_hostile(tmp_path, name)
    args = [str(path)] if command == "train" else [str(path), "--out", str(tmp_path / "shot.png")]
    done = subprocess.run([sys.executable, "-m", "laegna_gui", command, *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr[-1000:]
    assert len(lines) == 1 and lines[0].startswith("error:") and phrase in lines[0], lines
    assert not (tmp_path / "shot.png").exists()
