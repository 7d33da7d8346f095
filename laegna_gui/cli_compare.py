"""`laegna-gui compare` and `laegna-gui sweep`: race settings from the same start, without a window.

Every argument is checked before any training (an unknown key or a bad value names the valid
ones). The race runs in a worker thread so that Ctrl-C can raise the trainers' cancel token:
the compiled kernels give up the GIL and read it, so even a long iteration stops at once.
"""

from __future__ import annotations

import argparse
import json
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from laegna_gui.cli_export import check_output, check_steps, telling_interrupts, write_output
from laegna_gui.core.errors import LaegnaError

T = TypeVar("T")
WAKE_SECONDS = 0.1  # how late the main thread may notice Ctrl-C while a race trains


def add_compare_parsers(sub) -> None:
    compare = sub.add_parser("compare", help="train variations of a project from the same start and compare them")
    compare.add_argument("target", help="a .laegna file or a preset name")
    compare.add_argument("--vary", action="append", required=True, metavar="KEY=V1,V2",
                         help="a setting and its values, e.g. learning_rate=0.03,0.3 (repeat for more "
                              "settings: every combination is a run)")
    _common(compare, "compare")
    sweep = sub.add_parser("sweep", help="train a grid over two settings from the same start")
    sweep.add_argument("target", help="a .laegna file or a preset name")
    sweep.add_argument("--grid", action="append", required=True, metavar="KEY=V1,V2",
                       help="the rows' setting and values, then the columns' (twice, up to 5 values each)")
    _common(sweep, "sweep")


def _common(parser, what: str) -> None:
    parser.add_argument("--steps", type=int, default=1000, help="iterations of each run (default 1000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with every run")
    picture = "the loss curves overlaid, and the boundaries" if what == "compare" else "the grid of boundaries"
    parser.add_argument("--out", metavar="FILE.png", help=f"also write a PNG of {picture}")


def run_compare(args: argparse.Namespace) -> int:
    from laegna_gui.core.variations import combinations, parse_axis
    from laegna_gui.engine.compare import check_runs, race

    project = _checked(args)
    runs = combinations([parse_axis(text, project, "--vary") for text in args.vary], "--vary")
    check_runs(runs)
    result = interruptible(lambda cancel: race(project, runs, args.steps, cancel, probes=args.out is not None))
    title = f"compare {_name(args.target)}: {args.steps:,} steps from the same start"

    def picture() -> bytes:
        from laegna_gui.compare_png import race_png

        return race_png(result, title)

    report = {"runs": [_run_json(run) for run in result.runs], "verdict": result.verdict}
    return _finish(args, picture, report, lambda: _race_text(result, title))


def run_sweep(args: argparse.Namespace) -> int:
    from laegna_gui.core.variations import parse_axis
    from laegna_gui.engine.compare import grid, sweep

    project = _checked(args)
    if len(args.grid) != 2:
        raise LaegnaError(f"sweep needs two --grid settings (rows, then columns), got {len(args.grid)}; "
                          "for one setting use compare --vary")
    rows, columns = (parse_axis(text, project, "--grid") for text in args.grid)
    grid(rows, columns)  # its size, checked before any training
    result = interruptible(lambda cancel: sweep(project, rows, columns, args.steps, cancel,
                                                probes=args.out is not None))
    title = f"sweep {_name(args.target)}: {rows[0].key} × {columns[0].key}, {args.steps:,} steps from the same start"

    def picture() -> bytes:
        from laegna_gui.compare_png import sweep_png

        return sweep_png(result, title)

    report = {"rows": _axis_json(rows), "columns": _axis_json(columns),
              "cells": [[_run_json(result.cell(i, j)) for j in range(len(columns))] for i in range(len(rows))],
              "verdict": result.race.verdict}
    return _finish(args, picture, report, lambda: _sweep_text(result, title))


def _checked(args: argparse.Namespace):
    """The project, once the steps and the output file have been checked."""
    from laegna_gui.core.presets import open_target
    from laegna_gui.engine.export_script import MAX_STEPS

    check_steps(args.steps)
    if args.steps == 0:
        raise LaegnaError(f"--steps must be a whole number from 1 to {MAX_STEPS}")
    if args.out is not None:
        check_output("--out", args.out)
        if Path(args.out).suffix.lower() != ".png":
            raise LaegnaError("--out must name a .png file")
    return open_target(args.target)


def _finish(args: argparse.Namespace, picture: Callable[[], bytes], report: dict, text: Callable[[], str]) -> int:
    with telling_interrupts() as written:
        if args.out is not None:
            written.append(str(write_output("--out", args.out, picture())))
        print(json.dumps(report) if args.json else text())
        if written and not args.json:
            print(f"wrote {written[0]}")
    return 0


def interruptible(work: Callable[..., T]) -> T:
    """`work(cancel)` in a worker thread. Ctrl-C raises its CancelToken, waits for the worker
    to stop (TrainingCancelled, within an iteration) and comes out as KeyboardInterrupt."""
    from laegna_gui.engine.cancel import CancelToken

    cancel, outcome, done = CancelToken(), {}, threading.Event()

    def target() -> None:
        try:
            outcome["value"] = work(cancel)
        except BaseException as exc:  # noqa: BLE001 — handed to the main thread, which raises it
            outcome["error"] = exc
        finally:
            done.set()

    # waited for in short waits on an Event: Ctrl-C is then noticed whichever thread the signal
    # reached (a blocked wait wakes only when the main thread's own wait is interrupted), and a
    # Thread.join that Ctrl-C interrupted may return at once the next time
    thread = threading.Thread(target=target, name="laegna-race", daemon=True)
    try:
        thread.start()
        while not done.wait(WAKE_SECONDS):
            pass
    except KeyboardInterrupt:
        cancel.request()
        done.wait()
        raise
    finally:
        thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _name(target: str) -> str:
    return Path(target).name


# --- what is printed ------------------------------------------------------------------------
def _run_json(run) -> dict:
    metrics, best = run.metrics, run.best
    return {"setting": run.setting, "initial_weights_sha256": run.initial_weights_sha256,
            "train_loss": _number(metrics.train_loss), "test_loss": _number(metrics.test_loss),
            "test_accuracy": metrics.test_accuracy, "steps_to_best": best[0] if best else None,
            "best_test_loss": best[1] if best else None, "diverged": run.diverged,
            "starts_fresh": list(run.fresh_layers)}


def _axis_json(axis) -> dict:
    return {"key": axis[0].key, "values": [change.value for change in axis]}


def _number(value: float) -> float | None:
    """JSON has no NaN or infinity: a loss that is not finite is null."""
    return value if math.isfinite(value) else None


def _notes(runs) -> list[str]:
    """Each distinct note once, named by the settings that bring it (those only runs with
    that note have): "width=3 and width=8: dense1, dense2 and dense3 have another shape…"."""
    lines = []
    for note in dict.fromkeys(note for run in runs for note in run.notes):
        having = [run for run in runs if note in run.notes]
        others = {c for run in runs if note not in run.notes for c in run.changes}
        if others:
            causes = [str(c) for c in dict.fromkeys(c for run in having for c in run.changes) if c not in others]
        else:  # every run has it: named by what they all change alike
            causes = [str(c) for c in having[0].changes if all(c in run.changes for run in having)]
        named = ", ".join(causes[:-1]) + " and " + causes[-1] if len(causes) > 1 else "".join(causes)
        lines.append(f"{named or ('every run' if not others else 'some runs')}: {note}")
    return lines


def _race_text(result, title: str) -> str:
    lines = [title, *_notes(result.runs), ""]
    width = max(len("setting"), *(len(run.label) for run in result.runs))
    lines.append(f"{'setting':{width}s}  {'train loss':>10s}  {'test loss':>10s}  {'test acc':>8s}  "
                 f"{'best at':>8s}  {'diverged':>8s}  initial weights")
    for run in result.runs:
        m, best = run.metrics, run.best
        lines.append(f"{run.label:{width}s}  {m.train_loss:>10.4g}  {m.test_loss:>10.4g}  {_accuracy(m):>8s}  "
                     f"{best[0] if best else '-':>8}  {run.diverged or '-':>8}  {run.initial_weights_sha256[:12]}")
    return "\n".join([*lines, "", f"verdict: {result.verdict}"])


def _sweep_text(result, title: str) -> str:
    rows, columns = result.rows, result.columns
    first = max(len("test loss (accuracy)"), *(len(str(r)) for r in rows))
    cells = [[_cell(result.cell(i, j)) for j in range(len(columns))] for i in range(len(rows))]
    width = max(len(str(c)) for c in columns) + 2
    width = max(width, *(len(cell) + 2 for row in cells for cell in row))
    lines = [title, *_notes(result.race.runs), "",
             f"{'test loss (accuracy)':{first}s}" + "".join(f"{str(c):>{width}s}" for c in columns)]
    for row, texts in zip(rows, cells):
        lines.append(f"{str(row):{first}s}" + "".join(f"{text:>{width}s}" for text in texts))
    if any(run.diverged for run in result.race.runs):
        lines.append("! diverged, and stopped there (the verdict says at which step)")
    return "\n".join([*lines, "", f"verdict: {result.race.verdict}"])


def _cell(run) -> str:
    m = run.metrics
    text = f"{m.test_loss:.3g}" + (f" ({m.test_accuracy:.0%})" if m.test_accuracy is not None else "")
    return text + ("!" if run.diverged else "")


def _accuracy(metrics) -> str:
    return "-" if metrics.test_accuracy is None else f"{metrics.test_accuracy:.1%}"
