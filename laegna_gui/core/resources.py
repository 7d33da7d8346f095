"""Where the shipped resources (presets, icons, themes) live.

In an installed wheel they sit inside the package (`laegna_gui/resources`); in a
source checkout they are the top-level `resources/` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "presets").is_dir():
            return candidate
    raise FileNotFoundError("Laegna's resources folder is missing; reinstall the package")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
