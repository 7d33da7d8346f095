"""Presets: ready-made projects shipped in resources/presets, one lesson each."""

from __future__ import annotations

import json
from dataclasses import dataclass

from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import load_project
from laegna_gui.core.resources import resource

DEFAULT_PRESET = "xor"


@dataclass(frozen=True)
class PresetInfo:
    name: str
    title: str
    description: str
    lesson: str  # its lesson in one line


# The lessons in the order they build on each other (the README's Presets table), each in one line;
# a preset not listed here follows them, alphabetically, with its description's first sentence.
LESSONS = {
    "xor": "A hidden layer bends the boundary where no straight line can separate the classes.",
    "perceptron-xor": "One neuron draws one straight line: never enough for XOR.",
    "and": "When one straight line separates the classes, one neuron is enough.",
    "or": "OR is one straight line too: one neuron learns it.",
    "circle": "TensorFlow Playground's default, exactly: two small tanh layers close a ring around a disc.",
    "spiral": "Hard data needs depth and width; a smaller network struggles.",
    "spiral3": "Three classes: softmax outputs scored by cross-entropy.",
    "sine": "Regression: a few tanh units bend into a curve through noisy points.",
    "line": "One neuron without activation is the line y = m·x + b.",
    "affine3d": "One linear layer is an affine map: it rotates, scales, shears and shifts space.",
    "dying-relu": "Too high a learning rate kills ReLU units for good; a lower rate or leaky ReLU saves them.",
    "vanishing": "Through many sigmoids the gradient fades and the first layers stop learning.",
    "exploding": "Large weights and a high rate blow the gradient up; clipping tames it.",
    "overfit": "A big network learns the noise: training loss falls, test loss rises.",
}


def preset_names() -> list[str]:
    return sorted(p.stem for p in resource("presets").glob("*.laegna"))


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".") + "." if text else ""


def preset_info() -> list[PresetInfo]:
    """Every shipped preset, in lesson order."""
    names = preset_names()
    order = [n for n in LESSONS if n in names] + [n for n in names if n not in LESSONS]
    infos = []
    for name in order:
        data = json.loads(resource("presets", f"{name}.laegna").read_text(encoding="utf-8"))
        description = data.get("description", "")
        infos.append(PresetInfo(name, data.get("name", name), description,
                                LESSONS.get(name) or _first_sentence(description)))
    return infos


def load_preset(name: str) -> Project:
    if name not in preset_names():
        raise ProjectFileError(f"unknown preset {name!r}; choose one of {', '.join(preset_names())}")
    return load_project(resource("presets", f"{name}.laegna"))


def open_target(target: str) -> Project:
    """A project file path or a preset name, as given on the command line."""
    from pathlib import Path

    from laegna_gui.core.regular_file import shown_path

    if "\0" in target:  # no file can have that name (and os functions would raise ValueError)
        raise ProjectFileError(f"{shown_path(repr(target))} is not a file name (it holds a NUL character)")
    path = Path(target)
    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a name too long for the file system
        raise ProjectFileError(f"cannot read {shown_path(target)}: {exc.strerror or exc}") from None
    if path.suffix == ".laegna" or exists:
        return load_project(path)
    if target in preset_names():
        return load_preset(target)
    raise ProjectFileError(f"{shown_path(repr(target))} is neither a project file nor a preset "
                           f"({', '.join(preset_names())})")
