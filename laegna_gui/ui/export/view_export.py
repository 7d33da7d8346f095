"""Export what a view shows as a PNG image or an SVG drawing.

`export_view(widget, path)` picks the way by the widget: a single pyqtgraph plot goes
through pyqtgraph's own exporters; the network canvas renders its whole scene (not only
the part on screen); a composite view (several plots, or plots with text beside them) is
rendered whole; a 3-D view is read back from OpenGL, so it can only become a PNG."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QLabel, QStackedWidget, QWidget

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.look import style
from laegna_gui.ui.naming import INTERACTIVE
from laegna_gui.ui.space3d.gl import GLPanel, gl_view_type

PNG_SCALE = 2.0        # images are drawn at twice the screen size (at least), so they stay sharp
CANVAS_MARGIN = 24.0   # scene units of background around the network
SUFFIXES = (".png", ".svg")
ONLY_PNG_3D = "3-D views can be exported as PNG only: choose a file name ending in .png."


def export_view(widget: QWidget, path: str | Path) -> Path:
    """Write `widget`'s picture to `path` (.png or .svg, chosen by the suffix), atomically.
    Raises LaegnaError for a suffix or a view that cannot be exported, OSError if the file
    cannot be written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        shown = f"'{path.suffix}'" if path.suffix else "a file without a suffix"
        raise LaegnaError(f"A view cannot be exported as {shown}: choose a file name ending in "
                          ".png (an image) or .svg (a drawing).")
    write_atomic(path, view_bytes(widget, suffix))
    return path


def view_bytes(widget: QWidget, suffix: str) -> bytes:
    """The PNG or SVG file content for `widget` (suffix '.png' or '.svg')."""
    svg = suffix == ".svg"
    if is_3d(widget):
        if svg:
            raise LaegnaError(ONLY_PNG_3D)
        return _png(_gl_image(widget))
    if isinstance(widget, QGraphicsView) and not isinstance(widget, pg.GraphicsView):
        return _scene_svg(widget) if svg else _png(_scene_image(widget))
    plot = picture_plot(widget)
    if plot is not None:
        return _plot_svg(plot) if svg else _png(_plot_image(plot))
    return _widget_svg(widget) if svg else _png(_widget_image(widget))


def is_3d(widget: QWidget) -> bool:
    """An OpenGL view, or a view built around one (the 3-D tabs)."""
    return _gl_panel(widget) is not None or _is_gl_view(widget)


def picture_plot(widget: QWidget) -> pg.GraphicsView | None:
    """The one pyqtgraph view that is the whole picture of `widget`, or None when `widget`
    shows more than that: several plots, a plot with several panels, or text beside it
    (a legend, a readout). Controls (check boxes, buttons) are not part of the picture."""
    if isinstance(widget, pg.GraphicsView):
        return widget
    plots = [v for v in widget.findChildren(pg.GraphicsView) if v.isVisibleTo(widget)]
    if len(plots) != 1 or _panel_count(plots[0]) != 1:
        return None
    plot = plots[0]
    for child in widget.findChildren(QWidget):
        if child is plot or plot.isAncestorOf(child) or not child.isVisibleTo(widget):
            continue
        if _shows_something(child):
            return None
    return plot


def _panel_count(view: pg.GraphicsView) -> int:
    return sum(isinstance(item, pg.ViewBox) for item in view.scene().items())


def _shows_something(widget: QWidget) -> bool:
    """A leaf widget that belongs in the picture: text, an image, a colour ramp…"""
    if isinstance(widget, INTERACTIVE) or any(c.isWidgetType() and c.isVisibleTo(widget)
                                              for c in widget.children()):
        return False
    if isinstance(widget, QLabel):
        return bool(widget.text().strip()) or widget.pixmap() is not None and not widget.pixmap().isNull()
    return True


# --- pyqtgraph plots: pyqtgraph's own exporters ------------------------------------------
def _plot_image(plot: pg.GraphicsView) -> QImage:
    from pyqtgraph.exporters import ImageExporter

    exporter = ImageExporter(plot.scene())
    width = int(exporter.parameters()["width"])
    if width <= 0:
        raise _no_size()
    exporter.parameters()["width"] = round(width * max(PNG_SCALE, plot.devicePixelRatioF()))
    return exporter.export(toBytes=True)


def _plot_svg(plot: pg.GraphicsView) -> bytes:
    from pyqtgraph.exporters import SVGExporter

    size = _widget_size(plot)
    try:
        return SVGExporter(plot.scene()).export(toBytes=True)
    except Exception:  # noqa: BLE001 - any failure of it has the same remedy
        # pyqtgraph 0.14.0 cannot parse the closed paths ("… Z") that recent Qt (6.11) writes
        # (pyqtgraph issue 3495); Qt's own SVG of the rendered plot is the fallback
        return _svg(size, plot, lambda painter: _paint_widget(plot, painter))


# --- the network canvas: its whole scene ---------------------------------------------------
def _scene_rect(view: QGraphicsView) -> QRectF:
    rect = view.scene().itemsBoundingRect()
    if rect.isEmpty():
        raise LaegnaError("The network canvas is empty: add a layer first, then export it.")
    return rect.adjusted(-CANVAS_MARGIN, -CANVAS_MARGIN, CANVAS_MARGIN, CANVAS_MARGIN)


def _paint_scene(view: QGraphicsView, painter: QPainter, source: QRectF, target: QRectF) -> None:
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    painter.fillRect(target, style.current().canvas_background)
    view.scene().render(painter, target, source)
    painter.end()


def _scene_image(view: QGraphicsView) -> QImage:
    source = _scene_rect(view)
    scale = max(PNG_SCALE, view.devicePixelRatioF())
    image = QImage((source.size() * scale).toSize(), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    _paint_scene(view, QPainter(image), source, QRectF(QPoint(0, 0), source.size()))
    return image


def _scene_svg(view: QGraphicsView) -> bytes:
    source = _scene_rect(view)
    size = source.size().toSize()
    return _svg(size, view, lambda painter: _paint_scene(view, painter, source, QRectF(QPoint(0, 0), source.size())))


# --- composite views: the whole widget -----------------------------------------------------
def _widget_size(widget: QWidget) -> QSize:
    if widget.width() <= 0 or widget.height() <= 0:
        raise _no_size()
    return widget.size()


def _paint_widget(widget: QWidget, painter: QPainter) -> None:
    painter.fillRect(QRect(QPoint(0, 0), widget.size()), widget.palette().window())
    with _plots_in_export_mode(widget):
        QWidget.render(widget, painter, QPoint(0, 0))  # QGraphicsView.render means something else
    painter.end()


@contextmanager
def _plots_in_export_mode(widget: QWidget):
    """pyqtgraph plots drawn for a file: scatter points as shapes (not cached bitmaps, which an
    SVG would embed whole for every point), the background painted (not a cached bitmap of
    the whole plot) and no hover buttons."""
    views = ([widget] if isinstance(widget, pg.GraphicsView) else []) + widget.findChildren(pg.GraphicsView)
    caches = [view.cacheMode() for view in views]
    items = [item for view in views for item in view.scene().items() if hasattr(item, "setExportMode")]
    for view in views:
        view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
    for item in items:
        item.setExportMode(True, {"antialias": True, "resolutionScale": 1.0})
    try:
        yield
    finally:
        for item in items:
            item.setExportMode(False)
        for view, cache in zip(views, caches):
            view.setCacheMode(cache)


def _widget_image(widget: QWidget) -> QImage:
    scale = max(PNG_SCALE, widget.devicePixelRatioF())
    pixmap = QPixmap(_widget_size(widget) * scale)
    pixmap.setDevicePixelRatio(scale)
    _paint_widget(widget, QPainter(pixmap))
    return pixmap.toImage()


def _widget_svg(widget: QWidget) -> bytes:
    return _svg(_widget_size(widget), widget, lambda painter: _paint_widget(widget, painter))


def _svg(size: QSize, widget: QWidget, paint) -> bytes:
    """An SVG document of `size` pixels, drawn by `paint(painter)` (which ends the painter)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(0, 0), size))
    generator.setResolution(widget.logicalDpiX())  # text keeps the size it has on screen
    generator.setTitle(widget.accessibleName() or widget.objectName() or "Laegna view")
    generator.setDescription("Exported from Laegna")
    paint(QPainter(generator))
    buffer.close()
    return bytes(buffer.data())


# --- 3-D views: read back from OpenGL ------------------------------------------------------
def _is_gl_view(widget: QWidget) -> bool:
    view_type = gl_view_type()
    return view_type is not None and isinstance(widget, view_type)


def _gl_panel(widget: QWidget) -> GLPanel | None:
    if isinstance(widget, GLPanel):
        return widget
    return next(iter(widget.findChildren(GLPanel)), None)


def _gl_image(widget: QWidget) -> QImage:
    panel = _gl_panel(widget)
    if panel is not None and not panel.has_gl:
        raise LaegnaError("3-D views need OpenGL, which is not available here, so this view has no "
                          "picture to export. Run Laegna on a desktop with OpenGL to export it.")
    view = widget if panel is None else panel.view  # None until the panel has been shown
    if view is None or not view.isVisibleTo(widget.window()) or view.width() <= 0:
        raise LaegnaError("This 3-D view has nothing to show yet" + _placeholder_text(panel or view) + ".")
    image = view.grabFramebuffer()
    if image.isNull():
        raise LaegnaError("The 3-D picture could not be read back from OpenGL; try again once the view "
                          "has been drawn.")
    return image


def _placeholder_text(scene: QWidget) -> str:
    """What the page shown instead of a 3-D scene says (the landscape's 'Compute …' hint)."""
    stack = scene.parentWidget()
    page = stack.currentWidget() if isinstance(stack, QStackedWidget) else None
    return f": {page.text().rstrip('.')}" if isinstance(page, QLabel) and page.text() else ""


# --- shared ---------------------------------------------------------------------------------
def _png(image: QImage) -> bytes:
    return encoded(image, "PNG")


def encoded(image: QImage | QPixmap, kind: str) -> bytes:
    """The picture as the bytes of a `kind` file (PNG, JPG, …), to be written atomically."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, kind.upper()):
        raise LaegnaError(f"The picture could not be encoded as {kind.upper()}.")
    buffer.close()
    return bytes(data)


def _no_size() -> LaegnaError:
    return LaegnaError("This view has no size yet: show it in the window first, then export it.")
