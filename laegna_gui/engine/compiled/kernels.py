"""The compiled training step and the loop that draws batches and runs many of them.

`run_steps` runs up to n iterations without returning to Python: it draws each batch from
the shared schedule (a fresh SplitMix64 shuffle per epoch), then forward, loss (checked),
backward, gradient norm (checked), clipping, the optimizer into a scratch buffer (checked),
and only then commits the new weights. A failed check stops the loop with the weights (and
batch-norm statistics) of before that step; `result` says what happened. So does a raised
`cancel` flag (see engine/cancel.py), looked at during forward and backward: a cancelled
step also leaves the gradients and the schedule as they were, as if it had never begun.
The scratch buffers are left unfilled (np.empty): each step writes every value it reads, and
so touches fresh memory — slow for a big batch — only where it looks at `cancel` meanwhile.
"""

from __future__ import annotations


import numpy as np

from laegna_gui.engine.compiled.jit import jit
from laegna_gui.engine.compiled.losses import loss_and_slope
from laegna_gui.engine.compiled.ops import CHECK_ROWS, backward, forward
from laegna_gui.engine.compiled.plan import COL, WIDTH
from laegna_gui.engine.compiled.rng import epoch_order_into
from laegna_gui.engine.compiled.updates import clip, gradient_norm, update

OK, BAD_LOSS, BAD_GRADIENT, BAD_WEIGHTS, CANCELLED = 0, 1, 2, 3, 4
# int64 `state`: where the schedule stands, and fixed facts of the run
EPOCH, CURSOR, STEP, SEED, BATCH, BN_RULE = range(6)
# float64 `config`
# (LOSS_NODE: the node whose values the loss reads, the output's or, fused, the logits')
LOSS, OPTIMIZER, LR, MOMENTUM, REG, REG_RATE, CLIP, CLIP_NORM, LOSS_NODE = range(9)
# float64 `result`
DONE, LAST_LOSS, STATUS, NORM = range(4)
F32_MAX = float(np.finfo(np.float32).max)


@jit
def train_step(nodes, sources, reals, x, y, labels, idx, bl, flat, stats, saved, scratch,
               config, seed, step, cancel, result):
    """One iteration on the examples idx[:bl]. `flat` rows: params, grads, moment1, moment2,
    out, kept (the last gradients while new ones are computed); `scratch` = (vals, grads,
    aux, bn, steps, mus). Returns a status code."""
    params, pgrads, m1, m2, out, kept = flat[0], flat[1], flat[2], flat[3], flat[4], flat[5]
    vals, grads, aux, bn, steps, mus = scratch
    saved[:] = stats
    for b in range(bl):  # (every parameter's gradient is written by backward, none is added to)
        if b % CHECK_ROWS == 0 and cancel[0] != 0:  # a big batch's first touch of fresh memory is slow
            return CANCELLED
        grads[b, :] = 0
    if not forward(nodes, sources, reals, x, idx, bl, params, stats, vals, aux, bn, seed, step, True, cancel):
        stats[:] = saved
        return CANCELLED
    read = np.int64(config[LOSS_NODE])
    loss = loss_and_slope(np.int64(config[LOSS]), vals, grads, nodes[read, COL], nodes[read, WIDTH], y, labels,
                          idx, bl)
    if not (abs(loss) <= F32_MAX):
        stats[:] = saved
        pgrads[:] = 0
        return BAD_LOSS
    kept[:] = pgrads
    if not backward(nodes, sources, reals, bl, params, pgrads, vals, grads, aux, bn, np.int64(config[REG]),
                    config[REG_RATE], cancel):
        stats[:] = saved
        pgrads[:] = kept
        return CANCELLED
    # nothing looks at `cancel` from here on: the update is short, and all or nothing
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
def run_steps(n, nodes, sources, reals, columns, x, y, labels, flat, stats, steps, mus,
              config, state, order, cancel, result):
    """Up to n iterations from the schedule in `state`/`order` (both updated in place).
    result: DONE (iterations completed), LAST_LOSS, STATUS, NORM."""
    count = x.shape[0]
    size = state[BATCH]
    vals = np.empty((size, columns), dtype=np.float32)
    scratch = (vals, np.empty_like(vals), np.empty_like(vals), np.zeros((2, columns)), steps, mus)
    saved = np.empty_like(stats)
    walked = np.empty(0, dtype=np.int64)  # the order of the epoch before, while a new one starts
    result[DONE] = 0
    result[STATUS] = OK
    for s in range(n):
        cursor, epoch = state[CURSOR], state[EPOCH]
        if cursor >= count:
            walked = order.copy()
            epoch_order_into(order, state[SEED], state[EPOCH])
            state[CURSOR] = 0
        start = state[CURSOR]
        bl = min(size, count - start)
        state[CURSOR] = start + bl
        if state[CURSOR] >= count or (state[BN_RULE] != 0 and count - state[CURSOR] < 2):
            state[CURSOR] = count
            state[EPOCH] += 1
        status = train_step(nodes, sources, reals, x, y, labels, order[start:start + bl], bl, flat,
                            stats, saved, scratch, config, state[SEED], state[STEP], cancel, result)
        if status == CANCELLED:  # the schedule as before: the next run draws this batch again
            state[CURSOR], state[EPOCH] = cursor, epoch
            if cursor >= count:
                order[:] = walked
        if status != OK:
            result[STATUS] = status
            return
        state[STEP] += 1
        result[DONE] = s + 1


@jit
def run_batch(idx, nodes, sources, reals, columns, x, y, labels, flat, stats, steps, mus,
              config, seed, step, cancel, result):
    """One iteration on the given batch (the Step button); result as in run_steps."""
    bl = idx.shape[0]
    vals = np.empty((max(bl, 1), columns), dtype=np.float32)
    scratch = (vals, np.empty_like(vals), np.empty_like(vals), np.zeros((2, columns)), steps, mus)
    saved = np.empty_like(stats)
    status = train_step(nodes, sources, reals, x, y, labels, idx, bl, flat, stats, saved,
                        scratch, config, seed, step, cancel, result)
    result[STATUS] = status
    result[DONE] = 1 if status == OK else 0
