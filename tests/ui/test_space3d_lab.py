"""The transform lab and the affine fit view, without OpenGL (the suite runs offscreen):
editors, the composition stack, readouts, animation time, and the fit view's numbers.
The 3-D scenes themselves are checked under Xvfb by the screenshot command."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QListWidget,
    QPushButton,
    QSlider,
    QTextBrowser,
)

from laegna_gui.core import affine
from laegna_gui.core.datasets import hidden_affine
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.space3d.affine_fit_view import NOT_AFFINE, AffineFitView
from laegna_gui.ui.space3d.transform_lab import (
    CUSTOM_MODE_TEXT,
    TransformLab,
    fmt_complex,
)

NUMBER = re.compile(r"-?\d+\.\d+")


def numbers(text: str) -> np.ndarray:
    return np.array([float(v) for v in NUMBER.findall(text)])


@pytest.fixture
def lab(qtbot):
    widget = TransformLab()
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def spin(widget, name: str) -> QDoubleSpinBox:
    found = widget.findChild(QDoubleSpinBox, name)
    assert found is not None, name
    return found


def add_block(qtbot, lab, kind: str, **params: float) -> None:
    """Add a block the way a user does: pick the kind, press Add, type the parameters."""
    combo = lab.findChild(QComboBox, "blockKind")
    combo.setCurrentIndex(combo.findData(kind))
    qtbot.mouseClick(lab.findChild(QPushButton, "addBlock"), Qt.MouseButton.LeftButton)
    for name, value in params.items():
        box = spin(lab, f"blockParam_{name}")
        assert box.isVisibleTo(lab)
        box.setValue(value)


def rot_z(degrees: float) -> np.ndarray:
    a = np.radians(degrees)
    M = np.eye(4)
    M[:2, :2] = [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]
    return M


def shift(x: float, y: float, z: float) -> np.ndarray:
    M = np.eye(4)
    M[:3, 3] = [x, y, z]
    return M


# --- the transform lab ----------------------------------------------------------------------
def test_the_lab_has_its_named_parts(lab):
    assert lab.objectName() == "transformLab"
    for cls, name in [(QListWidget, "blockStack"), (QComboBox, "blockKind"), (QPushButton, "addBlock"),
                      (QPushButton, "removeBlock"), (QTextBrowser, "readouts"), (QComboBox, "labObject"),
                      (QPushButton, "resetCamera"), (QPushButton, "animateButton"), (QSlider, "morphSlider")]:
        assert lab.findChild(cls, name) is not None, name
    assert lab.findChild(type(lab.matrix_editor), "matrixEditor") is lab.matrix_editor
    assert lab.findChild(type(lab.linear_editor), "linearEditor") is lab.linear_editor
    assert lab.panel.objectName() == "labScene"
    stack = lab.findChild(QListWidget, "blockStack")
    assert stack.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    assert np.allclose(lab.matrix(), np.eye(4))
    assert all(w.toolTip() for w in (stack, lab.slider, lab.animate_button, lab.readouts, lab.object_combo))


def test_matrix_editor_and_linear_editor_stay_in_sync(lab):
    spin(lab, "matrixCell_0_1").setValue(2.0)
    assert spin(lab, "linearW_0_1").value() == 2.0
    assert lab.matrix()[0, 1] == 2.0
    spin(lab, "matrixCell_1_3").setValue(0.75)
    assert spin(lab, "linearB_1").value() == 0.75

    spin(lab, "linearW_2_0").setValue(-1.25)
    spin(lab, "linearB_2").setValue(-1.5)
    assert spin(lab, "matrixCell_2_0").value() == -1.25
    assert spin(lab, "matrixCell_2_3").value() == -1.5
    W, b = affine.to_linear(lab.matrix())
    assert W[2, 0] == -1.25 and np.allclose(b, [0, 0.75, -1.5])


def test_editing_w_and_b_keeps_the_perspective_row(lab):
    lab.set_blocks([("perspective", {"d": 4.0})])
    spin(lab, "linearB_0").setValue(1.0)
    assert lab.matrix()[3, 2] == pytest.approx(0.25)
    assert lab.matrix()[0, 3] == 1.0
    assert lab.perspective_note.isVisibleTo(lab)


def test_set_matrix_shows_full_precision_and_matrix_returns_a_copy(lab):
    M = affine.compose([affine.rotation("x", 33.3), affine.translation(0.1234567, 0, 2)])
    lab.set_matrix(M)
    assert np.array_equal(lab.matrix(), M)  # spin boxes round for display only
    assert spin(lab, "matrixCell_0_3").value() == pytest.approx(0.123)
    lab.matrix()[0, 0] = 99
    assert lab.matrix()[0, 0] == M[0, 0]
    with pytest.raises(ValueError):
        lab.set_matrix(np.eye(3))


def test_rotate_then_translate_stack_gives_the_product_and_order_matters(qtbot, lab):
    add_block(qtbot, lab, "rotate_z", degrees=90)
    add_block(qtbot, lab, "translate", tx=1, ty=2, tz=0)
    assert [kind for kind, _ in lab.blocks()] == ["rotate_z", "translate"]
    assert lab.blocks()[1][1] == {"tx": 1.0, "ty": 2.0, "tz": 0.0}
    expected = rot_z(90) @ shift(1, 2, 0)  # the bottom block (translate) acts first
    assert np.allclose(lab.matrix(), expected)
    assert np.allclose(lab.matrix()[:3, 3], [-2, 1, 0])
    assert np.allclose(lab.matrix(), affine.compose([affine.block_matrix(k, **p) for k, p in lab.blocks()]))
    assert spin(lab, "matrixCell_0_3").value() == pytest.approx(-2.0)
    assert not lab.custom_mode

    # drag-and-drop reorder (InternalMove) moves rows in the model: translate to the top
    stack = lab.findChild(QListWidget, "blockStack")
    assert stack.model().moveRow(QModelIndex(), 1, QModelIndex(), 0)
    assert [kind for kind, _ in lab.blocks()] == ["translate", "rotate_z"]
    swapped = shift(1, 2, 0) @ rot_z(90)
    assert np.allclose(lab.matrix(), swapped)
    assert not np.allclose(swapped, expected)  # A·B ≠ B·A
    assert spin(lab, "matrixCell_0_3").value() == pytest.approx(1.0)

    # and back with the keyboard-friendly buttons
    stack.setCurrentRow(1)
    qtbot.mouseClick(lab.findChild(QPushButton, "moveBlockUp"), Qt.MouseButton.LeftButton)
    assert [kind for kind, _ in lab.blocks()] == ["rotate_z", "translate"]
    assert np.allclose(lab.matrix(), expected)


def test_remove_block_and_set_blocks(qtbot, lab):
    lab.set_blocks([("scale", {"sx": 2, "sy": 1, "sz": 1}), ("rotate_x", {"degrees": 45})])
    assert lab.blocks() == [("scale", {"sx": 2.0, "sy": 1.0, "sz": 1.0}), ("rotate_x", {"degrees": 45.0})]
    lab.findChild(QListWidget, "blockStack").setCurrentRow(0)
    qtbot.mouseClick(lab.findChild(QPushButton, "removeBlock"), Qt.MouseButton.LeftButton)
    assert lab.blocks() == [("rotate_x", {"degrees": 45.0})]
    assert np.allclose(lab.matrix(), affine.rotation("x", 45))
    with pytest.raises(ValueError):
        lab.set_blocks([("twist", {})])


def test_only_the_selected_blocks_parameters_are_shown(lab):
    lab.set_blocks([("rotate_y", {"degrees": 10}), ("shear", {"xy": 0.5})])
    lab.findChild(QListWidget, "blockStack").setCurrentRow(0)
    assert spin(lab, "blockParam_degrees").isVisibleTo(lab)
    assert spin(lab, "blockParam_degrees").value() == 10
    assert not spin(lab, "blockParam_xy").isVisibleTo(lab)
    lab.findChild(QListWidget, "blockStack").setCurrentRow(1)
    assert spin(lab, "blockParam_xy").isVisibleTo(lab) and spin(lab, "blockParam_xy").value() == 0.5
    assert not spin(lab, "blockParam_degrees").isVisibleTo(lab)
    assert set(lab.param_spins) == set(affine.BLOCKS["shear"])


def test_readouts_show_determinant_flip_and_not_invertible(lab):
    lab.set_blocks([("scale", {"sx": 2, "sy": 3, "sz": 1})])
    text = lab.readouts.toPlainText()
    assert "Determinant" in text and "6.000" in text and "volume ×|det|" in text
    assert "Invertible" in text and "not invertible" not in text.lower()
    assert "rotation · scale · rotation" in text
    assert "0.500" in text  # the inverse scales x by 1/2
    assert affine.describe(lab.matrix()) in text

    lab.set_blocks([("scale", {"sx": -1, "sy": 1, "sz": 1})])
    assert "orientation flipped" in lab.readouts.toPlainText()

    lab.set_blocks([("scale", {"sx": 1, "sy": 1, "sz": 0})])
    text = lab.readouts.toPlainText()
    assert "not invertible" in text.lower()
    assert "-0.000" not in text and "0.000" in text
    assert "flipped" not in text


def test_readouts_show_complex_eigenvalues_and_real_eigenvectors(lab):
    lab.set_blocks([("rotate_z", {"degrees": 90})])
    text = lab.readouts.toPlainText()
    assert "0.000 ± 1.000i" in text
    assert "λ = 1.000 along (0.000, 0.000, 1.000)" in text
    assert fmt_complex(2 - 0.5j) == "2.000 ± 0.500i"
    assert fmt_complex(-0.0 + 0j) == "0.000"


def test_a_direct_matrix_edit_enters_custom_mode_until_the_stack_is_edited(qtbot, lab):
    lab.set_blocks([("rotate_z", {"degrees": 30})])
    assert not lab.custom_mode
    mode = lab.findChild(QLabel, "labMode")
    assert "product of the blocks" in mode.text()
    spin(lab, "matrixCell_2_2").setValue(3.0)
    assert lab.custom_mode
    assert mode.text() == CUSTOM_MODE_TEXT and "Custom matrix" in mode.text()
    assert lab.matrix()[2, 2] == 3.0
    assert lab.blocks() == [("rotate_z", {"degrees": 30.0})]  # the stack is kept, just not in charge

    spin(lab, "blockParam_degrees").setValue(45)
    assert not lab.custom_mode
    assert np.allclose(lab.matrix(), affine.rotation("z", 45))
    assert "product of the blocks" in mode.text()

    lab.set_matrix(np.diag([2.0, 2, 2, 1]))
    assert lab.custom_mode
    add_block(qtbot, lab, "scale")
    assert not lab.custom_mode


def test_slider_sets_t_and_the_scene_matrix_is_interpolated(lab):
    lab.set_blocks([("rotate_z", {"degrees": 90}), ("translate", {"tx": 1, "ty": 0, "tz": 0})])
    M = lab.matrix()
    assert lab.t() == 1.0 and np.allclose(lab.shown_matrix(), M)
    slider = lab.findChild(QSlider, "morphSlider")
    assert (slider.minimum(), slider.maximum(), slider.value()) == (0, 100, 100)
    slider.setValue(50)
    assert lab.t() == 0.5
    assert np.allclose(lab.shown_matrix(), affine.interpolate(M, 0.5))
    assert "0.50" in lab.findChild(QLabel, "morphValue").text()
    slider.setValue(0)
    assert np.allclose(lab.shown_matrix(), np.eye(4))
    lab.set_t(0.25)
    assert slider.value() == 25 and np.allclose(lab.shown_matrix(), affine.interpolate(M, 0.25))
    assert np.allclose(lab.matrix(), M)  # scrubbing never changes M itself


def test_animate_plays_identity_to_m(qtbot, lab):
    lab.set_blocks([("scale", {"sx": 2, "sy": 1, "sz": 1})])
    button = lab.findChild(QPushButton, "animateButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert lab.animating and lab.t() < 0.5
    qtbot.waitUntil(lambda: not lab.animating, timeout=5000)
    assert lab.t() == 1.0 and lab.slider.value() == 100
    assert button.text() == "Animate"


def test_without_gl_the_scene_shows_the_fallback_and_nothing_crashes(qtbot, lab):
    assert not lab.panel.has_gl and lab.panel.view is None
    message = lab.panel.findChild(QLabel, "labSceneNoGL")
    assert message is not None and message.isVisible() and "OpenGL" in message.text()
    combo = lab.findChild(QComboBox, "labObject")
    for index in range(combo.count()):
        combo.setCurrentIndex(index)
    qtbot.mouseClick(lab.findChild(QPushButton, "resetCamera"), Qt.MouseButton.LeftButton)
    lab.set_t(0.3)
    lab.set_blocks([("perspective", {"d": 2.0})])
    lab.eigen_check.setChecked(False)
    assert "perspective" in lab.readouts.toPlainText()


def test_dataset_points_become_a_choice(lab):
    combo = lab.findChild(QComboBox, "labObject")
    index = combo.findData("dataset")
    assert not combo.model().item(index).isEnabled()
    rng = np.random.default_rng(0)
    lab.set_dataset_points(rng.uniform(-1, 1, (50, 3)), rng.integers(0, 2, 50))
    assert combo.model().item(index).isEnabled()
    combo.setCurrentIndex(index)
    assert lab.object_kind() == "dataset"
    lab.set_dataset_points(rng.uniform(-1, 1, (30, 2)), None)  # 2-D data sits in the z = 0 plane
    assert lab._dataset[0].shape == (30, 3)
    lab.set_dataset_points(None, None)
    assert not combo.model().item(index).isEnabled()
    assert lab.object_kind() == "cube"


# --- the affine fit view --------------------------------------------------------------------
@pytest.fixture
def fit(qtbot):
    view = AffineFitView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    return view


def test_affine_fit_view_shows_learned_and_true_matrices(fit):
    project = load_preset("affine3d")
    trainer = Trainer(project)
    W_true, b_true = hidden_affine(project.seed)
    true_matrix = affine.from_linear(W_true, b_true)
    fit.set_problem(trainer.data, true_matrix, "dense1")
    assert fit.objectName() == "affineFitView"
    assert fit.message_text() is None
    true_label = fit.findChild(QLabel, "trueMatrix")
    assert np.allclose(numbers(true_label.text()), np.round(true_matrix, 3).ravel())

    trainer.run(40)
    snapshot = trainer.snapshot(with_probes=False)
    fit.show_snapshot(snapshot)
    W, b = snapshot.weights["dense1.weight"], snapshot.weights["dense1.bias"]
    learned = affine.from_linear(W, b)
    learned_label = fit.findChild(QLabel, "learnedMatrix")
    assert np.allclose(numbers(learned_label.text()), np.round(learned, 3).ravel(), atol=1e-9)
    assert np.allclose(fit.learned_matrix, learned)
    gap = np.max(np.abs(learned - true_matrix))
    assert f"{gap:.3f}" in fit.findChild(QLabel, "matrixDifference").text()
    assert fit.panel.objectName() == "affineScene"
    assert not fit.panel.has_gl  # offscreen: the message stands in for the scene

    trainer.run(2000)
    fit.show_snapshot(trainer.snapshot(with_probes=False))
    assert np.max(np.abs(fit.learned_matrix - true_matrix)) < 0.05  # the layer found the hidden map


def test_affine_fit_view_explains_when_the_project_does_not_fit(fit):
    assert fit.message_text() == NOT_AFFINE  # before any problem
    xor = Trainer(load_preset("xor"))
    fit.set_problem(xor.data, None, "dense1")
    assert fit.message_text() == NOT_AFFINE
    assert "affine3d" in fit.findChild(QLabel, "affineFitMessage").text()
    fit.show_snapshot(xor.snapshot(with_probes=False))  # ignored, no crash
    assert fit.message_text() == NOT_AFFINE

    affine_trainer = Trainer(load_preset("affine3d"))
    fit.set_problem(affine_trainer.data, None, None)
    assert fit.message_text() == NOT_AFFINE

    # a 3-D problem read from a layer that is not 3→3 (here: a name that is not there)
    fit.set_problem(affine_trainer.data, None, "dense9")
    assert fit.message_text() is None
    fit.show_snapshot(affine_trainer.snapshot(with_probes=False))
    assert fit.message_text() == NOT_AFFINE

    fit.set_problem(affine_trainer.data, None, "dense1")
    fit.show_snapshot(affine_trainer.snapshot(with_probes=False))
    assert fit.message_text() is None
    assert fit.findChild(QLabel, "trueMatrix").text() == "unknown"
