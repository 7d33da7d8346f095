"""The training recording saved with a project: compact (one packed array per weight), read
back exactly, optional (files without one load as before), and every hostile recording is
refused with one ProjectFileError naming its field — nothing of the project is loaded then."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest

from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.limits import MAX_RECORDED_FRAMES, MAX_RECORDED_WEIGHTS
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import dumps_project, load_project, loads_project, save_project
from laegna_gui.core.recorded_run import RecordedRun
from laegna_gui.core.weights import expected_shapes
from laegna_gui.engine.recording import Recording, saved_run
from laegna_gui.engine.snapshot import Metrics, Snapshot


def _project_with_run(frames: int = 5):
    project = load_preset("xor")
    shapes = expected_shapes(project.graph, project.analyse())
    rng = np.random.default_rng(0)
    weights = {name: rng.normal(size=(frames, *shape)).astype(np.float32) for name, shape in shapes.items()}
    metrics = rng.random((frames, 4)).astype(np.float32)
    metrics[-1, 0] = np.inf  # a run that diverged at the end: its loss may be infinite
    metrics[-1, 2] = np.nan
    project.weights = {name: a[-1] for name, a in weights.items()}
    project.recording = RecordedRun(np.arange(frames) * 10, np.arange(frames) // 2, metrics, weights)
    return project


def _data(project) -> dict:
    return json.loads(dumps_project(project))


def test_a_recording_round_trips_exactly_packed_one_array_per_weight(tmp_path):
    project = _project_with_run()
    data = _data(project)
    recording = data["recording"]
    assert set(recording) == {"steps", "epochs", "metrics", "weights"}
    assert set(recording["weights"]) == set(project.weights)
    assert all(set(e) == {"shape", "dtype", "base64"} for e in recording["weights"].values())
    save_project(project, tmp_path / "run.laegna")
    back = load_project(tmp_path / "run.laegna").recording
    original = project.recording
    np.testing.assert_array_equal(back.steps, original.steps)
    np.testing.assert_array_equal(back.epochs, original.epochs)
    np.testing.assert_array_equal(back.metrics, original.metrics)  # inf and NaN too
    for name, array in original.weights.items():
        np.testing.assert_array_equal(back.weights[name], array)


def test_files_without_a_recording_load_as_before():
    project = load_preset("xor")
    data = _data(project)
    assert "recording" not in data
    assert loads_project(json.dumps(data)).recording is None
    data["recording"] = None  # written by hand: the same as none
    assert loads_project(json.dumps(data)).recording is None


def test_a_recording_that_no_longer_fits_the_network_is_not_written():
    project = _project_with_run()
    project.graph.set_params("dense1", {**project.graph.node("dense1").params, "units": 3})
    assert "recording" not in _data(project)


def _packed(array: np.ndarray) -> dict:
    array = np.ascontiguousarray(array, dtype="<f4")
    return {"shape": list(array.shape), "dtype": "<f4", "base64": base64.b64encode(array.data).decode()}


def _set_first_weight(data: dict, array: np.ndarray) -> None:
    name = next(iter(data["recording"]["weights"]))
    data["recording"]["weights"][name] = _packed(array)


def _first_weight(data: dict) -> np.ndarray:
    entry = next(iter(data["recording"]["weights"].values()))
    return np.frombuffer(base64.b64decode(entry["base64"]), "<f4").reshape(entry["shape"]).copy()


def _huge_frame_count(data: dict) -> None:
    data["recording"]["steps"] = list(range(MAX_RECORDED_FRAMES + 1))


def _non_finite_weights(data: dict) -> None:
    weight = _first_weight(data)
    weight.flat[3] = np.inf
    _set_first_weight(data, weight)


HOSTILE = {
    "not an object": (lambda d: d.update(recording=[1, 2]), "recording: expected an object"),
    "unknown field": (lambda d: d["recording"].update(pixels=1), "recording.pixels: unknown field"),
    "steps missing": (lambda d: d["recording"].pop("steps"), "recording.steps is missing"),
    "steps go back": (lambda d: d["recording"].update(steps=[0, 10, 5, 30, 40]),
                      "recording.steps[2]: 5 comes after step 10"),
    "step not a number": (lambda d: d["recording"]["steps"].__setitem__(1, "ten"),
                          "recording.steps[1]: expected a whole number"),
    "step a float": (lambda d: d["recording"]["steps"].__setitem__(1, 10.5), "recording.steps[1]: expected"),
    "negative epoch": (lambda d: d["recording"]["epochs"].__setitem__(0, -1), "recording.epochs[0]: expected"),
    "step true": (lambda d: d["recording"]["steps"].__setitem__(0, True), "recording.steps[0]: expected"),
    "huge step": (lambda d: d["recording"]["steps"].__setitem__(4, 10**30), "recording.steps[4]: expected"),
    "huge frame count": (_huge_frame_count, "recording.steps: 10,001 frames; a recording may hold at most 10,000"),
    "epochs too few": (lambda d: d["recording"]["epochs"].pop(), "recording.epochs: expected 5 epochs"),
    "metrics a list": (lambda d: d["recording"].update(metrics=[1, 2]), "recording.metrics: expected a packed"),
    "metrics shape": (lambda d: d["recording"].update(metrics=_packed(np.zeros((5, 3)))),
                      "recording.metrics.shape: expected [5, 4]"),
    "weights a list": (lambda d: d["recording"].update(weights=[]), "recording.weights: expected an object"),
    "weight missing": (lambda d: d["recording"]["weights"].pop(next(iter(d["recording"]["weights"]))),
                       "is missing; the recording must hold every weight"),
    "unknown weight": (lambda d: d["recording"]["weights"].update(ghost=_packed(np.zeros((5, 2)))),
                       "recording.weights.ghost: the network has no such weight"),
    "shape mismatch": (lambda d: _set_first_weight(d, np.zeros((5, 3, 3))), ".shape: expected [5, "),
    "frames mismatch": (lambda d: _set_first_weight(d, _first_weight(d)[:4]), ".shape: expected [5, "),
    "non-finite weights": (_non_finite_weights, "is inf, not a finite number"),
    "bad base64": (lambda d: next(iter(d["recording"]["weights"].values())).update(base64="!" * 8),
                   ".base64: expected"),
    "weights of an invalid network": (lambda d: d["graph"].update(edges=[]),
                                      "a recording is stored but the network is not valid"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_recording_is_refused_naming_its_field(name):
    data = _data(_project_with_run())
    if name == "weights of an invalid network":
        data.pop("weights")
    spoil, phrase = HOSTILE[name]
    spoil(data)
    with pytest.raises(ProjectFileError) as refused:
        loads_project(json.dumps(data))
    message = str(refused.value)
    assert phrase in message, message
    assert "\n" not in message and len(message) < 400


def test_a_recording_of_more_weights_than_allowed_is_refused_before_decoding():
    project = _project_with_run(2)
    project.graph.set_params("dense1", {**project.graph.node("dense1").params, "units": 1000})
    project.weights = project.recording = None
    data = _data(project)
    shapes = expected_shapes(project.graph, project.analyse())
    frames = MAX_RECORDED_FRAMES
    assert frames * sum(np.prod(s) for s in shapes.values()) > MAX_RECORDED_WEIGHTS
    data["recording"] = {"steps": list(range(frames)), "epochs": [0] * frames,
                         "metrics": _packed(np.zeros((frames, 4))),
                         "weights": {name: {"shape": [frames, *shape], "dtype": "<f4", "base64": ""}
                                     for name, shape in shapes.items()}}
    with pytest.raises(ProjectFileError, match="holds more than 4,000,000 weights in all"):
        loads_project(json.dumps(data))


def _recording(steps: int, shapes: dict) -> Recording:
    recording = Recording()
    for step in range(steps):
        weights = {name: np.full(shape, step, np.float32) for name, shape in shapes.items()}
        recording.add(Snapshot(step, 0, Metrics(1.0 / (step + 1), 2.0, None, None), weights))
    return recording


def test_saving_thins_evenly_within_the_frame_limit_and_keeps_first_and_latest(monkeypatch):
    monkeypatch.setattr("laegna_gui.engine.recording.MAX_RECORDED_FRAMES", 10)
    run = saved_run(_recording(101, {"w": (2, 2)}))
    assert len(run) == 10 and run.steps[0] == 0 and run.steps[-1] == 100
    assert np.ptp(np.diff(run.steps)) <= 1  # evenly
    np.testing.assert_array_equal(run.weights["w"][:, 0, 0], run.steps)
    assert np.isnan(run.metrics[:, 2]).all()  # regression: no accuracy


def test_saving_leaves_out_frames_with_non_finite_weights():
    recording = _recording(5, {"w": (3,)})
    recording.add(Snapshot(5, 0, Metrics(np.inf, np.inf, None, None), {"w": np.array([np.nan, 1, 2], np.float32)}))
    run = saved_run(recording)
    assert list(run.steps) == [0, 1, 2, 3, 4]


def test_a_restored_recording_gives_the_saved_weights_and_numbers_back():
    run = saved_run(_recording(7, {"w": (2,)}))
    restored = Recording()
    restored.restore(run)
    assert [f.step for f in restored.frames] == list(range(7))
    frame = restored.frames[restored.index_at(4)]
    np.testing.assert_array_equal(frame.snapshot.weights["w"], [4, 4])
    assert frame.snapshot.metrics.train_loss == pytest.approx(0.2) and frame.snapshot.metrics.train_accuracy is None
    assert frame.snapshot.probes is None and frame.report is None
