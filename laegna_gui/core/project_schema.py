"""Field-by-field checks of the plain data in a project file. Every error names its field."""

from __future__ import annotations

import math
from typing import Any

from laegna_gui.core.datasets import GENERATORS, MAX_SAMPLES, DatasetSettings
from laegna_gui.core.errors import GraphError, ProjectFileError
from laegna_gui.core.graph import Graph
from laegna_gui.core.training_settings import OPTIMIZERS, REGULARIZATIONS, TrainingSettings
from laegna_gui.core.validate import LOSSES

MAX_NODES = 200
MAX_EDGES = 1000
_KIND_NAMES = {int: "a whole number", float: "a number", str: "text", bool: "true or false",
               list: "a list", dict: "an object"}


def _field(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


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
        raise ProjectFileError(f"{where}: {value} is outside {low:g}…{high:g}")
    if kind is float and not math.isfinite(value):
        raise ProjectFileError(f"{where}: {value} is not a finite number")
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
        if not node_id or len(node_id) > 64:
            raise ProjectFileError(f"{where}.id: expected a name of 1 to 64 characters")
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


def _options(data: dict) -> dict[str, Any]:
    options = require(data, "options", dict, "dataset") if "options" in data else {}
    for key, value in options.items():
        if key == "variant" and value in ("cloud", "corners"):
            continue
        if key in ("slope", "intercept") and isinstance(value, (int, float)) and not isinstance(value, bool) \
                and abs(value) <= 100:
            continue
        raise ProjectFileError(f"dataset.options.{key}: unknown option or bad value {value!r}")
    return options


def read_dataset(data: dict) -> DatasetSettings:
    name = _choice(data, "name", (*GENERATORS, "custom"), "dataset")
    points = None
    if name == "custom":
        points = require(data, "points", dict, "dataset")
        _choice(points, "task", ("classification", "regression"), "dataset.points")
        require(points, "n_outputs", int, "dataset.points", low=1, high=10)
        rows = require(points, "x", list, "dataset.points")
        require(points, "y", list, "dataset.points")
        if not 2 <= len(rows) <= MAX_SAMPLES:
            raise ProjectFileError(f"dataset.points.x: expected 2…{MAX_SAMPLES} rows")
        if not all(isinstance(row, list) and row and len(row) == len(rows[0]) for row in rows):
            raise ProjectFileError("dataset.points.x: expected rows of numbers, all of the same length")
    return DatasetSettings(
        name=name,
        samples=require(data, "samples", int, "dataset", low=4, high=MAX_SAMPLES),
        noise=require(data, "noise", float, "dataset", low=0, high=2),
        test_fraction=require(data, "test_fraction", float, "dataset", low=0, high=0.9),
        options=_options(data),
        points=points,
    )


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
        batch_size=require(get, "batch_size", int, path, low=0, high=100_000),
        regularization=_choice(get, "regularization", REGULARIZATIONS, path),
        reg_rate=require(get, "reg_rate", float, path, low=0, high=10),
        clip=require(get, "clip", bool, path),
        clip_norm=require(get, "clip_norm", float, path, low=1e-6, high=1e6),
    )
