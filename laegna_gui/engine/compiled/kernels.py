"""The compiled training step and the loop that draws batches and runs many of them.

`run_steps` runs up to n iterations without returning to Python: it draws each batch from
the shared schedule (a fresh SplitMix64 shuffle per epoch), then forward, loss (checked),
backward, gradient norm (checked), clipping, the optimizer into a scratch buffer (checked),
and only then commits the new weights. A failed check stops the loop with the weights (and
batch-norm statistics) of before that step; `result` says what happened.
"""

from __future__ import annotations


import numpy as np

from laegna_gui.engine.compiled.jit import jit
from laegna_gui.engine.compiled.losses import loss_and_slope
from laegna_gui.engine.compiled.ops import backward, forward
from laegna_gui.engine.compiled.plan import COL, WIDTH
from laegna_gui.engine.compiled.rng import epoch_order_into
from laegna_gui.engine.compiled.updates import clip, gradient_norm, update

OK, BAD_LOSS, BAD_GRADIENT, BAD_WEIGHTS = 0, 1, 2, 3
# int64 `state`: where the schedule stands, and fixed facts of the run
EPOCH, CURSOR, STEP, SEED, BATCH, BN_RULE = range(6)
# float64 `config`
LOSS, OPTIMIZER, LR, MOMENTUM, REG, REG_RATE, CLIP, CLIP_NORM = range(8)
# float64 `result`
DONE, LAST_LOSS, STATUS, NORM = range(4)
F32_MAX = float(np.finfo(np.float32).max)


@jit
def train_step(nodes, sources, reals, output, x, y, labels, idx, bl, flat, stats, saved, scratch,
               config, seed, step, result):
    """One iteration on the examples idx[:bl]. `flat` rows: params, grads, moment1, moment2,
    out; `scratch` = (vals, grads, aux, bn) from `scratch_for`. Returns a status code."""
    params, pgrads, m1, m2, out = flat[0], flat[1], flat[2], flat[3], flat[4]
    vals, grads, aux, bn, steps, mus = scratch
    saved[:] = stats
    grads[:bl, :] = 0  # (every parameter's gradient is written by backward, none is added to)
    forward(nodes, sources, reals, x, idx, bl, params, stats, vals, aux, bn, seed, step, True)
    ocol, owidth = nodes[output, COL], nodes[output, WIDTH]
    loss = loss_and_slope(np.int64(config[LOSS]), vals, grads, ocol, owidth, y, labels, idx, bl)
    if not (abs(loss) <= F32_MAX):
        stats[:] = saved
        pgrads[:] = 0
        return BAD_LOSS
    backward(nodes, sources, reals, bl, params, pgrads, vals, grads, aux, bn, np.int64(config[REG]),
             config[REG_RATE])
    norm = gradient_norm(pgrads)
    result[NORM] = norm
    if not (norm <= F32_MAX):
        stats[:] = saved
        return BAD_GRADIENT
    if config[CLIP] != 0.0:
        clip(pgrads, norm, config[CLIP_NORM])
    good = update(np.int64(config[OPTIMIZER]), config[LR], config[MOMENTUM], params, pgrads, m1, m2,
                  steps, mus, out)
    for i in range(stats.shape[0]):
        good = good and abs(stats[i]) <= F32_MAX
    if not good:
        stats[:] = saved
        return BAD_WEIGHTS
    params[:] = out
    result[LAST_LOSS] = np.float64(np.float32(loss))
    return OK


@jit
def run_steps(n, nodes, sources, reals, output, columns, x, y, labels, flat, stats, steps, mus,
              config, state, order, result):
    """Up to n iterations from the schedule in `state`/`order` (both updated in place).
    result: DONE (iterations completed), LAST_LOSS, STATUS, NORM."""
    count = x.shape[0]
    size = state[BATCH]
    vals = np.zeros((size, columns), dtype=np.float32)
    scratch = (vals, np.zeros_like(vals), np.ones_like(vals), np.zeros((2, columns)), steps, mus)
    saved = np.empty_like(stats)
    result[DONE] = 0
    result[STATUS] = OK
    for s in range(n):
        if state[CURSOR] >= count:
            epoch_order_into(order, state[SEED], state[EPOCH])
            state[CURSOR] = 0
        start = state[CURSOR]
        bl = min(size, count - start)
        state[CURSOR] = start + bl
        if state[CURSOR] >= count or (state[BN_RULE] != 0 and count - state[CURSOR] < 2):
            state[CURSOR] = count
            state[EPOCH] += 1
        status = train_step(nodes, sources, reals, output, x, y, labels, order[start:start + bl], bl, flat,
                            stats, saved, scratch, config, state[SEED], state[STEP], result)
        if status != OK:
            result[STATUS] = status
            return
        state[STEP] += 1
        result[DONE] = s + 1


@jit
def run_batch(idx, nodes, sources, reals, output, columns, x, y, labels, flat, stats, steps, mus,
              config, seed, step, result):
    """One iteration on the given batch (the Step button); result as in run_steps."""
    bl = idx.shape[0]
    vals = np.zeros((max(bl, 1), columns), dtype=np.float32)
    scratch = (vals, np.zeros_like(vals), np.ones_like(vals), np.zeros((2, columns)), steps, mus)
    saved = np.empty_like(stats)
    status = train_step(nodes, sources, reals, output, x, y, labels, idx, bl, flat, stats, saved,
                        scratch, config, seed, step, result)
    result[STATUS] = status
    result[DONE] = 1 if status == OK else 0
