"""One set of limits: whatever the editor, the CSV importer and the loader allow is saved and
opened again — up to the largest project every limit allows at once — and the compact
(version 2) encoding of arrays refuses every damaged field by name."""

from __future__ import annotations

import base64
import copy
import json

import numpy as np
import pytest

from laegna_gui.core import limits
from laegna_gui.core.custom_data import CsvTable, make_points, parse_csv, points_to_settings, table_to_settings
from laegna_gui.core.datasets import DatasetSettings, make_dataset
from laegna_gui.core.errors import DatasetError, ProjectFileError
from laegna_gui.core.graph import Graph
from laegna_gui.core.limits import (
    MAX_EDGES,
    MAX_FEATURES,
    MAX_FILE_BYTES,
    MAX_NAME_CHARS,
    MAX_NODES,
    MAX_OUTPUTS,
    MAX_PARAMETERS,
    MAX_SAMPLES,
)
from laegna_gui.core.presets import open_target
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import dumps_project, load_project, loads_project, project_to_data, save_project
from laegna_gui.core.recorded_run import RecordedRun, run_to_data
from laegna_gui.core.stored_arrays import packed
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.weights import expected_shapes


def random_weights(project: Project, seed: int = 0) -> dict[str, np.ndarray]:
    """Weights of the right shapes filled with random numbers (training is not the point)."""
    rng = np.random.default_rng(seed)
    shapes = expected_shapes(project.graph, project.analyse())
    return {name: rng.standard_normal(shape, dtype=np.float32) for name, shape in shapes.items()}


def assert_same(a: Project, b: Project) -> None:
    assert a.graph == b.graph and [n.pos for n in a.graph.nodes.values()] == [n.pos for n in b.graph.nodes.values()]
    assert (a.dataset, a.training, a.seed, a.name, a.description) == (b.dataset, b.training, b.seed, b.name,
                                                                      b.description)
    assert (a.weights is None) == (b.weights is None)
    if a.weights is not None:
        assert a.weights.keys() == b.weights.keys()
        for name, values in a.weights.items():
            assert b.weights[name].dtype == np.float32
            np.testing.assert_array_equal(values, b.weights[name])


# --- the largest project ------------------------------------------------------------------

U, BRANCHES, CONCATS, NORMS, WIDE = 8, 68, 12, 114, 982  # chosen so every count below is at its limit


def _id(kind: str, i: int) -> str:
    return f"{kind}_{i:03d}_".ljust(limits.MAX_NODE_ID_CHARS, "z")  # the longest names a node may have


def largest_graph() -> Graph:
    """MAX_NODES nodes, MAX_EDGES wires and exactly MAX_PARAMETERS parameters, most of them in
    batch norms, which store two numbers more per parameter (running mean and variance):
    input → dense 8 → 68 dropouts and a dense 982 → 12 concats (800 + 2 wires) → one concat
    of width 8,364 → 114 batch norms → dense 10 → output."""
    graph = Graph()
    positions = iter((1234567.891234567 + i, -7654321.123456789) for i in range(MAX_NODES))

    def add(kind: str, name: str, i: int = 0, **params) -> str:
        return graph.add_node(kind, params, next(positions), _id(name, i)).id

    source, first = add("input", "input"), add("dense", "dense", units=U)
    drops = [add("dropout", "drop", i, p=0.123456789) for i in range(BRANCHES)]
    wide = add("dense", "wide", units=WIDE)
    concats = [add("concat", "concat", i) for i in range(CONCATS)]
    joined = add("concat", "joined")
    norms = [add("batch_norm", "norm", i) for i in range(NORMS)]
    last, sink = add("dense", "last", units=MAX_OUTPUTS), add("output", "output")
    wires = [(source, first), *((first, d) for d in [*drops, wide])]
    wires += [(d, c) for c in concats for d in drops][:800] + [(wide, concats[0]), (wide, concats[1])]
    wires += [(c, joined) for c in concats] + list(zip([joined, *norms], [*norms, last])) + [(last, sink)]
    for src, dst in wires:
        graph.add_edge(src, dst)
    return graph


def largest_project() -> Project:
    rng = np.random.default_rng(1)
    names = [("𝑥" * (MAX_NAME_CHARS - 3) + f"{i:03d}") for i in range(MAX_FEATURES)]  # \\ud835\\udc65 each
    x = rng.standard_normal((MAX_SAMPLES, MAX_FEATURES), dtype=np.float32)
    y = rng.standard_normal((MAX_SAMPLES, MAX_OUTPUTS), dtype=np.float32)
    dataset = points_to_settings(make_points("regression", MAX_OUTPUTS, names, x, y), 0.25)
    project = Project(largest_graph(), dataset, TrainingSettings(loss="mse"), seed=limits.SEED_MAX,
                      name="𝑛" * limits.MAX_PROJECT_NAME_CHARS, description="𝑑" * limits.MAX_DESCRIPTION_CHARS)
    project.weights = random_weights(project)
    # a recording of as many weights as one may hold: one frame of this network
    steps = np.array([limits.MAX_RECORDED_STEP])
    project.recording = RecordedRun(steps, steps, np.full((1, 4), np.nan, np.float32),
                                    {name: w[None] for name, w in project.weights.items()})
    return project


def test_the_largest_project_every_limit_allows_is_saved_and_opened_again(tmp_path):
    project = largest_project()
    analysis = project.analyse()
    assert analysis.total_params == MAX_PARAMETERS
    assert (len(project.graph.nodes), len(project.graph.edges)) == (MAX_NODES, MAX_EDGES)
    assert sum(w.size for w in project.weights.values()) > 1.9 * MAX_PARAMETERS  # near the stored bound
    path = tmp_path / "largest.laegna"
    save_project(project, path)
    assert path.stat().st_size <= MAX_FILE_BYTES
    opened = load_project(path)
    assert_same(project, opened)
    assert sum(w.size for w in opened.recording.weights.values()) > 1.9 * MAX_PARAMETERS
    assert_same(project, open_target(str(path)))  # the command line's way in


def test_the_steps_of_the_longest_recording_fit_their_share_of_the_file_limit():
    frames, step = limits.MAX_RECORDED_FRAMES, limits.MAX_RECORDED_STEP
    run = RecordedRun(np.full(frames, step), np.full(frames, step), np.zeros((frames, 4), np.float32), {})
    data = {"recording": {**run_to_data(run), "metrics": None}}
    assert len(json.dumps(data, indent=1)) <= frames * limits.RECORDED_STEP_JSON_BYTES


def test_each_part_of_the_largest_project_fits_its_share_of_the_file_limit():
    """The small parts stay under the bounds MAX_FILE_BYTES is derived from."""
    project = largest_project()
    data = project_to_data(project)
    nodes = [json.dumps(n, indent=1) for n in data["graph"]["nodes"]]
    edges = [json.dumps(e, indent=1) for e in data["graph"]["edges"]]
    assert max(map(len, nodes)) + 32 <= limits.NODE_JSON_BYTES  # + the indentation of its depth
    assert max(map(len, edges)) + 32 <= limits.EDGE_JSON_BYTES
    entries = [json.dumps({**e, "base64": ""}, indent=1) for e in data["weights"].values()]
    assert max(len(f'"{name}": ') for name in data["weights"]) + max(map(len, entries)) + 32 \
        <= limits.WEIGHT_ENTRY_JSON_BYTES
    rest = {k: v for k, v in data.items() if k not in ("graph", "weights", "recording", "name", "description")}
    rest["dataset"] = {k: v for k, v in rest["dataset"].items() if k != "points"}
    assert len(json.dumps(rest, indent=1)) * 2 <= limits.FIXED_JSON_BYTES


def test_the_file_limit_follows_the_other_limits(monkeypatch):
    assert MAX_FILE_BYTES >= limits._largest_project_bytes() and MAX_FILE_BYTES % 2**20 == 0
    monkeypatch.setattr(limits, "MAX_SAMPLES", 2 * MAX_SAMPLES)
    assert limits._largest_project_bytes() > MAX_FILE_BYTES  # twice the points would not fit


# --- what testers built, saved and could not open --------------------------------------------


def chain(*units: int, outputs: int = 1) -> Graph:
    """input → dense → tanh → … → dense(outputs) → output."""
    graph = Graph()
    previous = graph.add_node("input").id
    for width in units:
        dense = graph.add_node("dense", {"units": width}).id
        activation = graph.add_node("activation", {"function": "tanh"}).id
        graph.add_edge(previous, dense)
        graph.add_edge(dense, activation)
        previous = activation
    last, sink = graph.add_node("dense", {"units": outputs}).id, graph.add_node("output").id
    graph.add_edge(previous, last)
    graph.add_edge(last, sink)
    return graph


def test_a_1024_to_1024_chain_with_its_weights_is_saved_and_opened(tmp_path):
    project = Project(chain(1024, 1024), DatasetSettings("circle"), TrainingSettings(loss="mse"))
    assert project.analyse().total_params > 1_050_000
    project.weights = random_weights(project)
    save_project(project, tmp_path / "wide.laegna")
    assert (tmp_path / "wide.laegna").stat().st_size < 6 * 2**20  # 26 MB as JSON numbers
    assert_same(project, load_project(tmp_path / "wide.laegna"))


@pytest.mark.parametrize("columns", [12, 64])
def test_100000_imported_rows_are_saved_and_opened(tmp_path, columns):
    values = np.random.default_rng(columns).standard_normal((MAX_SAMPLES, columns + 1))
    values[:, -1] = np.arange(MAX_SAMPLES) % 3
    table = CsvTable(tuple(f"c{i}" for i in range(columns + 1)), values)
    dataset = table_to_settings(table, list(table.columns[:-1]), table.columns[-1], "classification")
    project = Project(chain(4, outputs=3), dataset, TrainingSettings(loss="cross_entropy"))
    save_project(project, tmp_path / "imported.laegna")
    again = load_project(tmp_path / "imported.laegna")
    assert_same(project, again)
    assert again.dataset.points["x"].dtype == np.float32 and not again.dataset.points["x"].flags.writeable
    np.testing.assert_array_equal(again.dataset.points["x"], values[:, :-1].astype(np.float32))
    assert again.dataset.points["y"].tolist() == (np.arange(MAX_SAMPLES) % 3).tolist()


def test_a_cleared_drawing_is_saved_and_opened(tmp_path):
    empty = make_points("classification", 2, ["x1", "x2"], np.zeros((0, 2)), [])
    one = make_points("regression", 1, ["t"], [[0.5]], [2.0])
    for points in (empty, one):
        project = Project(chain(4), points_to_settings(points, 0.5))
        again = loads_project(dumps_project(project))
        assert_same(project, again)
        assert again.dataset.points["x"].shape == points["x"].shape


# --- version 1 --------------------------------------------------------------------------------


def as_version_1(data: dict) -> dict:
    """The same project as version 1 wrote it: every array a list of numbers."""
    def unpack(entry: dict) -> np.ndarray:
        return np.frombuffer(base64.b64decode(entry["base64"]), entry["dtype"]).reshape(entry["shape"])
    old = copy.deepcopy(data)
    old["version"] = 1
    for name, entry in old.get("weights", {}).items():
        old["weights"][name] = {"shape": entry["shape"], "values": unpack(entry).ravel().tolist()}
    points = old["dataset"].get("points")
    if points:
        points["x"], points["y"] = unpack(points["x"]).tolist(), unpack(points["y"]).tolist()
    return old


def test_a_version_1_file_opens_as_before(tmp_path, xor_project):
    points = make_points("classification", 2, ["a", "b"], [[0.1, 0.2], [0.3, -1e-9], [2.5, 0.0]], [0, 1, 1])
    xor_project.dataset = points_to_settings(points, 0.25)
    xor_project.weights = random_weights(xor_project)
    data = project_to_data(xor_project)
    assert data["version"] == 2 and data["weights"]["dense1.weight"]["dtype"] == "<f4"
    assert data["dataset"]["points"]["y"]["dtype"] == "<i4"
    old = tmp_path / "old.laegna"
    old.write_text(json.dumps(as_version_1(data), indent=1), encoding="utf-8")
    assert_same(xor_project, load_project(old))


def test_a_version_1_point_too_large_for_float32_is_refused_by_place(xor_data):
    data = as_version_1(copy.deepcopy(xor_data))
    data.pop("weights")
    data["dataset"] = {"name": "custom", "samples": 4, "noise": 0.0, "test_fraction": 0.5,
                       "points": {"task": "classification", "n_outputs": 2,
                                  "x": [[0, 0], [0, 1e39], [1, 0]], "y": [0, 1, 1]}}
    with pytest.raises(ProjectFileError, match=r"dataset.points.x\[1\]\[1\]: 1e\+39 does not fit a 32-bit"):
        loads_project(json.dumps(data))
    data["dataset"]["points"]["x"][1][1] = True
    with pytest.raises(ProjectFileError, match=r"dataset.points.x\[1\]\[1\]: expected a number, got True"):
        loads_project(json.dumps(data))


# --- damaged packed fields ----------------------------------------------------------------


def custom_data(xor_data) -> dict:
    data = copy.deepcopy(xor_data)
    data.pop("weights")
    points = make_points("classification", 2, ["a", "b"], [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
    data["dataset"] = {"name": "custom", "samples": 4, "noise": 0.0, "test_fraction": 0.5,
                       "points": {**points, "x": packed(points["x"], "<f4"), "y": packed(points["y"], "<i4")}}
    return data


def _packed_bytes(values, dtype: str) -> str:
    return base64.b64encode(np.asarray(values, dtype=dtype).tobytes()).decode("ascii")


DAMAGED = [  # (field, change to its packed entry, phrase)
    ("x", lambda e: e.update(base64="!" + e["base64"][1:]), "dataset.points.x.base64: this is not valid base64"),
    ("x", lambda e: e.update(base64=e["base64"].replace("A", "é")), "dataset.points.x.base64: this is not valid"),
    ("x", lambda e: e.update(base64=e["base64"][:-4]), "dataset.points.x.base64: expected 44 characters"),
    ("x", lambda e: e.update(base64=e["base64"] + "\n"), "dataset.points.x.base64: expected 44 characters"),
    ("x", lambda e: e.update(base64=e["base64"][:-2] + "=="), "dataset.points.x.base64: holds 31 bytes"),
    ("x", lambda e: e.update(base64=5), "dataset.points.x.base64: expected 44 characters of base64 for shape"),
    ("x", lambda e: e.update(dtype="<f8"), "dataset.points.x.dtype: expected '<f4', got '<f8'"),
    ("x", lambda e: e.update(dtype=">f4"), "dataset.points.x.dtype: expected '<f4', got '>f4'"),
    ("x", lambda e: e.pop("dtype"), "dataset.points.x.dtype: expected '<f4', got None"),
    ("x", lambda e: e.update(extra=1), "dataset.points.x.extra: unknown field"),
    ("x", lambda e: e.update(base64=_packed_bytes([[0, 0], [0, 1], [np.nan, 0], [1, 1]], "<f4")),
     "dataset.points.x: value 4 is nan, not a finite number"),
    ("x", lambda e: e.update(base64=_packed_bytes([[0, 0], [0, 1], [1, 0], [1, -np.inf]], "<f4")),
     "dataset.points.x: value 7 is -inf, not a finite number"),
    ("x", lambda e: e.update(shape=[2**62, 2**62]), "dataset.points.x.shape: [4611686018427387904, 461168601842"),
    ("x", lambda e: e.update(shape=[MAX_SAMPLES + 1, MAX_FEATURES]),
     "dataset.points.x.shape: [100001, 64] holds more than the 6,400,000 values Laegna allows here"),
    ("x", lambda e: e.update(shape=[MAX_SAMPLES + 1, 0], base64=""),
     "dataset.points.x: expected at most 100,000 rows of 1 to 64 numbers, got shape [100001, 0]"),
    ("x", lambda e: e.update(shape=[-4, -2]), "dataset.points.x.shape: expected 2 whole numbers of 0 or more"),
    ("x", lambda e: e.update(shape=[8]), "dataset.points.x.shape: expected 2 whole numbers"),
    ("x", lambda e: e.update(shape=[4, True]), "dataset.points.x.shape: expected 2 whole numbers"),
    ("y", lambda e: e.update(shape=[3], base64=_packed_bytes([0, 1, 1], "<i4")),
     "dataset.points.y: expected 4 class labels, one per row of x; got shape [3]"),
    ("y", lambda e: e.update(dtype="<f4"), "dataset.points.y.dtype: expected '<i4', got '<f4'"),
    ("y", lambda e: e.update(base64=_packed_bytes([0, 1, 2, 0], "<i4")),
     "dataset.points.y: a class label is not a whole number in 0…1"),
    ("y", lambda e: e.update(base64=_packed_bytes([0, -1, 1, 0], "<i4")), "a class label is not a whole number"),
    ("y", lambda e: e.update(shape=[4, 1], base64=e["base64"]), "dataset.points.y.shape: expected 1 whole number"),
]


@pytest.mark.parametrize("field, change, phrase", DAMAGED)
def test_a_damaged_packed_field_is_refused_by_name(xor_data, field, change, phrase):
    data = custom_data(xor_data)
    change(data["dataset"]["points"][field])
    with pytest.raises(ProjectFileError) as refused:
        loads_project(json.dumps(data))
    assert phrase in str(refused.value) and len(str(refused.value)) < 400


def test_undamaged_packed_points_open(xor_data):
    points = loads_project(json.dumps(custom_data(xor_data))).dataset.points
    assert points["x"].tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and points["y"].tolist() == [0, 1, 1, 0]


def test_packed_regression_targets_must_match_the_outputs(xor_data):
    data = custom_data(xor_data)
    points = data["dataset"]["points"]
    points.update(task="regression", n_outputs=2, y=packed(np.zeros((4, 2)), "<f4"))
    assert loads_project(json.dumps(data)).dataset.points["y"].shape == (4, 2)
    points["y"] = packed(np.zeros(4), "<f4")
    with pytest.raises(ProjectFileError, match="dataset.points.y: expected 4 rows of 2 target values"):
        loads_project(json.dumps(data))


def test_damaged_packed_weights_are_refused_by_name(xor_data):
    data = copy.deepcopy(xor_data)
    data["weights"]["dense2.bias"]["base64"] = _packed_bytes([np.inf], "<f4")
    with pytest.raises(ProjectFileError, match="weights.dense2.bias: value 0 is inf, not a finite number"):
        loads_project(json.dumps(data))
    data["weights"]["dense2.bias"] = {"shape": [1], "dtype": "<i4", "base64": _packed_bytes([1], "<i4")}
    with pytest.raises(ProjectFileError, match="weights.dense2.bias.dtype: expected '<f4', got '<i4'"):
        loads_project(json.dumps(data))


# --- the seed, names and values too large for float32 ---------------------------------------


def test_the_largest_seed_is_saved_and_opened_and_the_next_is_refused_readably(xor_project):
    xor_project.seed = limits.SEED_MAX
    assert loads_project(dumps_project(xor_project)).seed == 2**32 - 1
    xor_project.seed = 2**32
    with pytest.raises(ProjectFileError, match="^seed: 4,294,967,296 is outside 0…4,294,967,295$"):
        loads_project(dumps_project(xor_project))


@pytest.mark.parametrize("names, phrase", [
    ([{"a": 1}, None], "dataset.points.feature_names[0]: expected text of 1 to 100 characters"),
    (["a", None], "dataset.points.feature_names[1]: expected text"),
    (["a", ""], "dataset.points.feature_names[1]: expected text of 1 to 100 characters"),
    (["a", "b" * 101], "dataset.points.feature_names[1]: expected text of 1 to 100 characters"),
    (["a"], "dataset.points.feature_names: expected 2 names, one per column of x, got 1"),
    (["a", "b", "c"], "dataset.points.feature_names: expected 2 names"),
    (["a"] * 65, "dataset.points.feature_names: 65 names; at most 64"),
    ("ab", "dataset.points.feature_names: expected a list, got str"),
])
def test_hostile_feature_names_are_refused(xor_data, names, phrase):
    data = custom_data(xor_data)
    data["dataset"]["points"]["feature_names"] = names
    with pytest.raises(ProjectFileError) as refused:
        loads_project(json.dumps(data))
    assert phrase in str(refused.value)


def test_a_lone_surrogate_in_a_name_is_refused(xor_data):
    data = custom_data(xor_data)
    data["dataset"]["points"]["feature_names"] = ["a", "@"]
    text = json.dumps(data).replace('"@"', '"\\ud800"')  # valid JSON, but no character
    with pytest.raises(ProjectFileError, match=r"feature_names\[1\]: holds '\\ud800', which is not a character"):
        loads_project(text)
    with pytest.raises(ProjectFileError, match="^description: holds"):
        loads_project(dumps_project(Project(description="fine \ud800")))


def test_unicode_names_round_trip(xor_data):
    data = custom_data(xor_data)
    data["dataset"]["points"]["feature_names"] = ["länge 𝑥", "b\nc"]
    project = loads_project(json.dumps(data))
    assert loads_project(dumps_project(project)).dataset.points["feature_names"] == ["länge 𝑥", "b\nc"]


@pytest.mark.parametrize("cell, shown", [("1e39", "1e39"), ("-1e39", "-1e39"), ("3.5e38", "3.5e38")])
def test_a_csv_value_too_large_for_float32_is_refused_by_row_and_column(cell, shown):
    with pytest.raises(DatasetError, match=f"row 3, column 'b': '{shown}' is too large; numbers must lie "
                                           r"within ±3\.403e\+38"):
        parse_csv(f"a,b\n1,2\n3,{cell}\n5,6\n")
    assert parse_csv("a,b\n1,2\n3,3.4e38\n").values[1, 1] == 3.4e38  # the largest float32 is fine


def test_a_csv_column_name_longer_than_a_name_may_be_is_refused():
    with pytest.raises(DatasetError, match="row 1: the name of column 2 has 101 characters; at most 100"):
        parse_csv("a," + "b" * 101 + "\n1,2\n3,4\n")


def test_points_that_are_not_finite_float32_are_refused_when_made(xor_project):
    settings = DatasetSettings("custom", points={"task": "regression", "n_outputs": 1,
                                                 "x": [[0.0], [1e39], [2.0]], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(DatasetError, match="a stored point is not a finite 32-bit number"):
        make_dataset(settings)
    xor_project.dataset = settings
    with pytest.raises(ValueError, match="too large for 32 bits"):  # never written into a file
        dumps_project(xor_project)
