"""Drawing your own points on the dataset preview: add, the other class, remove, undo, save, train."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from laegna_gui.core.datasets import DatasetSettings, make_dataset
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import load_project
from laegna_gui.ui.dataset.dataset_panel import DatasetPanel
from laegna_gui.ui.document.document import Document

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def document(qtbot):
    return Document(load_preset("xor"))


@pytest.fixture
def panel(qtbot, document):
    widget = DatasetPanel(document)
    qtbot.addWidget(widget)
    widget.resize(340, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, panel: DatasetPanel, x: float, y: float, button=LEFT, modifier=Qt.KeyboardModifier.NoModifier):
    """A real mouse click on the preview's viewport where the data point (x, y) is drawn."""
    view_box = panel.preview.getViewBox()
    where = panel.preview.mapFromScene(view_box.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(panel.preview.viewport(), button, modifier, where)


def start_drawing(qtbot, panel: DatasetPanel) -> None:
    qtbot.mouseClick(panel.findChild(QPushButton, "drawPointsToggle"), LEFT)
    assert panel.editor.active


def points(document: Document) -> dict:
    return document.project.dataset.points


def pixel(panel: DatasetPanel) -> float:
    return max(panel.preview.getViewBox().viewPixelSize())


def test_a_click_adds_a_point_of_the_current_class_where_it_lands(qtbot, panel, document):
    before = make_dataset(document.project.dataset, document.project.seed)
    start_drawing(qtbot, panel)
    assert document.undo_stack.count() == 0  # turning drawing on is not an edit
    click(qtbot, panel, 0.5, 0.25)
    dataset = document.project.dataset
    assert dataset.name == "custom" and len(dataset.points["x"]) == len(before.x_train) + len(before.x_test) + 1
    assert dataset.points["x"][-1] == pytest.approx([0.5, 0.25], abs=2 * pixel(panel))
    assert dataset.points["y"][-1] == 0
    assert document.undo_stack.count() == 1
    assert document.undo_stack.undoText() == "Add class 0 point (your copy of the xor data)"
    assert panel.combo.currentText() == f"Custom ({len(dataset.points['x'])} points)"
    document.undo_stack.undo()  # one step back to the generated XOR data
    assert document.project.dataset.name == "xor" and document.project.dataset.points is None
    document.undo_stack.redo()
    assert document.project.dataset == dataset


def test_the_drawn_copy_starts_from_the_current_points(qtbot, panel, document):
    before = make_dataset(document.project.dataset, document.project.seed)
    start_drawing(qtbot, panel)
    click(qtbot, panel, 0.5, 0.5)
    drawn = np.asarray(points(document)["x"][:-1])
    np.testing.assert_allclose(drawn, np.concatenate([before.x_train, before.x_test]), atol=1e-5)


def test_shift_click_and_the_class_buttons_choose_the_class(qtbot, panel, document):
    start_drawing(qtbot, panel)
    assert "Shift+click" in panel.findChild(QPushButton, "drawPointsToggle").toolTip()
    click(qtbot, panel, 0.2, 0.2, modifier=SHIFT)
    assert points(document)["y"][-1] == 1
    qtbot.mouseClick(panel.findChild(QPushButton, "drawClass1"), LEFT)
    hint = panel.findChild(QLabel, "drawHint")
    assert "Click adds class 1; Shift+click adds class 0" in hint.text()
    click(qtbot, panel, 0.8, 0.2)
    click(qtbot, panel, 0.8, 0.6, modifier=SHIFT)
    assert points(document)["y"][-2:].tolist() == [1, 0]
    assert document.undo_stack.count() == 3


def test_class_buttons_follow_the_number_of_classes(qtbot, panel, document):
    start_drawing(qtbot, panel)
    assert [b.objectName() for b in panel.drawing.classes.buttons()] == ["drawClass0", "drawClass1"]
    document.set_dataset(DatasetSettings("spiral3", samples=60))
    assert len(panel.drawing.classes.buttons()) == 3
    qtbot.mouseClick(panel.findChild(QPushButton, "drawClass2"), LEFT)
    click(qtbot, panel, 0.1, 0.1, modifier=SHIFT)  # the "other" class of 2 is 0 (the next one round)
    click(qtbot, panel, 0.3, 0.1)
    assert points(document)["y"][-2:].tolist() == [0, 2] and points(document)["n_outputs"] == 3


def test_right_click_and_ctrl_click_remove_the_nearest_point(qtbot, panel, document):
    start_drawing(qtbot, panel)
    qtbot.mouseClick(panel.findChild(QPushButton, "clearPointsButton"), LEFT)
    assert len(points(document)["x"]) == 0
    for x, y in ((-0.5, -0.5), (0.5, 0.5), (0.5, -0.5)):
        click(qtbot, panel, x, y)
    step = pixel(panel)
    click(qtbot, panel, 0.5 + 3 * step, 0.5, button=RIGHT)  # 3 px away: removed
    assert points(document)["x"].tolist() == [pytest.approx([-0.5, -0.5], abs=2 * step),
                                               pytest.approx([0.5, -0.5], abs=2 * step)]
    assert document.undo_stack.undoText() == "Remove point"
    click(qtbot, panel, -0.5, -0.5 + 2 * step, modifier=CTRL)
    assert len(points(document)["x"]) == 1
    count = document.undo_stack.count()
    click(qtbot, panel, -0.5, 0.5, button=RIGHT)  # nowhere near a point: nothing happens, the hint says so
    assert len(points(document)["x"]) == 1 and document.undo_stack.count() == count
    assert panel.findChild(QLabel, "drawHint").text() == "No point near the click to remove."
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert len(points(document)["x"]) == 3


def test_clear_then_too_few_points_say_what_to_do(qtbot, panel, document):
    start_drawing(qtbot, panel)
    qtbot.mouseClick(panel.findChild(QPushButton, "clearPointsButton"), LEFT)
    assert document.undo_stack.undoText() == "Clear points (your copy of the xor data)"
    error = panel.findChild(QLabel, "datasetError")
    assert not error.isHidden() and error.text() == "Cannot make this dataset yet: draw at least 2 points."
    click(qtbot, panel, 0.0, 0.0)
    assert len(panel.preview.train_item.data) == 1  # one point is shown even though it cannot be split
    assert panel.findChild(QPushButton, "drawPointsToggle").isEnabled()  # still drawable with no points
    click(qtbot, panel, 1.0, 1.0, modifier=SHIFT)
    assert error.isHidden()
    assert len(panel.preview.train_item.data) + len(panel.preview.test_item.data) == 2


def test_clicks_do_nothing_unless_drawing_is_on(qtbot, panel, document):
    click(qtbot, panel, 0.5, 0.5)
    assert document.undo_stack.count() == 0
    start_drawing(qtbot, panel)
    qtbot.mouseClick(panel.findChild(QPushButton, "drawPointsToggle"), LEFT)  # off again
    click(qtbot, panel, 0.5, 0.5)
    assert document.undo_stack.count() == 0 and document.project.dataset.name == "xor"
    assert panel.findChild(QPushButton, "clearPointsButton").isHidden()


def test_the_view_holds_still_while_drawing(qtbot, panel, document):
    start_drawing(qtbot, panel)
    view_box = panel.preview.getViewBox()
    before = view_box.viewRange()
    click(qtbot, panel, before[0][1] - 0.01 * (before[0][1] - before[0][0]), 0.5)  # near the right edge
    assert document.undo_stack.count() == 1
    np.testing.assert_allclose(view_box.viewRange(), before)


def test_saved_and_reopened_projects_keep_the_drawn_points(qtbot, panel, document, tmp_path):
    start_drawing(qtbot, panel)
    qtbot.mouseClick(panel.findChild(QPushButton, "clearPointsButton"), LEFT)
    for i, (x, y) in enumerate(((0, 0), (1, 1), (0, 1), (1, 0), (0.5, 0.5))):
        click(qtbot, panel, x, y, modifier=SHIFT if i % 2 else Qt.KeyboardModifier.NoModifier)
    document.save(tmp_path / "drawn.laegna")
    reopened = load_project(tmp_path / "drawn.laegna")
    assert reopened.dataset == document.project.dataset
    assert reopened.dataset.points["y"].tolist() == [0, 1, 0, 1, 0]


def test_training_uses_the_drawn_points(qtbot, panel, document):
    from laegna_gui.engine.trainer import Trainer

    start_drawing(qtbot, panel)
    qtbot.mouseClick(panel.findChild(QPushButton, "clearPointsButton"), LEFT)
    left = [(-0.8 + 0.1 * i, 0.1 * (i % 3)) for i in range(6)]
    right = [(0.4 + 0.1 * i, 0.1 * (i % 3)) for i in range(6)]
    for x, y in left:
        click(qtbot, panel, x, y)
    for x, y in right:
        click(qtbot, panel, x, y, modifier=SHIFT)
    trainer = Trainer(document.project.copy())
    used = np.concatenate([trainer.data.x_train, trainer.data.x_test])
    np.testing.assert_allclose(sorted(used[:, 0]), sorted(x for x, _ in left + right), atol=3 * pixel(panel))
    assert len(trainer.data.x_test) == round(12 * document.project.dataset.test_fraction)
    trainer.run(400)
    assert trainer.evaluate().train_accuracy == 1.0


def test_one_input_regression_draws_input_against_target(qtbot, panel, document):
    document.set_dataset(DatasetSettings("sine", samples=30, noise=0.0))
    start_drawing(qtbot, panel)
    assert panel.drawing.classes.buttons() == []
    click(qtbot, panel, 0.25, -0.5)
    assert points(document)["x"][-1] == [pytest.approx(0.25, abs=2 * pixel(panel))]
    assert points(document)["y"][-1] == pytest.approx(-0.5, abs=2 * pixel(panel))
    assert "input and target value" in panel.findChild(QLabel, "drawHint").text()


def test_data_that_cannot_be_drawn_turns_drawing_off_and_says_why(qtbot, panel, document):
    start_drawing(qtbot, panel)
    document.set_dataset(DatasetSettings("affine3d", samples=30))
    toggle = panel.findChild(QPushButton, "drawPointsToggle")
    assert not toggle.isEnabled() and not toggle.isChecked() and not panel.editor.active
    assert "this dataset has 3 input(s)" in toggle.toolTip()
    click(qtbot, panel, 0.1, 0.1)
    assert document.project.dataset.name == "affine3d"


def test_the_window_trains_on_the_drawn_points(qtbot, window):
    """Through the real worker thread: one epoch over 8 drawn points (4 to train on) is one
    mini-batch of 10, where the 100 XOR training points took 10."""
    ctl, panel = window.training.controller, window.dataset_panel
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=30_000)
    failures: list[str] = []
    ctl.failed.connect(failures.append)
    start_drawing(qtbot, panel)
    qtbot.mouseClick(panel.findChild(QPushButton, "clearPointsButton"), LEFT)
    for i in range(4):
        click(qtbot, panel, -0.6 + 0.1 * i, 0.2)
        click(qtbot, panel, 0.6 - 0.1 * i, 0.8, modifier=SHIFT)
    assert len(points(document := window.document)["x"]) == 8 and document.project.dataset.test_fraction == 0.5
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.epoch == 0, timeout=30_000)
    before = ctl.latest.step
    qtbot.mouseClick(window.training.controls.epoch_button, LEFT)
    qtbot.waitUntil(lambda: ctl.latest is not None and ctl.latest.epoch == 1, timeout=30_000)
    assert ctl.latest.step - before == 1
    # only the moments with fewer than 2 points (after Clear, after the first click) could not train
    assert all("at least 2 points" in text for text in failures), failures


def test_fewer_than_two_drawn_points_make_the_network_invalid_not_a_worker_error(window):
    from dataclasses import replace

    doc = window.document
    settings = doc.project.dataset
    points = {"task": "classification", "n_outputs": 2, "feature_names": ["x1", "x2"],
              "x": [[0.5, 0.5]], "y": [1]}
    doc.set_dataset(replace(settings, name="custom", samples=4, points=points))
    assert doc.error is not None and "fewer than 2 points" in str(doc.error)
    assert "fewer than 2 points" in window.validity.text()
    doc.undo_stack.undo()
    assert doc.error is None
