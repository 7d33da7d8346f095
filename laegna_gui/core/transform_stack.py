"""The transform lab's model, without Qt: a stack of building blocks, the 4×4 matrix M
they compose to (or that was typed in), the animation time t, and what the readouts
say about M.

M = top · … · bottom, so the bottom block acts on a point first. Typing a number into M
(or set_matrix) switches to custom mode: the stack stays, but no longer sets M until
it is edited again. Views follow `events` (blocks_changed, matrix_changed, t_changed);
the model never calls a view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from laegna_gui.core import affine
from laegna_gui.core.events import EventGroup

MAX_LAB_POINTS = 2000

KIND_TITLES = {
    "rotate_x": "Rotate about x", "rotate_y": "Rotate about y", "rotate_z": "Rotate about z",
    "scale": "Scale", "shear": "Shear", "translate": "Translate", "perspective": "Perspective",
}
KIND_TIPS = {
    "rotate_x": "Turns space about the x axis; lengths, angles and volume stay the same (det = 1).",
    "rotate_y": "Turns space about the y axis; lengths, angles and volume stay the same (det = 1).",
    "rotate_z": "Turns space about the z axis; lengths, angles and volume stay the same (det = 1).",
    "scale": "Stretches (or squashes) along x, y and z; a negative factor mirrors, a zero flattens.",
    "shear": "Slides one coordinate by a multiple of another, like pushing a deck of cards sideways.",
    "translate": "Shifts every point by the same amount — the bias b of a dense layer.",
    "perspective": "Makes points further along z smaller (divide by w = 1 + z/d), as a camera does.",
}
STACK_MODE_TEXT = "M is the product of the blocks: the bottom block acts first."
STACK_MODE_TIP = ("M = top · … · bottom, the product of the blocks' matrices, so the bottom block "
                  "acts on a point first (like A(B(C(x)))).")
CUSTOM_MODE_TEXT = "Custom matrix: typed, not the blocks' product."
CUSTOM_MODE_TIP = ("You typed the numbers, so the blocks no longer set M. Edit or add a block to go "
                   "back to the stack's product.")


@dataclass(frozen=True)
class Block:
    """One building block of the stack; `id` stays the same while the block is edited or moved."""

    id: int
    kind: str
    params: Mapping[str, float] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return block_title(self.kind, self.params)

    def matrix(self) -> np.ndarray:
        return affine.block_matrix(self.kind, **self.params)


def full_params(kind: str, params: Mapping[str, float] | None = None) -> dict[str, float]:
    """`params` with the kind's defaults filled in, as floats; a ValueError names a bad block."""
    full = {**affine.BLOCK_DEFAULTS.get(kind, {}), **{k: float(v) for k, v in (params or {}).items()}}
    affine.block_matrix(kind, **full)
    return full


class TransformStack:
    """The lab's state: blocks (top to bottom), M, custom mode and the animation time t."""

    def __init__(self) -> None:
        self.events = EventGroup("blocks_changed", "matrix_changed", "t_changed")
        self._blocks: list[Block] = []
        self._next_id = 1
        self._matrix = np.eye(4)
        self._custom = False
        self._t = 1.0
        self._readouts: affine.Readouts | None = None

    # --- the stack ------------------------------------------------------------------------
    @property
    def items(self) -> tuple[Block, ...]:
        return tuple(self._blocks)

    def blocks(self) -> list[tuple[str, dict[str, float]]]:
        """The stack, top to bottom, as (kind, params) pairs."""
        return [(b.kind, dict(b.params)) for b in self._blocks]

    def set_blocks(self, blocks: Iterable[tuple[str, Mapping[str, float]]]) -> None:
        """Replace the stack (checked first: a bad block changes nothing) and take M from it."""
        checked = [(kind, full_params(kind, params)) for kind, params in blocks]
        self._blocks = [self._new_block(kind, params) for kind, params in checked]
        self._stack_changed()

    def add_block(self, kind: str, params: Mapping[str, float] | None = None) -> int:
        """Add a block at the bottom (it acts first); returns its row."""
        self._blocks.append(self._new_block(kind, full_params(kind, params)))
        self._stack_changed()
        return len(self._blocks) - 1

    def remove_block(self, row: int) -> None:
        if 0 <= row < len(self._blocks):
            del self._blocks[row]
            self._stack_changed()

    def move_block(self, source: int, destination: int) -> None:
        """Move the block in row `source` so that it ends up in row `destination`."""
        n = len(self._blocks)
        if 0 <= source < n and 0 <= destination < n and source != destination:
            self._blocks.insert(destination, self._blocks.pop(source))
            self._stack_changed()

    def reorder(self, ids: Sequence[int | None]) -> bool:
        """Put the blocks in the order of `ids` (a drag in the list); False if `ids` is not
        a reordering of the stack (a drag half done) or changes nothing."""
        by_id = {b.id: b for b in self._blocks}
        ids = list(ids)  # a row being dropped may not carry its id yet (None)
        if len(ids) != len(by_id) or set(ids) != set(by_id) or ids == [b.id for b in self._blocks]:
            return False
        self._blocks = [by_id[i] for i in ids]
        self._stack_changed()
        return True

    def set_param(self, row: int, name: str, value: float) -> None:
        """Set one parameter of the block in `row`; a ValueError (perspective d = 0) keeps it."""
        block = self._blocks[row]
        params = full_params(block.kind, {**block.params, name: float(value)})
        if params != dict(block.params):
            self._blocks[row] = Block(block.id, block.kind, params)
            self._stack_changed()

    def row_of(self, block_id: int) -> int:
        return next((row for row, b in enumerate(self._blocks) if b.id == block_id), -1)

    # --- the matrix -----------------------------------------------------------------------
    def matrix(self) -> np.ndarray:
        """The current 4×4 matrix M (a copy)."""
        return self._matrix.copy()

    @property
    def custom(self) -> bool:
        """True after the matrix was typed (or set with set_matrix) until the stack is edited."""
        return self._custom

    def mode_text(self) -> tuple[str, str]:
        """(short text, longer explanation) of where M comes from now."""
        return (CUSTOM_MODE_TEXT, CUSTOM_MODE_TIP) if self._custom else (STACK_MODE_TEXT, STACK_MODE_TIP)

    def set_matrix(self, M) -> None:
        """Set M directly (custom mode, as if typed)."""
        M = np.asarray(M, dtype=float)
        if M.shape != (4, 4):
            raise ValueError(f"the transform lab needs a 4×4 matrix, got shape {M.shape}")
        if not np.all(np.isfinite(M)):
            raise ValueError("the matrix must contain finite numbers only")
        self._set(M.copy(), custom=True)

    def set_cell(self, row: int, col: int, value: float) -> None:
        """Type one number into M (W is rows 0-2 × columns 0-2, b is column 3)."""
        value = float(value)
        if not np.isfinite(value):
            raise ValueError("the matrix must contain finite numbers only")
        M = self._matrix.copy()
        M[row, col] = value
        self._set(M, custom=True)

    def linear(self) -> tuple[np.ndarray, np.ndarray]:
        """(W, b): M as a dense layer x ↦ W·x + b (the perspective row left out)."""
        return affine.to_linear(self._matrix)

    def is_affine(self) -> bool:
        return bool(np.allclose(self._matrix[3], [0, 0, 0, 1]))

    def readouts(self) -> affine.Readouts:
        """Determinant, eigenvalues, SVD and inverse of M (computed once per M)."""
        if self._readouts is None:
            self._readouts = affine.readouts(self._matrix)
        return self._readouts

    # --- animation time -------------------------------------------------------------------
    @property
    def t(self) -> float:
        return self._t

    def set_t(self, t: float) -> None:
        """Show the animation at time t (0 identity … 1 M)."""
        t = float(np.clip(t, 0.0, 1.0))
        if t != self._t:
            self._t = t
            self.events.t_changed.emit(t)

    def shown_matrix(self) -> np.ndarray:
        """The matrix the scene shows now: affine.interpolate(M, t)."""
        return affine.interpolate(self._matrix, self._t)

    # --- inside ---------------------------------------------------------------------------
    def _new_block(self, kind: str, params: dict[str, float]) -> Block:
        self._next_id += 1
        return Block(self._next_id - 1, kind, params)

    def _stack_changed(self) -> None:
        self.events.blocks_changed.emit()
        self._set(affine.compose([b.matrix() for b in self._blocks]), custom=False)

    def _set(self, M: np.ndarray, custom: bool) -> None:
        self._matrix, self._custom, self._readouts = M, custom, None
        self.events.matrix_changed.emit()


def block_title(kind: str, params: Mapping[str, float]) -> str:
    """A block's one-line name in the stack, e.g. 'Rotate z  30°'."""
    def n(v: float) -> str:
        return f"{float(v):g}"

    if kind.startswith("rotate_"):
        return f"Rotate {kind[-1]}  {n(params['degrees'])}°"
    if kind in ("scale", "translate"):
        names = ("sx", "sy", "sz") if kind == "scale" else ("tx", "ty", "tz")
        return f"{KIND_TITLES[kind]}  " + ", ".join(n(params[k]) for k in names)
    if kind == "shear":
        terms = [f"{name} {n(v)}" for name, v in params.items() if v]
        return "Shear  " + (", ".join(terms) if terms else "none")
    if kind == "perspective":
        return f"Perspective  d = {n(params['d'])}"
    return kind


def lab_points(points, labels=None) -> tuple[np.ndarray, np.ndarray | None] | None:
    """A dataset's points as the lab draws them: (n, 3) (2-D padded with z = 0, wider data
    by PCA), at most MAX_LAB_POINTS of them (a fixed sample), with matching labels; None
    when there is nothing to draw."""
    if points is None:
        return None
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or len(points) == 0:
        return None
    if points.shape[1] < 3:
        points = np.hstack([points, np.zeros((len(points), 3 - points.shape[1]))])
    elif points.shape[1] > 3:
        points = affine.pca_project(points, 3)[0]
    labels = None if labels is None else np.asarray(labels)
    if labels is not None and len(labels) != len(points):
        labels = None
    if len(points) > MAX_LAB_POINTS:
        keep = np.random.default_rng(0).choice(len(points), MAX_LAB_POINTS, replace=False)
        points, labels = points[keep], None if labels is None else labels[keep]
    return points, labels
