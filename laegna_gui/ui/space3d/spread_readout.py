"""The layer-space readout that says how much of a wide layer's spread the 3-D view keeps.

A layer wider than 3 is drawn through a PCA: its three directions of most spread. The
readout turns the engine's explained-variance ratios (`engine.layer_space.Spread`) into a
sentence a learner can act on: how much is kept, how it splits over the three axes, and
what the rest means — points that look close may lie apart in the directions not shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from laegna_gui.engine.layer_space import Spread

PCA_TOPIC = "pca"  # the guide page the readout's "?" opens
LOST_NOTHING = 0.0005  # a rest below 0.05 % is rounding: nothing is flattened away
NBSP = "\u00a0"  # between a number and its "%", and inside the split: no line breaks there

TIP = ("A layer wider than 3 cannot be drawn as it is, so the view shows its three directions of "
       "most spread (a PCA: the axes PC 1, PC 2, PC 3). The percentages say how much of the "
       "points' spread (variance) each direction keeps. What is left out is flattened away: two "
       "points that look close here may still lie far apart in the layer. The output side has one "
       "PCA for W·x, +b and the activation together, so the slider moves through one frame.")


def percent(share: float) -> str:
    """A share 0…1 as a percentage for people: whole numbers, with one decimal below 1 % and
    from 99 %, so that a small share or one just short of all does not round to "0" or
    "100" (under 0.05 % is 0)."""
    value = 100.0 * share
    if value < 100 * LOST_NOTHING:
        return "0"
    if value < 1.0 or 99.0 <= value < 100.0 - 100 * LOST_NOTHING:
        return f"{value:.1f}"
    return f"{value:.0f}"


def spread_text(spread: Spread, side: str) -> str:
    """What the view keeps of `side`'s spread ("inputs" or "outputs" of the layer)."""
    values = f"the layer's {spread.width} {side}"
    if spread.kind == "not_finite":
        return (f"No PCA: some of {values} are not numbers (NaN or ∞) — training diverged. "
                "Reset the weights, or lower the learning rate.")
    if spread.kind == "flat":
        return f"No spread: every point lands on the same spot — {values} are the same for all the data."
    if spread.kind == "shown":
        return f"All of it: {values} fit in 3-D; nothing is projected."
    kept = spread.kept
    parts = f"{NBSP}+{NBSP}".join(percent(r) for r in spread.ratios)
    head = f"PCA of {values}: these 3 directions keep {percent(kept)}{NBSP}% of the spread ({parts}{NBSP}%)"
    if 1.0 - kept < LOST_NOTHING:
        return f"{head}; nothing is lost — the points lie in a 3-D slice of the layer's {spread.width}-D space."
    return (f"{head}; the other {percent(1.0 - kept)}{NBSP}% is flattened away, so points that look close "
            "here may lie apart in the layer.")
