"""Property tests: whatever a project file holds, loading it either works or raises
ProjectFileError — never another exception."""

from __future__ import annotations

import copy
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.project_file import dumps_project, graph_from_data, loads_project, project_from_data

KEYS = ["format", "version", "name", "description", "seed", "graph", "nodes", "edges", "id", "type",
        "params", "pos", "units", "bias", "init", "features", "function", "slope", "p", "dataset",
        "samples", "noise", "test_fraction", "options", "variant", "intercept", "points", "task",
        "n_outputs", "x", "y", "feature_names", "training", "loss", "optimizer", "learning_rate",
        "momentum", "batch_size", "regularization", "reg_rate", "clip", "clip_norm", "weights",
        "shape", "values", "dense1.weight", "dense1.bias", "dense2.bias"]
WORDS = ["", "laegna-project", "input", "dense", "activation", "batch_norm", "dropout", "add", "concat",
         "output", "input1", "dense1", "dense2", "activation1", "output1", "custom", "xor", "affine3d",
         "classification", "regression", "corners", "cloud", "sigmoid", "softmax", "x1", "x1^2", "bce",
         "cross_entropy", "adam", "l2", "he"]
NUMBERS = [10 ** 400, -10 ** 400, 2 ** 63, 1025, 0, -1, 0.5, 1e308, 1e-320, 1e39]  # 1e39 overflows float32

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8), st.sampled_from(WORDS), st.sampled_from(NUMBERS),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


def load_or_refuse(data):
    """Load plain data both directly and through JSON text; only ProjectFileError may escape."""
    results = []
    for load in (project_from_data, lambda d: loads_project(json.dumps(d))):
        try:
            results.append(load(data))
        except ProjectFileError as exc:
            assert str(exc)  # every refusal says something
    return results


def assert_round_trip(project):
    again = loads_project(dumps_project(project))
    assert again.graph == project.graph
    assert (again.dataset, again.training, again.seed) == (project.dataset, project.training, project.seed)


def paths(data, prefix=()):
    yield prefix
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in children:
        yield from paths(value, (*prefix, key))


def lookup(data, path):
    for key in path:
        data = data[key]
    return data


def mutate(draw, data):
    """One random edit of the document: replace, delete, insert or copy a part of it."""
    action = draw(st.sampled_from(["scalar", "scalar", "replace", "delete", "insert", "transplant"]))
    every = list(paths(data))
    leaves = [p for p in every if p and not isinstance(lookup(data, p), (dict, list))]
    path = draw(st.sampled_from(leaves if action == "scalar" and leaves else every))
    target = lookup(data, path)
    if action == "insert" and isinstance(target, dict):
        target[draw(st.sampled_from(KEYS) | st.text(max_size=5))] = draw(json_values)
    elif action == "insert" and isinstance(target, list):
        extra = copy.deepcopy(draw(st.sampled_from(target))) if target and draw(st.booleans()) else draw(json_values)
        target.insert(draw(st.integers(0, len(target))), extra)
    elif not path:
        return draw(json_values)
    elif action == "delete":
        del lookup(data, path[:-1])[path[-1]]
    else:
        if action == "transplant":
            value = copy.deepcopy(lookup(data, draw(st.sampled_from(list(paths(data))))))
        elif action == "scalar":  # the likeliest trouble: a boundary number, a known word
            numeric = isinstance(target, (int, float)) and not isinstance(target, bool)
            value = draw(st.sampled_from(NUMBERS) if numeric and draw(st.booleans())
                         else st.sampled_from(WORDS) | scalars)
        else:
            value = draw(json_values)
        lookup(data, path[:-1])[path[-1]] = value
    return data


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.text())
def test_arbitrary_text_is_loaded_or_refused(text):
    try:
        loads_project(text)
    except ProjectFileError:
        pass


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.data())
def test_damaged_project_text_is_loaded_or_refused(xor_data, data):
    text = json.dumps(xor_data, indent=1)
    start = data.draw(st.integers(0, len(text)))
    stop = data.draw(st.integers(start, min(len(text), start + 20)))
    damaged = text[:start] + data.draw(st.text(alphabet='{}[]":,0123456789.eE-+ aNI\\u', max_size=6)) + text[stop:]
    try:
        loads_project(damaged)
    except ProjectFileError:
        pass


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(json_values)
def test_arbitrary_json_values_are_loaded_or_refused(value):
    load_or_refuse(value)
    try:
        graph_from_data(value)
    except ProjectFileError:
        pass


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(json_values, json_values, json_values, json_values)
def test_arbitrary_sections_of_a_real_header_are_refused_cleanly(graph, dataset, training, weights):
    load_or_refuse({"format": "laegna-project", "version": 1, "seed": 0,
                    "graph": graph, "dataset": dataset, "training": training, "weights": weights})


@settings(deadline=None)  # examples: the profile (tests/conftest.py)
@given(st.data())
def test_mutated_projects_are_loaded_or_refused(xor_data, data):
    document = copy.deepcopy(xor_data)
    if data.draw(st.booleans()):  # half the time start from a project holding its own points
        del document["weights"]
        document["dataset"] = {"name": "custom", "samples": 4, "noise": 0.0, "test_fraction": 0.5,
                               "points": {"task": "classification", "n_outputs": 2,
                                          "x": [[0, 0], [0, 1], [1, 0], [1, 1]], "y": [0, 1, 1, 0]}}
    for _ in range(data.draw(st.integers(1, 3))):
        document = mutate(data.draw, document)
    for project in load_or_refuse(document):
        assert_round_trip(project)  # whatever loads can be saved and loaded again


def test_the_unmutated_project_loads(xor_data):
    projects = load_or_refuse(copy.deepcopy(xor_data))
    assert len(projects) == 2 and projects[0].weights is not None
