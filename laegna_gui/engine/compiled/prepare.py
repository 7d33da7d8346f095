"""Getting the kernels ready without holding up the window.

Compiling every kernel takes 10–20 s once after installing (numba holds the GIL while it
compiles, so the window would stutter). The worker therefore asks without waiting
(`ensure(block=False)`): the first time, a separate process compiles the kernels into the
cache while torch trains; once it has finished, loading them from the cache takes about a
second. The command line and the benchmark wait (`ensure(block=True)`) and compile in
their own process if needed. Where nothing can be cached (a read-only home), or the other
process failed, the kernels compile in this process.
"""

from __future__ import annotations

import subprocess
import sys

from laegna_gui.engine.compiled.cache import ready_marker, writable_cache

_state = {"loaded": False, "process": None, "failed": False}


def loaded() -> bool:
    return _state["loaded"]


def preparing() -> bool:
    """A background process is compiling the kernels right now."""
    process = _state["process"]
    return process is not None and process.poll() is None


def ensure(block: bool) -> bool:
    """True once the kernels can run in this process (loading or compiling them if allowed)."""
    if _state["loaded"]:
        return True
    if block or ready_marker().exists() or not _can_compile_elsewhere():
        return _load()
    process = _state["process"]
    if process is None:
        _state["process"] = subprocess.Popen(_command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return False
    if process.poll() is None:
        return False
    _state["failed"] = process.returncode != 0 or not ready_marker().exists()
    return _load()


def _command() -> list[str]:
    """`laegna-gui prepare-kernels` in a new process (an app bundle is its own interpreter)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "prepare-kernels"]
    return [sys.executable, "-m", "laegna_gui", "prepare-kernels"]


def _can_compile_elsewhere() -> bool:
    return not _state["failed"] and writable_cache() is not None


def _load() -> bool:
    from laegna_gui.engine.compiled.warm import run_tiny

    run_tiny()  # compiles, or loads from the cache
    _state["loaded"] = True
    try:
        if writable_cache() is not None:
            ready_marker().write_bytes(b"")
    except OSError:
        pass
    return True
