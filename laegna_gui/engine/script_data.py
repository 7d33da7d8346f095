"""The data part of an exported PyTorch script: numpy code that rebuilds one dataset exactly.

Each generator below is the same arithmetic as `core.datasets` (same calls on the same
seeded `numpy.random.Generator`, in the same order), written out for one dataset only, so
the script needs nothing from Laegna. tests/engine/test_export_script.py checks every
generator against `make_dataset`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import numpy as np

from laegna_gui.core.datasets import GENERATORS, DatasetSettings, make_dataset

Constants = list[tuple[str, str, str]]  # (NAME, value as code, comment)


@dataclass
class Section:
    """A piece of the script: the module-level constants it needs and its code."""

    constants: Constants = field(default_factory=list)
    code: str = ""


SPLIT = '''

def split(x, y, rng):
    """Shuffle, then hold out TEST_FRACTION of the points for testing."""
    order = rng.permutation(len(x))
    n_test = min(len(x) - 1, round(len(x) * TEST_FRACTION))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]
'''

_TRUTH_TABLE = '''

def make_points(rng):
    """{help} Noisy copies of the four corners of the unit square."""
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    x = corners[rng.integers(0, 4, SAMPLES)]
    y = np.logical_{rule}(x[:, 0] > 0.5, x[:, 1] > 0.5).astype(np.int64)
    return x + rng.normal(0, NOISE, x.shape), y
'''

_CORNERS = '''

def make_points():
    """{help} The four corners of the unit square, without noise."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.logical_{rule}(x[:, 0] > 0.5, x[:, 1] > 0.5).astype(np.int64)
    return x, y
'''

_SPIRAL = '''

def make_points(rng):
    """{help} Point i lies on arm i % {arms}."""
    y = np.arange(SAMPLES) % {arms}
    t = rng.uniform(0.05, 1.0, SAMPLES)
    angle = 1.75 * 2 * np.pi * t + 2 * np.pi * y / {arms}
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], 1)
    return x + rng.normal(0, NOISE, x.shape), y.astype(np.int64)
'''

_BODIES = {
    "circle": '''
    inner = SAMPLES // 2
    radius = np.concatenate([rng.uniform(0, 0.5, inner), rng.uniform(0.7, 1.0, SAMPLES - inner)])
    angle = rng.uniform(0, 2 * np.pi, SAMPLES)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    return x + rng.normal(0, NOISE, x.shape), (radius < 0.6).astype(np.int64)
''',
    "gauss": '''
    y = rng.integers(0, 2, SAMPLES)
    centre = np.where(y[:, None] == 1, 0.5, -0.5)
    return centre + rng.normal(0, 0.25 + NOISE, (SAMPLES, 2)), y.astype(np.int64)
''',
    "moons": '''
    y = rng.integers(0, 2, SAMPLES)
    angle = rng.uniform(0, np.pi, SAMPLES)
    x = np.where(y[:, None] == 0,
                 np.stack([np.cos(angle), np.sin(angle)], 1),
                 np.stack([1 - np.cos(angle), 0.5 - np.sin(angle)], 1))
    x = (x - [0.5, 0.25]) * 0.8
    return x + rng.normal(0, NOISE, x.shape), y.astype(np.int64)
''',
    "sine": '''
    x = rng.uniform(-1, 1, (SAMPLES, 1))
    return x, np.sin(np.pi * x) + rng.normal(0, NOISE, x.shape)
''',
    "line": '''
    x = rng.uniform(-1, 1, (SAMPLES, 1))
    return x, SLOPE * x + INTERCEPT + rng.normal(0, NOISE, x.shape)
''',
    "affine3d": '''
    matrix, shift = hidden_affine()
    x = rng.uniform(-1, 1, (SAMPLES, 3))
    return x, x @ matrix.T + shift + rng.normal(0, NOISE, (SAMPLES, 3))
''',
}

_HIDDEN_AFFINE = '''

def hidden_affine():
    """The map to learn: rotations about z and x, a scale and a shear, then a shift."""
    rng = np.random.default_rng(SEED + 7919)
    a, b = rng.uniform(-np.pi / 2, np.pi / 2, 2)
    rot_z = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rot_x = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    scale = np.diag(rng.uniform(0.6, 1.5, 3))
    shear = np.eye(3)
    shear[0, 1] = rng.uniform(-0.5, 0.5)
    return rot_z @ rot_x @ scale @ shear, rng.uniform(-0.5, 0.5, 3)
'''

_MAKE_DATA = '''

def make_data():
    """Training and test points: x as float32 rows, y as {targets}."""
    rng = np.random.default_rng(SEED)
    x, y = make_points(rng)
    return split(x.astype(np.float32), {y}, rng)
'''

_MAKE_CORNER_DATA = '''

def make_data():
    """The four corners, for training and for testing: four points cannot be split."""
    x, y = make_points()
    x = x.astype(np.float32)
    return x, y, x, y
'''

STABLE_SPLIT = '''

def split(x, y):
    """Hold out TEST_FRACTION of the points for testing. Each point draws its own random key
    from SEED, so adding a point moves at most one other between training and test."""
    keys = np.random.default_rng(SEED).random(len(x))
    order = np.argsort(keys, kind="stable")
    n_test = min(len(x) - 1, round(len(x) * TEST_FRACTION))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]
'''

_MAKE_CUSTOM_DATA = '''

def make_data():
    """The stored points, split into training and test points."""
    x = np.asarray(POINTS_X, dtype=np.float32)
    y = np.asarray(POINTS_Y, dtype=np.{dtype}){column}
    return split(x, y)
'''


_MAKE_GENERATED_DATA = '''

def make_data():
    """The points exactly as Laegna made them, already split into training and test points."""
    return (np.asarray(TRAIN_X, dtype=np.float32), np.asarray(TRAIN_Y, dtype=np.{dtype}),
            np.asarray(TEST_X, dtype=np.float32), np.asarray(TEST_Y, dtype=np.{dtype}))
'''


def data_section(settings: DatasetSettings, seed: int = 0) -> Section:
    """Constants and code for `make_data()`, which returns (x_train, y_train, x_test, y_test)."""
    if settings.name == "custom":
        return _custom_section(settings)
    if settings.name == "formula" or settings.options.get("variant") == "playground":
        return _generated_section(settings, seed)
    gen = GENERATORS[settings.name]
    classifies = gen.task == "classification"
    if settings.options.get("variant") == "corners":
        return Section([], _points_code(settings) + _MAKE_CORNER_DATA)
    constants: Constants = [
        ("SAMPLES", str(settings.samples), "how many points"),
        ("NOISE", repr(float(settings.noise)), "standard deviation of the noise added to each point"),
        ("TEST_FRACTION", repr(float(settings.test_fraction)), "share of the points held out for testing"),
    ]
    if settings.name == "line":
        constants += [("SLOPE", repr(float(settings.options.get("slope", 0.8))), "m in y = m·x + b"),
                      ("INTERCEPT", repr(float(settings.options.get("intercept", 0.3))), "b in y = m·x + b")]
    make_data = _MAKE_DATA.format(
        targets="class indices (int64)" if classifies else "float32 columns",
        y="y" if classifies else "y.astype(np.float32)")
    return Section(constants, _points_code(settings) + SPLIT + make_data)


def _points_code(settings: DatasetSettings) -> str:
    name, gen = settings.name, GENERATORS[settings.name]
    if name in ("xor", "and", "or"):
        template = _CORNERS if settings.options.get("variant") == "corners" else _TRUTH_TABLE
        return template.format(help=gen.help, rule=name)
    if name in ("spiral", "spiral3"):
        return _SPIRAL.format(help=gen.help, arms=gen.n_outputs)
    head = _HIDDEN_AFFINE if name == "affine3d" else ""
    return head + f'\n\ndef make_points(rng):\n    """{gen.help}"""' + _BODIES[name]


def _generated_section(settings: DatasetSettings, seed: int) -> Section:
    """A typed formula, or TensorFlow Playground's own generators (their random draws run
    loop by loop in the playground's order): the script carries the points themselves, so it
    trains on exactly the app's data without a copy of the generator or the parser."""
    data = make_dataset(settings, seed)
    made = (f"the formula {one_line(settings.options.get('formula', ''))}" if settings.name == "formula"
            else f"TensorFlow Playground's {settings.name} data")
    comment = textwrap.wrap(f"the points as Laegna generated them from {made}", 90)
    arrays = {"TRAIN_X": data.x_train, "TRAIN_Y": data.y_train, "TEST_X": data.x_test, "TEST_Y": data.y_test}
    literal = "\n\n" + "".join(f"# {line}\n" for line in comment) + "".join(
        f"{name} = {_rows_literal(_stored(a)) if a.ndim == 2 else _flat_literal(_stored(a))}\n"
        for name, a in arrays.items())
    dtype = "int64" if data.task == "classification" else "float32"
    return Section([], literal + _MAKE_GENERATED_DATA.format(dtype=dtype))


def _custom_section(settings: DatasetSettings) -> Section:
    points = settings.points or {}
    x, y = _stored(points.get("x", [])), _stored(points.get("y", []))
    classifies = points.get("task", "classification") == "classification"
    names = ", ".join(str(n) for n in points.get("feature_names") or [])
    column = "\n    y = y[:, None]  # one target column" if not classifies and np.ndim(y) == 1 else ""
    literal = (f"\n\n# the points stored in the project (features: {one_line(names)})\n"
               f"POINTS_X = {_rows_literal(x)}\nPOINTS_Y = {_flat_literal(y)}\n")
    code = literal + STABLE_SPLIT + _MAKE_CUSTOM_DATA.format(
        dtype="int64" if classifies else "float32", column=column)
    return Section([("TEST_FRACTION", repr(float(settings.test_fraction)),
                     "share of the points held out for testing")], code)


def _stored(values) -> list:
    """Stored points (read-only numpy arrays, or lists) as nested lists of numbers; float32
    values become the shortest decimals that read back as the same float32 (0.1, not 0.1000000015)."""
    array = np.asarray(values)
    if array.dtype == np.float32:
        return np.vectorize(lambda v: float(str(v)), otypes=[float])(array).tolist()
    return array.tolist()


def _number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        value = float(value)
    return str(value) if isinstance(value, int) else repr(float(value))


def _row(values) -> str:
    if isinstance(values, (list, tuple)):
        return "[" + ", ".join(_row(v) for v in values) + "]"
    return _number(values)


def _rows_literal(rows) -> str:
    """One point per line: easy to read and to diff."""
    return "[\n" + "".join(f"    {_row(r)},\n" for r in rows) + "]"


def _flat_literal(values) -> str:
    if any(isinstance(v, (list, tuple)) for v in values):
        return _rows_literal(values)
    body = textwrap.fill(", ".join(_number(v) for v in values), width=96,
                         initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False)
    return f"[\n{body},\n]" if values else "[]"


def one_line(text: str) -> str:
    """Text made safe for a comment or docstring line: printable, one line."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return " ".join(cleaned.replace("\\", "/").replace('"""', "'''").split())
