"""Sizes of canvas items and the layout inside a node, in item coordinates.

A node's `pos` is the centre of its neuron column, which is also the height of its
ports. Nodes placed on one line therefore get straight wires, and a node that grows
(more units) grows evenly up and down without moving its wires.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF

NODE_WIDTH = 130.0
TITLE_HEIGHT = 20.0
SUBTITLE_HEIGHT = 16.0
HEADER_PAD = 6.0          # above the title
WELL_GAP = 4.0            # between the header and the neuron well
BODY_PAD = 9.0            # below the last neuron
# A neuron's live map is most of the card's width: the canvas fits a whole network at the
# zoom where a map is 32 px (ui/canvas/view.py), so the larger the map is beside the rest
# of the card, the wider the network that fits.
HEATMAP_SIZE = 64.0
NEURON_SPACING = 72.0     # a HEATMAP_SIZE map per neuron, with a gap between maps
NEURON_RADIUS = 12.0      # the circle a neuron shows until it has a live map over it
MAX_NEURONS = 8           # slots in a column; beyond, the last slot shows "+N"
EMPTY_BODY_HALF = 9.0     # half height of the well when no neuron is drawn
PORT_RADIUS = 5.0
CORNER = 8.0

# Nodes whose output is a vector of units, drawn as a column of neurons.
VECTOR_TYPES = frozenset({"input", "dense", "activation", "batch_norm", "dropout", "add", "concat", "output"})
# Nodes with trainable parameters: their header has a second line with the count.
PARAM_TYPES = frozenset({"dense", "batch_norm"})


@dataclass(frozen=True)
class NodeLayout:
    """Where everything inside one node goes (item coordinates, origin = column centre)."""

    rect: QRectF
    title_rect: QRectF
    subtitle_rect: QRectF | None
    well_rect: QRectF
    neurons: tuple[QPointF, ...]
    hidden: int                 # units not drawn; shown as "+N" in the last slot
    marker: QPointF | None      # centre of the "+N" marker


def _slot_ys(slots: int) -> list[float]:
    return [(i - (slots - 1) / 2) * NEURON_SPACING for i in range(slots)]


def node_layout(type_name: str, width: int | None) -> NodeLayout:
    """The layout of a node of this type whose output has `width` units (None: unknown)."""
    units = width if (width and type_name in VECTOR_TYPES) else 0
    slots = min(units, MAX_NEURONS)
    hidden = units - (MAX_NEURONS - 1) if units > MAX_NEURONS else 0
    ys = _slot_ys(slots)
    circles = ys[:-1] if hidden else ys
    half = slots * NEURON_SPACING / 2 if slots else EMPTY_BODY_HALF
    subtitle = SUBTITLE_HEIGHT if type_name in PARAM_TYPES else 0.0
    well_top = -half - 2.0
    top = well_top - WELL_GAP - subtitle - TITLE_HEIGHT - HEADER_PAD
    left = -NODE_WIDTH / 2
    rect = QRectF(left, top, NODE_WIDTH, half + BODY_PAD - top)
    title = QRectF(left + 8, top + HEADER_PAD, NODE_WIDTH - 16, TITLE_HEIGHT)
    sub = QRectF(left + 8, title.bottom(), NODE_WIDTH - 16, subtitle) if subtitle else None
    well = QRectF(left + 6, well_top, NODE_WIDTH - 12, rect.bottom() - 5 - well_top)
    return NodeLayout(rect, title, sub, well, tuple(QPointF(0.0, y) for y in circles), hidden,
                      QPointF(0.0, ys[-1]) if hidden else None)
