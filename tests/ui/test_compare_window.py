"""Experiment ▸ Compare… and Sweep… through the real window: the runs train off the GUI
thread, the result windows show exactly what engine/compare.py computes for the same runs,
Cancel keeps nothing, and the open project is never touched (unless a sweep's run is opened)."""

from __future__ import annotations

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from laegna_gui.core.presets import load_preset
from laegna_gui.core.variations import parse_axis
from laegna_gui.engine.compare import race, sweep
from laegna_gui.ui.compare.race_dialog import STOPPED
from laegna_gui.ui.look.colour_scale import backdrop_lut
from laegna_gui.ui.look.style import DARK
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.compare.result_window import SAME_START
from window_helpers import WAIT, training_window

STEPS = 60


@pytest.fixture
def light_after():
    yield
    apply_theme("light")  # the theme belongs to the whole application


def _dialog(win, kind: str, *axes: str, steps: int = STEPS) -> QDialog:
    win.actions[kind].trigger()
    dialog = win.findChild(QDialog, f"{kind}Dialog")
    assert dialog is not None and dialog.isVisible()
    for row, text in zip(dialog.rows, axes):
        key, _, values = text.partition("=")
        row.key.setCurrentText(key)
        row.values.setText(values)
    dialog.steps.setValue(steps)
    return dialog


def _run(qtbot, win, kind: str, *axes: str) -> QWidget:
    dialog = _dialog(win, kind, *axes)
    assert dialog.start_button.isEnabled(), dialog.problem.text()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.findChild(QWidget, f"{kind}Window") is not None, timeout=WAIT)
    result = win.findChild(QWidget, f"{kind}Window")
    qtbot.waitExposed(result)
    return result


def _axis(text: str):
    return parse_axis(text, load_preset("xor"), "--vary")


def _state(win, ctl) -> tuple:
    project = win.document.project
    return (project, project.training, project.seed, project.weights, win.document.modified,
            {n: dict(node.params) for n, node in project.graph.nodes.items()},
            {k: v.copy() for k, v in ctl.latest.weights.items()})


def _same(a: tuple, b: tuple) -> bool:
    *head_a, weights_a = a
    *head_b, weights_b = b
    return (head_a[0] is head_b[0] and head_a[1:] == head_b[1:] and weights_a.keys() == weights_b.keys()
            and all(np.array_equal(weights_a[k], weights_b[k]) for k in weights_a))


def test_compare_shows_the_races_curves_boundaries_and_verdict_and_leaves_the_project_alone(qtbot):
    win, ctl = training_window(qtbot)
    before = _state(win, ctl)
    shown = _run(qtbot, win, "compare", "learning_rate=0.03, 0.3")
    expected = race(load_preset("xor"), [(c,) for c in _axis("learning_rate=0.03,0.3")], STEPS, probes=True)

    assert len(shown.curves.curves) == 2
    for (solid, dashed), run in zip(shown.curves.curves, expected.runs):
        np.testing.assert_array_equal(solid.xData, run.curve[:, 0])
        np.testing.assert_array_equal(solid.yData, run.curve[:, 2])  # test loss, solid
        np.testing.assert_array_equal(dashed.yData, run.curve[:, 1])  # train loss, dashed
        assert solid.opts["pen"].style() == Qt.PenStyle.SolidLine
        assert dashed.opts["pen"].style() == Qt.PenStyle.DashLine
        assert solid.opts["pen"].color() == dashed.opts["pen"].color()
    assert [label.text for _sample, label in shown.curves.legend.items] == [r.label for r in expected.runs]
    assert shown.curves.curves[0][0].opts["pen"].color() != shown.curves.curves[1][0].opts["pen"].color()

    assert len(shown.pictures) == 2
    for picture, run in zip(shown.pictures, expected.runs):
        assert picture.mode == "plane" and picture.image.isVisible() and picture.plot.isVisible()
        np.testing.assert_array_equal(picture.image.image, run.probes.boundary)
        assert picture.title.text() == run.label
        assert picture.caption.text().startswith(f"test loss {run.metrics.test_loss:.3g}")

    assert shown.verdict.text() == expected.verdict
    assert shown.verdict.text().startswith("learning_rate=0.3 reached the lower test loss")
    assert shown.verdict.font().bold()
    assert shown.fresh.text() == SAME_START
    assert _same(_state(win, ctl), before)
    shown.close()


def test_a_width_that_changes_shapes_lists_the_layers_that_start_fresh(qtbot):
    win, _ctl = training_window(qtbot)
    shown = _run(qtbot, win, "compare", "width=4, 8")
    assert "width=8: dense1 and dense2 have another shape" in shown.fresh.text()
    assert "width=4:" not in shown.fresh.text()  # the project's own width keeps every layer


def test_values_are_checked_as_typed_with_the_engines_message(qtbot):
    win, _ctl = training_window(qtbot)
    dialog = _dialog(win, "compare", "learning_rate=0.03, x")
    row = dialog.rows[0]
    assert row.message.isVisible() and row.message.text() == "learning_rate: expected a number, got 'x'"
    assert not dialog.start_button.isEnabled()
    row.values.setText("0.03, 0.3")
    assert not row.message.isVisible() and dialog.start_button.isEnabled()
    dialog.close()


def test_cancel_stops_the_race_and_shows_nothing(qtbot):
    win, ctl = training_window(qtbot)
    before = _state(win, ctl)
    dialog = _dialog(win, "compare", "learning_rate=0.03, 0.3", steps=1_000_000)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.progress.isVisible() and not dialog.start_button.isEnabled()
    with qtbot.waitSignal(dialog.thread.progressed, timeout=WAIT):
        pass  # training, and the window still answers
    thread = dialog.thread
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text() == STOPPED, timeout=WAIT)
    assert dialog.thread is None and not (shiboken6.isValid(thread) and thread.isRunning())
    assert win.findChild(QWidget, "compareWindow") is None
    assert not dialog.progress.isVisible() and dialog.start_button.isEnabled()
    assert dialog.isVisible()  # the choices are still there to start again
    assert _same(_state(win, ctl), before)
    dialog.close()


def test_sweep_shows_a_grid_labelled_with_the_sweeps_test_losses(qtbot):
    win, ctl = training_window(qtbot)
    before = _state(win, ctl)
    shown = _run(qtbot, win, "sweep", "learning_rate=0.03, 0.3", "width=2, 8")
    expected = sweep(load_preset("xor"), _axis("learning_rate=0.03,0.3"), _axis("width=2,8"), STEPS, probes=True)

    assert sorted(shown.pictures) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    best = min(expected.race.runs, key=lambda run: run.best[1])
    for (i, j), picture in shown.pictures.items():
        run = expected.cell(i, j)
        assert picture.isVisible() and picture.image.isVisible()
        np.testing.assert_array_equal(picture.image.image, run.probes.boundary)
        assert picture.caption.text().startswith(f"test loss {run.metrics.test_loss:.3g}")
        assert picture.run.changes == run.changes
        assert picture.property("best") == (run is best)
    assert _same(_state(win, ctl), before)


def test_a_sweep_larger_than_five_by_five_is_refused(qtbot):
    win, _ctl = training_window(qtbot)
    dialog = _dialog(win, "sweep", "learning_rate=0.01, 0.02, 0.03, 0.1, 0.2, 0.3", "width=2, 8")
    assert dialog.problem.isVisible()
    assert "a sweep is at most 5×5; learning_rate has 6 values" in dialog.problem.text()
    assert not dialog.start_button.isEnabled()
    dialog.close()


def test_clicking_a_cell_opens_its_run_only_when_confirmed(qtbot):
    win, ctl = training_window(qtbot)
    before = _state(win, ctl)
    shown = _run(qtbot, win, "sweep", "learning_rate=0.03, 0.3", "width=2, 8")
    asked = []
    shown.ask_open = lambda run: asked.append(run) or False
    qtbot.mouseClick(shown.pictures[(1, 0)].caption, Qt.MouseButton.LeftButton)
    assert [run.label for run in asked] == ["learning_rate=0.3, width=2"]
    assert _same(_state(win, ctl), before)  # declined: nothing changed

    shown.ask_open = lambda run: True
    with qtbot.waitSignal(win.document.project_replaced, timeout=WAIT):
        qtbot.mouseClick(shown.pictures[(1, 0)].plot.viewport(), Qt.MouseButton.LeftButton)
    project = win.document.project
    assert project.training.learning_rate == 0.3
    assert project.graph.node("dense1").params["units"] == 2
    assert project.graph.node("dense2").params["units"] == 1  # the output keeps its width
    trained = shown.sweep.race.weights[2]
    assert project.weights.keys() == trained.keys()
    assert all(np.array_equal(project.weights[k], trained[k]) for k in trained)
    assert before[0].training.learning_rate == 0.03  # the old project was replaced, not edited


def test_the_compare_window_follows_the_theme(qtbot, light_after):
    win, _ctl = training_window(qtbot)
    shown = _run(qtbot, win, "compare", "learning_rate=0.03, 0.3")
    picture = shown.pictures[0]
    light_lut = np.array(picture.image.lut)
    apply_theme("dark")
    assert shown.curves.backgroundBrush().color() == DARK.canvas_background
    assert picture.plot.backgroundBrush().color() == DARK.canvas_background
    assert not np.array_equal(np.array(picture.image.lut), light_lut)  # the backdrop fades towards dark
    np.testing.assert_array_equal(picture.image.lut, backdrop_lut(DARK))
