"""Every kind of hostile project file is refused with one clear ProjectFileError, quickly and
within a bounded amount of memory (checked in a child process with an address-space limit)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import HOSTILE, INVALID_NETWORKS, make_hostile

from laegna_gui.core.errors import GraphError, ProjectFileError
from laegna_gui.core.project_file import load_project

# Loads each file named on the command line with only the core (numpy, no Qt, no torch) and
# prints one JSON line per file: the refusal message, or "loaded".
LOADER = """
import json, sys
from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.project_file import load_project
for path in sys.argv[1:]:
    try:
        load_project(path)
        print(json.dumps("loaded"), flush=True)
    except ProjectFileError as exc:
        print(json.dumps(str(exc)), flush=True)
"""
MEMORY_LIMIT = 1024 * 2**20  # 1 GiB of address space for the whole child, numpy included


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_file_is_refused_with_one_clear_message(tmp_path, name):
    path, phrase = make_hostile(tmp_path, name)
    with pytest.raises(ProjectFileError) as refused:
        load_project(path)
    message = str(refused.value)
    assert phrase in message and "\n" not in message and len(message) < 400


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_every_hostile_file_is_refused_within_a_bounded_memory(tmp_path):
    paths = [make_hostile(tmp_path, name) for name in HOSTILE]
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", LOADER, *(str(p) for p, _ in paths)], capture_output=True,
                          text=True, env=env, timeout=120, preexec_fn=_limit_memory)
    assert done.returncode == 0, done.stderr[-2000:]
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(paths)
    for (path, phrase), answer in zip(paths, answers):
        assert phrase in answer, (path.name, answer)


@pytest.mark.parametrize("name", list(INVALID_NETWORKS))
def test_a_file_with_an_invalid_network_opens_and_says_why_it_cannot_train(tmp_path, name):
    path, phrase = make_hostile(tmp_path, name)
    project = load_project(path)
    with pytest.raises(GraphError) as invalid:
        project.analyse()
    assert phrase in str(invalid.value)
