"""The layer-space readout: how much of a wide layer's spread the 3-D view keeps, in words,
following the slider's side of the layer, with a "?" that opens the PCA page of the guide.
Runs offscreen: the readout is a label, the scene behind it needs no OpenGL."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QLabel
from window_helpers import shown_at

from laegna_gui.core.presets import load_preset
from laegna_gui.engine.layer_space import Spread, layer_stages
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.help.window import ConceptsGuide, HelpButton
from laegna_gui.ui.space3d.layer_space_view import LayerSpaceView
from laegna_gui.ui.space3d.spread_readout import NBSP, percent, spread_text

# as in test_space3d_live.py: GL views need shared contexts when a display has OpenGL
if QApplication.instance() is None:
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


@pytest.fixture(scope="module")
def xor_stages():
    trainer = Trainer(load_preset("xor"))
    trainer.run(60)
    return layer_stages(trainer, "dense1")  # 2 → 4: shown on the input side, PCA on the output


@pytest.fixture
def space(qtbot) -> LayerSpaceView:
    return shown_at(qtbot, LayerSpaceView(), 700, 600, exposed=True)


def readout(view: LayerSpaceView) -> QLabel:
    return view.findChild(QLabel, "spaceSpread")


# --- the words ---------------------------------------------------------------------
def test_a_projected_side_says_what_is_kept_split_and_lost():
    text = spread_text(Spread("projected", 16, (0.62, 0.19, 0.06)), "outputs").replace(NBSP, " ")
    assert text == ("PCA of the layer's 16 outputs: these 3 directions keep 87 % of the spread "
                    "(62 + 19 + 6 %); the other 13 % is flattened away, so points that look close "
                    "here may lie apart in the layer.")


def test_a_projection_that_loses_nothing_says_so():
    text = spread_text(Spread("projected", 5, (0.7, 0.3, 1e-17)), "inputs").replace(NBSP, " ")
    assert text.startswith("PCA of the layer's 5 inputs: these 3 directions keep 100 % of the spread (70 + 30 + 0 %)")
    assert "nothing is lost" in text and "3-D slice" in text


@pytest.mark.parametrize("ratios, kept, rest", [((0.6, 0.2, 0.0651), "87", "13"), ((0.6, 0.2, 0.0649), "86", "14"),
                                                 ((0.9, 0.09, 0.006), "99.6", "0.4")])
def test_what_is_kept_and_what_is_lost_add_up_to_100_as_printed(ratios, kept, rest):
    text = spread_text(Spread("projected", 8, ratios), "outputs").replace(NBSP, " ")
    assert f"keep {kept} % of the spread" in text and f"the other {rest} % is flattened away" in text


def test_the_split_over_the_three_directions_is_kept_on_one_line():
    text = spread_text(Spread("projected", 16, (0.39, 0.25, 0.22)), "outputs")
    assert f"(39{NBSP}+{NBSP}25{NBSP}+{NBSP}22{NBSP}%)" in text


def test_narrow_flat_and_broken_sides_have_their_own_words():
    assert spread_text(Spread("shown", 2), "inputs") == (
        "All of it: the layer's 2 inputs fit in 3-D; nothing is projected.")
    assert spread_text(Spread("flat", 8), "outputs").startswith(
        "No spread: every point lands on the same spot")
    broken = spread_text(Spread("not_finite", 8), "outputs")
    assert "NaN" in broken and "diverged" in broken and "PCA" in broken


@pytest.mark.parametrize("share, shown", [(0.87, "87"), (0.996, "99.6"), (0.9999, "100"), (1.0, "100"),
                                          (0.004, "0.4"), (0.0001, "0"), (0.0, "0"), (0.625, "62")])
def test_percentages_never_round_to_a_misleading_all_or_nothing(share, shown):
    assert percent(share) == shown


# --- the view --------------------------------------------------------------------------
def test_the_readout_follows_the_slider_from_inputs_to_outputs(space, xor_stages):
    label = readout(space)
    assert label.text() == "" and label.toolTip()
    space.show_stages(xor_stages)
    space.slider.setValue(0)
    assert label.text().startswith("All of it: the layer's 2 inputs fit in 3-D")
    space.slider.setValue(300)
    ratios = xor_stages.spread_out.ratios
    parts = " + ".join(percent(r) for r in ratios)
    assert label.text().replace(NBSP, " ").startswith(f"PCA of the layer's 4 outputs: these 3 directions keep "
                                   f"{percent(sum(ratios))} % of the spread ({parts} %)")
    space.slider.setValue(40)  # mostly the input still: its side
    assert label.text().startswith("All of it")
    assert label.property("role") == "muted"
    space.clear()
    assert label.text() == ""


def test_no_spread_and_a_diverged_run_are_said_in_the_readout(space, xor_stages):
    label = readout(space)
    space.slider.setValue(300)
    space.show_stages(replace(xor_stages, spread_out=Spread("flat", 4)))
    assert label.text().startswith("No spread: every point lands on the same spot")
    space.show_stages(replace(xor_stages, spread_out=Spread("not_finite", 4)))
    assert "NaN" in label.text() and label.property("role") == "error"
    space.show_stages(xor_stages)
    assert label.property("role") == "muted"


def test_a_network_with_nan_weights_shows_without_a_crash(space):
    trainer = Trainer(load_preset("xor"))
    with torch.no_grad():
        trainer.network.layer("dense1").weight.fill_(float("nan"))
    space.show_stages(layer_stages(trainer, "dense1"))
    space.slider.setValue(300)
    assert "not numbers (NaN or ∞)" in readout(space).text()
    assert space.points_at().shape == (len(trainer.data.x_train), 3)


def test_the_readout_is_never_cut_off(space, xor_stages, qtbot):
    space.show_stages(xor_stages)
    space.slider.setValue(300)
    for width in (700, 420):
        space.resize(width, 600)
        label = readout(space)
        # the layout settles in the event loop; it must give the wrapped text all its lines
        qtbot.waitUntil(lambda: label.width() < width and label.height() >= label.heightForWidth(label.width()))
        assert label.heightForWidth(label.width()) > label.fontMetrics().height()  # it does wrap
        assert label.geometry().right() <= label.parentWidget().width()


def test_the_question_mark_opens_the_pca_page(space, qtbot):
    button = space.findChild(HelpButton, "help_pca")
    assert button is not None and button.isVisible()
    assert button.toolTip() == "What does the PCA in Layer space keep, and what does it lose?"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    guide = space.findChild(ConceptsGuide)
    assert guide is not None and guide.isVisible() and guide.current_topic() == "pca"
    assert "flattened away" in guide.page.toPlainText()
    guide.close()


@pytest.mark.gl
def test_a_diverged_layer_is_drawn_for_real_without_a_crash(space, qtbot):
    """NaN positions reach the GL items (the finite points still show); drawing must not fail."""
    if space.panel.view is None:
        pytest.skip(f"no OpenGL on the '{QApplication.platformName()}' platform")
    trainer = Trainer(load_preset("xor"))
    with torch.no_grad():
        trainer.network.layer("dense1").weight[0].fill_(float("nan"))
    space.show_stages(layer_stages(trainer, "dense1"))
    for value in (0, 150, 300):
        space.slider.setValue(value)
        space.panel.view.grabFramebuffer()  # paints now: an error in paintGL fails the test
    assert "NaN" in readout(space).text()
