"""Forward and backward of every node kind over a batch, for the compiled engine.

`vals[b, col:col + width]` holds node outputs for example b, `grads[b, …]` the loss's slope
with respect to them (accumulated: a node feeding two others gets both contributions).
Stored numbers are float32 like torch's; sums are accumulated in float64. Parameters and
their gradients are slices of the flat buffers (see flat.py, plan.py).
"""

from __future__ import annotations

import math

import numpy as np

from laegna_gui.engine.compiled.jit import jit
from laegna_gui.engine.compiled.plan import (ACTIVATION, ADD, BATCH_NORM, BIAS, COL, CONCAT, DENSE,
                                             DROPOUT, FUNCTION, INPUT, KIND, NSRC, SALT, SRC,
                                             STATS, WEIGHT, WIDTH)
from laegna_gui.engine.compiled.rng import dropout_key, uniform

BN_EPS = 1e-5
BN_MOMENTUM = 0.1
F32 = np.float32
CHECK_ROWS = 64  # a dense layer looks at the cancel flag every this many rows


# --- forward ------------------------------------------------------------------------
@jit
def forward(nodes, sources, reals, x, idx, bl, params, stats, vals, aux, bn, seed, step, training, cancel):
    """Every node's output for the bl examples idx[:bl]. In training mode batch norm uses
    (and updates) batch statistics and dropout draws its mask; otherwise neither. Returns
    False, part done, once `cancel[0]` is raised (looked at between nodes and in dense layers)."""
    for k in range(nodes.shape[0]):
        if cancel[0] != 0:
            return False
        kind = nodes[k, KIND]
        col = nodes[k, COL]
        width = nodes[k, WIDTH]
        s = sources[nodes[k, SRC]] if nodes[k, NSRC] > 0 else -1
        if kind == INPUT:
            for b in range(bl):
                i = idx[b]
                for f in range(width):
                    vals[b, col + f] = x[i, f]
        elif kind == DENSE:
            if not dense_forward(params, nodes[k, WEIGHT], nodes[k, BIAS], vals, nodes[s, COL], nodes[s, WIDTH],
                                 col, width, bl, cancel):
                return False
        elif kind == ACTIVATION:
            activate(nodes[k, FUNCTION], reals[k], vals, nodes[s, COL], col, width, bl)
        elif kind == BATCH_NORM:
            norm_forward(params, nodes[k, WEIGHT], nodes[k, BIAS], stats, nodes[k, STATS], vals,
                         nodes[s, COL], col, width, bl, bn, training)
        elif kind == DROPOUT:
            drop_forward(reals[k], vals, aux, nodes[s, COL], col, width, bl, seed, step, nodes[k, SALT],
                         training)
        elif kind == ADD or kind == CONCAT:
            merge_forward(kind, nodes, sources, k, vals, col, width, bl)
    return True


@jit
def dense_forward(params, w0, b0, vals, scol, n_in, col, width, bl, cancel):
    for b in range(bl):
        if b % CHECK_ROWS == 0 and cancel[0] != 0:
            return False
        for j in range(width):
            acc = 0.0
            base = w0 + j * n_in
            for q in range(n_in):
                acc += np.float64(params[base + q]) * np.float64(vals[b, scol + q])
            if b0 >= 0:
                acc += np.float64(params[b0 + j])
            vals[b, col + j] = F32(acc)
    return True


@jit
def activate(function, slope, vals, scol, col, width, bl):
    for b in range(bl):
        if function == 5:  # softmax over the row
            top, total = exp_sum(vals, b, scol, width)
            for j in range(width):
                vals[b, col + j] = F32(math.exp(np.float64(vals[b, scol + j]) - top) / total)
            continue
        for j in range(width):
            v = np.float64(vals[b, scol + j])
            if function == 1:
                v = tanh(v)
            elif function == 2:  # NaN stays NaN, as in torch
                v = v if not (v <= 0.0) else 0.0
            elif function == 3:
                v = v if not (v <= 0.0) else v * slope
            elif function == 4:
                v = 1.0 / (1.0 + math.exp(-v))
            elif function == 6:
                v = 1.0 if v > 0.0 else 0.0
            vals[b, col + j] = F32(v)


@jit
def exp_sum(vals, b, col, width):
    """(max, Σ exp(v − max)) of one row's values: the stable way to softmax them."""
    top = -np.inf
    for j in range(width):
        top = max(top, np.float64(vals[b, col + j]))
    total = 0.0
    for j in range(width):
        total += math.exp(np.float64(vals[b, col + j]) - top)
    return top, total


@jit
def tanh(v):
    """tanh through exp: about six times faster than math.tanh here, and the same float32.
    Below 1e-4 tanh(v) rounds to v itself (v³/3 is under half a float32 step)."""
    if abs(v) < 1e-4:
        return v
    return 1.0 - 2.0 / (math.exp(2.0 * v) + 1.0)


@jit
def norm_forward(params, g0, b0, stats, r0, vals, scol, col, width, bl, bn, training):
    """BatchNorm1d: bn[0, col + j] keeps the batch mean, bn[1, col + j] 1/std for backward."""
    for j in range(width):
        if training:
            mean = 0.0
            for b in range(bl):
                mean += np.float64(vals[b, scol + j])
            mean /= bl
            var = 0.0
            for b in range(bl):
                d = np.float64(vals[b, scol + j]) - mean
                var += d * d
            var /= bl
            stats[r0 + j] = F32((1 - BN_MOMENTUM) * np.float64(stats[r0 + j]) + BN_MOMENTUM * mean)
            unbiased = var * bl / (bl - 1) if bl > 1 else var
            v = r0 + width + j
            stats[v] = F32((1 - BN_MOMENTUM) * np.float64(stats[v]) + BN_MOMENTUM * unbiased)
        else:
            mean = np.float64(stats[r0 + j])
            var = np.float64(stats[r0 + width + j])
        inv = 1.0 / math.sqrt(var + BN_EPS)
        bn[0, col + j] = mean
        bn[1, col + j] = inv
        gamma = np.float64(params[g0 + j])
        beta = np.float64(params[b0 + j]) if b0 >= 0 else 0.0
        for b in range(bl):
            vals[b, col + j] = F32((np.float64(vals[b, scol + j]) - mean) * inv * gamma + beta)


@jit
def drop_forward(p, vals, aux, scol, col, width, bl, seed, step, salt, training):
    """aux keeps each value's factor (0 or 1/(1-p)) for backward."""
    if not training or p <= 0.0:
        for b in range(bl):
            for j in range(width):
                vals[b, col + j] = vals[b, scol + j]
                aux[b, col + j] = 1.0
        return
    key = dropout_key(seed, step, salt)
    scale = F32(1.0 / (1.0 - p))
    for b in range(bl):
        for j in range(width):
            factor = scale if uniform(key, b * width + j) >= p else F32(0.0)
            aux[b, col + j] = factor
            vals[b, col + j] = vals[b, scol + j] * factor


@jit
def merge_forward(kind, nodes, sources, k, vals, col, width, bl):
    first, count = nodes[k, SRC], nodes[k, NSRC]
    if kind == ADD:
        for b in range(bl):
            for j in range(width):
                acc = 0.0
                for m in range(count):
                    acc += np.float64(vals[b, nodes[sources[first + m], COL] + j])
                vals[b, col + j] = F32(acc)
        return
    offset = 0
    for m in range(count):
        s = sources[first + m]
        for b in range(bl):
            for j in range(nodes[s, WIDTH]):
                vals[b, col + offset + j] = vals[b, nodes[s, COL] + j]
        offset += nodes[s, WIDTH]


# --- backward -----------------------------------------------------------------------
@jit
def backward(nodes, sources, reals, bl, params, pgrads, vals, grads, aux, bn, reg_kind, reg_rate, cancel):
    """From the output's slope (already in grads) back to every parameter's gradient
    (written into pgrads, L1/L2 included) and every node's input. Returns False, part
    done, once `cancel[0]` is raised."""
    for k in range(nodes.shape[0] - 1, -1, -1):
        if cancel[0] != 0:
            return False
        kind = nodes[k, KIND]
        col = nodes[k, COL]
        width = nodes[k, WIDTH]
        if kind == INPUT:
            continue
        s = sources[nodes[k, SRC]]
        propagate = nodes[s, KIND] != INPUT
        if kind == DENSE:
            if not dense_backward(params, pgrads, nodes[k, WEIGHT], nodes[k, BIAS], vals, grads, nodes[s, COL],
                                  nodes[s, WIDTH], col, width, bl, propagate, reg_kind, reg_rate, cancel):
                return False
        elif kind == ACTIVATION:
            activation_backward(nodes[k, FUNCTION], reals[k], vals, grads, nodes[s, COL], col, width, bl)
        elif kind == BATCH_NORM:
            norm_backward(params, pgrads, nodes[k, WEIGHT], nodes[k, BIAS], vals, grads, bn, nodes[s, COL],
                          col, width, bl)
        elif kind == DROPOUT:
            for b in range(bl):
                for j in range(width):
                    grads[b, nodes[s, COL] + j] += grads[b, col + j] * aux[b, col + j]
        elif kind == ADD or kind == CONCAT:
            merge_backward(kind, nodes, sources, k, grads, col, width, bl)
    return True


@jit
def dense_backward(params, pgrads, w0, b0, vals, grads, scol, n_in, col, width, bl, propagate,
                   reg_kind, reg_rate, cancel):
    for j in range(width):
        if cancel[0] != 0:  # (each unit's weight gradients are a pass over every row)
            return False
        if b0 >= 0:
            acc = 0.0
            for b in range(bl):
                acc += np.float64(grads[b, col + j])
            pgrads[b0 + j] = F32(acc)
        base = w0 + j * n_in
        for q in range(n_in):
            acc = 0.0
            for b in range(bl):
                acc += np.float64(grads[b, col + j]) * np.float64(vals[b, scol + q])
            w = np.float64(params[base + q])
            if reg_kind == 2:
                acc += reg_rate * w
            elif reg_kind == 1:
                acc += reg_rate if w > 0 else (-reg_rate if w < 0 else 0.0)
            pgrads[base + q] = F32(acc)
    if propagate:
        for b in range(bl):
            if b % CHECK_ROWS == 0 and cancel[0] != 0:
                return False
            for q in range(n_in):
                acc = 0.0
                for j in range(width):
                    acc += np.float64(grads[b, col + j]) * np.float64(params[w0 + j * n_in + q])
                grads[b, scol + q] += F32(acc)
    return True


@jit
def activation_backward(function, slope, vals, grads, scol, col, width, bl):
    for b in range(bl):
        if function == 5:  # softmax: out * (g - Σ g·out)
            dot = 0.0
            for j in range(width):
                dot += np.float64(grads[b, col + j]) * np.float64(vals[b, col + j])
            for j in range(width):
                out = np.float64(vals[b, col + j])
                grads[b, scol + j] += F32(out * (np.float64(grads[b, col + j]) - dot))
            continue
        for j in range(width):
            g = np.float64(grads[b, col + j])
            out = np.float64(vals[b, col + j])
            if function == 1:
                g = g * (1.0 - out * out)
            elif function == 2:
                g = g if not (out <= 0.0) else 0.0
            elif function == 3:
                g = g if vals[b, scol + j] > 0 else g * slope
            elif function == 4:
                g = g * out * (1.0 - out)
            elif function == 6:  # the straight-through estimate of layers.Step
                g = g if abs(vals[b, scol + j]) <= 1 else 0.0
            grads[b, scol + j] += F32(g)


@jit
def norm_backward(params, pgrads, g0, b0, vals, grads, bn, scol, col, width, bl):
    for j in range(width):
        mean, inv = bn[0, col + j], bn[1, col + j]
        sum_g, sum_gx = 0.0, 0.0
        for b in range(bl):
            g = np.float64(grads[b, col + j])
            sum_g += g
            sum_gx += g * (np.float64(vals[b, scol + j]) - mean) * inv
        pgrads[g0 + j] = F32(sum_gx)
        if b0 >= 0:
            pgrads[b0 + j] = F32(sum_g)
        scale = np.float64(params[g0 + j]) * inv / bl
        for b in range(bl):
            xhat = (np.float64(vals[b, scol + j]) - mean) * inv
            g = np.float64(grads[b, col + j])
            grads[b, scol + j] += F32(scale * (bl * g - sum_g - xhat * sum_gx))


@jit
def merge_backward(kind, nodes, sources, k, grads, col, width, bl):
    first, count = nodes[k, SRC], nodes[k, NSRC]
    offset = 0
    for m in range(count):
        s = sources[first + m]
        if nodes[s, KIND] == INPUT:
            offset += nodes[s, WIDTH]
            continue
        scol = nodes[s, COL]
        for b in range(bl):
            for j in range(nodes[s, WIDTH]):
                grads[b, scol + j] += grads[b, col + (offset + j if kind == CONCAT else j)]
        offset += nodes[s, WIDTH]
