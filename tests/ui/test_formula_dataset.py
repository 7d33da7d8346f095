"""The dataset panel in the real window: typing a formula makes its data, a wrong one says
where it is wrong and keeps the data; the variant picker lists each dataset's own versions."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit

from laegna_gui.core.datasets import make_dataset
from laegna_gui.core.formula_data import DEFAULT_FORMULA
from test_layout_sizes import WAIT, _assert_controls_whole, _assert_palette_whole, _assert_whole, _open
from window_helpers import open_window


def choose(combo: QComboBox, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def type_formula(qtbot, edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def shown_points(panel) -> np.ndarray:
    return np.column_stack(panel.preview.train_item.getData())


def test_typing_a_formula_makes_its_data_and_a_wrong_one_keeps_the_data(qtbot):
    window = open_window(qtbot)
    panel, document = window.dataset_panel, window.document
    edit = panel.findChild(QLineEdit, "formulaEdit")
    problem = panel.findChild(QLabel, "formulaError")
    assert not edit.isVisible()  # only the formula dataset has a formula

    choose(panel.combo, "formula")
    assert edit.isVisible() and edit.text() == DEFAULT_FORMULA
    assert document.project.dataset.options == {"formula": DEFAULT_FORMULA}

    type_formula(qtbot, edit, "label = x1^2 + x2^2 < 0.4")
    settings = document.project.dataset
    assert settings.options == {"formula": "label = x1^2 + x2^2 < 0.4"}
    data = make_dataset(settings, document.project.seed)
    np.testing.assert_array_equal(shown_points(panel), data.x_train)
    inside = np.hypot(*data.x_train.T) < np.sqrt(0.4) - 3 * settings.noise  # far from the rim, despite noise
    assert data.y_train[inside].all() and not problem.isVisible()
    before = shown_points(panel)

    type_formula(qtbot, edit, "label = x1 * ")
    assert problem.isVisible() and problem.property("role") == "error"
    assert problem.text() == "position 13: expected a number, a name or '(' after '*'"
    assert document.project.dataset == settings  # the data stays as it was
    np.testing.assert_array_equal(shown_points(panel), before)
    assert edit.text() == "label = x1 * "  # the text stays to be fixed

    type_formula(qtbot, edit, "y = log(x1)")  # reads well, but has no value for x1 < 0
    assert "no usable value" in problem.text() and document.project.dataset == settings

    type_formula(qtbot, edit, "y = sin(3*x1)")
    assert not problem.isVisible() and document.project.dataset.options == {"formula": "y = sin(3*x1)"}
    assert make_dataset(document.project.dataset).task == "regression"

    document.undo_stack.undo()
    assert edit.text() == "label = x1^2 + x2^2 < 0.4" and document.project.dataset == settings


def test_leaving_a_wrong_formula_for_another_dataset_forgets_it(qtbot):
    window = open_window(qtbot)
    panel = window.dataset_panel
    edit = panel.findChild(QLineEdit, "formulaEdit")
    choose(panel.combo, "formula")
    type_formula(qtbot, edit, "label = (x1")
    assert "position 12: expected ')' to close the '(' at position 9" in panel.formula.problem.text()
    choose(panel.combo, "circle")
    choose(panel.combo, "formula")
    assert edit.text() == DEFAULT_FORMULA and not panel.formula.problem.isVisible()


def test_the_variant_picker_offers_the_playgrounds_own_data(qtbot):
    window = open_window(qtbot)
    panel, document = window.dataset_panel, window.document
    variant = panel.findChild(QComboBox, "variantCombo")
    choose(panel.combo, "circle")
    assert [variant.itemData(i) for i in range(variant.count())] == ["laegna", "playground"]
    assert "radius 0.5" in variant.toolTip()
    choose(variant, "playground")
    assert document.project.dataset.options == {"variant": "playground"}
    assert "TensorFlow Playground's circle" in variant.toolTip()
    assert np.abs(shown_points(panel)).max() > 3  # the playground's own coordinates
    choose(panel.combo, "spiral")  # the playground's spiral, as the circle was
    assert document.project.dataset.options == {"variant": "playground"} and variant.currentData() == "playground"
    choose(panel.combo, "moons")  # moons comes in one version
    assert document.project.dataset.options == {} and not variant.isEnabled()


def test_the_formula_and_its_message_fit_the_smallest_window_without_scrolling(qtbot):
    window = _open(qtbot, (1280, 800))
    panel = window.dataset_panel
    choose(panel.combo, "formula")
    type_formula(qtbot, panel.formula.edit, "label = x1 > 0 and sin(")
    assert panel.formula.problem.isVisible()
    qtbot.waitUntil(lambda: _assert_whole({"formula": panel.formula.edit, "problem": panel.formula.problem},
                                          window), timeout=WAIT)
    qtbot.waitUntil(lambda: _assert_controls_whole(window), timeout=WAIT)
    _assert_palette_whole(window)
