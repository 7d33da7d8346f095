"""Where the lab's arrow labels go: i, j, k near their arrows' tips, then each λ beside its
eigen arrow, each at the first of a few spots whose text covers no other label, no arrow
and not the view's edge (when every spot is taken, the one covering least, a label
counting ten times an arrow).

Placement is done on screen, every frame, for the camera of that frame (an orbit or a
zoom moves the labels along): `place_labels` is plain geometry on pixel rectangles; the
rest measures GLTextItems and arrows where they are drawn.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QMatrix4x4

Align = Qt.AlignmentFlag
FRACTIONS = (0.6, 0.75, 0.45, 0.9, 0.3, 1.05, 1.2)  # where along an eigen arrow, most wanted first
TIP_FRACTIONS = (1.1, 1.0, 0.85, 1.25, 0.7)  # where along a basis arrow: by its tip
GAPS = (5.0, 16.0)  # pixels between the arrow and its label's corner or edge
# the text's alignment to its anchor, and the direction (x right, y down) the anchor moves off the arrow
SIDES = ((Align.AlignLeft | Align.AlignTop, (1, 1)), (Align.AlignRight | Align.AlignTop, (-1, 1)),
         (Align.AlignLeft | Align.AlignBottom, (1, -1)), (Align.AlignRight | Align.AlignBottom, (-1, -1)),
         (Align.AlignLeft | Align.AlignVCenter, (1, 0)), (Align.AlignRight | Align.AlignVCenter, (-1, 0)),
         (Align.AlignHCenter | Align.AlignTop, (0, 1)), (Align.AlignHCenter | Align.AlignBottom, (0, -1)))
PAD = 2.0
TIP_RADIUS = 7.0
SHAFT_RADIUS = 3.0
SHAFT_STEP = 5.0
LABEL_WEIGHT = 10.0  # covering a label (or leaving the view) is worse than covering an arrow


def overlap_areas(rects: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each of `rects` (k, 4: x0, y0, x1, y1), the area it shares with all of `others`."""
    rects, others = np.asarray(rects, float).reshape(-1, 4), np.asarray(others, float).reshape(-1, 4)
    w = np.minimum(rects[:, None, 2], others[None, :, 2]) - np.maximum(rects[:, None, 0], others[None, :, 0])
    h = np.minimum(rects[:, None, 3], others[None, :, 3]) - np.maximum(rects[:, None, 1], others[None, :, 1])
    return (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)


def place_labels(candidates: Sequence[np.ndarray], obstacles: np.ndarray, bounds) -> list[int]:
    """The index of each label's chosen candidate rect: the first that covers no obstacle,
    no label chosen before it and lies inside `bounds`; when every candidate collides, the
    one that collides least (other labels and the edge weigh LABEL_WEIGHT times an
    obstacle). Labels with the fewest free spots choose first."""
    obstacles = np.asarray(obstacles, float).reshape(-1, 4)
    options = [np.asarray(c, float).reshape(-1, 4) for c in candidates]
    base = [overlap_areas(o, obstacles) + LABEL_WEIGHT * _outside(o, bounds) for o in options]
    order = sorted(range(len(options)), key=lambda k: int(np.sum(base[k] <= 0)))
    choice = [0] * len(options)
    placed = np.empty((0, 4))
    for k in order:
        costs = base[k] + LABEL_WEIGHT * overlap_areas(options[k], placed)
        choice[k] = int(np.argmin(costs))  # the first of equal costs: the most wanted spot
        placed = np.vstack([placed, options[k][choice[k]]])
    return choice


def _outside(rects: np.ndarray, bounds) -> np.ndarray:
    areas = (rects[:, 2] - rects[:, 0]) * (rects[:, 3] - rects[:, 1])
    return areas - overlap_areas(rects, np.asarray([bounds], float))


class Screen:
    """The view's camera now: 3-D points to pixels (as GLTextItem paints them) and pixel
    offsets back to 3-D."""

    def __init__(self, view) -> None:
        self.view = view
        x0, y0, w, h = self.viewport = view.getViewport()
        to_pixels = QMatrix4x4()
        to_pixels.viewport(x0, y0 + h, w, -h)
        matrix = to_pixels * view.projectionMatrix((x0, y0, w, h), (x0, y0, w, h)) * view.viewMatrix()
        self.matrix = np.array(matrix.data(), dtype=float).reshape(4, 4).T  # data() is column-major
        camera = np.array(view.viewMatrix().inverted()[0].data(), dtype=float).reshape(4, 4).T
        self.right, self.up = camera[:3, 0], camera[:3, 1]

    def project(self, points) -> np.ndarray:
        """(n, 3) points → (n, 2) pixels."""
        points = np.asarray(points, float).reshape(-1, 3)
        h = np.hstack([points, np.ones((len(points), 1))]) @ self.matrix.T
        return h[:, :2] / h[:, 3:]

    def shifted(self, points, offsets) -> np.ndarray:
        """The 3-D points drawn `offsets` (n, 2: pixels right, down) away from `points`."""
        points = np.asarray(points, float).reshape(-1, 3)
        size = np.asarray(self.view.pixelSize(points), float).reshape(-1, 1)
        offsets = np.asarray(offsets, float).reshape(-1, 2)
        return points + size * (offsets[:, :1] * self.right - offsets[:, 1:] * self.up)

    def bounds(self) -> tuple[float, float, float, float]:
        x0, y0, w, h = self.viewport
        return (x0, y0, x0 + w, y0 + h)


def anchor_factors(alignment) -> tuple[float, float]:
    """How far left (× the text's width) and down (× its height) an alignment moves the text."""
    fx = 1.0 if alignment & Align.AlignRight else 0.5 if alignment & Align.AlignHCenter else 0.0
    fy = 1.0 if alignment & Align.AlignTop else 0.5 if alignment & Align.AlignVCenter else 0.0
    return fx, fy


def text_rects(screen: Screen, label, positions, factors: np.ndarray) -> np.ndarray:
    """Where `label` (a GLTextItem) draws its text anchored at each of `positions`, aligned
    as `factors` (n, 2, from anchor_factors) say, as GLTextItem.align_text and drawText do."""
    box = QFontMetrics(label.font).tightBoundingRect(label.text)
    x, y = screen.project(positions).T
    bx, by = x - factors[:, 0] * box.width(), y + factors[:, 1] * box.height()  # the baseline's start
    return np.column_stack([bx + box.left() - PAD, by + box.top() - PAD,
                            bx + box.right() + PAD, by + box.bottom() + PAD])


def text_rect(screen: Screen, label, pos, alignment) -> np.ndarray:
    return text_rects(screen, label, [pos], np.array([anchor_factors(alignment)]))[0]


def arrow_rects(screen: Screen, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Small squares covering an arrow's shaft on screen and a larger one on its head."""
    (x0, y0), (x1, y1) = screen.project([start, end])
    steps = max(2, int(np.hypot(x1 - x0, y1 - y0) / SHAFT_STEP))
    xs, ys = np.linspace(x0, x1, steps), np.linspace(y0, y1, steps)
    shaft = np.column_stack([xs - SHAFT_RADIUS, ys - SHAFT_RADIUS, xs + SHAFT_RADIUS, ys + SHAFT_RADIUS])
    return np.vstack([shaft, [x1 - TIP_RADIUS, y1 - TIP_RADIUS, x1 + TIP_RADIUS, y1 + TIP_RADIUS]])


@functools.cache
def _candidates(fractions: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every candidate spot, most wanted first: (fraction along the arrow (n,), pixel offset
    off it (n, 2), index into SIDES (n,))."""
    spots = [(f, (sx * gap, sy * gap), k) for f in fractions for gap in GAPS
             for k, (_alignment, (sx, sy)) in enumerate(SIDES)]
    return (np.array([f for f, _, _ in spots]), np.array([o for _, o, _ in spots]),
            np.array([k for _, _, k in spots]))


SIDE_FACTORS = np.array([anchor_factors(alignment) for alignment, _ in SIDES])


def _spots(screen: Screen, arrow, fractions) -> tuple[np.ndarray, np.ndarray]:
    """The candidate anchors (n, 3) of the arrow's label and their SIDES indices."""
    along, offsets, sides = _candidates(fractions)
    points = arrow.start + along[:, None] * (arrow.end - arrow.start)
    return screen.shifted(points, offsets), sides


def place_arrow_labels(view, basis_arrows: Sequence, eigen_arrows: Sequence) -> list[tuple]:
    """Move the labels of the basis arrows (near their tips) and of the shown eigen arrows
    (along them) to their best spots; returns the labels' rects, in that order."""
    screen = Screen(view)
    obstacles = np.vstack([arrow_rects(screen, a.start, a.end) for a in (*basis_arrows, *eigen_arrows)])
    arrows = [a for a in basis_arrows if a.label is not None] + list(eigen_arrows)
    spots = [_spots(screen, a, TIP_FRACTIONS if a in basis_arrows else FRACTIONS) for a in arrows]
    rects = [text_rects(screen, a.label, points, SIDE_FACTORS[sides]) for a, (points, sides) in zip(arrows, spots)]
    chosen = place_labels(rects, obstacles, screen.bounds())
    for arrow, (points, sides), index in zip(arrows, spots, chosen):
        # set during the frame's paint, before the labels paint: setData would ask for another frame
        arrow.label.pos, arrow.label.alignment = points[index], SIDES[sides[index]][0]
    return [tuple(options[index]) for options, index in zip(rects, chosen)]
