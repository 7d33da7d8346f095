"""The dark theme reaches the pictures: the decision boundary's backdrop is mixed towards the
dark plot background instead of white, and the 3-D views sit on a dark background with inks
that read on it; a switch repaints what is on show, and switching back brings the light look."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtGui import QColor

from image_helpers import pixels
from window_helpers import open_window
from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import backdrop, diverging_rgb, lighten
from laegna_gui.ui.look.style import DARK, LIGHT, relative_luminance
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.space3d import scene_theme

WAIT = 20_000


@pytest.fixture
def light_afterwards():
    """The theme belongs to the whole application: leave it light for the next test."""
    yield
    apply_theme("light")


def trained_window(qtbot, steps: int = 150):
    """The xor window after training long enough for both classes to have sure regions."""
    win = open_window(qtbot)
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    ctl.play()
    qtbot.waitUntil(lambda: ctl.latest.step >= steps, timeout=60_000)
    ctl.pause()
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    qtbot.waitUntil(lambda: not ctl.views.busy and win.training.boundary.snapshot is ctl.latest, timeout=WAIT)
    return win, ctl


def switch(win, name: str) -> None:
    win.findChild(object, f"action_theme_{name}").trigger()


def drawn_rgb(boundary, row: int, column: int) -> np.ndarray:
    """The colour the boundary's image paints at probe cell (row, column)."""
    boundary.image.render()
    return np.array(boundary.image.qimage.pixelColor(column, row).getRgb()[:3], dtype=float)


def luminance(rgb: np.ndarray) -> float:
    return relative_luminance(QColor(*np.rint(rgb).astype(int)))


def test_the_boundary_backdrop_follows_the_theme_and_its_points_stay_readable(qtbot, light_afterwards):
    win, ctl = trained_window(qtbot)
    boundary = win.training.boundary
    probabilities = ctl.latest.probes.boundary
    sure = {1: np.unravel_index(np.argmax(probabilities), probabilities.shape),
            0: np.unravel_index(np.argmin(probabilities), probabilities.shape)}
    assert probabilities[sure[1]] > 0.9 and probabilities[sure[0]] < 0.1
    data_colour = {k: diverging_rgb(2 * probabilities[cell] - 1) for k, cell in sure.items()}
    light = {k: drawn_rgb(boundary, *cell) for k, cell in sure.items()}
    for k in (0, 1):
        assert np.abs(light[k] - lighten(data_colour[k])).max() <= 2 and luminance(light[k]) > 0.45

    switch(win, "dark")  # no new snapshot: the picture on show is repainted
    assert boundary.snapshot is ctl.latest
    for k, cell in sure.items():
        dark = drawn_rgb(boundary, *cell)
        assert np.abs(dark - backdrop(data_colour[k], DARK)).max() <= 2
        assert luminance(dark) < 0.15, f"class {k} region is not dark: {dark}"
    blue, orange = drawn_rgb(boundary, *sure[1]), drawn_rgb(boundary, *sure[0])
    assert blue[2] > blue[0] + 40 and orange[0] > orange[2] + 40  # still blue = class 1, orange = class 0
    # the dots keep their class colours, outlined light; the whole Output plot is dark now
    assert boundary.train_points.opts["pen"].color() == DARK.text
    assert boundary.test_points.opts["brush"].color().rgb() == DARK.canvas_background.rgb()
    shot = pixels(boundary.plot.grab().toImage()).astype(float)
    assert shot.mean() < 110

    switch(win, "light")
    for k, cell in sure.items():
        assert np.abs(drawn_rgb(boundary, *cell) - light[k]).max() <= 1
    assert boundary.train_points.opts["pen"].color() == LIGHT.text
    assert pixels(boundary.plot.grab().toImage()).astype(float).mean() > 170


def test_the_hovered_neuron_is_drawn_on_the_dark_backdrop_too(qtbot, light_afterwards):
    win, ctl = trained_window(qtbot, steps=20)
    boundary = win.training.boundary
    switch(win, "dark")
    win.canvas.neuron_hovered.emit(("dense1", 1))
    values = ctl.latest.probes.neuron_maps["dense1"][1]
    low, high = boundary.image.levels
    cell = np.unravel_index(np.argmax(np.abs(values)), values.shape)
    expected = backdrop(diverging_rgb(values[cell], high), DARK)
    drawn = drawn_rgb(boundary, *cell)
    assert np.abs(drawn - expected).max() <= 2 and luminance(drawn) < 0.2
    assert boundary.caption.textItem.defaultTextColor() == DARK.text


# --- the 3-D inks ---------------------------------------------------------------------------
def test_every_ink_names_one_role_in_either_theme():
    """A theme switch finds an item's role by its colour: no two inks (of any role, in any
    theme) may be the same colour, and every role has a value in both themes."""
    light, dark = scene_theme.inks("light"), scene_theme.inks("dark")
    assert set(light) == set(dark)
    colours = [(f"{theme}.{role}", np.array(value[:3])) for theme, table in (("light", light), ("dark", dark))
               for role, value in table.items()]
    for (a, x), (b, y) in itertools.combinations(colours, 2):
        assert np.abs(x - y).max() >= scene_theme.SAME, f"{a} and {b} are one colour"


def test_the_inks_read_on_their_themes_background():
    for theme in (LIGHT, DARK):
        for role in ("text", "muted", "axis", "object", "eigen"):
            ink = QColor.fromRgbF(*scene_theme.ink(role, theme)[:3])
            assert style.contrast_ratio(ink, theme.canvas_background) >= 3.0, (theme.name, role)


@pytest.mark.gl
def test_the_3d_views_turn_dark_with_the_theme_and_back(qtbot, light_afterwards):
    win = open_window(qtbot)
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    win.tabs.show_view("layer-space")
    space = win.tabs.space
    qtbot.waitUntil(lambda: space.panel.view is not None and space.points_item is not None, timeout=WAIT)
    view = space.panel.view
    qtbot.waitExposed(view)

    def corner() -> np.ndarray:
        return pixels(view.grabFramebuffer())[2:12, 2:12].reshape(-1, 3).mean(axis=0)

    def rgb(colour: QColor) -> np.ndarray:
        return np.array(colour.getRgb()[:3], dtype=float)

    assert np.abs(corner() - rgb(LIGHT.canvas_background)).max() <= 2
    switch(win, "dark")
    assert np.abs(corner() - rgb(DARK.canvas_background)).max() <= 2
    assert tuple(space.axes_item.color) == pytest.approx(scene_theme.ink("axis", DARK))
    assert tuple(space.grid_item.color) == pytest.approx(scene_theme.ink("grid_line", DARK))
    assert all(QColor(label.color) == DARK.muted_text for label in space.axis_labels)
    win.tabs.show_view("transform-lab")  # made in the dark theme: dark from its first frame
    lab = win.tabs.lab.scene_panel
    qtbot.waitUntil(lambda: lab.scene is not None, timeout=WAIT)
    assert tuple(lab.scene.wire.line.color) == pytest.approx(scene_theme.ink("object", DARK))
    assert lab.panel.view.opts["bgcolor"] == pytest.approx(DARK.canvas_background.getRgbF())
    landscape = win.tabs.landscape
    landscape.panel.ensure_view()  # its scene is made as it is first shown, with a computed landscape
    assert QColor(landscape.text_items["alpha"].color) == DARK.text  # made with the light theme's text

    switch(win, "light")
    assert QColor(landscape.text_items["alpha"].color) == LIGHT.text
    win.tabs.show_view("layer-space")
    assert np.abs(corner() - rgb(LIGHT.canvas_background)).max() <= 2
    assert tuple(space.axes_item.color) == pytest.approx(scene_theme.ink("axis", LIGHT))
