"""The user's own data: CSV import and datasets stored as points in a project."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from laegna_gui.core.datasets import MAX_SAMPLES, Dataset, DatasetSettings, split
from laegna_gui.core.errors import DatasetError

MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_COLUMNS = 64
MAX_CLASSES = 10


@dataclass(frozen=True)
class CsvTable:
    """A numeric table read from CSV: column names and a float matrix."""

    columns: tuple[str, ...]
    values: np.ndarray


def _decode(raw: bytes) -> str:
    # UTF-16 only with its byte-order mark: without one, any even-length Latin-1 or
    # cp1252 file "decodes" as UTF-16 into nonsense that then fails with a confusing error.
    has_bom = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
    for encoding in ("utf-8-sig", "utf-16") if has_bom else ("utf-8-sig",):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise DatasetError("the file is not UTF-8 text; save it as UTF-8 CSV and try again")


def _number(cell: str, row: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise DatasetError(f"row {row}, column {column!r}: {cell.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise DatasetError(f"row {row}, column {column!r}: {cell.strip()!r} is not a finite number")
    return value


def _is_header(row: list[str]) -> bool:
    try:
        [float(cell) for cell in row]
    except ValueError:
        return True
    return False


def parse_csv(text: str) -> CsvTable:
    """Parse CSV text into numbers; every error names the row and column at fault."""
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if not rows:
        raise DatasetError("the file has no data rows")
    header = rows[0] if _is_header(rows[0]) else [f"col{i + 1}" for i in range(len(rows[0]))]
    body = rows[1:] if header is rows[0] else rows
    columns = tuple(name.strip() or f"col{i + 1}" for i, name in enumerate(header))
    if len(columns) > MAX_COLUMNS:
        raise DatasetError(f"the file has {len(columns)} columns; at most {MAX_COLUMNS} are supported")
    if not body:
        raise DatasetError("the file has a header but no data rows")
    if len(body) > MAX_SAMPLES:
        raise DatasetError(f"the file has {len(body)} rows; at most {MAX_SAMPLES} are supported")
    first = len(rows) - len(body) + 1
    values = np.empty((len(body), len(columns)))
    for r, row in enumerate(body):
        if len(row) != len(columns):
            raise DatasetError(f"row {first + r} has {len(row)} values but the header has {len(columns)}")
        values[r] = [_number(cell, first + r, columns[c]) for c, cell in enumerate(row)]
    return CsvTable(columns, values)


def read_csv(path: str | Path) -> CsvTable:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise DatasetError(f"the file is {size / 2**20:.0f} MB; at most {MAX_CSV_BYTES // 2**20} MB")
        return parse_csv(_decode(path.read_bytes()))
    except OSError as exc:
        raise DatasetError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def table_to_settings(table: CsvTable, features: list[str], target: str, task: str,
                      test_fraction: float = 0.3) -> DatasetSettings:
    """Turn chosen columns of a table into a 'custom' dataset kept inside the project."""
    missing = [c for c in [*features, target] if c not in table.columns]
    if missing:
        raise DatasetError(f"no column named {missing[0]!r}")
    if not features or target in features:
        raise DatasetError("choose at least one feature column, and a target that is not a feature")
    x = table.values[:, [table.columns.index(c) for c in features]]
    y = table.values[:, table.columns.index(target)]
    if task == "classification":
        classes = np.unique(y)
        if len(classes) > MAX_CLASSES or np.any(classes != np.round(classes)):
            raise DatasetError(f"column {target!r} needs whole-number class labels (at most {MAX_CLASSES})")
        y, n_outputs = np.searchsorted(classes, y), max(2, len(classes))
    elif task == "regression":
        n_outputs = 1
    else:
        raise DatasetError(f"task must be classification or regression, not {task!r}")
    points = {"task": task, "n_outputs": int(n_outputs), "feature_names": list(features),
              "x": x.tolist(), "y": y.tolist()}
    return DatasetSettings(name="custom", samples=len(x), noise=0.0, test_fraction=test_fraction,
                           points=points)


def custom_dataset(settings: DatasetSettings, seed: int) -> Dataset:
    points: dict[str, Any] = settings.points or {}
    try:
        x = np.asarray(points["x"], dtype=np.float32)
        task, n_outputs = points["task"], int(points["n_outputs"])
        dtype = np.int64 if task == "classification" else np.float32
        y = np.asarray(points["y"], dtype=dtype)
    except (KeyError, TypeError, ValueError) as exc:
        raise DatasetError(f"the stored points are incomplete or not numbers ({exc})") from None
    if x.ndim != 2 or len(x) < 2 or len(y) != len(x):
        raise DatasetError("the stored points need an x row and a y value for each of at least 2 points")
    if task == "regression" and y.ndim == 1:
        y = y[:, None]
    if task == "classification" and (y.min() < 0 or y.max() >= n_outputs):
        raise DatasetError(f"a class label is outside 0…{n_outputs - 1}")
    names = tuple(points.get("feature_names") or [f"x{i + 1}" for i in range(x.shape[1])])
    parts = split(x, y, settings.test_fraction, np.random.default_rng(seed))
    return Dataset(*parts, task=task, n_outputs=n_outputs, feature_names=names)
