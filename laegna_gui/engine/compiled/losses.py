"""Every loss, and its slope with respect to what it reads, for the compiled engine.

Each matches `engine.objective.Objective` (and so torch): mean over the batch (and over
the output units where torch's loss averages them too). A loss reads the output's columns,
except log loss and cross-entropy fused with the sigmoid or softmax before the output
(BCE_LOGITS, and CE_LOGITS there): they read that block's input, the logits, and write
their slope p − t there; the block's own backward then adds nothing (its slope is 0).
"""

from __future__ import annotations

import math

import numpy as np

from laegna_gui.engine.compiled.codes import (BCE, BCE_LOGITS, CE_LOGITS, CE_PROBABILITIES, HALF_MSE, MAE, MSE,
                                              MULTI_MARGIN)
from laegna_gui.engine.compiled.jit import jit
from laegna_gui.engine.compiled.ops import exp_sum

F32 = np.float32
F32_MAX = float(np.finfo(np.float32).max)
BCE_LO = float(np.float32(1e-7))
BCE_HI = float(np.float32(1 - 1e-7))
CE_MIN = float(np.float32(1e-12))


@jit
def loss_and_slope(kind, vals, grads, col, width, y, labels, idx, bl):
    """The batch's loss (inf where float32 would overflow, or NaN); writes its slope
    with respect to the values it reads, columns col…col + width."""
    if kind == CE_PROBABILITIES or kind == CE_LOGITS:
        return cross_entropy(kind, vals, grads, col, width, labels, idx, bl)
    if kind == MULTI_MARGIN:
        return multi_margin(vals, grads, col, width, labels, idx, bl)
    count = bl * width
    total = 0.0
    overflow = False
    for b in range(bl):
        i = idx[b]
        for j in range(width):
            o = np.float64(vals[b, col + j])
            t = np.float64(y[i, j])
            d = 0.0
            if kind == MSE or kind == HALF_MSE:
                diff = o - t
                term = diff * diff
                overflow = overflow or not (term <= F32_MAX)
                d = 2.0 * diff / count
                if kind == HALF_MSE:
                    term, d = 0.5 * term, 0.5 * d
            elif kind == MAE:
                diff = o - t
                term = abs(diff)
                d = (1.0 if diff > 0 else (-1.0 if diff < 0 else 0.0)) / count
            elif kind == BCE_LOGITS:  # o is the logit z: (1 − t)·z + softplus(−z), slope σ(z) − t
                term = (1.0 - t) * o + softplus(-o)
                d = (sigmoid(o) - t) / count
            elif kind == BCE:
                p = min(max(o, BCE_LO), BCE_HI)
                term = -(t * math.log(p) + (1.0 - t) * math.log(1.0 - p))
                if BCE_LO <= o <= BCE_HI:  # torch's clamp passes the slope only inside
                    d = -(t / p - (1.0 - t) / (1.0 - p)) / count
            else:  # HINGE, targets −1/+1
                margin = 1.0 - t * o
                term = margin if margin > 0 else 0.0
                d = -t / count if margin > 0 else 0.0
            total += term
            grads[b, col + j] = F32(d)
    if overflow or not (abs(total) <= F32_MAX):
        return math.inf
    return total / count


@jit
def softplus(v):
    """log(1 + e^v) without overflow (NaN stays NaN)."""
    return max(v, 0.0) + math.log1p(math.exp(-abs(v)))


@jit
def sigmoid(v):
    """1 / (1 + e^−v), through e^−|v| so that nothing overflows."""
    e = math.exp(-abs(v))
    return 1.0 / (1.0 + e) if v >= 0 else e / (1.0 + e)


@jit
def cross_entropy(kind, vals, grads, col, width, labels, idx, bl):
    total = 0.0
    for b in range(bl):
        label = labels[idx[b]]
        if kind == CE_PROBABILITIES:  # the output is already softmax: −log p[label]
            p = np.float64(vals[b, col + label])
            total -= math.log(max(p, CE_MIN))
            for j in range(width):
                grads[b, col + j] = 0.0
            grads[b, col + label] = F32(-1.0 / (bl * p)) if p >= CE_MIN else F32(0.0)
            continue
        top, sum_exp = exp_sum(vals, b, col, width)
        total += top + math.log(sum_exp) - np.float64(vals[b, col + label])
        for j in range(width):
            share = math.exp(np.float64(vals[b, col + j]) - top) / sum_exp
            grads[b, col + j] = F32((share - (1.0 if j == label else 0.0)) / bl)
    return total / bl


@jit
def multi_margin(vals, grads, col, width, labels, idx, bl):
    """torch's multi_margin_loss: Σ_{j≠y} max(0, 1 − o_y + o_j) / classes, batch mean."""
    total = 0.0
    unit = 1.0 / (width * bl)
    for b in range(bl):
        label = labels[idx[b]]
        right = np.float64(vals[b, col + label])
        slope_right = 0.0
        for j in range(width):
            grads[b, col + j] = 0.0
        for j in range(width):
            if j == label:
                continue
            margin = 1.0 - right + np.float64(vals[b, col + j])
            if margin > 0:
                total += margin
                grads[b, col + j] = F32(unit)
                slope_right -= unit
        grads[b, col + label] = F32(slope_right)
    return total / (width * bl)
