"""Compile (or load from numba's cache) the kernels once, on a two-node network."""

from __future__ import annotations

import numpy as np

from laegna_gui.engine.compiled.plan import COL, DENSE, INPUT, KIND, NO_OFFSET, NSRC, OUTPUT, SRC, WEIGHT, WIDTH


def run_tiny() -> None:
    from laegna_gui.engine.compiled import kernels

    nodes = np.full((3, 10), NO_OFFSET, dtype=np.int64)
    for row, (kind, col, width) in enumerate(((INPUT, 0, 1), (DENSE, 1, 1), (OUTPUT, 1, 1))):
        nodes[row, [KIND, COL, WIDTH, SRC, NSRC]] = kind, col, width, max(0, row - 1), int(row > 0)
    nodes[1, WEIGHT] = 0
    sources = np.array([0, 1], dtype=np.int64)
    x = np.ones((2, 1), dtype=np.float32)
    rows = np.zeros((6, 1), dtype=np.float32)
    stats, steps, mus = np.zeros(0, np.float32), np.zeros(1, np.float32), np.ones(1, np.float32)
    config = np.zeros(kernels.LOSS_NODE + 1)
    config[kernels.LOSS_NODE] = 2  # the loss reads the output
    args = (nodes, sources, np.zeros(3), 2, x, x.copy(), np.zeros(2, np.int64), rows, stats, steps, mus, config)
    state = np.array([0, 0, 0, 0, 2, 0], dtype=np.int64)
    result, cancel = np.zeros(4), np.zeros(1, np.int32)
    kernels.run_steps(1, *args, state, np.arange(2, dtype=np.int64), cancel, result)
    kernels.run_batch(np.arange(2, dtype=np.int64), *args, 0, 0, cancel, result)



def fill_cache() -> None:
    """`laegna-gui prepare-kernels`: compile into the cache, then mark it ready (prepare.py)."""
    from laegna_gui.engine.compiled.cache import ready_marker

    run_tiny()
    ready_marker().write_bytes(b"")
