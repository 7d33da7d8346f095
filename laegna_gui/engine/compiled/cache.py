"""Where the kernels' machine code is cached (no numba import here).

The folder is named after a hash of this package's sources and numba's version: numba
checks only the calling function's own file when it reuses cached code, so a kernel whose
helper changed in another file would otherwise run the old helper. Folders of other
versions are removed once nothing has used them for a month (not at once: an older copy
of the app may still be running and using its own).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import time
from functools import cache
from pathlib import Path


@cache
def source_hash() -> str:
    digest = hashlib.sha256(importlib.metadata.version("numba").encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "laegna" / f"numba-{source_hash()}"


def ready_marker() -> Path:
    """Written once every kernel is compiled into the cache folder."""
    return cache_folder() / "ready"


def writable_cache() -> Path | None:
    """The cache folder, made if needed (long-unused ones removed), or None if it cannot be written."""
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".writable"
        probe.write_bytes(b"")
        probe.unlink()  # (also marks the folder as in use: its time is now)
    except OSError:
        return None
    for old in folder.parent.glob("numba-*"):  # machine code of other versions
        if old != folder and _unused_for(old) > UNUSED_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    return folder


UNUSED_SECONDS = 30 * 24 * 3600


def _unused_for(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return 0.0
