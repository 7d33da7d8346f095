"""The one numba decorator every kernel uses (importing this module imports numba).

Kernels release the GIL (`nogil`), so the window keeps drawing while they train, and keep
IEEE arithmetic (no fastmath) so they match torch.

Their machine code is cached in a folder named after a hash of this package's sources:
numba checks only the calling function's own file when it reuses cached code, so a kernel
whose helper changed in another file would otherwise run the old helper. Where no cache
folder can be written, the kernels compile in memory (a few seconds once per process).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numba


def _source_hash() -> str:
    digest = hashlib.sha256(numba.__version__.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "laegna" / f"numba-{_source_hash()}"


def _use_cache() -> bool:
    """Point numba's cache at our folder; False if it cannot be written."""
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".writable"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    numba.config.CACHE_DIR = str(folder)
    for old in folder.parent.glob("numba-*"):  # machine code of earlier versions
        if old != folder:
            shutil.rmtree(old, ignore_errors=True)
    return True


CACHE = _use_cache()
jit = numba.njit(cache=CACHE, nogil=True, fastmath=False, error_model="numpy")
