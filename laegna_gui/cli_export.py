"""`laegna-gui export TARGET …`: a PyTorch script, trained weights, the loss history and the
dataset, written without a window. Every file is written atomically."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from laegna_gui.core.errors import LaegnaError

DEFAULT_SCRIPT_STEPS = 1000
HISTORY_POINTS = 100  # rows of the exported history (plus step 0), like the window's curves
OUTPUTS = {"python": "PyTorch script", "weights": "trained weights", "history": "loss history",
           "dataset": "dataset"}


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

    wanted = {kind: Path(getattr(args, kind)) for kind in OUTPUTS if getattr(args, kind)}
    _check_request(args, wanted)
    project = open_target(args.target)
    if args.history and args.steps == 0:
        raise LaegnaError("--history needs a training run: add --steps N")
    if args.weights and args.steps == 0 and project.weights is None:
        raise LaegnaError(f"{args.target} has no trained weights: add --steps N to train first")
    run = _train(project, args.steps, record=bool(args.history)) if args.steps else None
    # everything is made before anything is written: a failure leaves no half of the outputs
    contents = {kind: _CONTENTS[kind](path, project, run, args.steps) for kind, path in wanted.items()}
    written = {kind: str(_write(path, contents[kind])) for kind, path in wanted.items()}
    result: dict = {"written": written}
    if run is not None:
        result |= {"steps": run.trainer.step_count, "epochs": run.trainer.epoch, **vars(run.trainer.evaluate())}
    if args.json:
        print(json.dumps(result))
    else:
        for kind, path in written.items():
            print(f"wrote {path} ({OUTPUTS[kind]})")
    return 0


def _check_request(args: argparse.Namespace, wanted: dict[str, Path]) -> None:
    """Usage problems, found before any work is done."""
    if not wanted:
        raise LaegnaError("nothing to export: give --python, --weights, --history or --dataset")
    if args.steps < 0:
        raise LaegnaError("--steps must be 0 or more")
    for kind, path in wanted.items():
        if path.is_dir():
            raise LaegnaError(f"--{kind} {path} is a folder; give a file name")
        if not path.parent.is_dir():
            raise LaegnaError(f"--{kind} {path}: the folder {path.parent} does not exist")
    if len(set(wanted.values())) < len(wanted):
        raise LaegnaError("two outputs would go to the same file; give each its own name")


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
        trainer.run(steps)
        return _Run(trainer, history, epochs)
    every = max(1, steps // HISTORY_POINTS)
    while True:
        history.append(trainer.step_count, trainer.evaluate())
        epochs[trainer.step_count] = trainer.epoch
        if trainer.step_count >= steps:
            return _Run(trainer, history, epochs)
        trainer.run(min(every, steps - trainer.step_count))


def _write(path: Path, data: bytes | str) -> Path:
    from laegna_gui.core.atomic_file import write_atomic

    try:
        return write_atomic(path, data)
    except OSError as exc:
        raise LaegnaError(f"cannot write {path}: {exc.strerror or exc}") from None


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
