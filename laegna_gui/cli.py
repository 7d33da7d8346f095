"""The `laegna-gui` command: the window, or headless work (train, presets, screenshot…)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace

from laegna_gui import __version__
from laegna_gui.cli_compare import add_compare_parsers, run_compare, run_sweep
from laegna_gui.cli_export import (add_export_parser, check_output, check_steps, run_export, telling_interrupts,
                                   train_steps, write_output)
from laegna_gui.cli_lessons import add_lesson_parsers, run_lesson_check, run_lessons
from laegna_gui.core.animation_plan import (ANIMATION_VIEWS, DEFAULT_FPS, DEFAULT_SECONDS, animation_format,
                                            check_frame_size, plan_animation)
from laegna_gui.core.errors import LaegnaError, TrainingDiverged
from laegna_gui.ui.view_names import VIEWS

INTERRUPTED = 130  # the exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells use


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one `error:` line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {message} (see laegna-gui --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="laegna-gui", description="Laegna — a desktop playground for neural networks.")
    parser.add_argument("--version", action="version", version=f"laegna-gui {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    presets = sub.add_parser("presets", help="list the shipped presets")
    presets.add_argument("--json", action="store_true", help="print a JSON list")

    train = sub.add_parser("train", help="train a project or preset without a window")
    train.add_argument("target", help="a .laegna file or a preset name")
    train.add_argument("--steps", type=int, default=1000, help="optimizer iterations (default 1000)")
    train.add_argument("--seed", type=int, help="override the project's random seed")
    train.add_argument("--out", help="save the trained project, with its weights, here")
    train.add_argument("--json", action="store_true", help="print one JSON object with the results")

    shot = sub.add_parser("screenshot", help="render the window with TARGET loaded into a PNG")
    shot.add_argument("target", nargs="?", help="a .laegna file or a preset name (default: xor)")
    shot.add_argument("--out", required=True, help="the PNG file to write")
    shot.add_argument("--size", default="1400x860", type=_size, help="window size WxH (default 1400x860)")
    shot.add_argument("--steps", type=int, default=0, help="train this many iterations before the capture")
    shot.add_argument("--view", default="network", choices=VIEWS,
                      help="the centre tab to show: " + ", ".join(VIEWS)
                      + " (3-D views need OpenGL: a display or Xvfb)")
    shot.add_argument("--theme", default="light", choices=("light", "dark"),
                      help="the look to render: light (default) or dark")

    add_export_parser(sub)
    add_compare_parsers(sub)
    add_lesson_parsers(sub)

    record = sub.add_parser("record", help="train TARGET in the window and save one view as a GIF or MP4 animation")
    record.add_argument("target", help="a .laegna file or a preset name")
    record.add_argument("--steps", type=int, required=True, help="training iterations the animation covers")
    record.add_argument("--out", required=True, metavar="FILE.gif|FILE.mp4", help="the animation to write")
    record.add_argument("--view", default="network", choices=ANIMATION_VIEWS,
                        help="the view to record: " + ", ".join(ANIMATION_VIEWS)
                        + " (3-D views need OpenGL: a display or Xvfb)")
    record.add_argument("--fps", type=float, default=DEFAULT_FPS, help=f"frames a second (default {DEFAULT_FPS:g})")
    record.add_argument("--seconds", type=float, default=DEFAULT_SECONDS,
                        help=f"length (default {DEFAULT_SECONDS:g}); fewer frames when there are fewer steps")
    record.add_argument("--size", default="800x500", type=_size, help="frame size WxH (default 800x500)")
    record.add_argument("--theme", default="light", choices=("light", "dark"), help="light (default) or dark")

    bench = sub.add_parser("bench", help="measure training speed, GUI responsiveness and start-up here")
    bench.add_argument("targets", nargs="*", metavar="TARGET",
                       help="project files or presets to measure instead of every shipped preset")
    bench.add_argument("--json", action="store_true", help="print one JSON object (a row per target under `rows`)")
    bench.add_argument("--seconds", type=float, default=3.0, help="seconds per measurement (default 3)")
    bench.add_argument("--short", action="store_true", help="about 0.3 s per measurement (CI: proves it runs)")
    bench.add_argument("--display", action="store_true",
                       help="open the live window on the screen (default: offscreen)")
    bench.add_argument("--soak", type=float, metavar="MINUTES",
                       help="instead: train MINUTES with every view live; report memory and GUI gaps")
    bench.add_argument("--preset", default="spiral", help="the preset the soak trains (default spiral)")

    sub.add_parser("prepare-kernels", help="compile the training kernels into the cache "
                   "(the window does it by itself the first time, in the background)")
    return parser


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WxH like 1200x800, got {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000")
    return width, height


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (len(argv) == 1 and not argv[0].startswith("-") and argv[0] not in _COMMANDS):
        return _open_window(argv[0] if argv else None)
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except LaegnaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, TrainingDiverged) else 2
    except KeyboardInterrupt as exc:  # Ctrl-C: no traceback; an unfinished file was never put in place
        written = getattr(exc, "written", [])
        print(f"interrupted after writing {', '.join(written)}" if written else "interrupted: nothing was written",
              file=sys.stderr)
        return INTERRUPTED


def _open_window(target: str | None) -> int:
    from laegna_gui.ui.app import run_app

    return run_app(target)


def _presets(args: argparse.Namespace) -> int:
    from laegna_gui.core.presets import preset_info

    infos = preset_info()
    if args.json:
        print(json.dumps([vars(i) for i in infos], ensure_ascii=False))
    else:
        for info in infos:
            print(f"{info.name:16s} {info.title}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from laegna_gui.core.presets import open_target
    from laegna_gui.core.project_file import dumps_project
    from laegna_gui.engine.trainer import Trainer

    check_steps(args.steps)
    _check_seed(args.seed)
    if args.out is not None:
        check_output("--out", args.out)
    project = open_target(args.target)
    if args.seed is not None:
        project = replace(project, seed=args.seed, weights=None)
    trainer = Trainer(project)
    trainer.warm_up()  # loads (or compiles) the kernels: not part of the training time
    start = time.perf_counter()
    train_steps(trainer, args.steps)
    seconds = time.perf_counter() - start
    metrics = trainer.evaluate()
    with telling_interrupts() as written:
        if args.out is not None:
            project.weights = trainer.weights()
            written.append(str(write_output("--out", args.out, dumps_project(project))))
        _print_result(args, trainer, metrics, seconds)
    return 0


def _check_seed(seed: int | None) -> None:
    """The seeds a project file accepts, so a trained project can be saved and opened again."""
    from laegna_gui.core.limits import SEED_MAX, SEED_MIN

    if seed is not None and not SEED_MIN <= seed <= SEED_MAX:
        raise LaegnaError(f"--seed must be a whole number from {SEED_MIN} to {SEED_MAX}")


def _print_result(args: argparse.Namespace, trainer, metrics, seconds: float) -> None:
    scores = {k: v for k, v in metrics.scores().items() if k != "sample"}  # every point measured
    result = {"steps": trainer.step_count, "epochs": trainer.epoch, **scores,
              "seconds": round(seconds, 4), "engine": trainer.engine_name}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:15s} {value}")


def _screenshot(args: argparse.Namespace) -> int:
    check_steps(args.steps)
    check_output("--out", args.out)
    _check_image_name(args.out)
    from laegna_gui.ui.export.screenshot import take_screenshot

    try:
        out, state = take_screenshot(args.target, args.out, args.size, args.steps, args.view, args.theme)
    except OSError as exc:
        raise LaegnaError(str(exc)) from None
    print(f"{out} ({state})")
    return 0


def _check_image_name(name: str) -> None:
    """The picture's type comes from the file name's suffix: one Qt cannot write is refused now."""
    from pathlib import Path

    from PySide6.QtGui import QImageWriter

    known = sorted(bytes(f).decode() for f in QImageWriter.supportedImageFormats())
    if Path(name).suffix.lower().lstrip(".") not in known:
        raise LaegnaError(f"--out must end in .png (or another image type: {', '.join('.' + k for k in known)})")


def _record(args: argparse.Namespace) -> int:
    check_steps(args.steps)
    check_output("--out", args.out)
    kind = animation_format(args.out)
    plan = plan_animation(args.steps, args.fps, args.seconds)
    check_frame_size(kind, *args.size, plan.frames)
    from laegna_gui.ui.export.record import record_animation

    with telling_interrupts():
        out, shown = record_animation(args.target, args.out, args.view, plan, args.size, args.theme)
    print(f"{out} ({shown})")
    return 0


def _bench(args: argparse.Namespace) -> int:
    import math

    if not (math.isfinite(args.seconds) and 0 < args.seconds <= 600):
        raise LaegnaError("--seconds must be more than 0 and at most 600")
    if args.soak is not None:
        if args.targets:
            raise LaegnaError("--soak trains one preset: name it with --preset, not as a TARGET")
        return _soak(args)
    from laegna_gui.bench import format_table, run_all
    from laegna_gui.core.presets import open_target

    for target in args.targets:  # each is readable, before anything is measured
        open_target(target)

    result = run_all(0.3 if args.short else args.seconds, display=args.display, names=args.targets,
                     progress=lambda text: print(f"bench: {text}", file=sys.stderr, flush=True))
    print(json.dumps(result) if args.json else format_table(result))
    return 0


def _soak(args: argparse.Namespace) -> int:
    import math

    if not (math.isfinite(args.soak) and 0 < args.soak <= 24 * 60):
        raise LaegnaError("--soak must be more than 0 and at most 1440 minutes")
    from laegna_gui.bench.soak import format_soak, print_progress, run_soak
    from laegna_gui.core.presets import load_preset

    load_preset(args.preset)  # an unknown preset is a usage error before any window opens
    result = run_soak(args.soak, args.preset, display=args.display, sample_seconds=min(10.0, args.soak * 6),
                      rotate_seconds=min(15.0, args.soak * 6), progress=print_progress)
    print(json.dumps(result) if args.json else format_soak(result))
    return 0


def _prepare_kernels(_args: argparse.Namespace) -> int:
    from laegna_gui.engine.compiled.warm import fill_cache

    fill_cache()
    return 0


_COMMANDS = {"presets": _presets, "train": _train, "screenshot": _screenshot, "bench": _bench,
             "export": run_export, "record": _record, "prepare-kernels": _prepare_kernels,
             "compare": run_compare, "sweep": run_sweep, "lessons": run_lessons, "lesson-check": run_lesson_check}
