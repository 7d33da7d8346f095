"""The "playground" variants against a literal port of TensorFlow Playground's src/dataset.ts
and the split in src/playground.ts (generateData), written here loop by loop as in TypeScript,
both drawing from one scripted Math.random — so every point and label must match exactly."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from laegna_gui.core.datasets import DatasetSettings, dataset_spec, make_dataset
from laegna_gui.core.playground_data import PLAYGROUND, playground_points
from laegna_gui.core.validate import DataSpec

NAMES = ("xor", "circle", "gauss", "spiral")


class MathRandom:
    """Math.random, scripted: hands out the given numbers in order and counts them."""

    def __init__(self, numbers) -> None:
        self.numbers, self.used = list(numbers), 0

    def __call__(self) -> float:
        self.used += 1
        return self.numbers[self.used - 1]


# --- the port of dataset.ts (Math = the scripted stream) ------------------------------------
def randUniform(Math, a, b):  # noqa: N802, N803 — the TypeScript names
    return Math.random() * (b - a) + a


def normalRandom(Math, mean=0, variance=1):  # noqa: N802, N803
    while True:  # do { … } while (s > 1);
        v1 = 2 * Math.random() - 1
        v2 = 2 * Math.random() - 1
        s = v1 * v1 + v2 * v2
        if not s > 1:
            break
    result = math.sqrt(-2 * math.log(s) / s) * v1
    return mean + math.sqrt(variance) * result


def d3_linear(domain, range_):
    """d3 v3 scale.linear: d3_uninterpolateNumber then d3_interpolateNumber."""
    a, b = domain[0], domain[1] - domain[0]
    return lambda x: range_[0] * (1 - (x - a) / b) + range_[1] * ((x - a) / b)


def dist(a, b):
    dx = a["x"] - b["x"]
    dy = a["y"] - b["y"]
    return math.sqrt(dx * dx + dy * dy)


def classifyTwoGaussData(Math, numSamples, noise):  # noqa: N802, N803
    points = []
    varianceScale = d3_linear([0, .5], [0.5, 4])  # noqa: N806
    variance = varianceScale(noise)

    def genGauss(cx, cy, label):  # noqa: N802
        i = 0
        while i < numSamples / 2:
            x = normalRandom(Math, cx, variance)
            y = normalRandom(Math, cy, variance)
            points.append({"x": x, "y": y, "label": label})
            i += 1

    genGauss(2, 2, 1)
    genGauss(-2, -2, -1)
    return points


def classifySpiralData(Math, numSamples, noise):  # noqa: N802, N803
    points = []
    n = numSamples / 2

    def genSpiral(deltaT, label):  # noqa: N802, N803
        i = 0
        while i < n:
            r = i / n * 5
            t = 1.75 * i / n * 2 * math.pi + deltaT
            x = r * math.sin(t) + randUniform(Math, -1, 1) * noise
            y = r * math.cos(t) + randUniform(Math, -1, 1) * noise
            points.append({"x": x, "y": y, "label": label})
            i += 1

    genSpiral(0, 1)
    genSpiral(math.pi, -1)
    return points


def classifyCircleData(Math, numSamples, noise):  # noqa: N802, N803
    points = []
    radius = 5

    def getCircleLabel(p, center):  # noqa: N802
        return 1 if dist(p, center) < (radius * 0.5) else -1

    i = 0
    while i < numSamples / 2:
        r = randUniform(Math, 0, radius * 0.5)
        angle = randUniform(Math, 0, 2 * math.pi)
        x = r * math.sin(angle)
        y = r * math.cos(angle)
        noiseX = randUniform(Math, -radius, radius) * noise  # noqa: N806
        noiseY = randUniform(Math, -radius, radius) * noise  # noqa: N806
        label = getCircleLabel({"x": x + noiseX, "y": y + noiseY}, {"x": 0, "y": 0})
        points.append({"x": x, "y": y, "label": label})
        i += 1
    i = 0
    while i < numSamples / 2:
        r = randUniform(Math, radius * 0.7, radius)
        angle = randUniform(Math, 0, 2 * math.pi)
        x = r * math.sin(angle)
        y = r * math.cos(angle)
        noiseX = randUniform(Math, -radius, radius) * noise  # noqa: N806
        noiseY = randUniform(Math, -radius, radius) * noise  # noqa: N806
        label = getCircleLabel({"x": x + noiseX, "y": y + noiseY}, {"x": 0, "y": 0})
        points.append({"x": x, "y": y, "label": label})
        i += 1
    return points


def classifyXORData(Math, numSamples, noise):  # noqa: N802, N803
    def getXORLabel(p):  # noqa: N802
        return 1 if p["x"] * p["y"] >= 0 else -1

    points = []
    i = 0
    while i < numSamples:
        x = randUniform(Math, -5, 5)
        padding = 0.3
        x += padding if x > 0 else -padding
        y = randUniform(Math, -5, 5)
        y += padding if y > 0 else -padding
        noiseX = randUniform(Math, -5, 5) * noise  # noqa: N806
        noiseY = randUniform(Math, -5, 5) * noise  # noqa: N806
        label = getXORLabel({"x": x + noiseX, "y": y + noiseY})
        points.append({"x": x, "y": y, "label": label})
        i += 1
    return points


def shuffle(Math, array):  # noqa: N803
    counter = len(array)
    while counter > 0:
        index = math.floor(Math.random() * counter)
        counter -= 1
        temp = array[counter]
        array[counter] = array[index]
        array[index] = temp


def generateData(Math, generator, numSamples, noise, percTrainData):  # noqa: N802, N803
    data = generator(Math, numSamples, noise)
    shuffle(Math, data)
    splitIndex = math.floor(len(data) * percTrainData / 100)  # noqa: N806
    return data[:splitIndex], data[splitIndex:]


PORTS = {"xor": classifyXORData, "circle": classifyCircleData, "gauss": classifyTwoGaussData,
         "spiral": classifySpiralData}


# --- helpers -------------------------------------------------------------------------------
def script(seed: int, count: int = 20_000) -> np.ndarray:
    """The numbers numpy's Generator(seed).random() hands out one by one, in order."""
    return np.random.default_rng(seed).random(count)


def as_arrays(points):
    x = np.array([[p["x"], p["y"]] for p in points], dtype=np.float64).reshape(-1, 2)
    return x, np.array([p["label"] for p in points])


def app(name, n, noise, seed=0, test_fraction=0.5):
    settings = DatasetSettings(name, n, noise, test_fraction, {"variant": "playground"})
    return make_dataset(settings, seed)


# --- the same points and labels, number for number ------------------------------------------
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [4, 7, 50, 501])
@pytest.mark.parametrize("noise", [0.0, 0.05, 0.25, 0.5, 1.5])
def test_each_generator_draws_exactly_what_dataset_ts_draws(name, n, noise):
    numbers = script(n * 7 + int(noise * 100))
    ours, theirs = MathRandom(numbers), MathRandom(numbers)
    examples = PLAYGROUND[name](ours, n, noise)
    expected = PORTS[name](SimpleNamespace(random=theirs), n, noise)
    assert examples == [(p["x"], p["y"], p["label"]) for p in expected]  # exact floats, exact labels
    assert ours.used == theirs.used  # and no random number more or less


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n, noise, test_fraction, seed", [
    (500, 0.0, 0.5, 0), (200, 0.1, 0.3, 4), (51, 0.35, 0.1, 9), (4, 0.5, 0.9, 2), (1000, 0.2, 0.0, 7)])
def test_the_apps_dataset_is_generate_data_shuffle_and_split(name, n, noise, test_fraction, seed):
    data = app(name, n, noise, seed, test_fraction)
    Math = SimpleNamespace(random=MathRandom(script(seed)))  # noqa: N806
    train, test = generateData(Math, PORTS[name], n, noise, round(100 - test_fraction * 100))
    if not train:  # four points, 10 % to train: Laegna keeps one point to train on
        train, test = test[:1], test[1:]
    for x, y, part in ((data.x_train, data.y_train, train), (data.x_test, data.y_test, test)):
        points, labels = as_arrays(part)
        np.testing.assert_array_equal(x, points.astype(np.float32))
        np.testing.assert_array_equal(y, (labels == 1).astype(np.int64))  # +1 → class 1, −1 → class 0


@pytest.mark.parametrize("name", NAMES)
def test_the_variant_is_the_same_kind_of_problem_and_follows_the_seed(name):
    settings = DatasetSettings(name, 60, 0.1, 0.5, {"variant": "playground"})
    assert dataset_spec(settings) == make_dataset(settings).spec == DataSpec(2, "classification", 2)
    assert not np.array_equal(make_dataset(settings, 1).x_train, make_dataset(settings, 2).x_train)
    np.testing.assert_array_equal(make_dataset(settings, 3).x_test, make_dataset(settings, 3).x_test)


@pytest.mark.parametrize("name, variant", [("circle", "laegna"), ("gauss", "laegna"), ("spiral", "laegna"),
                                           ("xor", "cloud")])
def test_laegnas_own_version_is_unchanged_by_the_new_variants(name, variant):
    plain, named = DatasetSettings(name, 80), DatasetSettings(name, 80, options={"variant": variant})
    for a, b in zip(vars(make_dataset(plain, 5)).values(), vars(make_dataset(named, 5)).values()):
        np.testing.assert_array_equal(a, b)
    assert np.abs(make_dataset(plain, 5).x_train).max() < 2  # Laegna's sets stay near [−1, 1]²


# --- what the playground's sets are ---------------------------------------------------------
def points_of(name, n, noise, seed=0):
    return playground_points(name, np.random.default_rng(seed).random, n, noise)


@pytest.mark.parametrize("n", [200, 201, 8])
@pytest.mark.parametrize("name", ["gauss", "circle", "spiral"])
def test_gauss_circle_and_spiral_give_exactly_half_the_points_to_each_class(name, n):
    x, y = points_of(name, n, 0.3)
    half = math.ceil(n / 2)  # `i < numSamples / 2`: an odd count gives each class one point more
    assert len(x) == 2 * half
    if name != "circle":  # circle's noise may flip labels near the rim
        assert list(y) == [1] * half + [0] * half


def test_gauss_centres_and_variance_follow_the_noise():
    for noise, variance in ((0.0, 0.5), (0.25, 2.25), (0.5, 4.0)):
        x, y = points_of("gauss", 20_000, noise, seed=1)
        np.testing.assert_allclose(x[y == 1].mean(0), [2, 2], atol=0.05 * variance)
        np.testing.assert_allclose(x[y == 0].mean(0), [-2, -2], atol=0.05 * variance)
        np.testing.assert_allclose(x[y == 1].var(0), [variance, variance], rtol=0.05)


def test_xor_keeps_a_gap_along_the_axes_and_labels_by_the_sign_of_x1_x2():
    x, y = points_of("xor", 5000, 0.0)
    assert np.all(np.abs(x) >= 0.3) and np.all(np.abs(x) <= 5.3)
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] >= 0).astype(np.int64))
    noisy_x, noisy_y = points_of("xor", 5000, 0.3)
    np.testing.assert_array_equal(noisy_x, x)  # noise draws after the point: the points stay put …
    flipped = np.mean(noisy_y != (x[:, 0] * x[:, 1] >= 0))
    assert 0.02 < flipped < 0.3  # … and only labels near the axes change


def test_circle_noise_moves_the_spot_the_label_is_read_at_not_the_point():
    for noise in (0.0, 0.5):
        x, y = points_of("circle", 4000, noise, seed=3)
        radius = np.hypot(x[:, 0], x[:, 1])
        assert np.all((radius <= 2.5) | ((radius >= 3.5) & (radius <= 5)))
        assert np.all(radius[:2000] <= 2.5) and np.all(radius[2000:] >= 3.5)
        disagree = np.mean(y != (radius < 2.5))
        assert disagree == 0 if noise == 0 else 0.05 < disagree < 0.5


def test_spiral_radii_are_evenly_spaced_along_each_arm():
    n = 400
    x, y = points_of("spiral", n, 0.0)
    for arm in (1, 0):
        radius = np.hypot(*x[y == arm].T)
        np.testing.assert_allclose(radius, np.arange(n // 2) / (n / 2) * 5, atol=1e-12)
    np.testing.assert_allclose(x[y == 0], -x[y == 1], atol=1e-12)  # the second arm is the first turned by π
