"""`laegna-gui bench`: measure training speed, GUI responsiveness and start-up on this machine.

One row per target (`projects.bench_targets`): circle [4,2] and [8,8,8] (TensorFlow
Playground's default data), every shipped preset (or the project files and presets named on
the command line) and a wide network on 50,000 points; then a 4×4 sweep of circle for 1,000
steps (`sweep`), timed whole. Each row has the engine headless
(`Trainer.run`) and a plain PyTorch loop of the same network at the row's own batch size
(`headless`), and the real window playing it (`live`: a 5 ms GUI timer records the raw
intervals between its ticks); `rows` holds the targets each row is held to. Start-up: a
fresh interpreter opening the window. The top-level keys (`TARGETS`) summarise the two
circle rows. No number here is asserted anywhere; `met` only compares with the targets.
"""

from __future__ import annotations

from collections.abc import Callable

from laegna_gui.bench.projects import SHAPES, BenchTarget, bench_project, bench_targets, circle_target
from laegna_gui.bench.rows import compare, format_rows, make_row
from laegna_gui.bench.sweep import SWEEP_LABEL, SWEEP_TARGET_S, format_sweep, measure_sweep

__all__ = ["SHAPES", "TARGETS", "bench_project", "format_table", "met", "run_all"]

# key → (comparison, target). ">=": at least, "<=": at most.
TARGETS: dict[str, tuple[str, float]] = {
    "engine_examples_per_s_4_2": (">=", 930_000),
    "engine_examples_per_s_8_8_8": (">=", 182_000),
    "speedup_vs_torch_4_2": (">=", 35),
    "speedup_vs_torch_8_8_8": (">=", 9),
    "live_epochs_per_s_4_2": (">=", 570),
    "live_epochs_per_s_8_8_8": (">=", 180),
    "live_fps": (">=", 30),
    "gui_gap_p99_ms": ("<=", 25),
    "gui_gap_max_ms": ("<=", 100),
    "step_to_view_ms": ("<=", 50),
    "startup_s": ("<=", 3),
    "sweep_circle_4x4_s": ("<=", SWEEP_TARGET_S),
}

Progress = Callable[[str], None]


def run_all(seconds: float, display: bool = False, names: list[str] | None = None,
            progress: Progress | None = None) -> dict:
    """Every measurement; the dict `--json` prints. `names`: project files or presets to
    measure instead of every shipped preset (the circle and scale rows are always there)."""
    from laegna_gui.bench.live import run_live
    from laegna_gui.bench.startup import measure_startup
    from laegna_gui.engine.compiled import prepare

    targets = bench_targets(names)
    prepare.ensure(block=True)  # warm: the kernels compiled (once after installing) and loaded
    # every window first: the plain PyTorch loops of the headless part leave torch's thread
    # pool spinning for a while, which would steal the GUI thread's core
    live = run_live(targets, seconds, display, progress)
    rows = [_measure_row(target, seconds, live[target.label], progress, i, len(targets))
            for i, target in enumerate(targets, start=1)]
    result: dict = {"seconds_per_measurement": seconds, "rows": rows}
    result.update(_summary(targets, rows, live))
    if progress:
        progress(SWEEP_LABEL)
    result["sweep_circle_4x4_s"] = measure_sweep()
    result["startup_s"] = measure_startup()
    result["targets"] = {key: target for key, (_op, target) in TARGETS.items()}
    result["met"] = {key: met(key, result.get(key)) for key in TARGETS}
    return result


def _measure_row(target: BenchTarget, seconds: float, live: dict, progress: Progress | None,
                 i: int, count: int) -> dict:
    from laegna_gui.bench.headless import bench_engine, bench_torch_loop

    if progress:
        progress(f"headless {target.label} ({i}/{count})")
    engine = bench_engine(target.project, seconds)
    torch_engine = bench_engine(target.project, seconds, "torch").examples_per_s if target.kind == "scale" else None
    return make_row(target, engine, bench_torch_loop(target.project, seconds), live, torch_engine)


def _summary(targets: list[BenchTarget], rows: list[dict], live: dict[str, dict]) -> dict:
    """The top-level keys, from the two circle rows (as before there were rows)."""
    out: dict = {}
    by_label = {row["target"]: row for row in rows}
    circles = []
    for suffix in SHAPES:
        label = circle_target(targets, suffix).label
        row, window = by_label[label], live[label]
        circles.append(window)
        out[f"engine_examples_per_s_{suffix}"] = row["examples_per_s"]
        out[f"torch_loop_examples_per_s_{suffix}"] = row["torch_loop_examples_per_s"]
        out[f"speedup_vs_torch_{suffix}"] = row["speedup_vs_torch"]
        out[f"engine_{suffix}"] = row["engine"]
        out[f"live_epochs_per_s_{suffix}"] = window["epochs_per_s"]
        out[f"live_fps_{suffix}"] = window["fps"]
        out[f"live_engine_{suffix}"] = window["engine"]
        out[f"live_rss_growth_percent_{suffix}"] = window["rss_growth_percent"]
    out["live_fps"] = min(w["fps"] for w in circles)
    out["gui_gap_p99_ms"] = max(w["gap_p99_ms"] for w in circles)
    out["gui_gap_max_ms"] = max(w["gap_max_ms"] for w in circles)
    out["step_to_view_ms"] = next(w["step_to_view_ms"] for w in circles if "step_to_view_ms" in w)
    out["live_rss_growth_percent"] = max(w["rss_growth_percent"] for w in circles)
    out["engine"] = out["engine_4_2"]
    return out


def met(key: str, value) -> bool:
    op, target = TARGETS[key]
    return compare(value, op, target)


_NOT_IN_SUMMARY = ("rows", "targets", "met", "engine", "engine_4_2", "engine_8_8_8", "seconds_per_measurement",
                   "sweep_circle_4x4_s")


def format_table(result: dict) -> str:
    """One line per row, then the summary of the circle rows, start-up and Step latency."""
    lines = [f"{result['seconds_per_measurement']:g} s per measurement; examples/s headless and live "
             "at each target's own batch size; ! marks a missed target", ""]
    lines += format_rows(result["rows"])
    lines += ["", format_sweep(result)]
    lines += ["", f"summary: circle [4,2] ({result['engine_4_2']}), circle [8,8,8] ({result['engine_8_8_8']})",
              f"{'measure':32s} {'value':>14s}  {'target':>12s}  "]
    for key, value in result.items():
        if key in _NOT_IN_SUMMARY:
            continue
        text = f"{value:14,.1f}" if isinstance(value, float) else f"{value!s:>14s}"
        if key in TARGETS:
            op, target = TARGETS[key]
            mark = "met" if result["met"][key] else "MISSED"
            lines.append(f"{key:32s} {text}  {op} {target:<9,g}  {mark}")
        else:
            lines.append(f"{key:32s} {text}")
    return "\n".join(lines)
