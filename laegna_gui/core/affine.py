"""The transform lab's maths: 4×4 homogeneous matrices, their readouts and animation.

Conventions: float64 arrays, column vectors, p' = M @ [x, y, z, 1]. The 3×3 block W
rotates, scales and shears; the last column b translates; the bottom row is the
perspective row ([0, 0, 0, 1] for an affine map). compose([A, B, C]) = A @ B @ C, so C
acts first. Plain Python + numpy only (no scipy, Qt or torch).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

EPS = 1e-9
_AFFINE_ROW = np.array([0.0, 0.0, 0.0, 1.0])

BLOCKS: dict[str, tuple[str, ...]] = {
    "rotate_x": ("degrees",), "rotate_y": ("degrees",), "rotate_z": ("degrees",),
    "scale": ("sx", "sy", "sz"),
    "shear": ("xy", "xz", "yx", "yz", "zx", "zy"),
    "translate": ("tx", "ty", "tz"),
    "perspective": ("d",),
}
# Gentle but visible: a block added with its defaults changes the picture.
BLOCK_DEFAULTS: dict[str, dict[str, float]] = {
    "rotate_x": {"degrees": 30.0}, "rotate_y": {"degrees": 30.0}, "rotate_z": {"degrees": 30.0},
    "scale": {"sx": 1.5, "sy": 1.0, "sz": 1.0},
    "shear": {"xy": 0.5, "xz": 0.0, "yx": 0.0, "yz": 0.0, "zx": 0.0, "zy": 0.0},
    "translate": {"tx": 1.0, "ty": 0.0, "tz": 0.0},
    "perspective": {"d": 4.0},
}


# ----------------------------------------------------------------- building blocks
def identity() -> np.ndarray:
    return np.eye(4)


def from_linear(W, b) -> np.ndarray:
    """The 4×4 matrix of x ↦ W·x + b."""
    M = np.eye(4)
    M[:3, :3] = np.asarray(W, dtype=float).reshape(3, 3)
    M[:3, 3] = np.asarray(b, dtype=float).reshape(3)
    return M


def to_linear(M) -> tuple[np.ndarray, np.ndarray]:
    """(W, b) = (M[:3, :3], M[:3, 3]) as copies; the perspective row is dropped."""
    M = np.asarray(M, dtype=float)
    return M[:3, :3].copy(), M[:3, 3].copy()


def rotation(axis: str, degrees: float) -> np.ndarray:
    """Right-handed: counter-clockwise when looking down `axis` towards the origin."""
    i = "xyz".find(str(axis).lower()) if len(str(axis)) == 1 else -1
    if i < 0:
        raise ValueError(f"Rotation axis must be 'x', 'y' or 'z', not {axis!r}.")
    e = np.zeros(3)
    e[i] = 1.0
    return from_linear(_rodrigues(e, np.radians(float(degrees))), np.zeros(3))


def scaling(sx: float, sy: float, sz: float) -> np.ndarray:
    return from_linear(np.diag([float(sx), float(sy), float(sz)]), np.zeros(3))


def shear(xy=0.0, xz=0.0, yx=0.0, yz=0.0, zx=0.0, zy=0.0) -> np.ndarray:
    """W = I with W[0,1] = xy (x' = x + xy·y), W[0,2] = xz, W[1,0] = yx, and so on."""
    W = np.array([[1.0, xy, xz], [yx, 1.0, yz], [zx, zy, 1.0]], dtype=float)
    return from_linear(W, np.zeros(3))


def translation(tx: float, ty: float, tz: float) -> np.ndarray:
    return from_linear(np.eye(3), [tx, ty, tz])


def perspective(d: float) -> np.ndarray:
    """Identity with M[3, 2] = 1/d, so w = 1 + z/d: points further along z shrink."""
    if float(d) == 0.0:
        raise ValueError("The perspective distance d must not be 0.")
    M = np.eye(4)
    M[3, 2] = 1.0 / float(d)
    return M


def block_matrix(kind: str, **params: float) -> np.ndarray:
    """The matrix of one named building block; missing parameters take BLOCK_DEFAULTS."""
    if kind not in BLOCKS:
        raise ValueError(f"Unknown building block {kind!r}; choose one of {', '.join(BLOCKS)}.")
    unknown = set(params) - set(BLOCKS[kind])
    if unknown:
        raise ValueError(f"Block {kind!r} has no parameter(s) {', '.join(sorted(unknown))}.")
    p = {**BLOCK_DEFAULTS[kind], **params}
    if kind.startswith("rotate_"):
        return rotation(kind[-1], p["degrees"])
    if kind == "scale":
        return scaling(p["sx"], p["sy"], p["sz"])
    if kind == "shear":
        return shear(**p)
    if kind == "translate":
        return translation(p["tx"], p["ty"], p["tz"])
    return perspective(p["d"])


def compose(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """A @ B @ C for [A, B, C]: the last matrix acts first. Empty → identity."""
    M = np.eye(4)
    for A in matrices:
        M = M @ np.asarray(A, dtype=float)
    return M


def apply(M, points) -> np.ndarray:
    """Transform (n, 3) points (or one (3,) point): multiply [x, y, z, 1] by M, divide by w.

    A point with |w| < 1e-12 lies on the perspective's vanishing plane; it has no
    finite image and comes back as nan (never inf), so views can simply skip it.
    """
    pts = np.asarray(points, dtype=float)
    flat = pts.reshape(-1, 3)
    h = np.hstack([flat, np.ones((len(flat), 1))]) @ np.asarray(M, dtype=float).T
    w = h[:, 3:]
    out = np.full_like(h[:, :3], np.nan)
    ok = np.abs(w[:, 0]) >= 1e-12
    out[ok] = h[ok, :3] / w[ok]
    return out.reshape(pts.shape)


# -------------------------------------------------------------------- readouts
def _proper_svd(W) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """W = U @ diag(s) @ Vt with det U = det Vt = +1; a reflection makes s[-1] negative."""
    U, s, Vt = np.linalg.svd(np.asarray(W, dtype=float))
    if np.linalg.det(U) < 0:
        U[:, -1] *= -1
        s[-1] *= -1
    if np.linalg.det(Vt) < 0:
        Vt[-1] *= -1
        s[-1] *= -1
    return U, s, Vt


def polar(W) -> tuple[np.ndarray, np.ndarray]:
    """W = R @ P with R a proper rotation (det +1) and P symmetric.

    P is the stretch (positive semi-definite) when det W ≥ 0. A mirror image cannot
    be reached by rotating, so when det W < 0 the reflection goes into P instead: P
    then has one negative eigenvalue (symmetric, but not positive definite).
    """
    U, s, Vt = _proper_svd(W)
    return U @ Vt, Vt.T @ np.diag(s) @ Vt


@dataclass(frozen=True)
class Readouts:
    determinant: float  # of W: the volume factor
    invertible: bool
    orientation_flipped: bool
    eigenvalues: np.ndarray  # complex (3,), of W
    real_eigen: list[tuple[float, np.ndarray]]  # (value, unit eigenvector) of real ones
    svd_u: np.ndarray  # W = svd_u @ diag(svd_s) @ svd_vt, rotations with det +1
    svd_s: np.ndarray
    svd_vt: np.ndarray
    inverse: np.ndarray | None  # 4×4, None when not invertible


def _is_invertible(M: np.ndarray) -> bool:
    if abs(np.linalg.det(M[:3, :3])) <= EPS:
        return False
    return np.allclose(M[3], _AFFINE_ROW) or abs(np.linalg.det(M)) > EPS


def readouts(M) -> Readouts:
    """Everything the lab shows about M. Eigen and SVD readouts are of W = M[:3, :3].

    orientation_flipped needs det < -1e-9, so a flattened space is never "flipped".
    """
    M = np.asarray(M, dtype=float)
    W = M[:3, :3]
    det = float(np.linalg.det(W))
    values, vectors = np.linalg.eig(W)
    real = [(float(v.real), vectors[:, i].real / np.linalg.norm(vectors[:, i].real))
            for i, v in enumerate(values) if abs(v.imag) <= EPS]
    invertible = _is_invertible(M)
    U, s, Vt = _proper_svd(W)
    return Readouts(det, invertible, det < -EPS, values.astype(complex), real, U, s, Vt,
                    np.linalg.inv(M) if invertible else None)


def describe(M) -> str:
    """One plain sentence for learners about what M does to space."""
    M = np.asarray(M, dtype=float)
    r = readouts(M)
    if abs(r.determinant) <= EPS:
        return "Flattens space (determinant 0): not invertible."
    persp = "" if np.allclose(M[3], _AFFINE_ROW) else "with perspective; "
    orient = "flipped (mirror image)" if r.orientation_flipped else "kept"
    tail = "invertible." if r.invertible else "not invertible (perspective collapses it)."
    return f"Volume ×{abs(r.determinant):.2f}; orientation {orient}; {persp}{tail}"


# ------------------------------------------------------------------ animation
def _rodrigues(axis: np.ndarray, angle: float) -> np.ndarray:
    """Rotation by `angle` radians about the unit vector `axis`."""
    x, y, z = axis
    K = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
    return np.eye(3) + np.sin(angle) * K + (1.0 - np.cos(angle)) * (K @ K)


def _axis_angle(R: np.ndarray) -> tuple[np.ndarray, float]:
    """Log map of a proper rotation: unit axis and angle in [0, π]."""
    v = np.array([R[2, 1] - R[1, 2], R[0, 2] - R[2, 0], R[1, 0] - R[0, 1]])  # 2 sin θ · n
    angle = float(np.arctan2(np.linalg.norm(v) / 2, (np.trace(R) - 1) / 2))
    if angle < 1e-12:
        return np.array([0.0, 0.0, 1.0]), 0.0
    if np.linalg.norm(v) > 1e-6:
        return v / np.linalg.norm(v), angle
    # Near π the skew part vanishes; read n from R + I ≈ 2 n nᵀ and orient it by v.
    S = R + np.eye(3)
    n = S[:, int(np.argmax(np.linalg.norm(S, axis=0)))]
    n = n / np.linalg.norm(n)
    return (-n if n @ v < 0 else n), angle


def interpolate(M, t: float) -> np.ndarray:
    """The matrix at time t of the animation identity (t=0) → M (t=1).

    W = R·P (polar): R turns by t times its angle about its own axis (the shortest
    way), P stretches linearly, (1−t)I + tP; b and the perspective row move linearly.
    So a rotation looks like a rotation. A mirror image (det < 0) must pass through a
    flat (singular) moment on the way, as P's negative eigenvalue crosses zero.
    """
    M = np.asarray(M, dtype=float)
    t = float(t)
    W, b = to_linear(M)
    R, P = polar(W)
    axis, angle = _axis_angle(R)
    out = from_linear(_rodrigues(axis, t * angle) @ ((1 - t) * np.eye(3) + t * P), t * b)
    out[3] = (1 - t) * _AFFINE_ROW + t * M[3]
    return out


# ------------------------------------------------------------------------ PCA
def pca_project(points, k: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project (n, d) points onto their k main directions (to show a wide layer in 3-D).

    Returns (projection (n, k), components (k, d), explained variance ratio (k,)).
    Each component's sign is fixed so its largest entry is positive (stable views).
    With fewer than k directions (d < k or n < k) the rest is padded with zeros.
    """
    X = np.asarray(points, dtype=float)
    X = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    m = min(k, len(s))
    comps = Vt[:m] * np.sign(Vt[:m][np.arange(m), np.argmax(np.abs(Vt[:m]), axis=1)])[:, None]
    total = float(np.sum(s**2))
    ratio = s[:m] ** 2 / total if total > 0 else np.zeros(m)
    components = np.zeros((k, X.shape[1]))
    components[:m] = comps
    variance = np.zeros(k)
    variance[:m] = ratio
    return X @ components.T, components, variance
