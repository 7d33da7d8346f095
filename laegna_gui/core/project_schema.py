"""Field-by-field checks of the plain data in a project file. Every error names its field."""

from __future__ import annotations

import math
import reprlib
from typing import Any

from laegna_gui.core.custom_data import Points, make_points
from laegna_gui.core.datasets import GENERATORS, VARIANTS, DatasetSettings
from laegna_gui.core.errors import GraphError, LaegnaError, ProjectFileError
from laegna_gui.core.formula_data import parse_formula
from laegna_gui.core.graph import Graph
from laegna_gui.core.limits import (  # noqa: F401 — MAX_NODES, MAX_EDGES are imported from here too
    MAX_BATCH_SIZE,
    MAX_EDGES,
    MAX_EXPRESSION_CHARS,
    MAX_FEATURES,
    MAX_NAME_CHARS,
    MAX_NODE_ID_CHARS,
    MAX_NODES,
    MAX_OUTPUTS,
    MAX_SAMPLES,
)
from laegna_gui.core.stored_arrays import read_array
from laegna_gui.core.training_settings import OPTIMIZERS, REGULARIZATIONS, TrainingSettings
from laegna_gui.core.validate import LOSSES

TASKS = ("classification", "regression")
_KIND_NAMES = {int: "a whole number", float: "a number", str: "text", bool: "true or false",
               list: "a list", dict: "an object"}


def _field(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def shown(value: float) -> str:
    """A number for a message: whole numbers in full (4,294,967,295), others short (1e-07)."""
    if isinstance(value, int) and abs(value) >= 10**18:
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, int) or value.is_integer() and abs(value) < 1e18:
        return f"{int(value):,}"
    return f"{value:g}"


def require(data: Any, key: str, kind: type, path: str,
            low: float | None = None, high: float | None = None) -> Any:
    """Return data[key] if it is of `kind` (and within low…high), else raise naming the field."""
    where = _field(path, key)
    if not isinstance(data, dict):
        raise ProjectFileError(f"{path or 'file'}: expected an object")
    if key not in data:
        raise ProjectFileError(f"{where} is missing")
    value = data[key]
    ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        try:
            value, ok = float(value), True
        except OverflowError:
            raise ProjectFileError(f"{where}: the number is too large") from None
    if not ok:
        raise ProjectFileError(f"{where}: expected {_KIND_NAMES[kind]}, got {type(value).__name__}")
    if kind in (int, float) and (low is not None and value < low or high is not None and value > high):
        value_text = shown(value) if kind is int else str(value)
        raise ProjectFileError(f"{where}: {value_text} is outside {shown(low)}…{shown(high)}")
    if kind is float and not math.isfinite(value):
        raise ProjectFileError(f"{where}: {value} is not a finite number")
    return value


def check_text(value: Any, where: str, max_chars: int) -> str:
    """`value` if it is text of 1…max_chars characters that UTF-8 can encode, else raise."""
    if not isinstance(value, str) or not 1 <= len(value) <= max_chars:
        raise ProjectFileError(f"{where}: expected text of 1 to {max_chars:,} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ProjectFileError(f"{where}: holds {value[exc.start]!r}, which is not a character "
                               "(a lone UTF-16 surrogate)") from None
    return value


def _choice(data: dict, key: str, choices: tuple[str, ...], path: str) -> str:
    value = require(data, key, str, path)
    if value not in choices:
        raise ProjectFileError(f"{_field(path, key)}: {value!r} is not one of {', '.join(choices)}")
    return value


def read_graph(data: dict) -> Graph:
    nodes = require(data, "nodes", list, "graph")
    edges = require(data, "edges", list, "graph")
    if len(nodes) > MAX_NODES or len(edges) > MAX_EDGES:
        raise ProjectFileError(f"graph: too big ({len(nodes)} nodes, {len(edges)} edges); "
                               f"Laegna allows {MAX_NODES} nodes and {MAX_EDGES} edges")
    graph = Graph()
    for i, node in enumerate(nodes):
        where = f"graph.nodes[{i}]"
        node_id = require(node, "id", str, where)
        pos = require(node, "pos", list, where) if "pos" in node else [0, 0]
        if len(pos) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                    and abs(v) < 1e7 for v in pos):
            raise ProjectFileError(f"{where}.pos: expected two numbers")
        params = require(node, "params", dict, where) if "params" in node else {}
        if not node_id or len(node_id) > MAX_NODE_ID_CHARS:
            raise ProjectFileError(f"{where}.id: expected a name of 1 to {MAX_NODE_ID_CHARS} characters")
        try:
            graph.add_node(require(node, "type", str, where), params, tuple(pos), node_id)
        except GraphError as exc:
            raise ProjectFileError(f"{where}: {exc}") from None
    for i, edge in enumerate(edges):
        where = f"graph.edges[{i}]"
        if not (isinstance(edge, list) and len(edge) == 2 and all(isinstance(e, str) for e in edge)):
            raise ProjectFileError(f"{where}: expected [source id, target id]")
        try:
            graph.add_edge(*edge)
        except GraphError as exc:
            raise ProjectFileError(f"{where}: {exc}") from None
    return graph


def _options(data: dict, name: str) -> dict[str, Any]:
    options = require(data, "options", dict, "dataset") if "options" in data else {}
    if name == "formula" and "formula" not in options:
        raise ProjectFileError("dataset.options.formula is missing")
    for key, value in options.items():
        if key == "variant" and value in VARIANTS.get(name, ()):
            continue
        if key in ("slope", "intercept") and isinstance(value, (int, float)) and not isinstance(value, bool) \
                and abs(value) <= 100:
            continue
        if key == "formula" and name == "formula":
            _check_formula(value)
            continue
        raise ProjectFileError(f"dataset.options.{key}: unknown option or bad value {reprlib.repr(value)}")
    return options


def _check_formula(value: Any) -> None:
    check_text(value, "dataset.options.formula", MAX_EXPRESSION_CHARS)
    try:
        parse_formula(value)
    except LaegnaError as exc:
        raise ProjectFileError(f"dataset.options.formula: {exc}") from None


def read_dataset(data: dict) -> DatasetSettings:
    name = _choice(data, "name", (*GENERATORS, "formula", "custom"), "dataset")
    return DatasetSettings(
        name=name,
        samples=require(data, "samples", int, "dataset", low=4, high=MAX_SAMPLES),
        noise=require(data, "noise", float, "dataset", low=0, high=2),
        test_fraction=require(data, "test_fraction", float, "dataset", low=0, high=0.9),
        options=_options(data, name),
        points=read_points(require(data, "points", dict, "dataset")) if name == "custom" else None,
    )


def read_points(data: dict) -> Points:
    """The points of a custom dataset: x (rows of features), y (a class or target values per
    row) and a name per feature. Fewer than 2 rows open too (cleared drawings are saved)."""
    where = "dataset.points"
    task = _choice(data, "task", TASKS, where)
    n_outputs = require(data, "n_outputs", int, where, low=1, high=MAX_OUTPUTS)
    names = _feature_names(data)
    x = read_array(_get(data, "x", where), f"{where}.x", "x")
    if x.shape == (0, 0):  # a version-1 list of no rows: the names give the width
        x = x.reshape(0, len(names or ()))
    if len(x) > MAX_SAMPLES or x.ndim != 2 or not 1 <= x.shape[1] <= MAX_FEATURES:
        raise ProjectFileError(f"{where}.x: expected at most {MAX_SAMPLES:,} rows of 1 to {MAX_FEATURES} "
                               f"numbers, got shape {list(x.shape)}")
    if names is not None and len(names) != x.shape[1]:
        raise ProjectFileError(f"{where}.feature_names: expected {x.shape[1]} names, one per column of x, "
                               f"got {len(names)}")
    y = _targets(_get(data, "y", where), task, n_outputs, len(x))
    return make_points(task, n_outputs, names or [f"x{i + 1}" for i in range(x.shape[1])], x, y)


def _get(data: dict, key: str, path: str) -> Any:
    if key not in data:
        raise ProjectFileError(f"{path}.{key} is missing")
    return data[key]


def _feature_names(data: dict) -> list[str] | None:
    where = "dataset.points.feature_names"
    if "feature_names" not in data:
        return None
    names = require(data, "feature_names", list, "dataset.points")
    if len(names) > MAX_FEATURES:
        raise ProjectFileError(f"{where}: {len(names)} names; at most {MAX_FEATURES} features are allowed")
    return [check_text(name, f"{where}[{i}]", MAX_NAME_CHARS) for i, name in enumerate(names)]


def _targets(raw: Any, task: str, n_outputs: int, rows: int) -> Any:
    """Class labels (int32) or target values (float32) of the right shape, one per row."""
    where = "dataset.points.y"
    y = read_array(raw, where, "labels" if task == "classification" else "targets")
    width = 1 if task == "classification" else n_outputs
    if len(y) != rows or not (y.ndim == 1 and width == 1 or y.ndim == 2 and y.shape[1] == width):
        want = f"{rows} class labels" if task == "classification" else \
            f"{rows} target values" if width == 1 else f"{rows} rows of {width} target values"
        raise ProjectFileError(f"{where}: expected {want}, one per row of x; got shape {list(y.shape)}")
    if task == "classification" and len(y) and not ((y >= 0) & (y < n_outputs) & (y == y.round())).all():
        raise ProjectFileError(f"{where}: a class label is not a whole number in 0…{n_outputs - 1}")
    return y


def read_training(data: dict) -> TrainingSettings:
    path = "training"
    unknown = set(data) - set(TrainingSettings.field_names())
    if unknown:
        raise ProjectFileError(f"training.{sorted(unknown)[0]}: unknown setting")
    defaults = TrainingSettings()
    get = {k: data.get(k, getattr(defaults, k)) for k in TrainingSettings.field_names()}
    return TrainingSettings(
        loss=_choice(get, "loss", LOSSES, path),
        optimizer=_choice(get, "optimizer", OPTIMIZERS, path),
        learning_rate=require(get, "learning_rate", float, path, low=1e-7, high=100),
        momentum=require(get, "momentum", float, path, low=0, high=0.999),
        batch_size=require(get, "batch_size", int, path, low=0, high=MAX_BATCH_SIZE),
        regularization=_choice(get, "regularization", REGULARIZATIONS, path),
        reg_rate=require(get, "reg_rate", float, path, low=0, high=10),
        clip=require(get, "clip", bool, path),
        clip_norm=require(get, "clip_norm", float, path, low=1e-6, high=1e6),
    )


def read_hidden(raw: list, where: str) -> tuple[str, ...]:
    """The controls a classroom file hides: known names (lesson_words.CONTROLS), each once."""
    from laegna_gui.core.lesson_words import CONTROLS

    if len(raw) > len(CONTROLS):
        raise ProjectFileError(f"{where}: lists {len(raw):,} controls; there are only {len(CONTROLS)}")
    for i, name in enumerate(raw):
        if not isinstance(name, str) or name not in CONTROLS:
            raise ProjectFileError(f"{where}[{i}]: {reprlib.repr(name)} is not a control; "
                                   f"the controls are {', '.join(CONTROLS)}")
        if name in raw[:i]:
            raise ProjectFileError(f"{where}[{i}]: {name!r} is listed twice")
    return tuple(raw)
