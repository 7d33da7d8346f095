"""The canvas fits a network at a zoom where each neuron's live map is at least 32 px on
screen: at 1280×800, 1400×860 and 1920×1080, for every shipped preset. A network too
wide for that is shown from its Input side and the rest is a pan away."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from laegna_gui.core.graph import Graph
from laegna_gui.core.layout import X_GAP
from laegna_gui.core.presets import preset_names
from laegna_gui.core.project import Project
from laegna_gui.ui.canvas import GraphView
from laegna_gui.ui.canvas.neuron_maps import SQUARE
from laegna_gui.ui.canvas.view import FIT_MARGIN, FIT_MIN_SCALE, MIN_SCALE
from laegna_gui.ui.document.document import Document
from window_helpers import open_window

SIZES = [(1280, 800), (1400, 860), (1920, 1080)]
MAP_PIXELS = 32.0
WAIT = 30_000  # ms: only a failing check waits this long


def map_sizes_on_screen(canvas: GraphView) -> dict[tuple[str, int], float]:
    """The smaller side, in view pixels, of every live neuron map on the canvas."""
    sizes = {}
    for node_id, group in canvas.graph_scene.live.neurons.items():
        for item in group.items:
            shown = canvas.transform().mapRect(item.mapRectToScene(SQUARE))
            sizes[(node_id, item.unit)] = min(shown.width(), shown.height())
    return sizes


def shows_live_maps(canvas: GraphView) -> bool:
    """The canvas shows a snapshot of the graph on show now (a 3-D input has no maps over
    the plane, but its layers' neurons still get their live items, for the bias)."""
    scene, live = canvas.graph_scene, canvas.graph_scene.live.neurons
    return bool(live) and all(group.node is scene.nodes.get(node_id) for node_id, group in live.items())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_preset_shows_its_neuron_maps_at_least_32_px(qtbot, size):
    win = open_window(qtbot)
    qtbot.waitUntil(lambda: not win._first_sizes_pending, timeout=WAIT)  # the first-start dock sizes are made
    win.resize(*size)
    qtbot.waitUntil(lambda: win.size() == QSize(*size), timeout=WAIT)
    win.layout().activate()  # the docks, and so the canvas, at their sizes for this window
    canvas = win.canvas
    for name in preset_names():
        assert win.files.open_preset(name)  # opening a preset fits the canvas to it
        qtbot.waitUntil(lambda: shows_live_maps(canvas), timeout=WAIT)
        sizes = map_sizes_on_screen(canvas)
        smallest = min(sizes, key=sizes.get)
        assert sizes[smallest] >= MAP_PIXELS - 0.01, \
            f"{name} at {size[0]}×{size[1]}: map of {smallest} is {sizes[smallest]:.1f} px"
        input_node = canvas.graph_scene.nodes["input1"]
        assert visible_rect(canvas).contains(input_node.sceneBoundingRect()), f"{name}: Input out of view"


# --- a network too wide to fit --------------------------------------------------------------
def visible_rect(view: GraphView) -> QRectF:
    return view.mapToScene(view.viewport().rect()).boundingRect()


def wide_graph(layers: int) -> Graph:
    """Input → `layers` dense layers of 4 → Output, one column each."""
    graph = Graph()
    previous = graph.add_node("input", {}, (0.0, 0.0)).id
    for i in range(1, layers + 2):
        kind, params = ("dense", {"units": 4}) if i <= layers else ("output", {})
        node = graph.add_node(kind, params, (i * X_GAP, 0.0))
        graph.add_edge(previous, node.id)
        previous = node.id
    return graph


@pytest.fixture
def wide(qtbot, shown) -> GraphView:
    owner = QObject()
    document = Document(parent=owner)
    document.load(Project(wide_graph(12)))
    view = GraphView(document)
    document.setParent(view)  # goes with the view when pytest-qt closes it
    shown(view, 800, 500)
    view.fit()
    return view


def test_a_network_too_wide_is_fit_from_its_input_side_at_the_smallest_fit_zoom(wide):
    assert wide.transform().m11() == pytest.approx(FIT_MIN_SCALE)
    visible, nodes = visible_rect(wide), wide.graph_scene.nodes
    content = QRectF()
    for item in nodes.values():
        content = content.united(item.sceneBoundingRect())
    assert visible.contains(nodes["input1"].sceneBoundingRect())
    assert not visible.intersects(nodes["output1"].sceneBoundingRect())
    # left-aligned: the content's left edge a margin from the view's left edge
    assert visible.left() == pytest.approx(content.left() - FIT_MARGIN, abs=2 / FIT_MIN_SCALE)
    # vertically centred
    assert visible.center().y() == pytest.approx(content.center().y(), abs=2 / FIT_MIN_SCALE)


def test_zooming_out_by_hand_still_goes_below_the_fit_zoom(wide):
    for _ in range(20):
        wide.zoom_out()
    assert wide.transform().m11() == pytest.approx(MIN_SCALE)
    assert visible_rect(wide).contains(wide.graph_scene.nodes["output1"].sceneBoundingRect())


def sideways_wheel(view: GraphView, delta: QPoint, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    at = QPointF(view.viewport().rect().center())
    event = QWheelEvent(at, QPointF(view.viewport().mapToGlobal(at)), QPoint(), delta, Qt.MouseButton.NoButton,
                        modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


@pytest.mark.parametrize("delta, modifiers", [
    (QPoint(-120, 0), Qt.KeyboardModifier.NoModifier),       # a touchpad or a tilting wheel
    (QPoint(0, -120), Qt.KeyboardModifier.ShiftModifier),    # Shift with a plain wheel
], ids=["sideways", "shift"])
def test_a_sideways_wheel_pans_towards_the_output_without_zooming(wide, delta, modifiers):
    scale, left = wide.transform().m11(), visible_rect(wide).left()
    sideways_wheel(wide, delta, modifiers)
    assert visible_rect(wide).left() > left
    output = wide.graph_scene.nodes["output1"].sceneBoundingRect()
    for _ in range(40):
        if visible_rect(wide).contains(output):
            break
        sideways_wheel(wide, delta, modifiers)
    assert visible_rect(wide).contains(output)
    assert wide.transform().m11() == scale
