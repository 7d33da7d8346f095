"""Export a project as a standalone PyTorch script that trains like Laegna does.

`pytorch_script(project, steps)` returns the source of a script that needs only torch and
numpy. It rebuilds the same data, defines the graph as an `nn.Module` called `Network`,
and trains it with the same loss, optimizer, hyper-parameters, seed and batch order; its
last printed line is JSON with test_loss, test_accuracy, train_loss, train_accuracy and
steps. `--weights FILE.pt` loads a state dict (see export_weights) and only evaluates.
"""

from __future__ import annotations

import textwrap

from laegna_gui import __version__
from laegna_gui.core.datasets import make_dataset
from laegna_gui.core.errors import GraphError, LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import RANDOM_SEARCH
from laegna_gui.core.validate import final_activation
from laegna_gui.engine.network import squashed_logits
from laegna_gui.engine.objective import Objective
from laegna_gui.engine.script_data import Section, data_section, one_line
from laegna_gui.engine.script_network import NetworkWriter
from laegna_gui.engine.script_training import random_numbers_code, training_section

MAX_STEPS = 10_000_000

_HEADER = '''"""{title}

Exported from Laegna {version} as a standalone PyTorch script: it needs only torch and numpy.
{description}
{usage}

The last line printed is JSON: test_loss, test_accuracy, train_loss, train_accuracy (the
accuracies are null for regression) and steps (the steps this run trained).

It reproduces Laegna's numbers: the data come from numpy's generator seeded with SEED, the
initial weights from a torch generator seeded with SEED, and the batch order, dropout
masks and random search's nudges from the app's own SplitMix64 functions (written out
below), keyed by SEED and the epoch or step. Where the numbers can still differ: Laegna
may train in a compiled loop of its own that agrees with torch up to float32 rounding; and
a run that started from weights stored in a project, changed its settings midway or had
weights edited by hand took a path this script does not replay.
"""

import argparse
import json
import math

import numpy as np
import torch
{functional}from torch import nn

SEED = {seed}  # every random choice below (data, initial weights, batches, dropout) follows from it
STEPS = {steps}
'''

_MAIN = '''

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS,
                        help=f"training iterations (default {STEPS})")
    parser.add_argument("--weights", help="a state dict (.pt) to load; then only evaluate")
    args = parser.parse_args()
    torch.set_num_threads(1)  # these tensors are tiny: one thread is fastest
    x_train, y_train, x_test, y_test = (torch.as_tensor(a) for a in make_data())
    model = Network()
    steps = 0
    if args.weights:
        model.load_state_dict(torch.load(args.weights, weights_only=True))
    else:
        train(model, x_train, y_train, args.steps)
        steps = args.steps
    train_loss, train_accuracy = evaluate(model, x_train, y_train)
    test_loss, test_accuracy = evaluate(model, x_test, y_test)
    print(json.dumps({"test_loss": test_loss, "test_accuracy": test_accuracy,
                      "train_loss": train_loss, "train_accuracy": train_accuracy, "steps": steps}))


if __name__ == "__main__":
    main()
'''


class ScriptParts:
    """What a script is made from: the data, the checked graph, its Network writer, the objective."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.data = make_dataset(project.dataset, project.seed)
        self.analysis = project.analyse()
        graph = project.graph
        output_id = self.analysis.order[-1]
        width = self.analysis.widths[output_id]
        self.objective = Objective(project.training.loss, self.data.task, width, final_activation(graph))
        # the loss reads the logits where the app's does (GraphNetwork.scored)
        logits = squashed_logits(graph, output_id) if self.objective.fuses else None
        self.network = NetworkWriter(graph, self.analysis, self.data.spec, logits)
        self.has_batch_norm = bool(graph.nodes_of_type("batch_norm"))
        if self.has_batch_norm and len(self.data.x_train) < 2:
            raise GraphError("batch norm needs at least 2 training points; add points or remove batch norm")


def pytorch_script(project: Project, steps: int, filename: str = "network.py") -> str:
    """The source of a standalone script that trains `project` for `steps` iterations.

    Raises a LaegnaError (GraphError, DatasetError…) when the project cannot train."""
    if not isinstance(steps, int) or not 0 <= steps <= MAX_STEPS:
        raise LaegnaError(f"steps must be a whole number from 0 to {MAX_STEPS:,}, got {steps!r}")
    parts = ScriptParts(project)
    data = data_section(project.dataset, project.seed)
    has_dropout = parts.network.has_dropout()
    training = training_section(project.training, parts.objective, len(parts.data.x_train),
                                parts.network.dense_weights(), parts.has_batch_norm, has_dropout,
                                fused=parts.network.logits is not None)
    searches = project.training.optimizer == RANDOM_SEARCH
    body = data.code + random_numbers_code(has_dropout, searches) + parts.network.code() + training.code
    return (_header(project, steps, one_line(filename), uses_functional="F." in body)
            + _constants("# the data", data) + _constants("# training", training)
            + body + _MAIN)


def _header(project: Project, steps: int, filename: str, uses_functional: bool) -> str:
    title = one_line(project.name) or "untitled"
    description = one_line(project.description)
    return _HEADER.format(
        title=f"{title}: a network exported from Laegna.",
        version=__version__,
        description=f"\n{_wrap(description)}\n" if description else "",
        usage=_usage(filename, steps), steps=steps, seed=project.seed,
        functional="import torch.nn.functional as F\n" if uses_functional else "")


def _usage(filename: str, steps: int) -> str:
    rows = [(f"python {filename}", f"train {steps} steps from the initial weights, then evaluate"),
            (f"python {filename} --steps N", "train N steps instead"),
            (f"python {filename} --weights FILE.pt", "load weights exported by Laegna; only evaluate")]
    width = max(len(command) for command, _ in rows)
    if width > 36:  # a long file name: each explanation on its own line
        return "\n".join(f"    {command}\n        {what}" for command, what in rows)
    return "\n".join(f"    {command.ljust(width)}   {what}" for command, what in rows)


def _constants(heading: str, section: Section) -> str:
    if not section.constants:
        return ""
    width = max(len(f"{name} = {value}") for name, value, _ in section.constants)
    lines = [f"{name} = {value}".ljust(width) + f"  # {comment}" for name, value, comment in section.constants]
    return "\n" + heading + "\n" + "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 92) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False))
