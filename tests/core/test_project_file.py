"""Saving and loading `.laegna` project files, and every refusal of a bad file.

The property (hypothesis) tests of the loader are in test_project_file_fuzz.py."""

from __future__ import annotations

import copy
import json
import os
from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.validate import TooManyParametersError
from laegna_gui.core.project_file import (
    dumps_project,
    graph_from_data,
    load_project,
    loads_project,
    project_from_data,
    save_project,
)


def assert_same_project(a, b):
    assert a.graph == b.graph
    assert [n.pos for n in a.graph.nodes.values()] == [n.pos for n in b.graph.nodes.values()]
    assert (a.dataset, a.training, a.seed, a.name, a.description) == \
           (b.dataset, b.training, b.seed, b.name, b.description)
    assert (a.weights is None) == (b.weights is None)
    if a.weights is not None:
        assert a.weights.keys() == b.weights.keys()
        for name in a.weights:
            assert b.weights[name].dtype == np.float32
            np.testing.assert_array_equal(a.weights[name], b.weights[name])


def test_save_then_load_gives_the_same_project(tmp_path, xor_project):
    path = tmp_path / "xor.laegna"
    save_project(xor_project, path)
    loaded = load_project(path)
    assert_same_project(xor_project, loaded)
    assert loaded.graph.node("dense2").pos == (300.0, -30.0)
    assert json.loads(path.read_text("utf-8"))["format"] == "laegna-project"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xor.laegna"]


def test_save_without_weights(tmp_path, xor_project):
    save_project(xor_project, tmp_path / "p.laegna", with_weights=False)
    assert load_project(tmp_path / "p.laegna").weights is None


def test_custom_points_survive_a_round_trip(xor_project):
    points = {"task": "classification", "n_outputs": 2, "feature_names": ["a", "b"],
              "x": [[0, 0], [0, 1], [1, 0], [1, 1]], "y": [0, 1, 1, 0]}
    xor_project.dataset = DatasetSettings(name="custom", samples=4, noise=0.0, points=points)
    xor_project.weights = None
    assert_same_project(xor_project, loads_project(dumps_project(xor_project)))


def test_the_playground_loss_and_initialisation_survive_a_round_trip(xor_project, xor_data):
    xor_project.training = replace(xor_project.training, loss="half_mse")
    xor_project.graph.set_params("dense1", {"init": "playground"})
    loaded = loads_project(dumps_project(xor_project))
    assert_same_project(xor_project, loaded)
    assert (loaded.training.loss, loaded.graph.node("dense1").params["init"]) == ("half_mse", "playground")
    # and a file written before they existed (xor_data) still opens as it was
    old = project_from_data(copy.deepcopy(xor_data))
    assert (old.training.loss, old.graph.node("dense1").params["init"]) == ("mse", "xavier")


def test_saving_is_atomic(tmp_path, monkeypatch, xor_project):
    path = tmp_path / "p.laegna"
    path.write_text("old content", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        save_project(xor_project, path)
    assert path.read_text("utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["p.laegna"]  # no temp file left behind


def test_load_refuses_binary_garbage_and_missing_files(tmp_path):
    garbage = tmp_path / "photo.laegna"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x80")
    with pytest.raises(ProjectFileError, match="photo.laegna is not a text file"):
        load_project(garbage)
    with pytest.raises(ProjectFileError, match="cannot read"):
        load_project(tmp_path / "missing.laegna")
    (tmp_path / "empty.laegna").write_bytes(b"")
    with pytest.raises(ProjectFileError, match="not valid JSON"):
        load_project(tmp_path / "empty.laegna")


@pytest.mark.parametrize("text, phrase", [
    ("", "the file is not valid JSON"),
    ("   \n", "the file is not valid JSON"),
    ('{"format": "laegna-project", "version": 1, "gra', "the file is not valid JSON"),
    ("[1, 2, 3]", "does not hold a JSON object"),
    ('"laegna-project"', "does not hold a JSON object"),
    ('{"format": NaN}', "NaN is not allowed in a project file"),
    ('{"seed": Infinity}', "Infinity is not allowed"),
    ('{"seed": -Infinity}', "-Infinity is not allowed"),
    ('{"seed": 1e999}', "the number 1e999 is too large"),
    ("[" * 100_000, "nested too deeply"),
    ('{"a":' * 100_000, "nested too deeply"),
])
def test_refused_texts(text, phrase):
    with pytest.raises(ProjectFileError) as info:
        loads_project(text)
    assert phrase in str(info.value)


def test_truncated_and_nan_inside_a_real_project(xor_project):
    text = dumps_project(xor_project)
    with pytest.raises(ProjectFileError, match="not valid JSON"):
        loads_project(text[: len(text) // 2])
    with pytest.raises(ProjectFileError, match="NaN is not allowed"):
        loads_project(text.replace('"learning_rate": 0.01', '"learning_rate": NaN'))


def _set(path, value):
    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        data[last] = value
    return change


def _cycle(data):
    data["graph"]["nodes"].append({"id": "sum", "type": "add"})
    data["graph"]["edges"] = [["input1", "sum"], ["sum", "dense1"], ["dense1", "sum"]]


BIG = 10 ** 400  # a valid JSON integer that no float can hold
BAD_DATA = [
    (_set(["format"], "keras"), "format: expected 'laegna-project'"),
    (lambda d: d.pop("format"), "format: expected 'laegna-project'"),
    (_set(["version"], 3), "version: 3 is not supported (this Laegna reads up to 2)"),
    (_set(["version"], "1"), "version: expected a whole number, got str"),
    (lambda d: d.pop("graph"), "graph is missing"),
    (_set(["graph"], []), "graph: expected an object, got list"),
    (_set(["graph", "nodes", 1, "type"], "conv"), "graph.nodes[1]: unknown node type 'conv'"),
    (_set(["graph", "nodes", 1, "params", "units"], "four"),
     "graph.nodes[1]: dense1.units: expected a whole number, got 'four'"),
    (_set(["graph", "nodes", 1, "params", "units"], BIG), "graph.nodes[1]: dense1.units: 1000"),
    (_set(["graph", "nodes", 2, "params", "slope"], BIG), "graph.nodes[2]: activation1.slope: expected a finite"),
    (_set(["graph", "nodes", 0, "pos"], [1, "a"]), "graph.nodes[0].pos: expected two numbers"),
    (_set(["graph", "nodes", 0, "id"], "x" * 65), "graph.nodes[0].id: expected a name of 1 to 64"),
    (_set(["graph", "nodes", 1, "id"], "input1"), "graph.nodes[1]: a node called 'input1' already exists"),
    (lambda d: d["graph"]["edges"].append(["dense2", "ghost"]), "graph.edges[4]: there is no node 'ghost'"),
    (lambda d: d["graph"]["edges"].append(["dense2"]), "graph.edges[4]: expected [source id, target id]"),
    (_cycle, "graph.edges[2]: wiring Dense 4 → Add would make a loop"),
    (lambda d: d["graph"]["edges"].append(["dense2", "dense2"]), "graph.edges[4]: a node cannot feed itself"),
    (lambda d: d["graph"]["edges"].append(["input1", "dense1"]), "graph.edges[4]: Input is already wired"),
    (_set(["graph", "nodes"], [{"id": f"n{i}", "type": "dropout"} for i in range(201)]),
     "graph: too big (201 nodes"),
    (_set(["dataset", "name"], "mnist"), "dataset.name: 'mnist' is not one of"),
    (_set(["dataset", "samples"], 2), "dataset.samples: 2 is outside 4…100,000"),
    (_set(["dataset", "noise"], BIG), "dataset.noise: the number is too large"),
    (_set(["dataset", "options"], {"variant": "grid"}), "dataset.options.variant: unknown option"),
    (_set(["dataset", "name"], "custom"), "dataset.points is missing"),
    (lambda d: d["dataset"].update(name="custom", points={"task": "regression", "n_outputs": 1,
                                                          "x": [1, 2], "y": [1, 2]}),
     "dataset.points.x: expected rows of numbers"),
    (_set(["weights", "dense1.weight"], {"shape": [2, 4], "values": [0.0] * 8}),
     "weights.dense1.weight has shape (2, 4) but the graph needs (4, 2)"),
    (_set(["weights", "dense9.weight"], {"shape": [1], "values": [0.5]}),
     "weights.dense9.weight does not belong to this network"),
    (lambda d: d["weights"].pop("dense2.bias"), "weights.dense2.bias is missing"),
    (_set(["weights", "dense2.bias"], {"shape": [1], "values": [1.0, 2.0]}),
     "weights.dense2.bias: the values do not fill shape [1]"),
    (_set(["weights", "dense2.bias"], {"shape": [1], "values": [BIG]}), "weights.dense2.bias.values"),
    (_set(["weights", "dense2.bias"], {"shape": [True], "values": [1.0]}), "weights.dense2.bias.shape: expected"),
    (_set(["weights", "dense2.bias"], {"shape": [10 ** 30, 0], "values": []}), "weights.dense2.bias.shape: [1000000000000000000000000000000, 0] holds more"),
    (_set(["weights"], [1, 2]), "weights: expected an object of named arrays"),
    (_set(["graph", "edges"], []), "weights are stored but the network is not valid"),
    (_set(["training", "epochs"], 10), "training.epochs: unknown setting"),
    (_set(["training", "learning_rate"], 1000), "training.learning_rate: 1000.0 is outside 1e-07…100"),
    (_set(["training", "learning_rate"], 0), "training.learning_rate: 0.0 is outside"),
    (_set(["training", "learning_rate"], BIG), "training.learning_rate: the number is too large"),
    (_set(["training", "loss"], "huber"), "training.loss: 'huber' is not one of"),
    (_set(["training", "clip"], 1), "training.clip: expected true or false, got int"),
    (_set(["seed"], -1), "seed: -1 is outside 0…4,294,967,295"),
    (_set(["seed"], 2 ** 32), "seed: 4,294,967,296 is outside 0…4,294,967,295"),
    (_set(["seed"], 1.5), "seed: expected a whole number, got float"),
]


@pytest.mark.parametrize("change, phrase", BAD_DATA)
def test_refused_project_data(xor_data, change, phrase):
    data = copy.deepcopy(xor_data)
    change(data)
    for load in (project_from_data, lambda d: loads_project(json.dumps(d))):
        with pytest.raises(ProjectFileError) as info:
            load(data)
        assert phrase in str(info.value)


def test_a_network_over_the_parameter_limit_opens_as_an_invalid_network(xor_data):
    data = copy.deepcopy(xor_data)
    data.pop("weights")
    for node in data["graph"]["nodes"]:
        if node["type"] == "dense":
            node["params"]["units"] = 1024
    for i in range(3):  # 1024 * 1024 parameters each
        data["graph"]["nodes"].append({"id": f"big{i}", "type": "dense", "params": {"units": 1024}})
    data["graph"]["edges"] = [["input1", "dense1"], ["dense1", "big0"], ["big0", "big1"], ["big1", "big2"],
                              ["big2", "activation1"], ["activation1", "dense2"], ["dense2", "output1"]]
    data["graph"]["nodes"][3]["params"]["units"] = 1
    project = loads_project(json.dumps(data))
    with pytest.raises(TooManyParametersError, match="Laegna allows at most 2,000,000") as caught:
        project.analyse()
    assert caught.value.node in ("big0", "big1", "big2")
    project.weights = {}  # whatever the weights, none are saved for an invalid network
    assert "weights" not in json.loads(dumps_project(project))
    data["weights"] = {}  # and a file storing weights for it is refused
    with pytest.raises(ProjectFileError, match="weights are stored but the network is not valid: the network "
                                               "has 3,"):
        loads_project(json.dumps(data))


def test_an_unfinished_network_still_opens(xor_data):
    data = copy.deepcopy(xor_data)
    data.pop("weights")
    data["graph"]["edges"].pop()
    assert "output1" in loads_project(json.dumps(data)).graph.nodes


def test_graph_from_data(xor_project):
    assert graph_from_data(xor_project.graph.to_dict()) == xor_project.graph
    with pytest.raises(ProjectFileError, match="graph: expected an object"):
        graph_from_data([])


def test_saving_gives_the_usual_permissions_and_keeps_an_existing_files(tmp_path, xor_project):
    import stat

    umask = os.umask(0o022)
    try:
        new = tmp_path / "new.laegna"
        save_project(xor_project, new)
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # not mkstemp's private 0600
        shared = tmp_path / "shared.laegna"
        shared.write_text("old")
        shared.chmod(0o664)
        save_project(xor_project, shared)
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    finally:
        os.umask(umask)
