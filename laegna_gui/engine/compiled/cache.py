"""Where the kernels' machine code is cached (no numba import here).

The folder is named after a hash of this package's sources and numba's version: numba
checks only the calling function's own file when it reuses cached code, so a kernel whose
helper changed in another file would otherwise run the old helper. Older folders are
removed when a new one is made.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
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
    """The cache folder, made if needed (older ones removed), or None if it cannot be written."""
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".writable"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return None
    for old in folder.parent.glob("numba-*"):  # machine code of earlier versions
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return folder
