"""The layers import one way only: core → engine → ui."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "laegna_gui"
FORBIDDEN = {
    "core": ("PySide6", "pyqtgraph", "OpenGL", "torch", "laegna_gui.engine", "laegna_gui.ui"),
    "engine": ("PySide6", "pyqtgraph", "OpenGL", "laegna_gui.ui"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_module_of_a_layer_imports_a_higher_layer(layer):
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            if name.startswith(FORBIDDEN[layer]):
                bad.append(f"{path.name} imports {name}")
    assert not bad


def _loaded_after(code: str) -> list[str]:
    probe = code + "\nimport sys\nprint(' '.join(m for m in ('PySide6', 'torch', 'pyqtgraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_importing_all_of_core_loads_neither_qt_nor_torch():
    modules = sorted(p.stem for p in (PACKAGE / "core").glob("*.py") if p.stem != "__init__")
    assert _loaded_after("\n".join(f"import laegna_gui.core.{m}" for m in modules)) == []


def test_importing_all_of_engine_loads_torch_but_no_qt():
    modules = sorted(p.stem for p in (PACKAGE / "engine").glob("*.py") if p.stem != "__init__")
    assert _loaded_after("\n".join(f"import laegna_gui.engine.{m}" for m in modules)) == ["torch"]
