"""How the README installs Laegna, checked without the internet.

- Its pip commands take torch from PyTorch's CPU-only wheel index: a local stand-in of
  PyPI (whose torch pulls an NVIDIA package, as the real CUDA build does) and one of
  https://download.pytorch.org/whl/cpu, both made of tiny fake wheels, and a
  `pip install --dry-run --report` of the README's own command lines.
- Its test command installs this checkout editable, so the tests import the code in this
  folder, not a copy in site-packages.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote, urlparse
from urllib.request import url2pathname

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
NVIDIA = "nvidia-cublas-fake"


# -- the README's commands -----------------------------------------------------------------

def quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, "README.md has no '## Quick start' section"
    return match.group(1)


def command_lines(markdown: str) -> list[str]:
    """The lines of the fenced bash blocks in `markdown`."""
    blocks = re.findall(r"^```(?:bash|sh|shell)?\n(.*?)^```", markdown, re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def readme_test_command() -> str:
    block = re.search(r"<!-- test-command -->\n(.*?)<!-- /test-command -->", quick_start(), re.S)
    assert block, "the Quick start has no <!-- test-command --> block (.ci/run runs it)"
    lines = command_lines(block.group(1))
    assert len(lines) == 1, lines
    return lines[0]


def install_command() -> str:
    lines = [line for line in command_lines(quick_start()) if "pip install" in line and "laegna-gui" in line]
    assert len(lines) == 1, f"the Quick start should show one install-and-launch command, found {lines}"
    return lines[0]



def pip_install_args(command: str) -> list[list[str]]:
    """The arguments after `pip install` of each pip install in a shell command line."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words, found = list(lexer), []
    segments, current = [], []
    for word in words:
        if word in ("&&", "||", ";", "|"):
            segments.append(current)
            current = []
        else:
            current.append(word)
    segments.append(current)
    for segment in segments:
        for start in range(len(segment)):
            head = segment[start:start + 4]
            if head[:2] in (["pip", "install"], ["pip3", "install"]):
                found.append(segment[start + 2:])
                break
            if len(head) == 4 and head[1:] == ["-m", "pip", "install"] and head[0].startswith("python"):
                found.append(segment[start + 4:])
                break
    return found


# -- a local stand-in for PyPI and for PyTorch's CPU index ------------------------------------

def wheel(folder: Path, name: str, version: str, requires: list[str] = ()) -> Path:
    dist = re.sub(r"[-_.]+", "_", name)
    info = f"{dist}-{version}.dist-info"
    files = {
        f"{info}/METADATA": "Metadata-Version: 2.1\n"
                            f"Name: {name}\nVersion: {version}\n"
                            + "".join(f"Requires-Dist: {r}\n" for r in requires),
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: laegna-tests\nRoot-Is-Purelib: true\n"
                         "Tag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in files) + f"{info}/RECORD,,\n"
    path = folder / f"{dist}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            archive.writestr(member, text)
    return path


def simple_index(root: Path, wheels: dict[str, list[tuple[str, list[str]]]]) -> str:
    """A PEP 503 index in `root`: {project name: [(version, requirements), ...]}; its URL."""
    files = root / "files"
    files.mkdir(parents=True)
    for name, releases in wheels.items():
        page = root / "simple" / canonicalize_name(name)
        page.mkdir(parents=True)
        links = [wheel(files, name, version, requires).name for version, requires in releases]
        page.joinpath("index.html").write_text(
            "<!DOCTYPE html><html><body>\n"
            + "".join(f'<a href="../../files/{quote(link)}">{link}</a><br>\n' for link in links)
            + "</body></html>\n", encoding="utf-8")
    return (root / "simple").as_uri() + "/"


def some_version(specifier: SpecifierSet) -> str:
    """A version the specifier allows (the fake wheels' version of a requirement)."""
    candidates = []
    for spec in specifier:
        if spec.operator in ("==", "===", ">=", "~=", "<="):
            candidates.append(spec.version.replace(".*", ".0"))
        elif spec.operator == ">":
            candidates.append(spec.version + ".1")
    for version in [*candidates, "1.0", "0.1"]:
        if specifier.contains(version, prereleases=True):
            return version
    raise AssertionError(f"no fake version for {specifier}")


def project_requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    names = [*project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        names += extra
    return [Requirement(r) for r in names]


BACKEND = '''
"""A build backend for the stand-in of Laegna: its metadata, no files (no download needed)."""
import base64, hashlib, json, os, zipfile

with open(os.path.join(os.path.dirname(__file__), "metadata.json")) as f:
    META = json.load(f)
DIST = "laegna_gui-" + META["version"]


def _metadata():
    lines = ["Metadata-Version: 2.1", "Name: " + META["name"], "Version: " + META["version"]]
    lines += ["Requires-Dist: " + r for r in META["dependencies"]]
    for extra, reqs in META["extras"].items():
        lines.append("Provides-Extra: " + extra)
        lines += ["Requires-Dist: %s ; extra == \\"%s\\"" % (r, extra) for r in reqs]
    return "\\n".join(lines) + "\\n"


def _wheel_text():
    return "Wheel-Version: 1.0\\nGenerator: laegna-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"


def _prepare(directory, config_settings=None):
    info = os.path.join(directory, DIST + ".dist-info")
    os.makedirs(info)
    with open(os.path.join(info, "METADATA"), "w") as f:
        f.write(_metadata())
    with open(os.path.join(info, "WHEEL"), "w") as f:
        f.write(_wheel_text())
    return DIST + ".dist-info"


def _build(directory, config_settings=None, metadata_directory=None):
    name = DIST + "-py3-none-any.whl"
    files = {DIST + ".dist-info/METADATA": _metadata(), DIST + ".dist-info/WHEEL": _wheel_text()}
    record = ""
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record += "%s,sha256=%s,%d\\n" % (path, digest, len(text.encode()))
    files[DIST + ".dist-info/RECORD"] = record + DIST + ".dist-info/RECORD,,\\n"
    with zipfile.ZipFile(os.path.join(directory, name), "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return name


def get_requires_for_build_wheel(config_settings=None):
    return []


get_requires_for_build_editable = get_requires_for_build_wheel
prepare_metadata_for_build_wheel = prepare_metadata_for_build_editable = _prepare
build_wheel = build_editable = _build
'''


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    """(PyPI stand-in URL, CPU-index stand-in URL, a source folder standing in for this
    checkout: the same name, requirements and extras as pyproject.toml)."""
    base = tmp_path_factory.mktemp("indexes")
    torch_version = None
    pypi: dict[str, list[tuple[str, list[str]]]] = {NVIDIA: [("12.9.1", [])]}
    for requirement in project_requirements():
        version = some_version(requirement.specifier)
        if canonicalize_name(requirement.name) == "torch":
            torch_version = version
            pypi["torch"] = [(version, [NVIDIA])]  # PyPI's torch for Linux is the CUDA build
        else:
            pypi.setdefault(requirement.name, [(version, [])])
    assert torch_version, "pyproject.toml no longer requires torch"
    pypi_url = simple_index(base / "pypi", pypi)
    cpu_url = simple_index(base / "cpu", {"torch": [(torch_version + "+cpu", [])]})

    source = base / "laegna"
    source.mkdir()
    project = PYPROJECT["project"]
    (source / "metadata.json").write_text(json.dumps({
        "name": project["name"], "version": "0.0.0", "dependencies": project["dependencies"],
        "extras": project.get("optional-dependencies", {})}), encoding="utf-8")
    (source / "fake_backend.py").write_text(BACKEND, encoding="utf-8")
    (source / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "fake_backend"\nbackend-path = ["."]\n',
        encoding="utf-8")
    return pypi_url, cpu_url, source, torch_version


def dry_run(args: list[str], indexes, tmp_path) -> dict[str, tuple[str, str]]:
    """`pip install ARGS` in the stand-in checkout, with PyPI and PyTorch's CPU index replaced by
    the local stand-ins and this machine's pip configuration ignored: {name: (version, url)}."""
    pypi_url, cpu_url, source, _ = indexes
    args = [arg.replace(CPU_INDEX, cpu_url.rstrip("/")) for arg in args]
    report = tmp_path / "report.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    # our --index-url first: a README flag that sets the index itself comes later and wins
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--isolated", "--index-url", pypi_url, *args,
         "--dry-run", "--ignore-installed", "--report", str(report), "--no-cache-dir",
         "--retries", "0", "--timeout", "5"],
        cwd=source, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    chosen = {}
    for item in json.loads(report.read_text(encoding="utf-8"))["install"]:
        url = item["download_info"]["url"]
        chosen[canonicalize_name(item["metadata"]["name"])] = (item["metadata"]["version"], url)
        where = Path(url2pathname(unquote(urlparse(url).path)))
        assert url.startswith("file:") and where.is_relative_to(source.parent), (
            f"pip went outside the stand-in indexes for {url}: {done.stdout[-2000:]}")
    return chosen


@pytest.mark.parametrize("which", ["install-and-launch", "test"])
def test_the_readme_installs_torch_from_pytorchs_cpu_index(which, indexes, tmp_path):
    command = install_command() if which == "install-and-launch" else readme_test_command()
    installs = pip_install_args(command)
    assert installs, f"no pip install in the README's {which} command: {command}"
    for args in installs:
        chosen = dry_run(args, indexes, tmp_path)
        torch_version = indexes[3]
        assert chosen.get("torch", ("none",))[0] == f"{torch_version}+cpu", (
            f"the README's {which} command ({command}) would install torch {chosen.get('torch')}, "
            f"not the CPU-only build from {CPU_INDEX}")
        cuda = sorted(name for name in chosen if name.startswith("nvidia-"))
        assert not cuda, f"the README's {which} command ({command}) would install {cuda}"
        assert "laegna-gui" in chosen


def without_cpu_index(args: list[str]) -> list[str]:
    """`args` with every index option that names PyTorch's CPU index left out."""
    kept, skip = [], False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in ("--extra-index-url", "--index-url", "-i") and i + 1 < len(args) and CPU_INDEX in args[i + 1]:
            skip = True
        elif CPU_INDEX not in arg:
            kept.append(arg)
    return kept


def test_without_the_cpu_index_the_stand_in_pypi_gives_the_cuda_build(indexes, tmp_path):
    """The stand-ins tell the two apart: the README's command without its CPU index flag
    would take the CUDA build (and this test file would catch it)."""
    args = without_cpu_index(pip_install_args(install_command())[0])
    assert not any(CPU_INDEX in arg for arg in args)
    chosen = dry_run(args, indexes, tmp_path)
    assert chosen["torch"][0] == indexes[3]
    assert NVIDIA in chosen


def test_the_readme_test_command_installs_this_checkout_editable():
    args = pip_install_args(readme_test_command())
    assert len(args) == 1 and ("-e" in args[0] or "--editable" in args[0]), (
        f"the test command ({readme_test_command()}) should install the checkout editable (pip install -e), "
        "or the tests import a copy in site-packages instead of this folder")


# -- the tests run this checkout ------------------------------------------------------------

HINT = ("install this checkout editable (the README's test command, pip install -e \".[test]\" …): "
        "otherwise the tests test an installed copy, not the code in this folder")

PROBE = ("import json, laegna_gui; from laegna_gui.core.resources import resources_dir;"
         "print(json.dumps([laegna_gui.__file__, str(resources_dir())]))")


def test_the_tests_import_this_checkout(tmp_path):
    import laegna_gui
    from laegna_gui.core.resources import resources_dir

    assert Path(laegna_gui.__file__).resolve() == ROOT / "laegna_gui" / "__init__.py", (
        f"laegna_gui imported from {laegna_gui.__file__}, not from {ROOT}: {HINT}")
    assert resources_dir().resolve() == (ROOT / "resources").resolve(), (
        f"laegna_gui reads its resources from {resources_dir()}, not {ROOT / 'resources'}: {HINT}")

    # the tests' subprocesses (python -m laegna_gui …) run from other folders: the same there
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    module_file, resources = json.loads(out.stdout)
    assert Path(module_file).resolve() == ROOT / "laegna_gui" / "__init__.py", (
        f"outside the checkout, laegna_gui is imported from {module_file}: {HINT}")
    assert Path(resources).resolve() == (ROOT / "resources").resolve(), (
        f"outside the checkout, laegna_gui reads its resources from {resources}: {HINT}")


def test_the_installed_laegna_gui_is_this_checkout_editable():
    """The `laegna-gui` distribution in this environment (its command and metadata) is an
    editable install of this folder, when it is installed at all."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution("laegna-gui")
    except PackageNotFoundError:
        pytest.skip("laegna-gui is not installed (the tests import the checkout from the path)")
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    assert direct.get("dir_info", {}).get("editable"), f"laegna-gui is installed, but not editable: {HINT}"
    where = Path(url2pathname(urlparse(direct["url"]).path)).resolve()
    assert where == ROOT, f"laegna-gui is installed editable from {where}, not {ROOT}: {HINT}"
