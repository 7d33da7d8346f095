"""The Compare window's landscape (ui/compare/paths_view.py) through the real window: one path
per run on the loss the race computed, in the colours of its loss curves, a marker at the
shared start and at each end, the runs left out named, and a theme switch followed."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from laegna_gui.core.presets import load_preset
from laegna_gui.core.variations import parse_axis
from laegna_gui.engine.compare import race
from laegna_gui.ui.compare.paths_view import lut
from laegna_gui.ui.look.style import DARK, LIGHT
from laegna_gui.ui.look.theme import apply_theme
from window_helpers import WAIT, training_window

STEPS = 60


@pytest.fixture
def light_after():
    yield
    apply_theme("light")  # the theme belongs to the whole application


def _compare(qtbot, win, axis: str) -> QWidget:
    win.actions["compare"].trigger()
    dialog = win.findChild(QDialog, "compareDialog")
    key, _, values = axis.partition("=")
    dialog.rows[0].key.setCurrentText(key)
    dialog.rows[0].values.setText(values)
    dialog.steps.setValue(STEPS)
    assert dialog.start_button.isEnabled(), dialog.problem.text()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.findChild(QWidget, "compareWindow") is not None, timeout=WAIT)
    shown = win.findChild(QWidget, "compareWindow")
    qtbot.waitExposed(shown)
    return shown


def _pen_colour(item) -> str:
    return item.opts["pen"].color().name()


def test_each_run_has_its_path_on_the_landscape_in_its_curves_colour(qtbot):
    win, _ctl = training_window(qtbot)
    shown = _compare(qtbot, win, "optimizer=sgd, adam")
    project = load_preset("xor")
    expected = race(project, [(c,) for c in parse_axis("optimizer=sgd,adam", project, "--vary")], STEPS,
                    probes=True).landscape
    view = shown.paths
    assert view.plot.isVisible() and view.image.isVisible()
    assert view.land.runs == (0, 1)
    np.testing.assert_allclose(view.land.landscape.losses, expected.landscape.losses, rtol=1e-5)

    assert len(view.path_items) == 2 and len(view.end_items) == 2
    for item, end, path, (solid, _dashed) in zip(view.path_items, view.end_items, expected.paths,
                                                  shown.curves.curves):
        np.testing.assert_allclose(item.xData, path[:, 0], atol=1e-6)
        np.testing.assert_allclose(item.yData, path[:, 1], atol=1e-6)
        assert (item.xData[0], item.yData[0]) == (0.0, 0.0)  # every path leaves the shared start
        assert _pen_colour(item) == _pen_colour(solid)  # the colour of its loss curves
        assert end.opts["pen"].color().name() == _pen_colour(solid)
        np.testing.assert_allclose(end.getData(), ([path[-1, 0]], [path[-1, 1]]), atol=1e-6)
    assert _pen_colour(view.path_items[0]) != _pen_colour(view.path_items[1])
    assert view.start.getData()[0].tolist() == [0.0] and view.start.getData()[1].tolist() == [0.0]
    labels = [label.text for _sample, label in view.legend.items]
    assert labels == ["optimizer=sgd", "optimizer=adam", "start", "end"]
    assert view.view.getAxis("bottom").labelText == expected.landscape.labels[0]
    assert view.view.getAxis("left").labelText == expected.landscape.labels[1]
    shown.close()


def test_a_run_of_other_shapes_is_left_out_and_named(qtbot):
    win, _ctl = training_window(qtbot)
    shown = _compare(qtbot, win, "width=4, 8")
    view = shown.paths
    assert view.land.runs == (0,) and len(view.path_items) == 1
    assert "width=8 has other weight shapes, so it has no place on this plane." in view.note.text()
    assert view.note.isVisible()
    shown.close()


def test_the_landscape_follows_the_theme(qtbot, light_after):
    win, _ctl = training_window(qtbot)
    shown = _compare(qtbot, win, "optimizer=sgd, adam")
    view = shown.paths
    np.testing.assert_array_equal(view.image.lut, lut(LIGHT))
    apply_theme("dark")
    np.testing.assert_array_equal(view.image.lut, lut(DARK))  # the map fades towards the dark ground
    assert view.plot.backgroundBrush().color() == DARK.canvas_background
    assert view.halos[0].opts["pen"].color() == DARK.canvas_background
    shown.close()


def test_the_picture_file_gives_each_run_the_window_s_colour():
    from laegna_gui.compare_png import RUN_COLORS
    from laegna_gui.engine.compare import MAX_RUNS
    from laegna_gui.ui.compare.loss_curves import run_colour

    assert len(RUN_COLORS) >= MAX_RUNS
    assert [RUN_COLORS[i] for i in range(MAX_RUNS)] == [run_colour(i).getRgb()[:3] for i in range(MAX_RUNS)]
