"""Gradient norm, clipping and every optimizer as element-wise loops over the flat buffers.

Each update follows torch's single-tensor implementation step by step (the same moments,
bias corrections and order of roundings to float32), writing the new weights into `out`
first: the caller commits them only when every one is finite.
"""

from __future__ import annotations

import math

import numpy as np

from laegna_gui.engine.compiled.codes import ADAM, MOMENTUM, NADAM, NESTEROV, RMSPROP, SGD
from laegna_gui.engine.compiled.jit import jit

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8
NADAM_DECAY = 4e-3
RMSPROP_EPS = 1e-8
F32 = np.float32
F32_MAX = float(np.finfo(np.float32).max)


@jit
def gradient_norm(g):
    total = 0.0
    for i in range(g.shape[0]):
        v = np.float64(g[i])
        total += v * v
    return math.sqrt(total)


@jit
def clip(g, norm, max_norm):
    """torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when below 1."""
    coef = F32(max_norm / (np.float64(F32(norm)) + 1e-6))
    if coef < 1.0:
        for i in range(g.shape[0]):
            g[i] = g[i] * coef


@jit
def update(kind, lr, momentum, p, g, m1, m2, steps, mus, out):
    """Write the new weights into `out`; returns False if one is not finite. The arithmetic
    is float32, one rounding per torch operation, with torch's scalars cast to float32."""
    n = p.shape[0]
    if kind == ADAM or kind == NADAM or kind == RMSPROP:
        steps[:] = steps[0] + F32(1.0)
    rate = F32(lr)
    if kind == SGD or ((kind == MOMENTUM or kind == NESTEROV) and momentum == 0.0):
        for i in range(n):
            out[i] = p[i] - rate * g[i]
    elif kind == MOMENTUM or kind == NESTEROV:
        mom = F32(momentum)
        for i in range(n):
            buf = m1[i] * mom + g[i]
            m1[i] = buf
            d = g[i] + mom * buf if kind == NESTEROV else buf
            out[i] = p[i] - rate * d
    elif kind == RMSPROP:
        alpha, rest, eps = F32(momentum), F32(1.0 - momentum), F32(RMSPROP_EPS)
        for i in range(n):
            sq = m1[i] * alpha + rest * g[i] * g[i]
            m1[i] = sq
            out[i] = p[i] + (-rate) * (g[i] / (np.sqrt(sq) + eps))
    elif kind == ADAM:
        step = np.float64(steps[0])
        size = F32(-(lr / (1.0 - BETA1 ** step)))
        root2 = F32(math.sqrt(1.0 - BETA2 ** step))
        for i in range(n):
            a, v = _moments(g, m1, m2, i)
            denom = np.sqrt(v) / root2 + F32(EPS)
            out[i] = p[i] + size * (a / denom)
    else:  # NADAM
        step = np.float64(steps[0])
        correction2 = F32(1.0 - BETA2 ** step)
        mu = BETA1 * (1.0 - 0.5 * 0.96 ** (step * NADAM_DECAY))
        mu_next = BETA1 * (1.0 - 0.5 * 0.96 ** ((step + 1.0) * NADAM_DECAY))
        mus[:] = mus[0] * F32(mu)
        product = np.float64(mus[0])
        w_grad = F32(-lr * (1.0 - mu) / (1.0 - product))
        w_avg = F32(-lr * mu_next / (1.0 - product * mu_next))
        for i in range(n):
            a, v = _moments(g, m1, m2, i)
            denom = np.sqrt(v / correction2) + F32(EPS)
            half = p[i] + w_grad * (g[i] / denom)
            out[i] = half + w_avg * (a / denom)
    for i in range(n):
        if not (abs(out[i]) <= F32_MAX):
            return False
    return True


@jit
def _moments(g, m1, m2, i):
    """Adam's moving averages, as torch: exp_avg.lerp_(g, 1 − β1); exp_avg_sq·β2 + (1 − β2)g²."""
    a = m1[i] + F32(1.0 - BETA1) * (g[i] - m1[i])
    v = m2[i] * F32(BETA2) + F32(1.0 - BETA2) * g[i] * g[i]
    m1[i] = a
    m2[i] = v
    return a, v
