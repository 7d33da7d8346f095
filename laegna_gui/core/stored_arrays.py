"""How a project file stores arrays: packed bytes (format version 2) or number lists (version 1).

Packed: `{"shape": [rows, columns], "dtype": "<f4", "base64": "..."}` holds the array's
bytes in row-major order, little-endian, as base64 without line breaks. Reading trusts
nothing: the dtype must be one the field allows, the base64 text is decoded strictly and
must be exactly as long as the shape needs, the shape stays within the limits and every
number is finite. Arrays read are read-only, so a project can be copied cheaply.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.limits import (
    FLOAT32_MAX,
    MAX_FEATURES,
    MAX_OUTPUTS,
    MAX_RECORDED_FRAMES,
    MAX_RECORDED_WEIGHTS,
    MAX_SAMPLES,
    MAX_STORED_WEIGHTS,
    base64_chars,
)

DTYPES = {"<f4": np.dtype("<f4"), "<i4": np.dtype("<i4")}  # every dtype a file may name


@dataclass(frozen=True)
class Role:
    """What one field may hold: its dtypes, its number of dimensions and of values, and
    whether NaN and infinities are allowed (only a recording's metrics: a run can diverge)."""

    dtypes: tuple[str, ...]
    ndims: tuple[int, ...]
    max_items: int
    finite: bool = True


ROLES = {
    "x": Role(("<f4",), (2,), MAX_SAMPLES * MAX_FEATURES),
    "labels": Role(("<i4",), (1,), MAX_SAMPLES),
    "targets": Role(("<f4",), (1, 2), MAX_SAMPLES * MAX_OUTPUTS),
    "weights": Role(("<f4",), (1, 2), MAX_STORED_WEIGHTS),
    "recorded_weights": Role(("<f4",), (2, 3), MAX_RECORDED_WEIGHTS),  # one weight of every frame
    "recorded_metrics": Role(("<f4",), (2,), 4 * MAX_RECORDED_FRAMES, finite=False),
}


def packed(array: Any, dtype: str, finite: bool = True) -> dict[str, Any]:
    """The packed form of `array` as `dtype` ('<f4' or '<i4'); refuses non-finite numbers
    unless the field allows them (raises ValueError, as json.dumps does for NaN)."""
    with np.errstate(over="ignore"):
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype])
    if finite and data.dtype.kind == "f" and not np.isfinite(data).all():
        raise ValueError("an array holds NaN or a number too large for 32 bits; it cannot be saved")
    return {"shape": list(data.shape), "dtype": dtype, "base64": base64.b64encode(data.data).decode("ascii")}


def read_array(raw: Any, where: str, role: str) -> np.ndarray:
    """A field holding a packed array or (version 1) a list of numbers or of rows of numbers."""
    if isinstance(raw, dict):
        return read_packed(raw, where, ROLES[role])
    if isinstance(raw, list):
        return _frozen(_read_lists(raw, where, ROLES[role]))
    raise ProjectFileError(f"{where}: expected a packed array (shape, dtype, base64) or a list of numbers")


def read_packed(entry: dict, where: str, role: Role) -> np.ndarray:
    unknown = sorted(set(entry) - {"shape", "dtype", "base64"})
    if unknown:
        raise ProjectFileError(f"{where}.{unknown[0]}: unknown field; a packed array has shape, dtype, base64")
    shape = read_shape(entry.get("shape"), where, role)
    dtype = entry.get("dtype")
    if dtype not in role.dtypes:
        raise ProjectFileError(f"{where}.dtype: expected {' or '.join(map(repr, role.dtypes))}, got {dtype!r}")
    text = entry.get("base64")
    n_bytes = math.prod(shape) * DTYPES[dtype].itemsize
    if not isinstance(text, str) or len(text) != base64_chars(n_bytes):
        got = f"{len(text):,} characters" if isinstance(text, str) else type(text).__name__
        raise ProjectFileError(f"{where}.base64: expected {base64_chars(n_bytes):,} characters of base64 "
                               f"for shape {shape} of {dtype}, got {got}")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ProjectFileError(f"{where}.base64: this is not valid base64 text") from None
    if len(raw) != n_bytes:
        raise ProjectFileError(f"{where}.base64: holds {len(raw):,} bytes, but shape {shape} of {dtype} "
                               f"needs {n_bytes:,}")
    array = np.frombuffer(raw, dtype=DTYPES[dtype]).reshape(shape)
    if role.finite:
        _check_finite(array, where)
    return _frozen(array.astype(DTYPES[dtype].newbyteorder("="), copy=False))


def read_shape(raw: Any, where: str, role: Role) -> list[int]:
    """A shape of whole numbers with as many dimensions and values as the field allows."""
    dims = " or ".join(map(str, role.ndims))
    if not (isinstance(raw, list) and len(raw) in role.ndims
            and all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in raw)):
        raise ProjectFileError(f"{where}.shape: expected {dims} whole numbers of 0 or more, got {_short(raw)}")
    if math.prod(raw) > role.max_items or max(raw, default=0) > role.max_items:
        raise ProjectFileError(f"{where}.shape: {_short(raw)} holds more than the {role.max_items:,} values "
                               "Laegna allows here")
    return raw


def read_weight_lists(entry: dict, where: str) -> np.ndarray:
    """A version-1 weight: {"shape": [...], "values": [flat, row-major]}."""
    shape = read_shape(entry.get("shape"), where, ROLES["weights"])
    values = entry.get("values")
    if not isinstance(values, list):
        raise ProjectFileError(f"{where}.values: expected a flat list of numbers")
    array = _numbers(values, f"{where}.values")
    if array.size != math.prod(shape):
        raise ProjectFileError(f"{where}: the values do not fill shape {shape} ({array.size:,} values, "
                               f"{math.prod(shape):,} needed)")
    return _frozen(array.astype(np.float32).reshape(shape))


def _read_lists(raw: list, where: str, role: Role) -> np.ndarray:
    if len(raw) > MAX_SAMPLES:
        raise ProjectFileError(f"{where}: {len(raw):,} rows; at most {MAX_SAMPLES:,} are allowed")
    rows = 2 in role.ndims and (1 not in role.ndims or any(isinstance(r, list) for r in raw))
    if not rows:
        return _numbers(raw, where)
    width = len(raw[0]) if raw and isinstance(raw[0], list) else 0
    if not all(isinstance(row, list) and len(row) == width for row in raw) or raw and not width:
        raise ProjectFileError(f"{where}: expected rows of numbers, all of the same length")
    if len(raw) * width > role.max_items:
        raise ProjectFileError(f"{where}: rows of {width:,} numbers; at most {role.max_items // MAX_SAMPLES:,} "
                               "are allowed")
    return _numbers([v for row in raw for v in row], where, width).reshape(len(raw), width)


def _numbers(values: list, where: str, width: int | None = None) -> np.ndarray:
    """JSON numbers as float64, each checked to fit a float32."""
    bad = next((i for i, v in enumerate(values) if type(v) not in (int, float)), None)
    if bad is not None:
        raise ProjectFileError(f"{_at(where, bad, width)}: expected a number, got {_short(values[bad])}")
    try:
        array = np.array(values, dtype=np.float64)
    except OverflowError:  # a JSON integer of hundreds of digits
        bad = next(i for i, v in enumerate(values) if abs(v) > FLOAT32_MAX)
        raise ProjectFileError(f"{_at(where, bad, width)}: the number is too large") from None
    too_large = np.flatnonzero(np.abs(array) > FLOAT32_MAX)
    if too_large.size:
        i = int(too_large[0])
        raise ProjectFileError(f"{_at(where, i, width)}: {array[i]:g} does not fit a 32-bit number "
                               f"(at most ±{FLOAT32_MAX:.4g})")
    return array


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _at(where: str, index: int, width: int | None) -> str:
    return f"{where}[{index}]" if width is None else f"{where}[{index // width}][{index % width}]"


def _check_finite(array: np.ndarray, where: str) -> None:
    if array.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(array))
        if bad.size:
            raise ProjectFileError(f"{where}: value {int(bad[0]):,} is {array.flat[bad[0]]}, not a finite number")


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
