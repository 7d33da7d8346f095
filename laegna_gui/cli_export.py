"""`laegna-gui export TARGET …`: a PyTorch script, trained weights, the loss history and the
dataset, written without a window. Every file is written atomically.

Also the checks and steps every command shares: each argument is checked before any work
(`check_steps`, `check_output`), training runs in chunks so Ctrl-C stops it at once
(`train_steps`), and a Ctrl-C names what had been written (`Interrupted`)."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from laegna_gui.core.errors import LaegnaError

DEFAULT_SCRIPT_STEPS = 1000
HISTORY_POINTS = 100  # rows of the exported history (plus step 0), like the window's curves
OUTPUTS = {"python": "PyTorch script", "weights": "trained weights", "history": "loss history",
           "dataset": "dataset"}
FIRST_CHUNK = 16       # training steps; the chunk doubles while one takes less than CHUNK_SECONDS
CHUNK_SECONDS = 0.05   # a compiled chunk cannot be interrupted: this is how late Ctrl-C may come


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with the files that had been written by then (`written`)."""

    def __init__(self, written: list[str]) -> None:
        super().__init__(", ".join(written))
        self.written = written


def add_export_parser(sub) -> None:
    export = sub.add_parser("export", help="write a PyTorch script, trained weights or CSVs for a project")
    export.add_argument("target", help="a .laegna file or a preset name")
    export.add_argument("--steps", type=int, default=0,
                        help="train this many iterations first (weights and history come from that run)")
    export.add_argument("--python", metavar="FILE.py", help="a standalone PyTorch script (torch and numpy only)")
    export.add_argument("--weights", metavar="FILE.pt", help="the trained weights as a PyTorch state dict")
    export.add_argument("--history", metavar="FILE.csv", help="the loss history of the training run as CSV")
    export.add_argument("--dataset", metavar="FILE.csv", help="the dataset (train and test points) as CSV")
    export.add_argument("--json", action="store_true", help="print one JSON object with what was written")


def run_export(args: argparse.Namespace) -> int:
    from laegna_gui.core.presets import open_target

    wanted = _check_request(args)
    project = open_target(args.target)
    if args.history and args.steps == 0:
        raise LaegnaError("--history needs a training run: add --steps N")
    if args.weights and args.steps == 0 and project.weights is None:
        raise LaegnaError(f"{args.target} has no trained weights: add --steps N to train first")
    run = _train(project, args.steps, record=bool(args.history)) if args.steps else None
    # everything is made before anything is written: a failure leaves no half of the outputs
    contents = {kind: _CONTENTS[kind](path, project, run, args.steps) for kind, path in wanted.items()}
    with telling_interrupts() as written:
        for kind, path in wanted.items():
            try:
                written.append(str(write_output(f"--{kind}", path, contents[kind])))
            except LaegnaError as exc:
                if written:
                    raise LaegnaError(f"{exc} (already written: {', '.join(written)})") from None
                raise
        result: dict = {"written": dict(zip(wanted, written))}
        if run is not None:
            result |= {"steps": run.trainer.step_count, "epochs": run.trainer.epoch,
                       **run.trainer.evaluate().scores()}
        if args.json:
            print(json.dumps(result))
        else:
            for kind, path in result["written"].items():
                print(f"wrote {path} ({OUTPUTS[kind]})")
    return 0


def _check_request(args: argparse.Namespace) -> dict[str, Path]:
    """Usage problems, found before any work is done; the outputs asked for."""
    wanted = {kind: getattr(args, kind) for kind in OUTPUTS if getattr(args, kind) is not None}
    if not wanted:
        raise LaegnaError("nothing to export: give --python, --weights, --history or --dataset")
    check_steps(args.steps)
    files = [check_output(f"--{kind}", name) for kind, name in wanted.items()]
    if len(set(files)) < len(files):
        raise LaegnaError("two outputs would go to the same file; give each its own name")
    return {kind: Path(name) for kind, name in wanted.items()}


def check_steps(steps: int) -> None:
    """A step count is at most what an exported script may train (so `export --python` never
    trains for hours and then refuses it), for every command alike."""
    from laegna_gui.engine.export_script import MAX_STEPS

    if not 0 <= steps <= MAX_STEPS:
        raise LaegnaError(f"--steps must be a whole number from 0 to {MAX_STEPS}")


def check_output(flag: str, name: str) -> Path:
    """A file a command will write, checked before any work: it must name a regular file (or
    a new one) in a folder that exists and can be written. Returns the file it names, with
    every symbolic link resolved; raises a LaegnaError naming `flag`."""
    from laegna_gui.core.atomic_file import check_writable

    if not name:
        raise LaegnaError(f"{flag} needs a file name")
    try:
        return check_writable(name)
    except OSError as exc:
        raise LaegnaError(f"{flag}: {exc.strerror or exc}") from None


def write_output(flag: str, path: str | Path, data: bytes | str) -> Path:
    """Write an output atomically; a failure (a full disk…) is one LaegnaError naming `flag`."""
    from laegna_gui.core.atomic_file import write_atomic

    try:
        return write_atomic(path, data)
    except OSError as exc:
        raise LaegnaError(f"{flag}: {exc.strerror or exc}") from None


@contextmanager
def telling_interrupts() -> Iterator[list[str]]:
    """Yields a list for the files written inside; Ctrl-C in there becomes `Interrupted` with them."""
    written: list[str] = []
    try:
        yield written
    except KeyboardInterrupt:
        raise Interrupted(written) from None


def train_steps(trainer, steps: int) -> None:
    """`steps` iterations in chunks: the compiled engine only returns to Python (where Ctrl-C
    is noticed) between them. The weights do not depend on how the steps are chunked."""
    done, chunk = 0, FIRST_CHUNK
    while done < steps:
        count = min(chunk, steps - done)
        start = time.perf_counter()
        trainer.run(count)
        done += count
        if time.perf_counter() - start < CHUNK_SECONDS:
            chunk *= 2


class _Run:
    """A finished training run: the trainer and, when asked for, its history and epochs."""

    def __init__(self, trainer, history, epochs) -> None:
        self.trainer, self.history, self.epochs = trainer, history, epochs


def _train(project, steps: int, record: bool) -> _Run:
    from laegna_gui.core.history import History
    from laegna_gui.engine.trainer import Trainer

    trainer = Trainer(project)
    history, epochs = History(), {}
    if not record:
        train_steps(trainer, steps)
        return _Run(trainer, history, epochs)
    every = max(1, steps // HISTORY_POINTS)
    while True:
        history.append(trainer.step_count, trainer.evaluate())
        epochs[trainer.step_count] = trainer.epoch
        if trainer.step_count >= steps:
            return _Run(trainer, history, epochs)
        train_steps(trainer, min(every, steps - trainer.step_count))


def _python(path: Path, project, run: _Run | None, steps: int) -> str:
    from laegna_gui.engine.export_script import pytorch_script

    return pytorch_script(project, steps or DEFAULT_SCRIPT_STEPS, path.name)


def _weights(path: Path, project, run: _Run | None, steps: int) -> bytes:
    from laegna_gui.engine.export_weights import state_dict_bytes

    if run is None:  # checked earlier: the project file holds trained weights
        return state_dict_bytes(project, project.weights, 0)
    return state_dict_bytes(project, run.trainer.weights(), run.trainer.step_count)


def _history(path: Path, project, run: _Run | None, steps: int) -> str:
    from laegna_gui.core.export_csv import history_csv

    return history_csv(run.history, run.epochs)


def _dataset(path: Path, project, run: _Run | None, steps: int) -> str:
    from laegna_gui.core.datasets import make_dataset
    from laegna_gui.core.export_csv import dataset_csv

    return dataset_csv(run.trainer.data if run is not None else make_dataset(project.dataset, project.seed))


_CONTENTS = {"python": _python, "weights": _weights, "history": _history, "dataset": _dataset}
