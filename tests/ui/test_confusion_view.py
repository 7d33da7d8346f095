"""Per-class errors beside the accuracy curve (issue 17), through the real window: the
confusion matrix counts the latest network's answers, clicking a cell rings exactly those
points on the decision boundary, a reset or a regression data set takes it away, and every
count reads on its cell in both themes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from image_helpers import pixels
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from test_contrast import AA, measure
from window_helpers import drawn, step, training_window

from laegna_gui.core.confusion import Cell
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.training.live_state import Kind

WAIT = 20_000


@pytest.fixture(autouse=True)
def _light_afterwards():
    yield
    apply_theme("light")  # the theme belongs to the whole application


def make_window(qtbot, preset: str = "xor"):
    win, ctl = training_window(qtbot, preset)
    win.training.tabs.setCurrentWidget(win.training.curves)
    drawn(qtbot, ctl)
    return win, ctl


def model_classes(win, split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(points, true classes, the classes the latest weights give them), from a model of its own."""
    project = win.document.project.copy()
    project.weights = {name: array.copy() for name, array in win.training.controller.latest.weights.items()}
    trainer = Trainer(project)
    x, labels = getattr(trainer.data, f"x_{split}"), getattr(trainer.data, f"y_{split}")
    out = trainer.predict(x)
    answers = (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)
    return x, labels, answers


def counted(labels: np.ndarray, answers: np.ndarray, k: int) -> np.ndarray:
    return np.array([[int(np.sum((labels == t) & (answers == a))) for a in range(k)] for t in range(k)])


def click(qtbot, grid, true: int, answer: int) -> None:
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=grid.cell_rect(true, answer).center().toPoint())


def hover_text(grid, true: int, answer: int) -> str:
    """The tooltip the mouse raises over a cell."""
    pos = grid.cell_rect(true, answer).center().toPoint()
    QApplication.sendEvent(grid, QHelpEvent(QEvent.Type.ToolTip, pos, grid.mapToGlobal(pos)))
    return QToolTip.text()


def ringed(boundary) -> np.ndarray:
    """Where the boundary's highlight rings are, as sorted rows."""
    item = boundary.points.highlights
    if not item.isVisible():
        return np.zeros((0, 2))
    x, y = item.getData()
    return np.array(sorted(zip(x, y))).reshape(-1, 2)


def expected_rings(win, split: str, true: int, answer: int) -> np.ndarray:
    x, labels, answers = model_classes(win, split)
    chosen = x[(labels == true) & (answers == answer)]
    return np.array(sorted(map(tuple, chosen[:, :2]))).reshape(-1, 2)


def test_the_matrix_counts_the_answers_and_a_cell_rings_its_points_until_reset(qtbot):
    win, ctl = make_window(qtbot)
    step(qtbot, ctl, 3)
    view, boundary = win.training.curves.confusion, win.training.boundary
    assert view.isVisible() and view.grid.n_classes == 2 and view.width() <= 160
    _, labels, answers = model_classes(win, "test")
    np.testing.assert_array_equal(view.counts, counted(labels, answers, 2))
    np.testing.assert_array_equal(view.counts.sum(axis=1), np.bincount(labels, minlength=2))

    errors = view.counts * (1 - np.eye(2, dtype=int))
    true, answer = np.unravel_index(errors.argmax(), errors.shape)
    n = int(view.counts[true, answer])
    assert n > 0, "no test point is wrong after three steps: pick another cell"
    assert hover_text(view.grid, true, answer).startswith(f"{n} points of class {true} were taken for class {answer}")
    click(qtbot, view.grid, true, answer)
    assert boundary.cell == Cell("test", true, answer)
    np.testing.assert_array_equal(ringed(boundary), expected_rings(win, "test", true, answer))
    assert len(ringed(boundary)) == n

    step(qtbot, ctl, 5)  # new answers: the rings follow them
    np.testing.assert_array_equal(ringed(boundary), expected_rings(win, "test", true, answer))

    click(qtbot, view.grid, true, answer)  # the same cell again: no rings
    assert boundary.cell is None and len(ringed(boundary)) == 0
    right = int(np.argmax(np.diag(view.counts)))
    click(qtbot, view.grid, right, right)
    assert len(ringed(boundary)) == view.counts[right, right] > 0
    qtbot.keyClick(view.grid, Qt.Key.Key_Escape)
    assert view.chosen is None and len(ringed(boundary)) == 0

    click(qtbot, view.grid, answer, true)  # the training points
    view.switch.setCurrentText("Training points")
    assert boundary.cell == Cell("train", answer, true) and view.split == "train"
    _, train_labels, train_answers = model_classes(win, "train")
    np.testing.assert_array_equal(view.counts, counted(train_labels, train_answers, 2))
    np.testing.assert_array_equal(ringed(boundary), expected_rings(win, "train", answer, true))

    win.training.controls.reset_button.click()
    qtbot.waitUntil(lambda: ctl.state.kind is not Kind.NO_STEP_YET and ctl.latest.step == 0, timeout=WAIT)
    drawn(qtbot, ctl)
    assert view.chosen is None and boundary.cell is None and len(ringed(boundary)) == 0
    _, train_labels, train_answers = model_classes(win, "train")
    np.testing.assert_array_equal(view.counts, counted(train_labels, train_answers, 2))  # the reset network's


def test_an_invalid_network_empties_the_matrix_and_regression_hides_it(qtbot):
    win, ctl = make_window(qtbot)
    view, boundary = win.training.curves.confusion, win.training.boundary
    step(qtbot, ctl)
    click(qtbot, view.grid, 0, 0)
    assert len(ringed(boundary)) > 0
    fitting = win.document.project.training
    win.document.set_training(replace(fitting, loss="cross_entropy"))  # one output unit: does not fit
    drawn(qtbot, ctl)
    assert ctl.state.kind is Kind.INVALID
    assert view.isVisible() and view.counts is None and view.chosen is None and len(ringed(boundary)) == 0
    assert hover_text(view.grid, 0, 0).startswith("No valid network")
    win.document.set_training(fitting)
    drawn(qtbot, ctl)
    assert view.counts is not None and view.counts.sum() == len(boundary.data.y_test)

    win.document.load(load_preset("sine"))  # regression: no classes
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    drawn(qtbot, ctl)
    assert not view.isVisible() and view.chosen is None and len(ringed(boundary)) == 0
    assert win.training.curves.loss_plot.isVisible()


def test_three_classes_make_a_three_by_three_matrix(qtbot):
    win, ctl = make_window(qtbot, "spiral3")
    step(qtbot, ctl, 2)
    view = win.training.curves.confusion
    _, labels, answers = model_classes(win, "test")
    assert view.isVisible() and view.counts.shape == (3, 3)
    np.testing.assert_array_equal(view.counts, counted(labels, answers, 3))
    corner = view.grid.cell_rect(2, 2)
    assert view.grid.rect().contains(corner.toRect()) and corner.width() >= 20  # all nine cells, readable


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_count_reads_on_its_cell(qtbot, theme):
    win, ctl = make_window(qtbot, "spiral3")
    win.theme_menu.theme_actions[theme].trigger()
    step(qtbot, ctl)
    grid = win.training.curves.confusion.grid
    ramp = np.array([[10, 0, 0], [7, 3, 0], [1, 4, 5]])  # shares 0 to 1
    for counts in (win.training.curves.confusion.counts, ramp):
        grid.show_counts(counts, None)
        image = pixels(grid.grab().toImage())
        for true in range(3):
            for answer in range(3):
                box = grid.cell_rect(true, answer).toRect().adjusted(2, 2, -2, -2)
                reading = measure(image, QRect(box), f"{theme} cell {true},{answer}")
                assert reading.ratio >= AA, reading
    line = grid.fontMetrics().height()
    caption = measure(image, QRect(0, 0, grid.width(), line), f"{theme} caption 'answer →'")
    assert caption.ratio >= AA, caption

    view = win.training.curves.confusion
    view.show_metrics(ctl.state.generation, ctl.latest.metrics)
    click(qtbot, grid, *np.unravel_index(view.counts.argmax(), (3, 3)))  # rings in the theme's text colour
    rings = win.training.boundary.points.highlights
    assert rings.isVisible() and rings.opts["pen"].color() == style.current().text
    other = "light" if theme == "dark" else "dark"
    win.theme_menu.theme_actions[other].trigger()
    assert rings.opts["pen"].color() == style.current().text and style.current().name == other
