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
    QMessageBox,
    QPushButton,
    QSlider,
    QTabWidget,
    QToolButton,
    QWidget,
)
from window_helpers import shown_at

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
    return shown_at(qtbot, TransformLab(), 1300, 800, exposed=True)


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
                      (QPushButton, "removeBlock"), (QTabWidget, "readouts"), (QComboBox, "labObject"),
                      (QToolButton, "resetCamera"), (QPushButton, "animateButton"), (QSlider, "morphSlider")]:
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
    assert "Determinant" in text and "6.000" in text and "volumes ×6.000" in text
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
    assert "λ₁ = 1.000\n(0.000, 0.000, 1.000)" in text  # λ and its eigenvector, side by side
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
    qtbot.mouseClick(lab.findChild(QToolButton, "resetCamera"), Qt.MouseButton.LeftButton)
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
    assert lab.dataset()[0].shape == (30, 3)
    lab.set_dataset_points(None, None)
    assert not combo.model().item(index).isEnabled()
    assert lab.object_kind() == "cube"


# --- editing the lab in the window: typed numbers are kept (issue 16, defect 2) ----------------
@pytest.fixture
def lab_window(qtbot):
    """The main window at its default size with the Transform lab tab in front."""
    return open_window(qtbot, 1400, 860)


def open_window(qtbot, width: int, height: int):
    from laegna_gui.ui.main_window import MainWindow

    win = MainWindow(load_preset("xor"), remember_layout=False, autosave=False)
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    win.tabs.show_view("transform-lab")
    qtbot.waitUntil(lambda: win.tabs.lab.isVisible())
    win.activateWindow()
    return win


def type_text(qtbot, box: QDoubleSpinBox, text: str, select_all: bool = True) -> None:
    """Click into the box as a user does, (select what is there,) then type."""
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(box.hasFocus)
    if select_all:
        qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)


def finish(qtbot, box: QDoubleSpinBox) -> None:
    """Tab out of the box, as a user moves on to the next cell."""
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not box.hasFocus())


def test_typing_a_decimal_into_a_matrix_cell_keeps_it(qtbot, lab_window):
    lab = lab_window.tabs.lab
    cell = spin(lab, "matrixCell_0_1")
    type_text(qtbot, cell, "2.")
    assert cell.text() == "2."  # the refresh this edit causes leaves the typed text alone
    assert lab.matrix()[0, 1] == 2.0 and lab.custom_mode  # applied while typing
    qtbot.keyClicks(cell, "5")
    assert cell.text() == "2.5" and lab.matrix()[0, 1] == 2.5
    assert spin(lab, "linearW_0_1").text() == "2.500"  # the other view of the number follows
    finish(qtbot, cell)
    assert cell.text() == "2.500" and cell.value() == 2.5
    assert lab.matrix()[0, 1] == 2.5 and lab.model.matrix()[0, 1] == 2.5
    assert f"{np.linalg.det(lab.matrix()[:3, :3]):.3f}" in lab.readouts.toPlainText()


def test_a_cell_accepts_a_minus_sign_and_an_empty_text_while_typing(qtbot, lab_window):
    lab = lab_window.tabs.lab
    cell = spin(lab, "matrixCell_2_3")
    type_text(qtbot, cell, "-")
    assert cell.text() == "-" and lab.matrix()[2, 3] == 0.0  # nothing to apply yet
    qtbot.keyClicks(cell, "0.75")
    finish(qtbot, cell)
    assert cell.text() == "-0.750" and lab.matrix()[2, 3] == -0.75

    before = lab.matrix()
    type_text(qtbot, cell, "")
    qtbot.keyClick(cell, Qt.Key.Key_Backspace)
    assert cell.text() == ""
    finish(qtbot, cell)
    assert cell.text() == "-0.750" and np.array_equal(lab.matrix(), before)  # nothing typed: kept


def test_a_click_selects_the_cell_so_typing_replaces_the_number(qtbot, lab_window):
    lab = lab_window.tabs.lab
    cell = spin(lab, "matrixCell_1_1")
    type_text(qtbot, cell, "", select_all=False)
    qtbot.waitUntil(lambda: cell.lineEdit().selectedText() == cell.text())
    qtbot.keyClicks(cell, "3.25")
    finish(qtbot, cell)
    assert cell.text() == "3.250" and lab.matrix()[1, 1] == 3.25


def test_w_b_and_block_parameters_keep_typed_decimals(qtbot, lab_window):
    lab = lab_window.tabs.lab
    w_cell, b_cell = spin(lab, "linearW_1_2"), spin(lab, "linearB_0")
    type_text(qtbot, w_cell, "1.75")
    assert w_cell.text() == "1.75"
    finish(qtbot, w_cell)
    type_text(qtbot, b_cell, "-0.5")
    finish(qtbot, b_cell)
    assert (w_cell.text(), b_cell.text()) == ("1.750", "-0.500")
    assert lab.matrix()[1, 2] == 1.75 and lab.matrix()[0, 3] == -0.5
    assert spin(lab, "matrixCell_1_2").text() == "1.750" and spin(lab, "matrixCell_0_3").text() == "-0.500"

    stack = lab.findChild(QListWidget, "blockStack")
    stack.setCurrentRow([kind for kind, _ in lab.blocks()].index("scale"))
    sx = spin(lab, "blockParam_sx")
    type_text(qtbot, sx, "2.")
    assert sx.text() == "2." and lab.blocks()[1][1]["sx"] == 2.0 and not lab.custom_mode
    qtbot.keyClicks(sx, "5")
    finish(qtbot, sx)
    assert sx.value() == 2.5 and lab.blocks()[1][1]["sx"] == 2.5
    assert stack.item(1).text() == "Scale  2.5, 1, 1"


def test_a_perspective_distance_of_zero_is_refused_with_a_message(qtbot, lab_window):
    lab = lab_window.tabs.lab
    lab.set_blocks([("perspective", {"d": 4.0})])
    d = spin(lab, "blockParam_d")
    type_text(qtbot, d, "0")
    finish(qtbot, d)
    assert lab.blocks() == [("perspective", {"d": 4.0})]
    assert d.value() == 4.0  # the box shows the value the block kept
    message = lab.findChild(QLabel, "blockParamsTitle")
    assert message.isVisible() and "must not be 0" in message.text() and "Kept d = 4" in message.text()
    type_text(qtbot, d, "0")
    assert message.isVisible()
    qtbot.keyClick(d, Qt.Key.Key_Backspace)
    qtbot.keyClicks(d, "4")  # the value the block has: the problem is gone
    assert not message.isVisible()
    type_text(qtbot, d, "2")
    finish(qtbot, d)
    assert lab.blocks() == [("perspective", {"d": 2.0})] and not message.isVisible()


# --- laid out for the window's sizes (issue 16) -----------------------------------------------
def fits(label: QLabel) -> bool:
    """A word-wrapped label shows all its text."""
    return label.heightForWidth(label.width()) <= label.height() or (
        not label.wordWrap() and label.sizeHint().width() <= label.width())


def shown_whole(widget: QWidget) -> bool:
    """No part of the widget is scrolled or clipped out of sight by any widget around it."""
    return widget.visibleRegion().boundingRect() == widget.rect()


STACKS = [  # the window's example, mirrored (shear shows six parameters); the longest texts
    [("rotate_z", {"degrees": 30}), ("scale", {"sx": 1.5, "sy": -1.0, "sz": 1.0}), ("shear", {"xy": 0.5})],
    [("perspective", {"d": 2.0}), ("rotate_z", {"degrees": 90})],  # perspective note, a complex pair
    [("scale", {"sx": 1.0, "sy": 1.0, "sz": 0.0}), ("shear", {"xy": 0.5, "zy": 0.3})],  # not invertible
]


@pytest.mark.parametrize("size", [(1280, 800), (1400, 860), (1920, 1080)])
def test_the_lab_fits_the_window_without_scrolling_or_cutting(qtbot, size):
    win = open_window(qtbot, *size)
    lab = win.tabs.lab
    area = win.tabs.currentWidget()
    for blocks in STACKS:
        lab.set_blocks(blocks)
        lab.stack.setCurrentRow(len(blocks) - 1)
        # the scroll area has laid the lab out (at the viewport's size, or at its minimum if larger)
        # (the Output dock steps aside for the lab: the window lays itself out again, then the area)
        qtbot.waitUntil(lambda: not win._docks["output"].isVisible()
                        and lab.size() == area.viewport().size().expandedTo(lab.minimumSizeHint())
                        and not area.horizontalScrollBar().isVisible() and not area.verticalScrollBar().isVisible())
        assert lab.minimumSizeHint().width() <= area.viewport().width()
        assert lab.minimumSizeHint().height() <= area.viewport().height()
        assert_nothing_cut(qtbot, lab)

    lab.set_matrix(np.diag([-123.456, 2.0, 1.0, 1.0]))  # a wide number widens the cells (the tab may scroll)
    qtbot.waitUntil(lambda: all(
        c.lineEdit().fontMetrics().horizontalAdvance(c.text()) + 4 <= c.lineEdit().width()
        for row in lab.matrix_spins + lab.linear_editor.cells for c in row))


def assert_nothing_cut(qtbot, lab) -> None:
    parts = [lab.matrix_editor, lab.linear_editor, lab.findChild(QWidget, "blockParams"), lab.mode_label]
    if lab.perspective_note.isVisible():
        parts.append(lab.perspective_note)
    for part in parts:
        assert shown_whole(part), part.objectName()
    for cell in [c for row in lab.matrix_spins + lab.linear_editor.cells for c in row]:
        edit = cell.lineEdit()
        assert edit.fontMetrics().horizontalAdvance(cell.text()) + 4 <= edit.width(), cell.objectName()
    assert fits(lab.mode_label) and fits(lab.perspective_note)
    tabs = lab.readouts.tabBar()
    assert all(tabs.rect().contains(tabs.tabRect(i)) for i in range(tabs.count()))  # no tab scrolled away
    for index, label in enumerate(lab.readouts.pages.values()):
        lab.readouts.setCurrentIndex(index)
        qtbot.waitUntil(label.isVisible)
        assert fits(label) and shown_whole(label), label.objectName()
    for row in range(lab.stack.count()):
        assert lab.stack.fontMetrics().horizontalAdvance(lab.stack.item(row).text()) < lab.stack.viewport().width()


# --- the arrow labels in the scene (issue 16: the λ labels overlapped) --------------------------
def test_place_labels_takes_the_first_free_spot():
    from laegna_gui.ui.space3d.transform_lab_labels import place_labels

    bounds = (0, 0, 200, 200)
    a = [(0, 0, 20, 10), (0, 30, 20, 40)]
    b = [(5, 5, 25, 15), (50, 0, 70, 10)]
    assert place_labels([a, b], np.empty((0, 4)), bounds) == [0, 1]  # b's first spot is taken by a
    assert place_labels([a, b], np.array([[0, 0, 4, 4]]), bounds) == [1, 0]  # an obstacle moves a
    assert place_labels([[(-30, 0, -10, 10), (10, 10, 30, 20)]], np.empty((0, 4)), bounds) == [1]  # off the view
    # a label with fewer free spots chooses first: c's only spot is a's first
    c = [(0, 0, 20, 10)]
    assert place_labels([a, c], np.empty((0, 4)), bounds) == [1, 0]
    # nowhere free: the spot that overlaps least
    assert place_labels([[(0, 0, 20, 20), (30, 0, 50, 20)]], np.array([[0, 0, 20, 20], [30, 0, 35, 20]]),
                        bounds) == [1]


def visible_labels(view) -> list:
    from pyqtgraph.opengl import GLTextItem

    return [item for item in view.items if isinstance(item, GLTextItem) and item.visible() and item.text]


@pytest.mark.gl
@pytest.mark.parametrize("blocks", [
    [("rotate_z", {"degrees": 30}), ("scale", {"sx": 1.5, "sy": 1.0, "sz": 1.0}), ("shear", {"xy": 0.5})],
    [],  # the identity: every eigenvector lies on a basis arrow
    [("scale", {"sx": 2.0, "sy": 0.5, "sz": 1.0})],
    [("shear", {"xy": 0.5, "yz": 0.3}), ("scale", {"sx": 0.5, "sy": -1.0, "sz": 1.5})],
])
@pytest.mark.parametrize("size", [(900, 460), (760, 390)])  # the lab at 1400×860 and 1280×800
def test_the_arrow_labels_never_overlap(qtbot, blocks, size):
    from laegna_gui.ui.space3d.transform_lab_labels import Screen, overlap_areas, text_rect

    lab = TransformLab()
    qtbot.addWidget(lab)
    lab.resize(*size)
    lab.show()
    qtbot.waitExposed(lab)
    qtbot.waitUntil(lambda: lab.panel.view is not None)
    lab.set_blocks(blocks)
    view = lab.panel.view
    for azimuth, elevation in [(35, 22), (110, 22), (200, 40), (300, 10), (80, 60)]:
        view.setCameraPosition(azimuth=azimuth, elevation=elevation)
        view.grabFramebuffer()  # draws a frame: the labels are placed for this camera
        labels = visible_labels(view)
        assert len(labels) >= 3 + (0 if blocks == [] else 1)  # i, j, k and the λs
        screen = Screen(view)
        rects = np.array([text_rect(screen, label, label.pos, label.alignment) for label in labels])
        for k, rect in enumerate(rects):
            others = np.delete(rects, k, axis=0)
            assert overlap_areas(rect[None], others)[0] == 0, (azimuth, elevation, labels[k].text)
            assert rect[0] >= 0 and rect[1] >= 0 and rect[2] <= view.width() and rect[3] <= view.height()


# --- the affine fit view --------------------------------------------------------------------
@pytest.fixture
def fit(qtbot):
    return shown_at(qtbot, AffineFitView(), 1000, 600)


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
