"""Batch order and dropout masks as pure functions of (seed, epoch) and (seed, step).

Both engines (and the exported script) draw from these, so the compiled engine, the torch
engine and a plain PyTorch script see the same batches and the same dropped units, and
nothing has to be carried between them but the step and epoch counters. The generator is
SplitMix64 (Steele, Lea & Flood, 2014): a 64-bit counter hash whose outputs pass BigCrush.
The compiled kernels have their own copy in uint64 arithmetic (`kernels.py`); a test holds
the two to the same numbers.
"""

from __future__ import annotations

import numpy as np

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
DROPOUT_SALT = 0xD1B54A32D192ED03  # separates the dropout stream from the batch stream


def splitmix(z: int) -> int:
    """One SplitMix64 output for the counter value z."""
    z = (z + GOLDEN) & MASK
    z = ((z ^ (z >> 30)) * MIX1) & MASK
    z = ((z ^ (z >> 27)) * MIX2) & MASK
    return z ^ (z >> 31)


def epoch_key(seed: int, epoch: int) -> int:
    return splitmix(splitmix(seed & MASK) ^ (epoch & MASK))


def epoch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    """The order in which epoch `epoch` visits the n training points: a Fisher–Yates
    shuffle driven by SplitMix64, the same for the same (n, seed, epoch) everywhere."""
    order = list(range(n))
    key = epoch_key(seed, epoch)
    for i in range(n - 1, 0, -1):
        j = splitmix(key ^ i) % (i + 1)
        order[i], order[j] = order[j], order[i]
    return np.array(order, dtype=np.int64)


def dropout_key(seed: int, step: int, salt: int) -> int:
    """The key of one dropout layer's mask at one training step."""
    return splitmix(splitmix(splitmix((seed ^ DROPOUT_SALT) & MASK) ^ (step & MASK)) ^ (salt & MASK))


def dropout_keep(seed: int, step: int, salt: int, rows: int, width: int, p: float) -> np.ndarray:
    """(rows, width) booleans: which values a dropout layer keeps at this step. Value (r, c)
    is kept when its uniform draw u in [0, 1) is at least p."""
    key = np.uint64(dropout_key(seed, step, salt))
    counters = np.arange(rows * width, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = (key ^ counters) + np.uint64(GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
    return (u >= p).reshape(rows, width)
