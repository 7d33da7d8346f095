"""A catalogue of hostile project files, shared by the loader, command-line and window tests.

Each entry of HOSTILE makes one file in a folder and names a phrase its one-line refusal must
contain. INVALID_NETWORKS are files that open (the window shows why the network cannot train)
but that `train` on the command line refuses, with the phrase."""

from __future__ import annotations

import base64
import copy
import json
import math
import os
import socket
from collections.abc import Callable
from pathlib import Path

import numpy as np

from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import MAX_FILE_BYTES, project_to_data
from laegna_gui.core.stored_arrays import packed
from laegna_gui.core.weights import expected_shapes


def _data() -> dict:
    return copy.deepcopy(project_to_data(load_preset("xor")))


def _json(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        data = _data()
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")
    return make


def _text(text: str | bytes) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(text.encode() if isinstance(text, str) else text)
    return make


def _constant(word: str) -> Callable[[Path], None]:
    """A real project whose learning rate is a bare NaN or Infinity (JavaScript-style JSON)."""
    def make(path: Path) -> None:
        data = _data()
        data["training"]["learning_rate"] = "@constant@"
        path.write_text(json.dumps(data).replace('"@constant@"', word), encoding="utf-8")
    return make


def _huge(path: Path) -> None:
    with open(path, "wb") as out:  # valid JSON, padded past the size limit with spaces
        out.write(json.dumps(_data()).encode())
        out.write(b" " * (MAX_FILE_BYTES + 1))


def _deep(path: Path) -> None:
    path.write_text('{"format": "laegna-project", "version": 1, "graph": ' + "[" * 200_000 + "]" * 200_000 + "}")


def _dense(data: dict) -> dict:
    return next(n for n in data["graph"]["nodes"] if n["type"] == "dense")


def _cycle(data: dict) -> None:
    """input → sum → dense1 → sum: a loop through an Add node."""
    first, edges = _dense(data)["id"], data["graph"]["edges"]
    source = next(e[0] for e in edges if e[1] == first)
    edges[:] = [e for e in edges if e[1] != first]
    data["graph"]["nodes"].append({"id": "sum", "type": "add", "params": {}, "pos": [0, 0]})
    edges += [[source, "sum"], ["sum", first], [first, "sum"]]


def _wrong_weights(data: dict) -> None:
    """Every weight present, the first dense layer's matrix 3 × 3 instead of its real shape."""
    project = load_preset("xor")
    shapes = expected_shapes(project.graph, project.analyse())
    data["weights"] = {name: {"shape": list(shape), "values": [0.5] * math.prod(shape)}
                       for name, shape in shapes.items()}
    data["weights"][f"{_dense(data)['id']}.weight"] = {"shape": [3, 3], "values": [0.5] * 9}


def _packed_weight(change: Callable[[dict], object]) -> Callable[[dict], None]:
    """Every weight stored packed (zeros), then `change` applied to the first dense layer's matrix."""
    def make(data: dict) -> None:
        project = load_preset("xor")
        shapes = expected_shapes(project.graph, project.analyse())
        data["weights"] = {name: packed(np.zeros(shape), "<f4") for name, shape in shapes.items()}
        change(data["weights"][f"{_dense(data)['id']}.weight"])
    return make


def _nan_bytes(entry: dict) -> None:
    values = np.zeros(entry["shape"], dtype="<f4")
    values.flat[1] = np.nan
    entry["base64"] = base64.b64encode(values.tobytes()).decode("ascii")


def _many_units(data: dict) -> None:
    _dense(data)["params"]["units"] = 10 ** 6


def _many_params(data: dict) -> None:
    nodes, edges = data["graph"]["nodes"], data["graph"]["edges"]
    first = _dense(data)
    first["params"]["units"] = 1024
    after = [e for e in edges if e[0] == first["id"]]
    edges[:] = [e for e in edges if e[0] != first["id"]]
    previous = first["id"]
    for i in range(3):  # three more 1024 × 1024 layers: over 3 million parameters
        nodes.append({"id": f"wide{i}", "type": "dense", "params": {"units": 1024}, "pos": [0, 0]})
        edges.append([previous, f"wide{i}"])
        previous = f"wide{i}"
    edges += [[previous, e[1]] for e in after]


def _many_nodes(data: dict) -> None:
    data["graph"]["nodes"] += [{"id": f"n{i}", "type": "dropout", "params": {}, "pos": [0, 0]} for i in range(300)]


# name → (maker, phrase in the message)
HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (_text(""), "not valid JSON"),
    "binary garbage": (_text(bytes(range(256)) * 64), "not a text file"),
    "truncated JSON": (lambda p: p.write_text(json.dumps(_data())[:500]), "not valid JSON"),
    "deeply nested": (_deep, "nested too deeply"),
    "not an object": (_text("[1, 2, 3]"), "does not hold a JSON object"),
    "another format": (_text('{"format": "keras-model", "layers": []}'), "not a Laegna project"),
    "wrong type": (_json(lambda d: d.update(graph=[])), "graph: expected an object"),
    "unknown node type": (_json(lambda d: _dense(d).update(type="conv2d")), "unknown node type 'conv2d'"),
    "missing field": (_json(lambda d: d.pop("training")), "training is missing"),
    "NaN": (_constant("NaN"), "NaN is not allowed"),
    "infinity": (_constant("-Infinity"), "-Infinity is not allowed"),
    "absurd number": (_json(lambda d: d["training"].update(learning_rate=10 ** 400)), "too large"),
    "absurd units": (_json(_many_units), "units"),
    "too many nodes": (_json(_many_nodes), "too big"),
    "huge file": (_huge, "a project file may be at most"),
    "cycle": (_json(_cycle), "loop"),
    "dangling edge": (_json(lambda d: d["graph"]["edges"].append(["dense1", "ghost"])), "no node 'ghost'"),
    "weights of the wrong shape": (_json(_wrong_weights), "shape (3, 3)"),
    "packed weights, bad base64": (_json(_packed_weight(lambda e: e.update(base64="*" * len(e["base64"])))),
                                   "dense1.weight.base64: this is not valid base64"),
    "packed weights, wrong length": (_json(_packed_weight(lambda e: e.update(base64=e["base64"] + "AAAA"))),
                                     "dense1.weight.base64: expected"),
    "packed weights, unknown dtype": (_json(_packed_weight(lambda e: e.update(dtype="|O"))),
                                      "dense1.weight.dtype: expected '<f4', got '|O'"),
    "packed weights, NaN bytes": (_json(_packed_weight(_nan_bytes)), "dense1.weight: value 1 is nan"),
    "packed weights, huge shape": (_json(_packed_weight(lambda e: e.update(shape=[2**40, 2**40]))),
                                   "dense1.weight.shape: [1099511627776, 1099511627776] holds more than"),
    "unknown classroom control": (_json(lambda d: d.update(classroom={"hidden": ["play", "self-destruct"]})),
                                  "classroom.hidden[1]: 'self-destruct' is not a control; the controls are palette"),
    "classroom not an object": (_json(lambda d: d.update(classroom=["play"])), "classroom: expected an object"),
    "a folder": (lambda p: p.mkdir(), "not a regular file"),
    "a device": (lambda p: os.symlink("/dev/zero", p), "not a regular file"),
    "a pipe": (lambda p: os.mkfifo(p), "not a regular file"),
}


# name → (maker, phrase in the command line's refusal to train it)
INVALID_NETWORKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "too many parameters": (_json(_many_params), "at most 2,000,000"),
}


def make_hostile(folder: Path, name: str) -> tuple[Path, str]:
    maker, phrase = HOSTILE[name] if name in HOSTILE else INVALID_NETWORKS[name]
    path = folder / (name.replace(" ", "-") + ".laegna")
    maker(path)
    return path, phrase


def unix_socket(folder: Path) -> Path:
    """A listening-free Unix socket file in `folder` (a target no app should write over)."""
    old = os.getcwd()
    os.chdir(folder)  # a socket's path is limited to about 100 characters: bind a short relative one
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind("sock")
    finally:
        os.chdir(old)
    return folder / "sock"
