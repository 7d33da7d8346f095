"""`laegna-gui bench` keeps working (short mode). No timing is asserted: CI machines vary."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

NUMBERS = [
    f"{kind}_{suffix}" for suffix in ("4_2", "8_8_8")
    for kind in ("engine_examples_per_s", "torch_loop_examples_per_s", "live_epochs_per_s")
] + ["live_fps", "step_to_view_ms", "startup_s"]
NON_NEGATIVE = ["gui_gap_p99_ms", "gui_gap_max_ms"]
ENGINES = ["engine_4_2", "engine_8_8_8", "engine"]


def _bench(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "laegna_gui", "bench", *args],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def short_run() -> subprocess.CompletedProcess:
    return _bench("--short", "--json")


def test_short_bench_prints_every_key(short_run):
    assert short_run.returncode == 0, short_run.stderr
    assert "Traceback" not in short_run.stderr
    assert not any(line.startswith("error") for line in short_run.stderr.splitlines())
    result = json.loads(short_run.stdout)
    for key in NUMBERS:
        assert isinstance(result[key], (int, float)) and math.isfinite(result[key]) and result[key] > 0, key
    for key in NON_NEGATIVE:
        assert isinstance(result[key], (int, float)) and math.isfinite(result[key]) and result[key] >= 0, key
    assert math.isfinite(result["live_rss_growth_percent"])
    for key in ENGINES:
        assert isinstance(result[key], str) and result[key], key
    assert set(result["targets"]) == set(result["met"])
    assert {"live_fps", "gui_gap_p99_ms", "startup_s", "step_to_view_ms"} <= set(result["targets"])
    assert all(isinstance(v, bool) for v in result["met"].values())


def test_negative_seconds_is_a_usage_error():
    done = _bench("--seconds", "-1")
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "--seconds" in errors[0]
