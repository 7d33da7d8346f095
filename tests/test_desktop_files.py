"""The freedesktop files in packaging/ agree with each other, the spec, the icons and the version."""

from __future__ import annotations

import configparser
import os
import re
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import laegna_gui
from laegna_gui.ui.look.app_icon import DESKTOP_ID, ICON_SIZES

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(PACKAGING / f"{DESKTOP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def metainfo() -> ET.Element:
    return ET.parse(PACKAGING / f"{DESKTOP_ID}.metainfo.xml").getroot()


def spec_text() -> str:
    return (PACKAGING / "laegna.spec").read_text(encoding="utf-8")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_desktop_entry_has_the_required_keys():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    for key in ("Name", "GenericName", "Comment", "Exec", "Icon", "Categories", "MimeType", "StartupWMClass"):
        assert entry.get(key, "").strip(), f"{key} is missing"
    assert entry["Terminal"] == "false"
    categories = entry["Categories"].split(";")
    assert entry["Categories"].endswith(";")
    assert {"Education", "ArtificialIntelligence"} <= set(categories)
    assert "Science" not in categories  # one main category, so the app is listed once in menus
    # Qt names the X11 window class after the application name set in make_application
    assert entry["StartupWMClass"] == "Laegna"


def test_exec_and_icon_match_the_spec_and_the_icon_files():
    entry = desktop_entry()
    program, *args = entry["Exec"].split()
    assert args == ["%f"]
    assert re.search(rf'name="{re.escape(program)}"', spec_text()), "Exec must run the executable the spec builds"
    assert entry["Icon"] == ICONS.joinpath("laegna.svg").stem
    for size in ICON_SIZES:
        assert png_size(ICONS / f"{entry['Icon']}-{size}.png") == (size, size)
    assert "<svg" in (ICONS / "laegna.svg").read_text(encoding="utf-8")


def test_mime_type_is_declared_for_laegna_files():
    entry = desktop_entry()
    mime = ET.parse(PACKAGING / "laegna-mime.xml").getroot()
    mime_type = mime.find(f"{MIME_NS}mime-type")
    assert mime_type is not None
    assert entry["MimeType"] == mime_type.get("type") + ";"
    assert [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")] == ["*.laegna"]


def test_metainfo_names_the_desktop_entry_and_the_current_version():
    root = metainfo()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == DESKTOP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("name") == desktop_entry()["Name"]
    assert root.findtext("summary").strip()
    assert root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable.get("type") == "desktop-id" and launchable.text == f"{DESKTOP_ID}.desktop"
    assert root.find("content_rating").get("type", "").startswith("oars-")
    releases = root.findall("releases/release")
    assert releases and releases[0].get("version") == laegna_gui.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date", ""))


def test_metainfo_screenshot_and_binary_exist():
    root = metainfo()
    image = root.find("screenshots/screenshot/image")
    assert image is not None and (ROOT / image.text).is_file()
    assert root.findtext("provides/binary") == desktop_entry()["Exec"].split()[0]
    assert root.findtext("provides/mediatype") == desktop_entry()["MimeType"].rstrip(";")


def test_license_matches_pyproject():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    declared = re.search(r'license\s*=\s*\{\s*text\s*=\s*"([^"]+)"', pyproject).group(1)
    assert metainfo().findtext("project_license") == declared


def test_spec_ships_resources_and_uses_the_console_script_entry_point():
    spec = spec_text()
    assert '"laegna_gui/resources"' in spec  # where core.resources looks in an installed package
    entry = (PACKAGING / "laegna_main.py").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    module, function = re.search(r'laegna-gui = "([\w.]+):(\w+)"', pyproject).groups()
    assert f"from {module} import {function}" in entry
    assert "laegna_main.py" in spec


def test_install_script_puts_every_file_where_desktops_look(tmp_path):
    app = tmp_path / "bundle" / "laegna"
    app.parent.mkdir()
    app.write_text("#!/bin/sh\necho laegna\n")
    app.chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {**os.environ, "LAEGNA_APP": str(app)}
    subprocess.run(["bash", str(PACKAGING / "install-desktop.sh"), str(prefix)], check=True, env=env,
                   capture_output=True)
    share = prefix / "share"
    entry = desktop_entry()
    assert (share / "applications" / f"{DESKTOP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{DESKTOP_ID}.metainfo.xml").is_file()
    assert (share / "mime" / "packages" / "laegna.xml").is_file()
    assert (share / "icons/hicolor/scalable/apps" / f"{entry['Icon']}.svg").is_file()
    for size in ICON_SIZES:
        assert png_size(share / f"icons/hicolor/{size}x{size}/apps/{entry['Icon']}.png") == (size, size)
    program = prefix / "bin" / entry["Exec"].split()[0]
    assert program.resolve() == app.resolve()


def test_install_script_refuses_a_missing_app(tmp_path):
    env = {**os.environ, "LAEGNA_APP": str(tmp_path / "nothing")}
    run = subprocess.run(["bash", str(PACKAGING / "install-desktop.sh"), str(tmp_path / "prefix")], env=env,
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.startswith("error: ") and "packaging/build.sh" in run.stderr
    assert not (tmp_path / "prefix").exists()
