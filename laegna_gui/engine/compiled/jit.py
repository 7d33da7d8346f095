"""The one numba decorator every kernel uses (importing this module imports numba).

Kernels release the GIL (`nogil`), so the window keeps drawing while they train, and keep
IEEE arithmetic (no fastmath) so they match torch. Their machine code is cached (see
cache.py); where no cache folder can be written they compile in memory, once per process.
"""

from __future__ import annotations

import numba

from laegna_gui.engine.compiled.cache import writable_cache

_folder = writable_cache()
if _folder is not None:
    numba.config.CACHE_DIR = str(_folder)
CACHE = _folder is not None
jit = numba.njit(cache=CACHE, nogil=True, fastmath=False, error_model="numpy")
