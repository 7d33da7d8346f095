"""An installed, non-editable wheel carries the resources and finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_resources_and_finds_presets_when_installed(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("laegna_gui-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    # every resource of the checkout (presets, docs, icons, the style sheet) and every module
    shipped = {f"laegna_gui/resources/{p.relative_to(ROOT / 'resources').as_posix()}"
               for p in (ROOT / "resources").rglob("*") if p.is_file()}
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "laegna_gui").rglob("*.py")}
    assert {"laegna_gui/resources/presets/xor.laegna", "laegna_gui/resources/themes/laegna.qss",
            "laegna_gui/resources/icons/pause.svg", "laegna_gui/resources/lessons/xor.json",
            "laegna_gui/ui/look/style.py"} <= shipped | modules
    assert not (shipped | modules) - set(names)

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    probe = ("import laegna_gui, json; from laegna_gui.core.presets import load_preset, preset_names;"
             "from laegna_gui.core.resources import resources_dir, resource;"
             "from laegna_gui.core.lesson_file import all_lessons;"
             "print(json.dumps([laegna_gui.__file__, str(resources_dir()), preset_names(),"
             " load_preset('xor').name, resource('icons', 'laegna-256.png').is_file(),"
             " [lesson.id for lesson in all_lessons()]]))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env,
                         cwd=tmp_path, check=True).stdout
    module_file, resources, presets, xor_name, has_icon, lessons = json.loads(out)
    assert module_file.startswith(str(site))
    assert resources.startswith(str(site))
    assert "xor" in presets and "affine3d" in presets
    assert xor_name == "XOR"
    assert has_icon
    assert set(presets) <= set(lessons)  # every lesson file reaches the wheel and reads there
