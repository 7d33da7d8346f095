"""The transform lab's model without a screen: the block stack, M, custom mode, t, the
dataset points it draws and every readout text."""

from __future__ import annotations

import numpy as np
import pytest

from laegna_gui.core import affine
from laegna_gui.core.transform_readouts import (
    PAGES,
    eigen_labels,
    fmt,
    fmt_complex,
    format_matrix,
    readout_pages,
    readouts_html,
)
from laegna_gui.core.transform_stack import (
    CUSTOM_MODE_TEXT,
    MAX_LAB_POINTS,
    STACK_MODE_TEXT,
    TransformStack,
    block_title,
    lab_points,
)


class Recorder:
    """Counts each event of a TransformStack."""

    def __init__(self, model: TransformStack) -> None:
        self.seen: list[str] = []
        for event in model.events.all():
            event.connect(lambda *_a, name=event.name: self.seen.append(name))


def rot_z(degrees: float) -> np.ndarray:
    return affine.rotation("z", degrees)


def shift(x: float, y: float, z: float) -> np.ndarray:
    return affine.translation(x, y, z)


def plain(html: str) -> str:
    """Roughly what a label shows: tags dropped, entities decoded."""
    import re

    text = re.sub(r"<br>|</p>|</tr>", "\n", html).replace("</td>", "  ")
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@pytest.fixture
def model() -> TransformStack:
    return TransformStack()


# --- the stack and M ----------------------------------------------------------------------
def test_an_empty_stack_is_the_identity(model):
    assert model.blocks() == [] and np.array_equal(model.matrix(), np.eye(4))
    assert not model.custom and model.t == 1.0 and model.is_affine()


def test_the_bottom_block_acts_first_and_order_matters(model):
    events = Recorder(model)
    model.add_block("rotate_z", {"degrees": 90})
    model.add_block("translate", {"tx": 1, "ty": 2})
    assert model.blocks() == [("rotate_z", {"degrees": 90.0}), ("translate", {"tx": 1.0, "ty": 2.0, "tz": 0.0})]
    assert np.allclose(model.matrix(), rot_z(90) @ shift(1, 2, 0))
    assert np.allclose(model.matrix()[:3, 3], [-2, 1, 0])
    assert events.seen == ["blocks_changed", "matrix_changed"] * 2

    model.move_block(1, 0)
    assert [kind for kind, _ in model.blocks()] == ["translate", "rotate_z"]
    assert np.allclose(model.matrix(), shift(1, 2, 0) @ rot_z(90))
    model.move_block(0, 0)  # nothing to do: no event
    model.move_block(0, 5)
    assert len(events.seen) == 6


def test_reorder_takes_a_drag_and_ignores_a_half_done_one(model):
    model.set_blocks([("scale", {"sx": 2}), ("rotate_x", {"degrees": 45}), ("translate", {})])
    ids = [b.id for b in model.items]
    assert len(set(ids)) == 3
    assert not model.reorder(ids + [ids[0]])  # a row inserted, the old one not yet removed
    assert not model.reorder(ids + [None])  # a dropped row before its id is set
    assert not model.reorder([ids[0], ids[0], ids[2]])
    assert not model.reorder(ids)  # no change
    assert model.reorder([ids[2], ids[0], ids[1]])
    assert [kind for kind, _ in model.blocks()] == ["translate", "scale", "rotate_x"]
    assert [b.id for b in model.items] == [ids[2], ids[0], ids[1]]  # ids follow their blocks


def test_set_blocks_checks_every_block_before_changing_anything(model):
    model.set_blocks([("scale", {"sx": 2, "sy": 1, "sz": 1})])
    before = model.blocks()
    with pytest.raises(ValueError, match="twist"):
        model.set_blocks([("rotate_x", {}), ("twist", {})])
    with pytest.raises(ValueError, match="must not be 0"):
        model.set_blocks([("perspective", {"d": 0})])
    with pytest.raises(ValueError, match="no parameter"):
        model.add_block("scale", {"degrees": 3})
    assert model.blocks() == before


def test_set_param_edits_one_block_and_keeps_its_id(model):
    model.set_blocks([("rotate_y", {"degrees": 10}), ("perspective", {"d": 4})])
    first = model.items[0].id
    model.set_param(0, "degrees", 20)
    assert model.items[0].id == first and model.blocks()[0] == ("rotate_y", {"degrees": 20.0})
    assert np.allclose(model.matrix(), affine.rotation("y", 20) @ affine.perspective(4))
    with pytest.raises(ValueError, match="must not be 0"):
        model.set_param(1, "d", 0)
    assert model.blocks()[1] == ("perspective", {"d": 4.0})  # the last valid value is kept
    assert not model.is_affine()


def test_remove_block(model):
    model.set_blocks([("scale", {"sx": 2}), ("rotate_x", {"degrees": 45})])
    model.remove_block(0)
    assert model.blocks() == [("rotate_x", {"degrees": 45.0})]
    assert np.allclose(model.matrix(), affine.rotation("x", 45))
    model.remove_block(7)  # no such row: nothing happens
    assert len(model.items) == 1


def test_typing_a_cell_enters_custom_mode_until_the_stack_is_edited(model):
    model.set_blocks([("rotate_z", {"degrees": 30})])
    assert model.mode_text()[0] == STACK_MODE_TEXT
    model.set_cell(2, 2, 2.5)
    assert model.custom and model.matrix()[2, 2] == 2.5
    assert model.mode_text()[0] == CUSTOM_MODE_TEXT and "typed" in model.mode_text()[1]
    assert model.blocks() == [("rotate_z", {"degrees": 30.0})]  # kept, just not in charge
    W, b = model.linear()
    assert W[2, 2] == 2.5 and np.array_equal(b, [0, 0, 0])

    model.set_param(0, "degrees", 45)
    assert not model.custom and np.allclose(model.matrix(), affine.rotation("z", 45))


def test_set_matrix_is_checked_and_matrix_is_a_copy(model):
    M = affine.compose([affine.rotation("x", 33.3), affine.translation(0.1234567, 0, 2)])
    model.set_matrix(M)
    assert np.array_equal(model.matrix(), M) and model.custom
    model.matrix()[0, 0] = 99
    assert model.matrix()[0, 0] == M[0, 0]
    with pytest.raises(ValueError, match="4×4"):
        model.set_matrix(np.eye(3))
    with pytest.raises(ValueError, match="finite"):
        model.set_matrix(np.full((4, 4), np.nan))
    with pytest.raises(ValueError, match="finite"):
        model.set_cell(0, 0, float("inf"))


def test_t_interpolates_and_never_changes_m(model):
    model.set_blocks([("rotate_z", {"degrees": 90}), ("translate", {"tx": 1})])
    M = model.matrix()
    events = Recorder(model)
    model.set_t(0.5)
    assert model.t == 0.5 and np.allclose(model.shown_matrix(), affine.interpolate(M, 0.5))
    model.set_t(-3)
    assert model.t == 0.0 and np.allclose(model.shown_matrix(), np.eye(4))
    model.set_t(0.0)  # unchanged: no event
    assert events.seen == ["t_changed", "t_changed"]
    assert np.array_equal(model.matrix(), M)


def test_readouts_are_computed_once_per_matrix(model):
    model.set_blocks([("scale", {"sx": 2, "sy": 3, "sz": 1})])
    first = model.readouts()
    assert model.readouts() is first and first.determinant == pytest.approx(6)
    model.set_cell(0, 0, 1)
    assert model.readouts() is not first and model.readouts().determinant == pytest.approx(3)


def test_block_titles():
    assert block_title("rotate_z", {"degrees": 30}) == "Rotate z  30°"
    assert block_title("scale", {"sx": 1.5, "sy": 1, "sz": 1}) == "Scale  1.5, 1, 1"
    assert block_title("translate", {"tx": 1, "ty": 0, "tz": -2}) == "Translate  1, 0, -2"
    assert block_title("shear", {"xy": 0.5, "xz": 0, "yx": 0, "yz": 0, "zx": 0, "zy": 0}) == "Shear  xy 0.5"
    assert block_title("shear", dict.fromkeys(affine.BLOCKS["shear"], 0)) == "Shear  none"
    assert block_title("perspective", {"d": 4}) == "Perspective  d = 4"


# --- the points the lab draws ---------------------------------------------------------------
def test_lab_points_pad_project_and_sample():
    assert lab_points(None) is None and lab_points(np.zeros((0, 3))) is None
    points, labels = lab_points(np.ones((30, 2)), np.arange(30))
    assert points.shape == (30, 3) and np.all(points[:, 2] == 0) and len(labels) == 30
    points, labels = lab_points(np.random.default_rng(0).normal(size=(50, 5)), np.arange(7))
    assert points.shape == (50, 3) and labels is None  # labels that do not match are dropped
    points, labels = lab_points(np.random.default_rng(1).normal(size=(5000, 3)), np.arange(5000))
    assert points.shape == (MAX_LAB_POINTS, 3) and len(labels) == MAX_LAB_POINTS
    again, _ = lab_points(np.random.default_rng(1).normal(size=(5000, 3)), None)
    assert np.array_equal(points, again)  # the same sample every time


# --- what the readouts say --------------------------------------------------------------------
def test_numbers_have_fixed_decimals_and_no_negative_zero():
    assert fmt(-0.0001) == "0.000" and fmt(2) == "2.000" and fmt(1.23456, 2) == "1.23"
    assert fmt_complex(2 - 0.5j) == "2.000 ± 0.500i" and fmt_complex(-0.0 + 0j) == "0.000"
    assert format_matrix(np.eye(2)) == "[ 1.000  0.000 ]\n[ 0.000  1.000 ]"


def test_summary_page_determinant_and_invertibility():
    pages = {k: plain(v) for k, v in readout_pages(affine.scaling(2, 3, 1)).items()}
    assert list(pages) == list(PAGES)
    summary = pages["Summary"]
    assert "Determinant of W: 6.000 → volumes ×6.000" in summary
    assert "Invertible" in summary and "not invertible" not in summary.lower()
    assert affine.describe(affine.scaling(2, 3, 1)) in summary
    assert "rotation · scale · rotation" in pages["SVD"]
    assert "Σ (scale along the axes): 3.000, 2.000, 1.000" in pages["SVD"]
    assert "0.500" in pages["M⁻¹"]  # the inverse halves x

    flipped = plain(readout_pages(affine.scaling(-1, 1, 1))["Summary"])
    assert "orientation flipped" in flipped
    assert "a negative scale is a mirror" in plain(readout_pages(affine.scaling(-1, 1, 1))["SVD"])

    flat = plain(readouts_html(affine.scaling(1, 1, 0)))
    assert "not invertible" in flat.lower() and "space is flattened" in flat
    assert "-0.000" not in flat and "flipped" not in flat
    assert "nothing can undo this map" in flat


def test_eigen_page_and_the_scene_labels_name_the_same_lambdas():
    r = affine.readouts(affine.rotation("z", 90))
    eigen = plain(readout_pages(affine.rotation("z", 90), r)["Eigen"])
    assert "Eigenvalues of W: " in eigen and "0.000 ± 1.000i" in eigen
    assert "λ₁ = 1.000  (0.000, 0.000, 1.000)" in eigen
    assert "complex pair" in eigen
    assert eigen_labels(r) == ["λ₁=1.00"]

    M = affine.compose([rot_z(30), affine.scaling(1.5, 1, 1), affine.shear(xy=0.5)])
    r = affine.readouts(M)
    eigen = plain(readout_pages(M, r)["Eigen"])
    labels = eigen_labels(r)
    assert len(labels) == 3 and "complex pair" not in eigen
    for i, (value, _vector) in enumerate(r.real_eigen):
        assert labels[i] == f"λ{'₁₂₃'[i]}={value:.2f}"
        assert f"λ{'₁₂₃'[i]} = {fmt(value)}  (" in eigen


def test_a_perspective_map_says_w_and_b_do_not_describe_it():
    text = plain(readout_pages(affine.perspective(2))["M⁻¹"])
    assert "perspective (projective) map" in text
    assert "perspective" not in plain(readout_pages(np.eye(4))["M⁻¹"])
