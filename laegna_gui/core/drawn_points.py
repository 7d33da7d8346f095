"""Editing a dataset point by point (the dataset panel's drawing mode), as plain data.

Points are the `points` dict of a 'custom' DatasetSettings: task, n_outputs, feature_names,
x (rows) and y (a class index or a target value per row). Every edit returns a new dict, so
an undo step can keep the old one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from laegna_gui.core.custom_data import points_to_settings
from laegna_gui.core.datasets import MAX_SAMPLES, Dataset, DatasetSettings, make_dataset
from laegna_gui.core.errors import DatasetError
from laegna_gui.core.validate import DataSpec

Points = dict[str, Any]
DECIMALS = 6  # stored coordinates: float32 noise (0.10000000149) helps nobody reading the file


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
        y = np.round(y[:, 0].astype(float), DECIMALS)
    return {"task": data.task, "n_outputs": data.n_outputs, "feature_names": list(data.feature_names),
            "x": np.round(x.astype(float), DECIMALS).tolist(), "y": y.tolist()}


def drawn_settings(current: DatasetSettings, points: Points) -> DatasetSettings:
    """The custom dataset holding `points`, keeping the current train/test split."""
    return points_to_settings(points, current.test_fraction)


def with_point(points: Points, row: list[float], target: float) -> Points:
    """`points` plus one point; classification targets are class indices."""
    if len(points["x"]) >= MAX_SAMPLES:
        raise DatasetError(f"a dataset holds at most {MAX_SAMPLES:,} points; remove some first")
    if points["task"] == "classification":
        if not 0 <= int(target) < int(points["n_outputs"]):
            raise DatasetError(f"class {target} is outside 0…{int(points['n_outputs']) - 1}")
        target = int(target)
    else:
        target = round(float(target), DECIMALS)
    row = [round(float(v), DECIMALS) for v in row]
    return {**points, "x": [*points["x"], row], "y": [*points["y"], target]}


def without_point(points: Points, index: int) -> Points:
    x, y = list(points["x"]), list(points["y"])
    del x[index], y[index]
    return {**points, "x": x, "y": y}


def cleared(points: Points) -> Points:
    return {**points, "x": [], "y": []}


def plot_positions(points: Points) -> np.ndarray:
    """Where each point is drawn: its two inputs, or (input, target) for one-input data."""
    x = np.asarray(points.get("x") or np.zeros((0, 2)), dtype=float)
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
    return settings.name == "custom" and isinstance(x, list) and isinstance(y, list) and len(x) == len(y) < 2


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
