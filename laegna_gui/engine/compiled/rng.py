"""`schedule.py`'s SplitMix64 draws in compiled form (uint64 arithmetic wraps like `& MASK`)."""

from __future__ import annotations

import numpy as np

from laegna_gui.engine.compiled import schedule
from laegna_gui.engine.compiled.jit import jit

_GOLDEN = np.uint64(schedule.GOLDEN)
_MIX1 = np.uint64(schedule.MIX1)
_MIX2 = np.uint64(schedule.MIX2)
_SALT = np.uint64(schedule.DROPOUT_SALT)
_S11, _S27, _S30, _S31 = np.uint64(11), np.uint64(27), np.uint64(30), np.uint64(31)
_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@jit
def splitmix(z):
    z = z + _GOLDEN
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@jit
def epoch_order_into(order, seed, epoch):
    """schedule.epoch_order, written into `order` (its length is n)."""
    n = order.shape[0]
    for i in range(n):
        order[i] = i
    key = splitmix(splitmix(np.uint64(seed)) ^ np.uint64(epoch))
    for i in range(n - 1, 0, -1):
        j = np.int64(splitmix(key ^ np.uint64(i)) % np.uint64(i + 1))
        t = order[i]
        order[i] = order[j]
        order[j] = t


@jit
def dropout_key(seed, step, salt):
    return splitmix(splitmix(splitmix(np.uint64(seed) ^ _SALT) ^ np.uint64(step)) ^ np.uint64(salt))


@jit
def uniform(key, counter):
    """The uniform draw in [0, 1) for one value of a dropout mask."""
    return np.float64(splitmix(key ^ np.uint64(counter)) >> _S11) * _UNIT
