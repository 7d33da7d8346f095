"""The sweep row of `laegna-gui bench`: a 4×4 sweep of circle for 1,000 steps, timed whole —
making the 16 trainers, training them in lockstep, measuring them and drawing each one's
boundary — as `laegna-gui sweep` runs it (engine/compare.py). The issue's promise is
"seconds" with the compiled engine; the target is SWEEP_TARGET_S."""

from __future__ import annotations

import time

SWEEP_LABEL = "sweep circle 4x4 × 1000 steps"
SWEEP_TARGET_S = 10.0
ROWS = "learning_rate=0.01,0.03,0.1,0.3"
COLUMNS = "width=2,3,4,8"
STEPS = 1000


def measure_sweep() -> float:
    """Seconds the sweep takes (the kernels already loaded, as after the first start)."""
    from laegna_gui.core.presets import load_preset
    from laegna_gui.core.variations import parse_axis
    from laegna_gui.engine.compare import sweep

    project = load_preset("circle")
    rows, columns = parse_axis(ROWS, project, "--grid"), parse_axis(COLUMNS, project, "--grid")
    start = time.perf_counter()
    sweep(project, rows, columns, STEPS, probes=True)
    return time.perf_counter() - start


def format_sweep(result: dict) -> str:
    seconds, met = result["sweep_circle_4x4_s"], result["met"]["sweep_circle_4x4_s"]
    return f"{SWEEP_LABEL}: {seconds:.2f} s  (target <= {SWEEP_TARGET_S:g} s: {'met' if met else 'MISSED'})"
