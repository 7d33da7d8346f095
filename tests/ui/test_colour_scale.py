"""One diverging colour scale and one loss scale for every view (issue 16): ui/look/colour_scale.py."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from laegna_gui.ui.look import colour_scale as cs
from laegna_gui.ui.look import style

UI = Path(cs.__file__).resolve().parent
SCALE_HELPERS = {"diverging", "diverging_lut", "lighten", "rgb", "rgba", "faded", "loss_colors", "lut_index"}


def test_no_other_ui_module_defines_a_colour_scale_or_its_helpers():
    """Before, six modules each built their own orange–blue ramp and two their own rgba."""
    twins = []
    for path in UI.rglob("*.py"):
        if path.name == "colour_scale.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        twins += [f"{path.relative_to(UI)}: {node.name}" for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name in SCALE_HELPERS]
        twins += [f"{path.relative_to(UI)}: {target.id}" for node in tree.body if isinstance(node, ast.Assign)
                  for target in node.targets if isinstance(target, ast.Name) and target.id in ("LUT", "LUT_SIZE")]
    assert not twins, "colour scales outside ui/look/colour_scale.py:\n" + "\n".join(twins)


def test_the_diverging_scale_runs_orange_neutral_blue_and_clips():
    assert cs.diverging(-1.0) == style.NEGATIVE
    assert cs.diverging(0.0) == style.NEUTRAL
    assert cs.diverging(1.0) == style.POSITIVE
    assert cs.diverging(-7.0, 2.0) == style.NEGATIVE  # beyond the scale: the end colour
    assert cs.diverging(float("nan")) == style.NEUTRAL and cs.diverging(3.0, 0.0) == style.NEUTRAL
    half = cs.diverging(0.5)
    assert half.red() == pytest.approx((style.NEUTRAL.red() + style.POSITIVE.red()) / 2, abs=1)


def test_the_lut_the_vectorised_scale_and_the_single_colours_agree():
    values = np.linspace(-1.0, 1.0, 9)
    lut = cs.diverging_lut()
    assert lut.shape == (cs.LUT_SIZE, 3) and not lut.flags.writeable
    rows = lut[cs.lut_index(values, 1.0)]
    for value, row, rgba in zip(values, rows, cs.diverging_rgba(values, 1.0, alpha=0.5)):
        colour = cs.diverging(value)
        assert np.abs(row.astype(int) - [colour.red(), colour.green(), colour.blue()]).max() <= 2
        assert rgba == pytest.approx([*cs.rgba(colour)[:3], 0.5], abs=2 / 255)
    assert cs.diverging_lut(alpha=True)[:, 3].min() == 255
    assert cs.lut_index(np.array([-5.0, 0.0, np.nan, 5.0]), 1.0).tolist() == [0, 128, 128, cs.LUT_SIZE - 1]


def test_the_background_variant_is_the_scale_lightened_towards_white():
    plain, pale = cs.diverging_lut().astype(float), cs.diverging_lut(lightened=cs.BACKGROUND_LIGHTEN).astype(float)
    assert np.all(pale >= plain) and np.abs(pale - cs.lighten(plain)).max() <= 1
    assert cs.faded("#000000", 0.5)[:3] == pytest.approx((0.5, 0.5, 0.5))


def test_the_loss_scale_runs_blue_for_low_loss_to_orange_for_high():
    low, middle, high = cs.loss_colors(np.array([0.0, 0.5, 1.0]))
    assert tuple(low) == pytest.approx(cs.rgba(style.POSITIVE))
    assert tuple(middle) == pytest.approx(cs.rgba(style.NEUTRAL))
    assert tuple(high) == pytest.approx(cs.rgba(style.NEGATIVE))
    assert cs.loss_colors(np.array([[-1.0, 2.0]])).shape == (1, 2, 4)  # clipped, any shape
