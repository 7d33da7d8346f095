"""Editing a dataset point by point (the dataset panel's drawing mode), as plain data.

Points are the `points` dict of a 'custom' DatasetSettings (see custom_data.make_points):
task, n_outputs, feature_names, x (rows) and y (a class index or a target value per row).
Every edit returns a new dict of new read-only arrays, so an undo step can keep the old one.
"""

from __future__ import annotations

import numpy as np

from laegna_gui.core.custom_data import Points, make_points, points_to_settings
from laegna_gui.core.datasets import MAX_SAMPLES, Dataset, DatasetSettings, make_dataset
from laegna_gui.core.errors import DatasetError
from laegna_gui.core.validate import DataSpec

DECIMALS = 6  # a click lands within a pixel: more digits than this are noise


def drawing_problem(spec: DataSpec) -> str | None:
    """Why points cannot be drawn for data of this shape, or None when they can."""
    if spec.task == "classification" and spec.n_inputs == 2:
        return None
    if spec.task == "regression" and spec.n_inputs == 1 and spec.n_outputs == 1:
        return None
    return (f"Drawing needs two inputs and classes, or one input and one target value; "
            f"this dataset has {spec.n_inputs} input(s) ({spec.task}).")


def editable_points(settings: DatasetSettings, seed: int) -> Points:
    """The points a drawing starts from: the stored ones, or every point of the generated data."""
    if settings.name == "custom":
        return settings.points or {}
    data = make_dataset(settings, seed)
    corners = settings.options.get("variant") == "corners"  # train and test are the same four rows
    x = data.x_train if corners else np.concatenate([data.x_train, data.x_test])
    y = data.y_train if corners else np.concatenate([data.y_train, data.y_test])
    if data.task == "regression":
        y = y[:, 0]
    return make_points(data.task, data.n_outputs, list(data.feature_names), x, y)


def drawn_settings(current: DatasetSettings, points: Points) -> DatasetSettings:
    """The custom dataset holding `points`, keeping the current train/test split."""
    return points_to_settings(points, current.test_fraction)


def with_point(points: Points, row: list[float], target: float) -> Points:
    """`points` plus one point; classification targets are class indices."""
    x, y = _arrays(points)
    if len(x) >= MAX_SAMPLES:
        raise DatasetError(f"a dataset holds at most {MAX_SAMPLES:,} points; remove some first")
    if points["task"] == "classification":
        if not 0 <= int(target) < int(points["n_outputs"]):
            raise DatasetError(f"class {target} is outside 0…{int(points['n_outputs']) - 1}")
        target = int(target)
    else:
        target = round(float(target), DECIMALS)
    row = np.round(np.asarray(row, dtype=float), DECIMALS).reshape(1, x.shape[1])
    return _with_arrays(points, np.concatenate([x, row]), np.concatenate([y, [target]]))


def without_point(points: Points, index: int) -> Points:
    x, y = _arrays(points)
    return _with_arrays(points, np.delete(x, index, axis=0), np.delete(y, index, axis=0))


def cleared(points: Points) -> Points:
    x, y = _arrays(points)
    return _with_arrays(points, x[:0], y[:0])


def _arrays(points: Points) -> tuple[np.ndarray, np.ndarray]:
    """x as rows and y, from arrays or (from older callers) plain lists."""
    x = np.asarray(points["x"], dtype=np.float32)
    if x.ndim != 2:  # an empty list: the names give the width
        x = x.reshape(len(x), len(points.get("feature_names") or ()))
    return x, np.asarray(points["y"])


def _with_arrays(points: Points, x: np.ndarray, y: np.ndarray) -> Points:
    names = points.get("feature_names") or [f"x{i + 1}" for i in range(x.shape[1])]
    return make_points(points["task"], points["n_outputs"], names, x, y)


def plot_positions(points: Points) -> np.ndarray:
    """Where each point is drawn: its two inputs, or (input, target) for one-input data."""
    x = np.asarray(points["x"] if len(points.get("x", ())) else np.zeros((0, 2)), dtype=float)
    if x.shape[1] == 1:
        return np.column_stack([x[:, 0], np.asarray(points["y"], dtype=float)])
    return x[:, :2]


def nearest(positions: np.ndarray, target: tuple[float, float], pixel: tuple[float, float],
            radius: float) -> int | None:
    """Index of the point closest to `target` on screen, if within `radius` pixels.
    `pixel` is the size of one screen pixel in data units (x and y may differ)."""
    if not len(positions):
        return None
    offsets = (positions - np.asarray(target)) / np.asarray(pixel)
    distances = np.hypot(offsets[:, 0], offsets[:, 1])
    index = int(np.argmin(distances))
    return index if distances[index] <= radius else None


def too_few_points(settings: DatasetSettings) -> bool:
    """A custom dataset with well-formed points, but fewer than the 2 that training needs."""
    points = settings.points or {}
    x, y = points.get("x"), points.get("y")
    sized = all(isinstance(v, (list, np.ndarray)) for v in (x, y))
    return settings.name == "custom" and sized and len(x) == len(y) < 2


def unsplit_dataset(settings: DatasetSettings) -> Dataset | None:
    """Every stored point as training data, with no test set: what a preview can still show
    when the points are too few to split (one left after removing). None if they are malformed."""
    points = settings.points or {}
    try:
        x = np.asarray(points["x"], dtype=np.float32).reshape(len(points["x"]), -1)
        task = points["task"]
        y = np.asarray(points["y"], dtype=np.int64 if task == "classification" else np.float32)
        if len(y) != len(x):
            return None
        y = y.reshape(len(x), -1) if task == "regression" else y
        return Dataset(x, y, x[:0], y[:0], task, int(points["n_outputs"]), tuple(points["feature_names"]))
    except (KeyError, TypeError, ValueError):
        return None
