"""Export the loss history and the dataset as CSV text (plain numpy, no Qt, no torch).

Numbers are written in their shortest exact form (float32 data as float32, so 0.1 stays
0.1); a value that was never measured (NaN) is an empty cell.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping

import numpy as np

from laegna_gui.core.datasets import Dataset
from laegna_gui.core.history import History
from laegna_gui.core.unique_names import unique_names

LOSS_COLUMNS = ("train_loss", "test_loss")
ACCURACY_COLUMNS = ("train_accuracy", "test_accuracy")


def history_csv(history: History, epochs: Mapping[int, int] | None = None) -> str:
    """One row per recorded point: step, epoch (when `epochs` maps steps to epochs), the
    train and test loss, and the accuracies when there are any (not for regression)."""
    steps = history.column("step")
    columns = {"step": [_integer(s) for s in steps]}
    if epochs is not None:
        columns["epoch"] = [_integer(epochs.get(int(s), math.nan)) for s in steps]
    for name in LOSS_COLUMNS:
        columns[name] = [_number(v) for v in history.column(name)]
    for name in ACCURACY_COLUMNS:
        values = history.column(name)
        if np.isfinite(values).any():
            columns[name] = [_number(v) for v in values]
    return _table(list(columns), zip(*columns.values()))


def dataset_csv(dataset: Dataset) -> str:
    """Every point with its features (named as in the dataset), its target and its split
    ('train' or 'test'); classification targets are class indices in a column 'label'."""
    features = list(dataset.feature_names)
    targets = _target_names(dataset)
    header = unique_names(features + targets + ["split"], "{name}_{n}")  # label, label_2
    rows = []
    for x, y, split in ((dataset.x_train, dataset.y_train, "train"), (dataset.x_test, dataset.y_test, "test")):
        y = np.asarray(y).reshape(len(y), -1)
        for point, target in zip(x, y):
            rows.append([_number(v) for v in point] + [_number(v) for v in target] + [split])
    return _table(header, rows)


def _target_names(dataset: Dataset) -> list[str]:
    if dataset.task == "classification":
        return ["label"]
    width = np.asarray(dataset.y_train).reshape(len(dataset.y_train), -1).shape[1]
    return ["y"] if width == 1 else [f"y{i + 1}" for i in range(width)]


def _number(value) -> str:
    if isinstance(value, (np.integer, int)):
        return str(int(value))
    if not math.isfinite(float(value)):
        return ""
    if isinstance(value, np.floating):
        return str(value)  # numpy's shortest repr that reads back as the same float32/float64
    return repr(float(value))


def _integer(value: float) -> str:
    return str(int(value)) if math.isfinite(value) else ""


def _table(header: list[str], rows: Iterable[Iterable[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
