"""Toy datasets, seeded and reproducible, and the train/test split.

Every 2-D dataset lives roughly in [-1, 1]² (the truth-table sets use corners 0/1),
so the same input plane fits all of them — except the "playground" variants, which keep
TensorFlow Playground's own coordinates (see playground_data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from laegna_gui.core.errors import DatasetError
from laegna_gui.core.limits import MAX_SAMPLES
from laegna_gui.core.playground_data import playground_points, playground_split
from laegna_gui.core.validate import DataSpec


@dataclass(frozen=True)
class Dataset:
    """Data ready to train on. Classification targets are class indices (int64, shape (n,));
    regression targets are floats of shape (n, k)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    task: str
    n_outputs: int
    feature_names: tuple[str, ...]

    @property
    def spec(self) -> DataSpec:
        return DataSpec(self.x_train.shape[1], self.task, self.n_outputs)


@dataclass(frozen=True, eq=False)
class DatasetSettings:
    """How to make the data: which generator, how many points, how noisy, how split.

    `options` holds generator extras (a `variant` from VARIANTS, line `slope`/`intercept`,
    the formula dataset's `formula`);
    `points` holds the data itself for imported or drawn datasets (name 'custom'; see
    custom_data.make_points). Settings are equal when they make the same data.
    """

    name: str = "xor"
    samples: int = 200
    noise: float = 0.1
    test_fraction: float = 0.5
    options: dict[str, Any] = field(default_factory=dict)
    points: dict[str, Any] | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DatasetSettings):
            return NotImplemented
        mine = (self.name, self.samples, self.noise, self.test_fraction, self.options)
        theirs = (other.name, other.samples, other.noise, other.test_fraction, other.options)
        return mine == theirs and _same_points(self.points, other.points)


def _same_points(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Points hold numpy arrays, which `==` compares value by value: compare them whole."""
    if a is None or b is None or a is b:
        return a is b
    return a.keys() == b.keys() and all(_same_value(a[key], b[key]) for key in a)


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            return a is b or np.shape(a) == np.shape(b) and bool(np.array_equal(a, b))
        except ValueError:  # a ragged list of rows
            return False
    return a == b


def _truth_table(rule: Callable[[np.ndarray, np.ndarray], np.ndarray]):
    def make(rng: np.random.Generator, n: int, noise: float, variant: str = "cloud", **_: Any):
        corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
        x = corners if variant == "corners" else corners[rng.integers(0, 4, n)]
        y = rule(x[:, 0] > 0.5, x[:, 1] > 0.5).astype(np.int64)
        if variant != "corners":
            x = x + rng.normal(0, noise, x.shape)
        return x, y
    return make


def _circle(rng, n, noise, **_):
    inner = n // 2
    radius = np.concatenate([rng.uniform(0, 0.5, inner), rng.uniform(0.7, 1.0, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    return x + rng.normal(0, noise, x.shape), (radius < 0.6).astype(np.int64)


def _gauss(rng, n, noise, **_):
    y = rng.integers(0, 2, n)
    centre = np.where(y[:, None] == 1, 0.5, -0.5)
    return centre + rng.normal(0, 0.25 + noise, (n, 2)), y.astype(np.int64)


def _spiral_arms(arms: int):
    def make(rng, n, noise, **_):
        y = np.arange(n) % arms
        t = rng.uniform(0.05, 1.0, n)
        angle = 1.75 * 2 * np.pi * t + 2 * np.pi * y / arms
        x = np.stack([t * np.cos(angle), t * np.sin(angle)], 1)
        return x + rng.normal(0, noise, x.shape), y.astype(np.int64)
    return make


def _moons(rng, n, noise, **_):
    y = rng.integers(0, 2, n)
    angle = rng.uniform(0, np.pi, n)
    x = np.where(y[:, None] == 0,
                 np.stack([np.cos(angle), np.sin(angle)], 1),
                 np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], 1))
    x = (x - [0.5, 0.25]) * 0.8
    return x + rng.normal(0, noise, x.shape), y.astype(np.int64)


def _sine(rng, n, noise, **_):
    x = rng.uniform(-1, 1, (n, 1))
    return x, np.sin(np.pi * x) + rng.normal(0, noise, x.shape)


def _line(rng, n, noise, slope: float = 0.8, intercept: float = 0.3, **_):
    x = rng.uniform(-1, 1, (n, 1))
    return x, slope * x + intercept + rng.normal(0, noise, x.shape)


def hidden_affine(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The affine map behind `affine3d`: a rotation, a scale and a shear, then a shift."""
    rng = np.random.default_rng(seed + 7919)
    a, b = rng.uniform(-np.pi / 2, np.pi / 2, 2)
    rot_z = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rot_x = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    scale = np.diag(rng.uniform(0.6, 1.5, 3))
    shear = np.eye(3)
    shear[0, 1] = rng.uniform(-0.5, 0.5)
    return rot_z @ rot_x @ scale @ shear, rng.uniform(-0.5, 0.5, 3)


def _affine3d(rng, n, noise, seed: int = 0, **_):
    matrix, shift = hidden_affine(seed)
    x = rng.uniform(-1, 1, (n, 3))
    return x, x @ matrix.T + shift + rng.normal(0, noise, (n, 3))


def _or_playground(name: str, make: Callable[..., tuple[np.ndarray, np.ndarray]]):
    """Laegna's generator, or with variant 'playground' TensorFlow Playground's own version."""
    def choose(rng: np.random.Generator, n: int, noise: float, **options: Any):
        if options.get("variant") == "playground":
            return playground_points(name, rng.random, n, noise)
        return make(rng, n, noise, **options)
    return choose


@dataclass(frozen=True)
class Generator:
    """A named toy dataset: how to draw it and what shape of problem it poses."""

    make: Callable[..., tuple[np.ndarray, np.ndarray]]
    task: str
    n_inputs: int
    n_outputs: int
    help: str


GENERATORS: dict[str, Generator] = {
    "xor": Generator(_or_playground("xor", _truth_table(np.logical_xor)), "classification", 2, 2,
                     "Class 1 when exactly one input is on."),
    "and": Generator(_truth_table(np.logical_and), "classification", 2, 2, "Class 1 when both inputs are on."),
    "or": Generator(_truth_table(np.logical_or), "classification", 2, 2, "Class 1 when either input is on."),
    "circle": Generator(_or_playground("circle", _circle), "classification", 2, 2,
                        "A disc inside a ring."),
    "gauss": Generator(_or_playground("gauss", _gauss), "classification", 2, 2,
                       "Two overlapping Gaussian blobs."),
    "spiral": Generator(_or_playground("spiral", _spiral_arms(2)), "classification", 2, 2,
                        "Two interleaved spiral arms."),
    "spiral3": Generator(_spiral_arms(3), "classification", 2, 3, "Three interleaved spiral arms."),
    "moons": Generator(_moons, "classification", 2, 2, "Two interlocking half moons."),
    "sine": Generator(_sine, "regression", 1, 1, "y = sin(πx) plus noise."),
    "line": Generator(_line, "regression", 1, 1, "y = m·x + b plus noise."),
    "affine3d": Generator(_affine3d, "regression", 3, 3,
                          "3-D points and their images under a hidden affine map."),
}
# The versions a dataset comes in (the first is the default): the truth tables as noisy
# clouds or their four rows, and TensorFlow Playground's own sets beside Laegna's.
VARIANTS: dict[str, tuple[str, ...]] = {
    "xor": ("cloud", "corners", "playground"), "and": ("cloud", "corners"), "or": ("cloud", "corners"),
    "circle": ("laegna", "playground"), "gauss": ("laegna", "playground"), "spiral": ("laegna", "playground"),
}


def dataset_spec(settings: DatasetSettings) -> DataSpec:
    """The shape of the problem, known without generating the data."""
    if settings.name == "custom":
        points = settings.points or {}
        return DataSpec(_width(points.get("x")), points.get("task", "classification"),
                        int(points.get("n_outputs", 2)))
    gen = _generator(settings)
    return DataSpec(gen.n_inputs, gen.task, gen.n_outputs)


def _width(x: Any) -> int:
    """Features per row of stored points: an array knows it even with no rows left."""
    if isinstance(x, np.ndarray):
        return x.shape[1] if x.ndim == 2 else 0
    return len(x[0]) if x and isinstance(x[0], (list, tuple)) else 0


def _generator(settings: DatasetSettings) -> Generator:
    if settings.name == "formula":
        from laegna_gui.core.formula_data import formula_generator
        return formula_generator(settings.options.get("formula", ""))
    if settings.name not in GENERATORS:
        raise DatasetError(f"unknown dataset {settings.name!r}; "
                           f"use one of {', '.join(GENERATORS)}, formula, custom")
    return GENERATORS[settings.name]


def split(x: np.ndarray, y: np.ndarray, test_fraction: float, rng: np.random.Generator):
    order = rng.permutation(len(x))
    n_test = min(len(x) - 1, int(round(len(x) * test_fraction)))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def feature_names(n: int) -> tuple[str, ...]:
    return tuple(f"x{i + 1}" for i in range(n))


def make_dataset(settings: DatasetSettings, seed: int = 0) -> Dataset:
    """Generate (or rebuild from stored points) the dataset these settings describe."""
    if settings.name == "custom":
        from laegna_gui.core.custom_data import custom_dataset
        return custom_dataset(settings, seed)
    gen = _generator(settings)
    if not 4 <= settings.samples <= MAX_SAMPLES:
        raise DatasetError(f"samples must be between 4 and {MAX_SAMPLES}, got {settings.samples}")
    task = gen.task
    rng = np.random.default_rng(seed)
    x, y = gen.make(rng, settings.samples, settings.noise, seed=seed, **settings.options)
    x = x.astype(np.float32)
    y = y if task == "classification" else y.astype(np.float32)
    if settings.options.get("variant") == "corners":
        parts = (x, y, x, y)  # four points cannot be split: test on what was learned
    elif settings.options.get("variant") == "playground":
        parts = playground_split(x, y, settings.test_fraction, rng.random)
    else:
        parts = split(x, y, settings.test_fraction, rng)
    return Dataset(*parts, task=task, n_outputs=gen.n_outputs, feature_names=feature_names(x.shape[1]))
