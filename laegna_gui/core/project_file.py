"""Reading and writing `.laegna` project files (JSON; see docs/project-format.md).

Nothing from a file is evaluated or unpickled. Every defect is reported as one
ProjectFileError whose message names the field at fault. Saving is atomic.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.datasets import DatasetSettings, dataset_spec
from laegna_gui.core.errors import LaegnaError, ProjectFileError
from laegna_gui.core.graph import Graph
from laegna_gui.core.project import FORMAT_NAME, FORMAT_VERSION, Project
from laegna_gui.core.project_schema import (
    read_dataset,
    read_graph,
    read_training,
    require,
)
from laegna_gui.core.regular_file import NotAFileError, read_regular
from laegna_gui.core.validate import analyse
from laegna_gui.core.weights import check_weights, expected_shapes

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PARAMETERS = 2_000_000


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a project file")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text} is too large")
    return value


def parse_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise ProjectFileError("the file is nested too deeply to be a project file") from None
    except ValueError as exc:
        raise ProjectFileError(f"the file is not valid JSON: {exc}") from None


def project_from_data(data: Any) -> Project:
    """Check plain JSON data field by field and build a Project from it."""
    if not isinstance(data, dict):
        raise ProjectFileError("the file does not hold a JSON object, so it is not a Laegna project")
    if data.get("format") != FORMAT_NAME:
        raise ProjectFileError(f"format: expected {FORMAT_NAME!r}; this is not a Laegna project file")
    version = require(data, "version", int, "")
    if version > FORMAT_VERSION or version < 1:
        raise ProjectFileError(f"version: {version} is not supported (this Laegna reads up to {FORMAT_VERSION})")
    graph = read_graph(require(data, "graph", dict, ""))
    dataset = read_dataset(require(data, "dataset", dict, ""))
    training = read_training(require(data, "training", dict, ""))
    project = Project(graph, dataset, training,
                      seed=require(data, "seed", int, "", low=0, high=2**32 - 1),
                      name=data.get("name", "untitled") if isinstance(data.get("name"), str) else "untitled",
                      description=data.get("description", "") if isinstance(data.get("description"), str) else "")
    if "weights" in data and data["weights"] is not None:
        project.weights = _read_weights(data["weights"], project)
    return project


def _read_weights(raw: Any, project: Project) -> dict[str, np.ndarray]:
    if not isinstance(raw, dict):
        raise ProjectFileError("weights: expected an object of named arrays")
    try:
        analysis = analyse(project.graph, dataset_spec(project.dataset))
    except LaegnaError as exc:
        raise ProjectFileError(f"weights are stored but the network is not valid: {exc}") from None
    expected = expected_shapes(project.graph, analysis)
    weights = {}
    for name, entry in raw.items():
        where = f"weights.{name}"
        shape = require(entry, "shape", list, where)
        values = require(entry, "values", list, where)
        if not all(type(v) in (int, float) for v in values):
            raise ProjectFileError(f"{where}.values: expected a flat list of numbers")
        try:
            with np.errstate(over="ignore"):  # too-large values become inf and are refused below
                array = np.asarray(values, dtype=np.float32)
        except (TypeError, ValueError, OverflowError):
            raise ProjectFileError(f"{where}.values: expected a flat list of numbers") from None
        if array.ndim != 1 or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0
                                         for s in shape):
            raise ProjectFileError(f"{where}: expected a flat list of numbers and a shape of whole numbers")
        if math.prod(shape) != array.size or not np.all(np.isfinite(array)):
            raise ProjectFileError(f"{where}: the values do not fill shape {shape} with finite numbers")
        try:
            weights[name] = array.reshape(shape)
        except ValueError:  # e.g. shape [10**30, 0]: no values, but too many dimensions for numpy
            raise ProjectFileError(f"{where}: shape {shape} is too large") from None
    check_weights(weights, expected)
    return weights


def loads_project(text: str) -> Project:
    project = project_from_data(parse_json(text))
    _check_size(project)
    return project


def _check_size(project: Project) -> None:
    try:
        analysis = project.analyse()
    except LaegnaError:
        return  # an unfinished network is fine to open; the window shows why it cannot train
    if analysis.total_params > MAX_PARAMETERS:
        raise ProjectFileError(f"the network has {analysis.total_params:,} parameters; "
                               f"Laegna allows at most {MAX_PARAMETERS:,}")


def load_project(path: str | Path) -> Project:
    """Read and validate a project file; raises ProjectFileError with a clear message."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ProjectFileError(f"{path.name} is {size / 2**20:.1f} MB; a project file may be at most "
                                   f"{MAX_FILE_BYTES // 2**20} MB")
        raw = read_regular(path, MAX_FILE_BYTES)
    except NotAFileError as exc:
        raise ProjectFileError(f"{exc}; choose a .laegna project file") from None
    except OSError as exc:
        raise ProjectFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:  # it grew after the size check (or its size is not known)
        raise ProjectFileError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB, the most a project "
                               "file may be")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectFileError(f"{path.name} is not a text file, so it is not a Laegna project") from None
    return loads_project(text)


def project_to_data(project: Project, with_weights: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": project.name,
        "description": project.description,
        "seed": project.seed,
        "graph": project.graph.to_dict(),
        "dataset": _dataset_to_data(project.dataset),
        "training": dict(vars(project.training)),
    }
    if with_weights and _weights_fit(project):
        data["weights"] = {name: {"shape": list(a.shape), "values": a.ravel().tolist()}
                           for name, a in project.weights.items()}
    return data


def _weights_fit(project: Project) -> bool:
    """Weights are written only when they still match the graph (edits may have changed it)."""
    if project.weights is None:
        return False
    try:
        check_weights(project.weights, expected_shapes(project.graph, project.analyse()))
    except LaegnaError:
        return False
    return True


def _dataset_to_data(settings: DatasetSettings) -> dict[str, Any]:
    data = {"name": settings.name, "samples": settings.samples, "noise": settings.noise,
            "test_fraction": settings.test_fraction, "options": dict(settings.options)}
    if settings.points is not None:
        data["points"] = settings.points
    return data


def dumps_project(project: Project, with_weights: bool = True) -> str:
    return json.dumps(project_to_data(project, with_weights), indent=1, allow_nan=False)


def save_project(project: Project, path: str | Path, with_weights: bool = True) -> None:
    """Write atomically: a crash mid-save leaves the old file untouched."""
    write_atomic(path, dumps_project(project, with_weights))


def graph_from_data(data: Any) -> Graph:
    """Read a graph alone (used by the clipboard), with the same checks as project files."""
    if not isinstance(data, dict):
        raise ProjectFileError("graph: expected an object with nodes and edges")
    return read_graph(data)
