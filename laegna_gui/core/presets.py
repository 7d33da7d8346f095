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


def preset_names() -> list[str]:
    return sorted(p.stem for p in resource("presets").glob("*.laegna"))


def preset_info() -> list[PresetInfo]:
    infos = []
    for name in preset_names():
        data = json.loads(resource("presets", f"{name}.laegna").read_text(encoding="utf-8"))
        infos.append(PresetInfo(name, data.get("name", name), data.get("description", "")))
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
