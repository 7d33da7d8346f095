"""One row of `laegna-gui bench` per target: its figures, its targets and which it met.

The targets of a row (`row_targets`):
- headless ≥ 4 × TensorFlow Playground's JavaScript engine when every dense layer is at most
  8 wide: 4 × 930,000 examples/s for networks with at most as many parameters as circle
  [4, 2] (25), 4 × 182,000 (its figure at [8, 8, 8], 177 parameters) up to 177, and above
  that 4 × 182,000 × 177 / parameters (its cost per example grows with the parameters: a
  deep 8-wide stack such as `vanishing` is held to what the Playground would do on it).
  Between 25 and 177 parameters the Playground would be faster than 182,000, so the target
  is lenient there;
- headless ≥ 35 × the plain PyTorch loop of the same network (`speedup_vs_torch`) when every
  dense layer is at most 8 wide (the networks the issue's targets speak of); wider networks
  must never be slower than that loop (≥ 1 ×): there the arithmetic, not torch's per-call
  overhead, is most of the work;
- live ≥ 150,000 examples/s up to 25 parameters, ≥ 45,000 up to 177 (only when every
  dense layer is at most 8 wide; none for wider or bigger networks);
- ≥ 30 frames/s, GUI gaps p99 ≤ 25 ms and max ≤ 100 ms, live ≥ 50 % of headless.
The scale row has two: never slower than the torch path — the app's own torch engine, measured
in the same run (within 10 %: two measurements of one engine differ by that much here) — and
live ≥ 50 % of headless. A row whose training diverges (`exploding`, built to) has none: it
cannot train as shipped, and its figures show only how fast divergence is handled.
"""

from __future__ import annotations

import math

from laegna_gui.bench.headless import EngineFigures
from laegna_gui.bench.projects import BenchTarget, max_width

TFP_EXAMPLES_PER_S_4_2 = 930_000  # TensorFlow Playground's engine, [4, 2], batch 10, this machine kind
TFP_EXAMPLES_PER_S_8_8_8 = 182_000  # … [8, 8, 8]
PARAMETERS_4_2 = 25  # 2 inputs → 4 → 2 → 1, with biases
PARAMETERS_8_8_8 = 177  # 2 inputs → 8 → 8 → 8 → 1
PLAYGROUND_WIDTH = 8  # TensorFlow Playground's widest layer
SPEEDUP_VS_TFP = 4
SPEEDUP_VS_TORCH = 35
LIVE_EXAMPLES_PER_S_4_2 = 150_000
LIVE_EXAMPLES_PER_S_8_8_8 = 45_000
LIVE_FRACTION = 0.5
SAME_ENGINE_NOISE = 0.9  # two measurements of one engine differ by up to this much here
COMMON_TARGETS = {"live_fps": (">=", 30.0), "gui_gap_p99_ms": ("<=", 25.0), "gui_gap_max_ms": ("<=", 100.0),
                  "live_fraction": (">=", LIVE_FRACTION)}

FIGURES = ("examples_per_s", "torch_loop_examples_per_s", "speedup_vs_torch", "live_examples_per_s",
           "live_epochs_per_s", "live_fps", "gui_gap_p99_ms", "gui_gap_max_ms", "live_fraction")


def make_row(target: BenchTarget, engine: EngineFigures, torch_loop: float, live: dict,
             torch_engine: float | None = None) -> dict:
    """The row's figures, targets and `met` flags."""
    row = {
        "target": target.label, "kind": target.kind, "engine": engine.engine, "live_engine": live["engine"],
        "parameters": engine.parameters, "max_width": max_width(target.project), "batch_size": engine.batch_size,
        "examples_per_s": engine.examples_per_s, "torch_loop_examples_per_s": torch_loop,
        "speedup_vs_torch": _ratio(engine.examples_per_s, torch_loop),
        "live_examples_per_s": live["examples_per_s"], "live_epochs_per_s": live["epochs_per_s"],
        "live_fps": live["fps"], "gui_gap_p99_ms": live["gap_p99_ms"], "gui_gap_max_ms": live["gap_max_ms"],
        "live_fraction": _ratio(live["examples_per_s"], engine.examples_per_s),
        "diverged": engine.diverged + live["diverged"],
        "torch_engine_examples_per_s": torch_engine,  # the app's own torch engine (scale row)
    }
    targets = row_targets(row)
    row["targets"] = {key: [op, value] for key, (op, value) in targets.items()}
    row["met"] = {key: compare(row[key], op, value) for key, (op, value) in targets.items()}
    return row


def row_targets(row: dict) -> dict[str, tuple[str, float]]:
    """key → (comparison, target) for this row (see the module's docstring)."""
    if row["diverged"]:
        return {}  # it cannot train as shipped (exploding, by design): nothing steady to hold
    if row["kind"] == "scale":
        return {"examples_per_s": (">=", SAME_ENGINE_NOISE * row["torch_engine_examples_per_s"]),
                "live_fraction": (">=", LIVE_FRACTION)}
    targets: dict[str, tuple[str, float]] = {}
    small, playground_sized = row["parameters"] <= PARAMETERS_4_2, row["max_width"] <= PLAYGROUND_WIDTH
    if playground_sized:
        if small:
            tfp = TFP_EXAMPLES_PER_S_4_2
        else:  # its engine's cost per example grows with the parameters beyond [8, 8, 8]
            tfp = TFP_EXAMPLES_PER_S_8_8_8 * min(1.0, PARAMETERS_8_8_8 / row["parameters"])
        targets["examples_per_s"] = (">=", SPEEDUP_VS_TFP * tfp)
    targets["speedup_vs_torch"] = (">=", SPEEDUP_VS_TORCH if playground_sized else 1.0)
    if playground_sized and row["parameters"] <= PARAMETERS_8_8_8:
        targets["live_examples_per_s"] = (">=", LIVE_EXAMPLES_PER_S_4_2 if small else LIVE_EXAMPLES_PER_S_8_8_8)
    return {**targets, **COMMON_TARGETS}


def compare(value, op: str, target: float) -> bool:
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    return value >= target if op == ">=" else value <= target


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else 0.0


_COLUMNS = (  # header, key, width, format
    ("target", "target", 30, "s"), ("engine", "engine", 16, "s"), ("width", "max_width", 5, "d"),
    ("batch", "batch_size", 5, "d"), ("examples/s", "examples_per_s", 11, ",.0f"),
    ("torch loop", "torch_loop_examples_per_s", 10, ",.0f"), ("×torch", "speedup_vs_torch", 7, ".1f"),
    ("live ex/s", "live_examples_per_s", 10, ",.0f"), ("live %", "live_fraction", 6, ".0%"),
    ("epochs/s", "live_epochs_per_s", 8, ",.0f"), ("fps", "live_fps", 5, ".1f"),
    ("p99 ms", "gui_gap_p99_ms", 6, ".1f"), ("max ms", "gui_gap_max_ms", 6, ".1f"),
)


def format_rows(rows: list[dict]) -> list[str]:
    """A header and one line per row; a figure that missed its target is marked `!`, and the
    last column says met, or MISSED and which."""
    header = " ".join(f"{title:>{width}s} " if fmt != "s" else f"{title:{width}s} "
                      for title, _key, width, fmt in _COLUMNS)
    return [header + " targets", *(_format_row(row) for row in rows)]


def _format_row(row: dict) -> str:
    cells = []
    for _title, key, width, fmt in _COLUMNS:
        text = f"{str(row[key])[:width]:{width}s}" if fmt == "s" else f"{row[key]:>{width}{fmt}}"
        cells.append(text + ("!" if row["met"].get(key) is False else " "))
    missed = [key for key, ok in row["met"].items() if not ok]
    verdict = "met" if not missed else "MISSED " + ", ".join(missed)
    if row["diverged"]:
        verdict += f" (diverged {row['diverged']}×, Reset each time)"
    return " ".join(cells) + " " + verdict
