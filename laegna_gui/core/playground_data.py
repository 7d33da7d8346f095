"""TensorFlow Playground's own datasets (its src/dataset.ts), as the "playground" variant.

Laegna's xor, circle, gauss and spiral live in [−1, 1]²; the playground's live in
[−6, 6]² with their own shapes, and a network with the same learning rate only behaves
the same on the same coordinates. So these are ports, loop by loop: the same arithmetic in
the same order, and every random number drawn in the same order from one uniform source
`rand()` (Math.random there, numpy's Generator.random here) — the playground's data and
split, from a different random stream.

`noise` is the playground's noise as its generators receive it: the slider ÷ 100 (0–0.5).
Its labels +1/−1 become Laegna's classes 1/0 (blue and orange in both tools).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Rand = Callable[[], float]
Examples = list[tuple[float, float, int]]  # (x, y, label ±1), as dataset.ts's Example2D


def rand_uniform(rand: Rand, a: float, b: float) -> float:
    return rand() * (b - a) + a


def normal_random(rand: Rand, mean: float = 0.0, variance: float = 1.0) -> float:
    """The polar (Marsaglia) method, as dataset.ts: pairs are drawn until one falls in the disc."""
    while True:
        v1 = 2 * rand() - 1
        v2 = 2 * rand() - 1
        s = v1 * v1 + v2 * v2
        if s <= 1:
            break
    result = math.sqrt(-2 * math.log(s) / s) * v1
    return mean + math.sqrt(variance) * result


def _linear(value: float, domain: tuple[float, float], range_: tuple[float, float]) -> float:
    """d3 v3's scale.linear (unclamped), in its own order of operations."""
    t = (value - domain[0]) / (domain[1] - domain[0])
    return range_[0] * (1 - t) + range_[1] * t


def _halves(n: int) -> int:
    """How often `for (i = 0; i < n / 2; i++)` runs: an odd n gives one point more per half."""
    return math.ceil(n / 2)


def classify_two_gauss(rand: Rand, n: int, noise: float) -> Examples:
    variance = _linear(noise, (0, 0.5), (0.5, 4))
    points: Examples = []
    for cx, cy, label in ((2, 2, 1), (-2, -2, -1)):
        for _ in range(_halves(n)):
            x = normal_random(rand, cx, variance)
            y = normal_random(rand, cy, variance)
            points.append((x, y, label))
    return points


def classify_spiral(rand: Rand, n: int, noise: float) -> Examples:
    half = n / 2
    points: Examples = []
    for delta_t, label in ((0, 1), (math.pi, -1)):
        for i in range(_halves(n)):
            r = i / half * 5
            t = 1.75 * i / half * 2 * math.pi + delta_t
            x = r * math.sin(t) + rand_uniform(rand, -1, 1) * noise
            y = r * math.cos(t) + rand_uniform(rand, -1, 1) * noise
            points.append((x, y, label))
    return points


def classify_circle(rand: Rand, n: int, noise: float) -> Examples:
    """Noise moves the point the label is read at, not the point: labels near the rim flip."""
    radius = 5
    points: Examples = []
    for low, high in ((0, radius * 0.5), (radius * 0.7, radius)):
        for _ in range(_halves(n)):
            r = rand_uniform(rand, low, high)
            angle = rand_uniform(rand, 0, 2 * math.pi)
            x, y = r * math.sin(angle), r * math.cos(angle)
            noise_x = rand_uniform(rand, -radius, radius) * noise
            noise_y = rand_uniform(rand, -radius, radius) * noise
            dx, dy = x + noise_x, y + noise_y
            inside = math.sqrt(dx * dx + dy * dy) < radius * 0.5
            points.append((x, y, 1 if inside else -1))
    return points


def classify_xor(rand: Rand, n: int, noise: float) -> Examples:
    """The sign of x·y on [−5, 5]², each coordinate pushed 0.3 away from its axis."""
    padding = 0.3
    points: Examples = []
    for _ in range(n):
        x = rand_uniform(rand, -5, 5)
        x += padding if x > 0 else -padding
        y = rand_uniform(rand, -5, 5)
        y += padding if y > 0 else -padding
        noise_x = rand_uniform(rand, -5, 5) * noise
        noise_y = rand_uniform(rand, -5, 5) * noise
        points.append((x, y, 1 if (x + noise_x) * (y + noise_y) >= 0 else -1))
    return points


PLAYGROUND: dict[str, Callable[[Rand, int, float], Examples]] = {
    "xor": classify_xor, "circle": classify_circle, "gauss": classify_two_gauss, "spiral": classify_spiral,
}


def playground_points(name: str, rand: Rand, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    """The playground's version of dataset `name`: (points (m, 2), classes 1/0)."""
    examples = PLAYGROUND[name](rand, n, noise)
    x = np.array([(px, py) for px, py, _ in examples], dtype=np.float64).reshape(-1, 2)
    y = np.array([label > 0 for _, _, label in examples], dtype=np.int64)
    return x, y


def shuffle(count: int, rand: Rand) -> list[int]:
    """dataset.ts's Fisher–Yates shuffle, applied to the row numbers 0 … count−1."""
    order = list(range(count))
    counter = count
    while counter > 0:
        index = math.floor(rand() * counter)
        counter -= 1
        order[counter], order[index] = order[index], order[counter]
    return order


def playground_split(x: np.ndarray, y: np.ndarray, test_fraction: float, rand: Rand):
    """Shuffle, then the first part trains and the rest tests, as playground.ts's generateData.
    At least one point trains (the playground's smallest data set has 500 points)."""
    order = np.array(shuffle(len(x), rand), dtype=np.int64)
    percent_train = 100 - round(test_fraction * 100)
    split_index = max(1, math.floor(len(x) * percent_train / 100))
    train, test = order[:split_index], order[split_index:]
    return x[train], y[train], x[test], y[test]
