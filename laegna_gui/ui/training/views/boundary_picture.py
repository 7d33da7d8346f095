"""What the decision boundary paints under the data: the network's answer over the plane as
an image, a range of values and a colour table (as pyqtgraph's ImageItem takes them).

Two classes and 2-D regression go through the diverging scale, more classes blend the
class colours; either way as a backdrop (colour_scale.backdrop): faded towards the current
theme's ground, so the points drawn on top stand out in light and dark alike.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import backdrop, backdrop_lut, rgb
from laegna_gui.ui.training.views.plotting import symmetric_scale

CLASS_RGB = np.array([rgb(style.class_color(k)) for k in range(10)])


class Picture(NamedTuple):
    image: np.ndarray
    levels: tuple[float, float]
    lut: np.ndarray | None  # None: the image holds RGB colours already


def _class_colors(n: int) -> np.ndarray:
    return CLASS_RGB[np.arange(n) % len(CLASS_RGB)]


def class_blend(probabilities: np.ndarray) -> np.ndarray:
    """(ny, nx, K) probabilities → (ny, nx, 3) uint8: the class colours weighted by them, as a backdrop."""
    mixed = probabilities @ _class_colors(probabilities.shape[-1])
    return np.rint(np.clip(backdrop(mixed), 0, 255)).astype(np.ubyte)


def class_fill(probabilities: np.ndarray) -> np.ndarray:
    """Each pixel painted in the backdrop colour of its most probable class."""
    winners = _class_colors(probabilities.shape[-1])[np.argmax(probabilities, axis=-1)]
    return np.rint(backdrop(winners)).astype(np.ubyte)


def answer_picture(boundary: np.ndarray, classifies: bool, discrete: bool) -> Picture:
    """The probes' `boundary` painted: P(class 1), class probabilities or (regression) the
    first output around 0; `discrete`: only the class the network would answer."""
    if not classifies:
        values = boundary if boundary.ndim == 2 else boundary[:, :, 0]
        scale = symmetric_scale(values)
        return Picture(values, (-scale, scale), backdrop_lut())
    if boundary.ndim == 2:
        values = (boundary > 0.5).astype(np.float32) if discrete else boundary
        return Picture(values, (0.0, 1.0), backdrop_lut())
    return Picture(class_fill(boundary) if discrete else class_blend(boundary), (0, 255), None)
