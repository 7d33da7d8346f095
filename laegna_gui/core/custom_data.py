"""The user's own data: CSV import and datasets stored as points in a project.

Points are the `points` dict of a 'custom' DatasetSettings: `task`, `n_outputs`,
`feature_names` (a list of text), `x` (float32, one row per point) and `y` (int32 class
indices, or float32 target values: one per row, or a row of them). The arrays that
`make_points` builds are read-only, so settings can share them and copies cost nothing;
code that is handed plain lists instead (tests, older callers) reads them the same way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from laegna_gui.core.csv_reader import (  # noqa: F401 — the CSV API lives on here too
    MAX_COLUMNS,
    MAX_CSV_BYTES,
    CsvTable,
    iter_read_csv,
    parse_csv,
    read_csv,
)
from laegna_gui.core.datasets import MAX_SAMPLES, Dataset, DatasetSettings
from laegna_gui.core.errors import DatasetError
from laegna_gui.core.limits import MAX_CLASSES

Points = dict[str, Any]
TARGET_DTYPES = {"classification": np.int32, "regression": np.float32}


def make_points(task: str, n_outputs: int, feature_names: list[str], x: Any, y: Any) -> Points:
    """A points dict holding read-only float32 rows and int32 labels / float32 targets."""
    rows = _frozen(x, np.float32).reshape(len(x), len(feature_names))
    return {"task": task, "n_outputs": int(n_outputs), "feature_names": list(feature_names),
            "x": rows, "y": _frozen(y, TARGET_DTYPES[task])}


def _frozen(values: Any, dtype: type) -> np.ndarray:
    """`values` as a read-only array of `dtype`; an array its caller may still change is copied."""
    array = np.asarray(values, dtype=dtype)
    if isinstance(values, np.ndarray) and values.flags.writeable and np.may_share_memory(array, values):
        array = array.copy()
    array.flags.writeable = False
    return array


def guess_task(table: CsvTable, target: str) -> str:
    """Classification when the target holds whole numbers with few distinct values, else regression."""
    y = table.values[:, table.columns.index(target)]
    classes = np.unique(y)
    whole = bool(np.all(classes == np.round(classes)))
    return "classification" if whole and len(classes) <= min(MAX_CLASSES, max(2, len(y) // 2)) else "regression"


def check_choice(table: CsvTable, features: list[str], target: str, task: str) -> int:
    """Raise a DatasetError saying what is wrong with this choice of columns; else the outputs needed."""
    missing = [c for c in [*features, target] if c not in table.columns]
    if missing:
        raise DatasetError(f"no column named {missing[0]!r}")
    if not features or target in features:
        raise DatasetError("choose at least one feature column, and a target that is not a feature")
    if len(table.values) < 2:
        raise DatasetError("the file needs at least 2 data rows")
    if task == "regression":
        return 1
    if task != "classification":
        raise DatasetError(f"task must be classification or regression, not {task!r}")
    classes = np.unique(table.values[:, table.columns.index(target)])
    if len(classes) > MAX_CLASSES or np.any(classes != np.round(classes)):
        raise DatasetError(f"column {target!r} needs whole-number class labels (at most {MAX_CLASSES})")
    return max(2, len(classes))


def table_to_settings(table: CsvTable, features: list[str], target: str, task: str,
                      test_fraction: float = 0.3) -> DatasetSettings:
    """Turn chosen columns of a table into a 'custom' dataset kept inside the project."""
    n_outputs = check_choice(table, features, target, task)
    x = table.values[:, [table.columns.index(c) for c in features]]
    y = table.values[:, table.columns.index(target)]
    if task == "classification":
        y = np.searchsorted(np.unique(y), y)
    return points_to_settings(make_points(task, n_outputs, features, x, y), test_fraction)


def points_to_settings(points: dict[str, Any], test_fraction: float) -> DatasetSettings:
    """A 'custom' dataset holding these points. `samples` only has to be valid in a project file
    (4 or more); the points themselves say how many there are."""
    samples = min(max(len(points["x"]), 4), MAX_SAMPLES)
    return DatasetSettings(name="custom", samples=samples, noise=0.0, test_fraction=test_fraction, points=points)


def stable_split(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int):
    """Like datasets.split, but each point keeps its own random key: adding a point at the end
    moves at most one other point between train and test, so drawn data does not reshuffle."""
    keys = np.random.default_rng(seed).random(len(x))
    order = np.argsort(keys, kind="stable")
    n_test = min(len(x) - 1, int(round(len(x) * test_fraction)))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def custom_dataset(settings: DatasetSettings, seed: int) -> Dataset:
    points: dict[str, Any] = settings.points or {}
    try:
        task, n_outputs = points["task"], int(points["n_outputs"])
        with np.errstate(over="ignore"):  # a number too large for float32 becomes inf: refused below
            x = np.asarray(points["x"], dtype=np.float32)
            y = np.asarray(points["y"], dtype=np.int64 if task == "classification" else np.float32)
    except (KeyError, TypeError, ValueError) as exc:
        raise DatasetError(f"the stored points are incomplete or not numbers ({exc})") from None
    if x.ndim != 2 or len(x) < 2 or len(y) != len(x):
        raise DatasetError(f"the stored points need an x row and a y value for each of at least 2 points "
                           f"(there are {len(x)})")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise DatasetError("a stored point is not a finite 32-bit number")
    if task == "regression" and y.ndim == 1:
        y = y[:, None]
    if task == "classification" and (y.min() < 0 or y.max() >= n_outputs):
        raise DatasetError(f"a class label is outside 0…{n_outputs - 1}")
    names = tuple(points.get("feature_names") or [f"x{i + 1}" for i in range(x.shape[1])])
    parts = stable_split(x, y, settings.test_fraction, seed)
    return Dataset(*parts, task=task, n_outputs=n_outputs, feature_names=names)
