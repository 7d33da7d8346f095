"""The transform lab's matrix maths, checked against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core import affine
from laegna_gui.core.affine import (
    BLOCK_DEFAULTS,
    BLOCKS,
    Readouts,
    apply,
    block_matrix,
    compose,
    describe,
    from_linear,
    identity,
    interpolate,
    pca_project,
    perspective,
    polar,
    readouts,
    rotation,
    scaling,
    shear,
    to_linear,
    translation,
)

RNG = np.random.default_rng(7)


def _random_affine(rng, det_sign: int = 1) -> np.ndarray:
    W = rng.normal(size=(3, 3))
    if np.sign(np.linalg.det(W)) != det_sign:
        W[:, 0] *= -1
    return from_linear(W, rng.normal(size=3))


def _is_rotation(R) -> bool:
    return np.allclose(R @ R.T, np.eye(3), atol=1e-9) and np.isclose(np.linalg.det(R), 1.0)


# ------------------------------------------------------------------- blocks
def test_identity_and_linear_round_trip():
    assert np.array_equal(identity(), np.eye(4))
    W, b = RNG.normal(size=(3, 3)), RNG.normal(size=3)
    M = from_linear(W, b)
    assert M.shape == (4, 4) and M.dtype == np.float64
    assert np.array_equal(M[3], [0, 0, 0, 1])
    W2, b2 = to_linear(M)
    assert np.array_equal(W2, W) and np.array_equal(b2, b)
    W2[0, 0] = 99.0
    assert M[0, 0] != 99.0  # copies


@pytest.mark.parametrize("axis, start, end", [
    ("x", [0, 1, 0], [0, 0, 1]), ("y", [0, 0, 1], [1, 0, 0]), ("z", [1, 0, 0], [0, 1, 0]),
])
def test_rotation_is_right_handed(axis, start, end):
    assert np.allclose(apply(rotation(axis, 90), np.array([start])), [end])
    assert _is_rotation(rotation(axis, 37.0)[:3, :3])


def test_rotation_rejects_unknown_axis():
    with pytest.raises(ValueError):
        rotation("w", 10)
    with pytest.raises(ValueError):
        rotation("", 10)


def test_scaling_shear_translation_entries():
    assert np.allclose(scaling(2, 3, 4), np.diag([2, 3, 4, 1]))
    S = shear(xy=1, xz=2, yx=3, yz=4, zx=5, zy=6)
    assert np.allclose(S[:3, :3], [[1, 1, 2], [3, 1, 4], [5, 6, 1]])
    assert np.allclose(apply(shear(xy=0.5), np.array([[0.0, 2.0, 0.0]])), [[1.0, 2.0, 0.0]])
    T = translation(1, 2, 3)
    assert np.allclose(T[:3, 3], [1, 2, 3]) and np.allclose(T[:3, :3], np.eye(3))


def test_perspective_row_and_zero_distance():
    P = perspective(4.0)
    expected = np.eye(4)
    expected[3, 2] = 0.25
    assert np.allclose(P, expected)
    with pytest.raises(ValueError):
        perspective(0)


def test_blocks_and_defaults_cover_each_other():
    assert set(BLOCKS) == set(BLOCK_DEFAULTS)
    for kind, names in BLOCKS.items():
        assert set(BLOCK_DEFAULTS[kind]) == set(names)
        assert block_matrix(kind).shape == (4, 4)


def test_block_matrix_matches_the_functions():
    assert np.allclose(block_matrix("rotate_y", degrees=40), rotation("y", 40))
    assert np.allclose(block_matrix("scale", sx=2, sy=3, sz=-1), scaling(2, 3, -1))
    assert np.allclose(block_matrix("shear", yz=0.3), shear(xy=0.5, yz=0.3))  # default xy
    assert np.allclose(block_matrix("translate", tx=1, ty=2, tz=3), translation(1, 2, 3))
    assert np.allclose(block_matrix("perspective", d=2), perspective(2))
    with pytest.raises(ValueError):
        block_matrix("twist")
    with pytest.raises(ValueError):
        block_matrix("scale", sw=2)


# ---------------------------------------------------------------- composition
def test_compose_is_the_product_in_list_order():
    A, B, C = (_random_affine(RNG) for _ in range(3))
    assert np.allclose(compose([A, B, C]), A @ B @ C)
    assert np.array_equal(compose([]), np.eye(4))
    p = RNG.normal(size=(5, 3))
    assert np.allclose(apply(compose([A, B, C]), p), apply(A, apply(B, apply(C, p))))


def test_order_matters_for_rotation_and_shear():
    R, S = rotation("z", 90), shear(xy=1.0)
    assert not np.allclose(compose([R, S]), compose([S, R]))
    # S acts first: (0,1,0) → (1,1,0), then R turns it to (-1,1,0).
    assert np.allclose(apply(compose([R, S]), np.array([[0.0, 1, 0]])), [[-1, 1, 0]])


# -------------------------------------------------------------------- apply
def test_apply_equals_homogeneous_product():
    M = _random_affine(RNG)
    M[3] = [0.1, -0.2, 0.05, 1.0]
    p = RNG.uniform(-1, 1, size=(20, 3))
    h = (M @ np.hstack([p, np.ones((20, 1))]).T).T
    assert np.allclose(apply(M, p), h[:, :3] / h[:, 3:])
    assert np.allclose(apply(M, p[0]), apply(M, p[:1])[0])  # a single point


def test_perspective_divide_and_vanishing_plane():
    out = apply(perspective(2.0), np.array([[2.0, 4.0, 2.0], [1.0, 1.0, -2.0]]))
    assert np.allclose(out[0], [1.0, 2.0, 1.0])  # w = 1 + 2/2 = 2
    assert np.all(np.isnan(out[1])) and not np.any(np.isinf(out))


# ----------------------------------------------------------------- readouts
def test_readouts_against_numpy():
    M = _random_affine(RNG)
    W = M[:3, :3]
    r = readouts(M)
    assert isinstance(r, Readouts)
    assert np.isclose(r.determinant, np.linalg.det(W))
    assert r.invertible and r.orientation_flipped == (np.linalg.det(W) < 0)
    assert r.eigenvalues.dtype == np.complex128
    assert np.allclose(np.sort_complex(r.eigenvalues), np.sort_complex(np.linalg.eigvals(W)))
    for value, vector in r.real_eigen:
        assert np.isclose(np.linalg.norm(vector), 1.0)
        assert np.allclose(W @ vector, value * vector)
    assert np.allclose(r.inverse, np.linalg.inv(M))
    assert np.allclose(r.svd_u @ np.diag(r.svd_s) @ r.svd_vt, W)
    assert _is_rotation(r.svd_u) and _is_rotation(r.svd_vt)
    assert np.allclose(np.abs(r.svd_s), np.linalg.svd(W, compute_uv=False))


def test_rotation_has_one_real_eigenvector_its_axis():
    r = readouts(rotation("x", 50))
    assert len(r.real_eigen) == 1
    value, vector = r.real_eigen[0]
    assert np.isclose(value, 1.0) and np.allclose(np.abs(vector), [1, 0, 0])
    assert np.isclose(r.determinant, 1.0) and not r.orientation_flipped


def test_mirror_scale_flips_orientation():
    M = scaling(1, 1, -2)
    r = readouts(M)
    assert np.isclose(r.determinant, -2.0) and r.orientation_flipped and r.invertible
    assert np.sum(r.svd_s < 0) == 1  # the reflection rides in S
    assert _is_rotation(r.svd_u) and _is_rotation(r.svd_vt)
    assert np.allclose(r.svd_u @ np.diag(r.svd_s) @ r.svd_vt, M[:3, :3])
    assert describe(M) == "Volume ×2.00; orientation flipped (mirror image); invertible."


def test_singular_matrix_is_not_invertible():
    M = scaling(1, 2, 0)
    r = readouts(M)
    assert not r.invertible and r.inverse is None and not r.orientation_flipped
    assert describe(M) == "Flattens space (determinant 0): not invertible."


def test_singular_perspective_with_invertible_w():
    M = np.eye(4)
    M[3] = [0.0, 0.0, 1.0, 0.0]  # w = z: the origin has nowhere to go
    r = readouts(M)
    assert np.isclose(r.determinant, 1.0) and not r.invertible and r.inverse is None
    assert "not invertible" in describe(M)
    r = readouts(perspective(3.0))
    assert r.invertible and np.allclose(r.inverse, np.linalg.inv(perspective(3.0)))


def test_describe():
    assert describe(scaling(2, 1, 1)) == "Volume ×2.00; orientation kept; invertible."
    assert describe(identity()) == "Volume ×1.00; orientation kept; invertible."
    assert "perspective" in describe(perspective(2.0))


# ------------------------------------------------------------------- polar
@pytest.mark.parametrize("sign", [1, -1])
def test_polar_reconstructs_w(sign):
    W = _random_affine(RNG, sign)[:3, :3]
    R, P = polar(W)
    assert np.allclose(R @ P, W) and _is_rotation(R) and np.allclose(P, P.T)
    eig = np.linalg.eigvalsh(P)
    assert np.sum(eig < 0) == (1 if sign < 0 else 0)


def test_polar_of_a_rotation_times_stretch():
    R0 = rotation("y", 70)[:3, :3]
    P0 = np.array([[2.0, 0.5, 0], [0.5, 1.0, 0], [0, 0, 3.0]])
    R, P = polar(R0 @ P0)
    assert np.allclose(R, R0) and np.allclose(P, P0)


# ------------------------------------------------------------- interpolation
@pytest.mark.parametrize("sign", [1, -1])
def test_interpolation_endpoints(sign):
    M = _random_affine(RNG, sign)
    M[3] = [0.05, 0.0, -0.1, 1.0]
    assert np.allclose(interpolate(M, 0.0), np.eye(4), atol=1e-12)
    assert np.allclose(interpolate(M, 1.0), M, atol=1e-9)


@pytest.mark.parametrize("matrix", [
    rotation("x", 180.0), rotation("z", 179.9999), rotation("y", -179.9999999),
    from_linear(affine._rodrigues(np.array([2.0, -1.0, 2.0]) / 3.0, np.pi - 1e-8), np.zeros(3)),
    from_linear(affine._rodrigues(np.array([0.0, 0.6, -0.8]), np.pi), np.zeros(3)), compose([rotation("y", 180), scaling(2, 1, 3)]),
    scaling(1, 1, 0), identity(), perspective(5.0),
])
def test_interpolation_endpoints_of_edge_cases(matrix):
    assert np.allclose(interpolate(matrix, 0.0), np.eye(4), atol=1e-12)
    assert np.allclose(interpolate(matrix, 1.0), matrix, atol=1e-9)


@pytest.mark.parametrize("axis", ["x", "y", "z"])
@pytest.mark.parametrize("degrees", [30.0, -120.0, 170.0])
@pytest.mark.parametrize("t", [0.25, 0.5, 0.8])
def test_rotation_interpolates_as_a_rotation(axis, degrees, t):
    assert np.allclose(interpolate(rotation(axis, degrees), t), rotation(axis, t * degrees))


def test_rotation_about_a_tilted_axis_stays_on_that_axis():
    n = np.array([1.0, 2.0, 2.0]) / 3.0
    R = from_linear(affine._rodrigues(n, 2.0), np.zeros(3))
    half = interpolate(R, 0.5)
    assert _is_rotation(half[:3, :3])
    assert np.allclose(half[:3, :3] @ n, n)
    assert np.allclose(half @ half, R)


def test_interpolation_moves_b_scale_and_perspective_linearly():
    M = compose([translation(2, -4, 6), scaling(3, 1, 1)])
    M[3] = [0.0, 0.0, 0.5, 1.0]
    mid = interpolate(M, 0.5)
    assert np.allclose(mid[:3, 3], [1, -2, 3])
    assert np.allclose(mid[:3, :3], np.diag([2, 1, 1]))
    assert np.allclose(mid[3], [0, 0, 0.25, 1])


# --------------------------------------------------------------------- PCA
def test_pca_matches_numpy_svd_on_a_wide_layer():
    X = RNG.normal(size=(60, 12)) @ RNG.normal(size=(12, 12))
    proj, comps, ratio = pca_project(X, 3)
    assert proj.shape == (60, 3) and comps.shape == (3, 12) and ratio.shape == (3,)
    Xc = X - X.mean(axis=0)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    signs = np.sign(np.sum(comps * Vt[:3], axis=1))
    assert np.all(signs != 0)
    assert np.allclose(comps, Vt[:3] * signs[:, None])
    assert np.allclose(proj, (Xc @ Vt[:3].T) * signs)
    assert np.allclose(ratio, s[:3] ** 2 / np.sum(s**2))
    assert np.allclose(comps @ comps.T, np.eye(3))


def test_pca_sign_is_deterministic():
    X = RNG.normal(size=(30, 6))
    _, comps, _ = pca_project(X)
    for row in comps:
        assert row[np.argmax(np.abs(row))] > 0


def test_pca_pads_narrow_input():
    X = RNG.normal(size=(10, 2))
    proj, comps, ratio = pca_project(X, 3)
    assert proj.shape == (10, 3) and comps.shape == (3, 2)
    assert np.all(proj[:, 2] == 0) and np.all(comps[2] == 0) and ratio[2] == 0
    assert np.isclose(ratio.sum(), 1.0)
    Xc = X - X.mean(axis=0)
    assert np.allclose(proj[:, :2] @ proj[:, :2].T, Xc @ Xc.T)  # a rotation: distances kept


def test_pca_of_identical_points_is_all_zero():
    proj, _, ratio = pca_project(np.ones((5, 4)))
    assert np.allclose(proj, 0) and np.allclose(ratio, 0)
