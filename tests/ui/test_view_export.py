"""View ▸ Export View: every view of the window as a PNG image and an SVG drawing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QGraphicsView, QMenu

from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.look import style
from laegna_gui.ui.document.paths import settings
from laegna_gui.ui.training.views.heatmap import compact
from laegna_gui.ui.export.view_export import ONLY_PNG_3D, export_view
from laegna_gui.ui.export.view_export_menu import FILE_FILTER, PNG_FILTER

from image_helpers import pixels

WAIT = 10_000
SVG = "{http://www.w3.org/2000/svg}"
VECTOR = ("path", "polyline", "polygon", "rect", "line", "text")
VIEWS_2D = ("network", "boundary", "loss", "weights", "gradients", "step", "formula")
VIEWS_3D = ("transform_lab", "layer_space", "landscape", "affine_fit")
MENU_NAMES = ["Network", "Decision boundary", "Loss", "Weights", "Gradients", "Step", "Formula",
              "Transform lab", "Layer space", "Loss landscape", "Affine fit"]


@pytest.fixture
def menu(window, tmp_path, monkeypatch):
    """The window's Export View menu with its dialogs recorded instead of shown."""
    menu = window.view_export_menu
    menu.asked, menu.errors, menu.answer = [], [], ""

    def ask(title, suggested, file_filter):
        menu.asked.append((title, suggested, file_filter))
        return menu.answer

    monkeypatch.setattr(menu, "ask_save_path", ask)
    monkeypatch.setattr(menu, "show_error", lambda title, text: menu.errors.append(text))
    return menu


@pytest.fixture
def trained(window, qtbot):
    """The window after 15 epochs (150 iterations) and one Step (so the Step view has a
    report). Epoch by epoch, so the curves have the same points on every machine: free
    training sends snapshots by the clock, and a slower machine draws more points (the
    PNG's thinner lines then differ from the screen's over more of the picture)."""
    controller = window.training.controller
    qtbot.waitUntil(lambda: controller.latest is not None, timeout=WAIT)
    for _ in range(15):
        with qtbot.waitSignal(controller.snapshot_changed, timeout=WAIT):
            controller.step_epoch()
    assert list(controller.history.column("step")) == list(range(0, 151, 10))
    with qtbot.waitSignal(controller.snapshot_changed, timeout=WAIT):
        controller.step()
    qtbot.waitUntil(lambda: window.training.step_view.report is not None, timeout=WAIT)
    return window


def export_through_menu(menu, key, path):
    menu.answer = str(path)
    menu.view_actions[key].trigger()
    return path


def load_png(path) -> np.ndarray:
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable PNG"
    return pixels(image)


def svg_tags(path) -> tuple[ET.Element, dict[str, int], list[str]]:
    """The root, how many of each drawing element, and every text."""
    root = ET.parse(path).getroot()
    counts: dict[str, int] = {}
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        counts[tag] = counts.get(tag, 0) + 1
    texts = ["".join(e.itertext()).strip() for e in root.iter(f"{SVG}text")]
    return root, counts, texts


def distinct_colours(rgb: np.ndarray) -> int:
    return len(np.unique(rgb.reshape(-1, 3), axis=0))


def downscaled(rgb: np.ndarray, factor: int) -> np.ndarray:
    h, w = rgb.shape[0] // factor, rgb.shape[1] // factor
    return rgb[:h * factor, :w * factor].reshape(h, factor, w, factor, 3).mean(axis=(1, 3))


# --- the menu -----------------------------------------------------------------------------
def test_the_view_menu_lists_every_view_by_its_visible_name(window):
    view_menu = window.findChild(QMenu, "menuView")
    export = window.findChild(QMenu, "menuExportView")
    assert export is not None and export.menuAction() in view_menu.actions()
    entries = [a for a in export.actions() if not a.isSeparator()]
    assert [a.text().rstrip("…") for a in entries] == MENU_NAMES
    assert [a.objectName() for a in entries] == [f"action_export_view_{k}" for k in VIEWS_2D + VIEWS_3D]
    assert all(a.toolTip() for a in entries)


@pytest.mark.parametrize("key", VIEWS_2D)
def test_every_2d_view_exports_as_a_png_that_looks_like_it_and_an_svg_of_vector_shapes(
        trained, menu, tmp_path, key):
    _, widget = menu.views[key]
    png = export_through_menu(menu, key, tmp_path / f"{key}.png")
    svg = export_through_menu(menu, key, tmp_path / f"{key}.svg")
    assert menu.errors == []
    assert widget.isVisible()  # the menu brought its tab forward
    rgb = load_png(png)
    assert distinct_colours(rgb) > 20  # a picture, not one flat colour
    if not isinstance(widget, QGraphicsView):  # the canvas exports its whole scene, see below
        view = widget if key != "boundary" else widget.plot  # the boundary's options are not drawn
        height, width = rgb.shape[:2]  # twice the size on screen (pyqtgraph may round one pixel off)
        assert abs(height - 2 * view.height()) <= 1 and abs(width - 2 * view.width()) <= 1
        on_screen = pixels(view.grab().toImage())
        difference = np.abs(downscaled(rgb, 2) - on_screen[:rgb.shape[0] // 2, :rgb.shape[1] // 2]).mean()
        assert difference < 6, f"the PNG does not look like the {key} view on screen ({difference:.1f})"
    root, counts, texts = svg_tags(svg)
    assert root.tag == f"{SVG}svg"
    assert sum(counts.get(tag, 0) for tag in VECTOR) >= 10 and texts, counts
    assert sum(counts.get(tag, 0) for tag in VECTOR) > counts.get("image", 0)  # not just a bitmap


def test_the_canvas_svg_holds_the_node_labels_as_text(trained, menu, tmp_path):
    svg = export_through_menu(menu, "network", tmp_path / "network.svg")
    _, _, texts = svg_tags(svg)
    labels = [item.title for item in trained.canvas.graph_scene.nodes.values()]  # as the cards read
    assert labels and all(label in texts for label in labels), (labels, texts)


def test_the_canvas_exports_the_whole_network_even_when_zoomed_in(trained, menu, tmp_path):
    canvas = trained.canvas
    for _ in range(6):
        canvas.zoom_in()
    shown = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
    whole = canvas.scene().itemsBoundingRect()
    assert not shown.contains(whole)  # the screen shows only part of it
    rgb = load_png(export_through_menu(menu, "network", tmp_path / "whole.png"))
    assert rgb.shape[1] == pytest.approx(2 * (whole.width() + 48), abs=2)
    assert rgb.shape[0] == pytest.approx(2 * (whole.height() + 48), abs=2)
    _, _, texts = svg_tags(export_through_menu(menu, "network", tmp_path / "whole.svg"))
    assert all(item.title in texts for item in trained.canvas.graph_scene.nodes.values())


def test_the_drawings_carry_the_views_numbers(trained, menu, tmp_path):
    weights = trained.training.controller.latest.weights["dense1.weight"]
    _, _, texts = svg_tags(export_through_menu(menu, "weights", tmp_path / "weights.svg"))
    assert {compact(v) for v in weights.ravel()} <= set(texts)
    _, _, texts = svg_tags(export_through_menu(menu, "formula", tmp_path / "formula.svg"))
    assert any("tanh" in t for t in texts) and any("W₁" in t for t in texts)
    _, counts, texts = svg_tags(export_through_menu(menu, "loss", tmp_path / "loss.svg"))
    assert "train" in texts and "test" in texts and counts.get("polyline", 0) + counts.get("path", 0) >= 2


def test_the_boundary_png_shows_the_points_of_both_classes(trained, menu, tmp_path):
    rgb = load_png(export_through_menu(menu, "boundary", tmp_path / "boundary.png")).astype(int)
    for colour in (style.NEGATIVE, style.POSITIVE):  # the points are drawn in the full class colours
        target = np.array([colour.red(), colour.green(), colour.blue()])
        assert (np.abs(rgb - target).sum(axis=2) < 40).sum() > 200, colour.name()


def test_the_menu_suggests_a_name_remembers_the_folder_and_says_what_it_wrote(trained, menu, tmp_path):
    menu.view_actions["loss"].trigger()  # the dialog is cancelled
    assert len(menu.asked) == 1 and menu.errors == [] and trained.statusBar().currentMessage() == ""
    title, suggested, file_filter = menu.asked[-1]
    assert suggested.endswith("xor-loss.png") and file_filter == FILE_FILTER and "Loss" in title
    target = tmp_path / "pictures"
    target.mkdir()
    export_through_menu(menu, "boundary", target / "plain")  # no suffix: a PNG
    assert QImage(str(target / "plain.png")).width() > 0
    assert "Decision boundary" in trained.statusBar().currentMessage()
    assert str(target / "plain.png") in trained.statusBar().currentMessage()
    assert settings().value("export/last_folder") == str(target.resolve())
    menu.view_actions["formula"].trigger()
    assert menu.asked[-1][1] == str(target.resolve() / "xor-formula.png")


def test_export_leaves_the_plots_as_they_were(trained, menu, tmp_path):
    """Export mode and the uncached background are only for the file: the plots on screen
    keep their caches, their hover buttons and pyqtgraph's own behaviour."""
    curves = trained.training.curves
    before = [plot.cacheMode() for plot in (curves.loss_plot, curves.accuracy_plot)]
    export_through_menu(menu, "loss", tmp_path / "loss.svg")
    export_through_menu(menu, "loss", tmp_path / "loss.png")
    assert [plot.cacheMode() for plot in (curves.loss_plot, curves.accuracy_plot)] == before
    items = [i for p in (curves.loss_plot, curves.accuracy_plot) for i in p.scene().items()
             if hasattr(i, "setExportMode")]
    assert items and all(item._exportOpts is False for item in items)


# --- what cannot be exported ------------------------------------------------------------------
def test_an_unsupported_suffix_is_refused_with_the_two_that_work(window, menu, tmp_path):
    with pytest.raises(LaegnaError, match=r"'\.jpg'.*\.png.*\.svg"):
        export_view(window.canvas, tmp_path / "net.jpg")
    export_through_menu(menu, "network", tmp_path / "net.bmp")
    assert len(menu.errors) == 1 and "'.bmp'" in menu.errors[0] and ".png" in menu.errors[0]
    assert not any(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_gets_one_message(window, menu, tmp_path):
    export_through_menu(menu, "network", tmp_path / "missing" / "net.png")
    assert len(menu.errors) == 1 and "could not be written" in menu.errors[0]


def test_an_empty_canvas_says_there_is_nothing_to_export(window, tmp_path):
    from laegna_gui.core.project import Project

    window.document.load(Project(), None)  # no layers at all
    assert not window.document.graph.nodes
    with pytest.raises(LaegnaError, match="canvas is empty"):
        export_view(window.canvas, tmp_path / "empty.png")


@pytest.mark.parametrize("key", VIEWS_3D)
def test_3d_views_offer_png_only_and_refuse_svg_clearly(window, menu, tmp_path, key):
    export_through_menu(menu, key, tmp_path / f"{key}.svg")
    assert menu.asked[-1][2] == PNG_FILTER
    assert menu.errors == [f"Nothing was exported: {ONLY_PNG_3D}"]
    assert "3-D views can be exported as PNG only" in ONLY_PNG_3D
    assert not any(tmp_path.iterdir())


def test_without_opengl_a_3d_png_says_why(window, menu, tmp_path):
    assert not window.tabs.lab.panel.has_gl  # offscreen; the GL session covers the real export
    export_through_menu(menu, "transform_lab", tmp_path / "lab.png")
    assert len(menu.errors) == 1 and "OpenGL" in menu.errors[0]
    assert window.tabs.current_view() is window.tabs.lab  # it was brought forward to be seen


# --- under a real OpenGL context (second session, Xvfb) ------------------------------------
@pytest.mark.gl
def test_3d_png_comes_from_the_framebuffer(window, menu, qtbot, tmp_path):
    lab = window.tabs.lab
    assert lab.panel.has_gl
    png = export_through_menu(menu, "transform_lab", tmp_path / "lab.png")
    qtbot.waitUntil(lambda: png.exists(), timeout=WAIT)
    assert menu.errors == [] and window.tabs.current_view() is lab
    rgb = load_png(png)
    frame = lab.panel.view.grabFramebuffer()
    assert rgb.shape[:2] == (frame.height(), frame.width()) and min(rgb.shape[:2]) > 100
    assert distinct_colours(rgb) > 20
    background = np.array([247, 248, 250])
    assert (np.abs(rgb.astype(int) - background).sum(axis=2) > 30).mean() > 0.01  # the cube is drawn
    with pytest.raises(LaegnaError, match="PNG only"):
        export_view(lab, tmp_path / "lab.svg")
    export_through_menu(menu, "landscape", tmp_path / "landscape.png")  # not computed yet: says how
    assert len(menu.errors) == 1 and "nothing to show yet: Compute the loss" in menu.errors[0]
