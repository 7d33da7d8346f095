"""Reading and writing `.laegna` project files (JSON; see docs/project-format.md).

Nothing from a file is evaluated or unpickled. Every defect is reported as one
ProjectFileError whose message names the field at fault. Saving is atomic. Arrays (weights
and stored points) are written packed (core.stored_arrays); version-1 number lists are read.
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
from laegna_gui.core.limits import (  # noqa: F401 — MAX_PARAMETERS is imported from here too
    MAX_DESCRIPTION_CHARS,
    MAX_FILE_BYTES,
    MAX_PARAMETERS,
    MAX_PROJECT_NAME_CHARS,
    SEED_MAX,
    SEED_MIN,
)
from laegna_gui.core.project import FORMAT_NAME, FORMAT_VERSION, Project
from laegna_gui.core.recorded_run import read_run, run_to_data
from laegna_gui.core.project_schema import (
    check_text,
    read_dataset,
    read_graph,
    read_hidden,
    read_training,
    require,
)
from laegna_gui.core.regular_file import NotAFileError, read_regular
from laegna_gui.core.stored_arrays import ROLES, packed, read_packed, read_weight_lists
from laegna_gui.core.validate import analyse
from laegna_gui.core.weights import check_weights, expected_shapes

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
                      seed=require(data, "seed", int, "", low=SEED_MIN, high=SEED_MAX),
                      name=_text(data, "name", "untitled", MAX_PROJECT_NAME_CHARS),
                      description=_text(data, "description", "", MAX_DESCRIPTION_CHARS))
    if "weights" in data and data["weights"] is not None:
        project.weights = _read_weights(data["weights"], project)
    if "recording" in data and data["recording"] is not None:
        project.recording = read_run(data["recording"], _shapes(project, "a recording is"))
    if "classroom" in data and data["classroom"] is not None:
        project.hidden_controls = read_hidden(require(data["classroom"], "hidden", list, "classroom"), "classroom.hidden")
    return project


def _text(data: dict, key: str, default: str, max_chars: int) -> str:
    """Free text; anything but text means the default (version 1 files were read so)."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        return default
    return check_text(value, key, max_chars)


def _read_weights(raw: Any, project: Project) -> dict[str, np.ndarray]:
    if not isinstance(raw, dict):
        raise ProjectFileError("weights: expected an object of named arrays")
    shapes = _shapes(project, "weights are")
    weights = {}
    for name, entry in raw.items():
        where = f"weights.{name}"
        if not isinstance(entry, dict):
            raise ProjectFileError(f"{where}: expected an object with a shape and the numbers")
        if "values" in entry:  # version 1
            weights[name] = read_weight_lists(entry, where)
        else:
            weights[name] = read_packed(entry, where, ROLES["weights"])
    check_weights(weights, shapes)
    return weights


def _shapes(project: Project, stored: str) -> dict[str, tuple[int, ...]]:
    """The shapes of the network's weights; `stored` says what needs them if it is not valid."""
    try:
        analysis = analyse(project.graph, dataset_spec(project.dataset))
    except LaegnaError as exc:
        raise ProjectFileError(f"{stored} stored but the network is not valid: {exc}") from None
    return expected_shapes(project.graph, analysis)


def loads_project(text: str) -> Project:
    """A project from the text of a file; an over-large network opens as an invalid one."""
    return project_from_data(parse_json(text))


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
    """The file's data; weights and the recording only while they fit the network."""
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
    if project.hidden_controls:
        data["classroom"] = {"hidden": list(project.hidden_controls)}
    if with_weights and _weights_fit(project):
        data["weights"] = {name: packed(a, "<f4") for name, a in project.weights.items()}
        if project.recording is not None and len(project.recording) \
                and project.recording.fits(expected_shapes(project.graph, project.analyse())):
            data["recording"] = run_to_data(project.recording)
    return data


def _weights_fit(project: Project) -> bool:
    """Weights (and a recording) are written only when they still match the graph (edits may
    have changed it)."""
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
        data["points"] = _points_to_data(settings.points)
    return data


def _points_to_data(points: dict[str, Any]) -> dict[str, Any]:
    """Packed rows and targets: coordinates and target values as '<f4', class labels as '<i4'."""
    names = list(points.get("feature_names") or [])
    x = np.asarray(points["x"])
    x = x.reshape(len(x), len(names) if x.size == 0 else -1)
    return {**points, "feature_names": names or [f"x{i + 1}" for i in range(x.shape[1])],
            "x": packed(x, "<f4"),
            "y": packed(points["y"], "<i4" if points["task"] == "classification" else "<f4")}


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
