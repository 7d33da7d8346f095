"""Small builders for pyqtgraph.opengl scene items, made once and updated with `setData`.

Every class here owns a few GL items (`.items`, add them to a GLViewWidget with
`add_to(view)`) and has a `set_matrix(M)` (or `set_points`) that moves them with
`setData` — nothing is re-created while the user edits or training runs.

The shapes themselves (`cube_edges`, `tetrahedron_edges`, `sphere_points`) are plain
numpy, so they can be used and tested without OpenGL. pyqtgraph.opengl is imported
only when an item is made: on a machine without a working libGL, importing this
module still succeeds.

Colours: the object, its ghost, the grid and the eigen-arrows take the current theme's inks
(scene_theme.py: dark on the light background, light on the dark one), and every item is
drawn with the 'translucent' GL options (pyqtgraph's default 'additive' blending would wash
dark lines out to white).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from laegna_gui.core import affine
from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import diverging_rgba, rgba
from laegna_gui.ui.space3d.scene_theme import BASIS_HEX, ink, ink_255, ink_hex

# --- colours (RGBA floats 0…1) ------------------------------------------------------------
BASIS_NAMES = ("i", "j", "k")
TARGET_HEX = style.POSITIVE.name()
PREDICTION_HEX = style.NEGATIVE.name()

MAX_DRAWN = 1e3  # coordinates are clipped to ±this: a perspective can send points far away


def __getattr__(name: str):
    """`OBJECT_HEX` is the current theme's ink of the object, read when a view uses it."""
    if name == "OBJECT_HEX":
        return ink_hex("object")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _gl():
    import pyqtgraph.opengl as gl  # imported late: needs PyOpenGL and a libGL

    return gl


_LABEL_CLASS = None


def text_label(**kwargs):
    """A GLTextItem that paints through a QOpenGLPaintDevice into the view's framebuffer.

    pyqtgraph's GLTextItem paints with QPainter(view); while a window is being grabbed
    (QWidget.grab, used by the screenshot command) that painter is redirected to the
    grab's pixmap and the GL image then covers the text, so labels vanished from window
    screenshots. Painting into the bound framebuffer shows them on screen and in grabs."""
    global _LABEL_CLASS
    if _LABEL_CLASS is None:
        from PySide6.QtCore import QSize
        from PySide6.QtGui import QPainter, QVector3D
        from PySide6.QtOpenGL import QOpenGLPaintDevice

        gl = _gl()

        class FramebufferTextItem(gl.GLTextItem):
            def paint(self):
                if len(self.text) < 1:
                    return
                self.setupGLState()
                point = self.align_text(self.compute_projection().map(QVector3D(*self.pos)).toPointF())
                view = self.view()
                ratio = view.devicePixelRatioF()
                device = QOpenGLPaintDevice(QSize(round(view.width() * ratio), round(view.height() * ratio)))
                device.setDevicePixelRatio(ratio)
                painter = QPainter(device)
                painter.setPen(self.color)
                painter.setFont(self.font)
                painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
                painter.drawText(point, self.text)
                painter.end()

        _LABEL_CLASS = FramebufferTextItem
    return _LABEL_CLASS(**kwargs)


def on_top_options() -> dict:
    """GL options without a depth test, blended like 'translucent': an item drawn late with
    these lies over everything (the basis arrows, which would otherwise flicker where they
    lie on the cube's edges); one drawn first lies under everything (the ground grid)."""
    from OpenGL import GL

    return {GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, GL.GL_CULL_FACE: False,
            "glBlendFuncSeparate": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA,
                                    GL.GL_ONE, GL.GL_ONE_MINUS_SRC_ALPHA)}


def drawable(points: np.ndarray) -> np.ndarray:
    """float32 copy safe to upload: nan (no finite image) → 0 and huge values clipped."""
    out = np.nan_to_num(np.asarray(points, dtype=float), nan=0.0, posinf=MAX_DRAWN, neginf=-MAX_DRAWN)
    return np.clip(out, -MAX_DRAWN, MAX_DRAWN).astype(np.float32)


# --- shapes (plain numpy) ------------------------------------------------------------------
def cube_edges() -> np.ndarray:
    """The unit cube [0, 1]³ spanned by i, j, k: its 12 edges as 24 endpoints, (24, 3).
    Its image under W has volume |det W|."""
    corners = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=float)
    pairs = [(a, b) for a in range(8) for b in range(a + 1, 8)
             if np.sum(np.abs(corners[a] - corners[b])) == 1]
    return np.array([corners[k] for pair in pairs for k in pair])


def tetrahedron_edges() -> np.ndarray:
    """A regular tetrahedron centred on the origin (corners at distance √3·0.6): (12, 3)."""
    corners = 0.6 * np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=float)
    return np.array([corners[k] for a in range(4) for b in range(a + 1, 4) for k in (a, b)])


def sphere_points(n: int = 400, radius: float = 1.0) -> np.ndarray:
    """n points spread evenly over a sphere (a Fibonacci lattice), (n, 3)."""
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    r = np.sqrt(np.clip(1 - z * z, 0, 1))
    phi = np.pi * (3 - np.sqrt(5)) * k
    return radius * np.stack([r * np.cos(phi), r * np.sin(phi), z], axis=1)


def point_colors(labels: np.ndarray | None, n: int, default: str | None = None,
                 alpha: float = 0.9) -> np.ndarray:
    """(n, 4) RGBA: integer labels → class colours (orange, blue, …); float values →
    the diverging orange–blue scale; None → one colour (the object's ink unless told)."""
    if labels is None or len(labels) != n:
        return np.tile(np.array(rgba(default or ink_hex("object"), alpha), dtype=np.float32), (n, 1))
    labels = np.asarray(labels)
    if labels.ndim > 1:
        labels = labels[:, 0] if labels.shape[1] == 1 else np.argmax(labels, axis=1)
    if np.issubdtype(labels.dtype, np.integer):
        table = np.array([rgba(style.class_color(k), alpha) for k in range(10)], dtype=np.float32)
        return table[labels.astype(int) % len(table)]
    scale = float(np.max(np.abs(labels))) or 1.0
    return diverging_rgba(labels.astype(np.float64), scale, alpha)


def cone(base: np.ndarray, apex: np.ndarray, radius: float, sides: int = 14) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and triangle faces of a closed cone (arrow tip) from `base` to `apex`."""
    axis = apex - base
    length = float(np.linalg.norm(axis))
    d = axis / length if length > 0 else np.array([0.0, 0.0, 1.0])
    helper = np.array([1.0, 0, 0]) if abs(d[0]) < 0.9 else np.array([0, 1.0, 0])
    u = np.cross(d, helper)
    u /= np.linalg.norm(u)
    v = np.cross(d, u)
    angles = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = base + radius * (np.outer(np.cos(angles), u) + np.outer(np.sin(angles), v))
    verts = np.vstack([ring, apex, base])
    a, c = sides, sides + 1
    faces = [(i, (i + 1) % sides, a) for i in range(sides)] + [((i + 1) % sides, i, c) for i in range(sides)]
    return verts.astype(np.float32), np.array(faces, dtype=np.int32)


# --- items ---------------------------------------------------------------------------------
class SceneObject:
    """Base: a few GL items that go into a view together."""

    items: list

    def add_to(self, view) -> None:
        for item in self.items:
            view.addItem(item)

    def setVisible(self, visible: bool) -> None:  # noqa: N802 — mirrors the Qt/pyqtgraph name
        for item in self.items:
            item.setVisible(visible)


class WireShape(SceneObject):
    """Line segments (pairs of endpoints) drawn as one GLLinePlotItem in mode='lines',
    shown through a 4×4 matrix. `ghost=True` draws it faint grey (the untransformed object)."""

    def __init__(self, edges: np.ndarray, color=None, width: float = 2.5, ghost: bool = False) -> None:
        gl = _gl()
        self.edges = np.asarray(edges, dtype=float)
        self.matrix = np.eye(4)
        color = ink("ghost") if ghost else rgba(color or ink_hex("object"))
        self.line = gl.GLLinePlotItem(pos=drawable(self.edges), color=color, width=1.5 if ghost else width,
                                      mode="lines", antialias=True, glOptions="translucent")
        self.items = [self.line]

    def set_edges(self, edges: np.ndarray) -> None:
        self.edges = np.asarray(edges, dtype=float)
        self.set_matrix(self.matrix)

    def set_matrix(self, M: np.ndarray) -> None:
        self.matrix = np.asarray(M, dtype=float)
        self.line.setData(pos=drawable(affine.apply(self.matrix, self.edges)))

    def positions(self) -> np.ndarray:
        return self.line.pos


def unit_cube(M: np.ndarray | None = None, ghost: bool = False) -> WireShape:
    """The unit cube's 12 edges (one GLLinePlotItem, mode='lines') seen through M."""
    shape = WireShape(cube_edges(), ghost=ghost)
    shape.set_matrix(np.eye(4) if M is None else M)
    return shape


def tetrahedron(M: np.ndarray | None = None, ghost: bool = False) -> WireShape:
    shape = WireShape(tetrahedron_edges(), ghost=ghost)
    shape.set_matrix(np.eye(4) if M is None else M)
    return shape


class PointCloud(SceneObject):
    """Points (GLScatterPlotItem) seen through a 4×4 matrix; colours per point or one colour."""

    def __init__(self, points: np.ndarray | None = None, color=None, size: float = 6.0,
                 alpha: float = 0.9, on_top: bool = False) -> None:
        gl = _gl()
        self.points = np.zeros((0, 3)) if points is None else np.asarray(points, dtype=float)
        self.matrix = np.eye(4)
        colour = rgba(color or ink_hex("object"), alpha)
        self.scatter = gl.GLScatterPlotItem(pos=drawable(self.points), color=colour, size=size, pxMode=True,
                                            glOptions=on_top_options() if on_top else "translucent")
        if on_top:
            self.scatter.setDepthValue(10)
        self.items = [self.scatter]

    def set_points(self, points: np.ndarray, colors: np.ndarray | tuple | None = None) -> None:
        self.points = np.asarray(points, dtype=float).reshape(-1, 3)
        if colors is not None:
            self.scatter.setData(color=colors if isinstance(colors, tuple) else np.asarray(colors, np.float32))
        self.set_matrix(self.matrix)

    def set_matrix(self, M: np.ndarray) -> None:
        self.matrix = np.asarray(M, dtype=float)
        self.scatter.setData(pos=drawable(affine.apply(self.matrix, self.points)))

    def set_positions(self, positions: np.ndarray) -> None:
        """Place the points directly (no matrix)."""
        self.points = np.asarray(positions, dtype=float).reshape(-1, 3)
        self.matrix = np.eye(4)
        self.scatter.setData(pos=drawable(self.points))


def sphere_of_points(M: np.ndarray | None = None, n: int = 400) -> PointCloud:
    cloud = PointCloud(sphere_points(n), size=5.0, alpha=0.85)
    cloud.set_matrix(np.eye(4) if M is None else M)
    return cloud


def dataset_points(points: np.ndarray, labels: np.ndarray | None = None, size: float = 7.0) -> PointCloud:
    """A dataset's points, orange/blue by class (or by value for regression targets)."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    cloud = PointCloud(points, size=size)
    cloud.set_points(points, point_colors(labels, len(points)))
    return cloud


def ground_grid(size: float = 6.0, spacing: float = 0.5):
    """A faint square grid in the z = 0 plane (GLGridItem), centred on the origin."""
    gl = _gl()
    options = on_top_options()  # no depth test, drawn first: what comes later covers it cleanly
    grid = gl.GLGridItem(color=ink_255("ground_grid"), antialias=True, glOptions=options)
    grid.setDepthValue(-10)
    grid.setSize(size, size, 1)
    grid.setSpacing(spacing, spacing, 1)
    return grid


class Arrow(SceneObject):
    """A thick line with a cone tip and an optional text label just past the tip.

    `on_top`: drawn over everything else (no depth test, high depth value) so that it
    never hides behind a wire edge lying on the same line. `label_align`: where the
    label sits relative to the point just past the tip (Qt alignment flags)."""

    def __init__(self, color, width: float = 4.0, label: str = "", label_color=None,
                 font_size: int = 15, tip: bool = True, head: float = 0.2, on_top: bool = False,
                 label_align=None, depth: int = 10, label_at: float | None = None) -> None:
        gl = _gl()
        self.color = rgba(color) if isinstance(color, (str, QColor)) else tuple(color)
        self.head = head
        self.label_at = label_at  # None: just past the tip; else this fraction of the way along
        options = on_top_options() if on_top else "translucent"
        self.shaft = gl.GLLinePlotItem(pos=np.zeros((2, 3), np.float32), color=self.color, width=width,
                                       mode="lines", antialias=True, glOptions=options)
        self.items = [self.shaft]
        self.tip = None
        if tip:
            verts, faces = cone(np.zeros(3), np.array([0, 0, 1e-3]), 1e-3)
            self.tip = gl.GLMeshItem(vertexes=verts, faces=faces, color=self.color, smooth=False,
                                     computeNormals=False, glOptions=options)
            self.items.append(self.tip)
        self.label = None
        if label:
            font = QFont()
            font.setPixelSize(font_size)
            font.setBold(True)
            kwargs = {} if label_align is None else {"alignment": label_align}
            self.label = text_label(text=label, color=QColor(label_color or QColor.fromRgbF(*self.color)),
                                    font=font, **kwargs)
            self.items.append(self.label)
        if on_top:
            for item in self.items:
                item.setDepthValue(depth)  # drawn after the depth-tested items (higher: later)
        self.start = np.zeros(3)
        self.end = np.zeros(3)

    def set_ends(self, start: np.ndarray, end: np.ndarray, text: str | None = None) -> None:
        start, end = drawable(start).astype(float), drawable(end).astype(float)
        self.start, self.end = start, end
        vec = end - start
        length = float(np.linalg.norm(vec))
        head = min(self.head, 0.4 * length)
        direction = vec / length if length > 1e-9 else np.array([0.0, 0.0, 1.0])
        neck = end - head * direction
        self.shaft.setData(pos=np.array([start, neck if self.tip is not None else end], np.float32))
        if self.tip is not None:
            if head > 1e-6:
                verts, faces = cone(neck, end, 0.38 * head)
                self.tip.setMeshData(vertexes=verts, faces=faces)
            self.tip.setVisible(head > 1e-6 and self.shaft.visible())
        if self.label is not None:
            if self.label_at is None:
                # past the tip, and a little up, so an arrow pointing at the camera does not cover it
                kwargs = {"pos": end + 0.1 * direction + np.array([0.0, 0.0, 0.07])}
            else:
                kwargs = {"pos": start + self.label_at * vec}
            if text is not None:
                kwargs["text"] = text
            self.label.setData(**kwargs)

    def setVisible(self, visible: bool) -> None:  # noqa: N802
        super().setVisible(visible)
        if visible and self.tip is not None:
            self.tip.setVisible(float(np.linalg.norm(self.end - self.start)) > 1e-6)


class BasisArrows(SceneObject):
    """i, j, k (red, green, blue) seen through M: from M·origin to M·e₁, M·e₂, M·e₃ —
    the columns of W, drawn where the origin has moved to. `faint=True`: the original
    axes, thin and pale, without labels."""

    def __init__(self, faint: bool = False, names: Sequence[str] = BASIS_NAMES) -> None:
        self.arrows = []
        for name, hex_color, faint_role in zip(names, BASIS_HEX, ("faint_i", "faint_j", "faint_k")):
            if faint:
                arrow = Arrow(ink(faint_role), width=2.0, head=0.12, on_top=True, depth=10)
            else:
                arrow = Arrow(hex_color, width=5.0, label=name, label_color=QColor(hex_color), font_size=18,
                              on_top=True, depth=12)
            self.arrows.append(arrow)
        self.items = [item for arrow in self.arrows for item in arrow.items]
        self.set_matrix(np.eye(4))

    def set_matrix(self, M: np.ndarray) -> None:
        ends = affine.apply(M, np.vstack([np.zeros(3), np.eye(3)]))
        for arrow, end in zip(self.arrows, ends[1:]):
            arrow.set_ends(ends[0], end)


class EigenArrows(SceneObject):
    """Up to three real eigen-directions of W, from the origin: a thin line along the
    direction and a purple arrow to λ·v (where W sends the unit vector v), labelled λ."""

    def __init__(self, count: int = 3) -> None:
        gl = _gl()
        self.axes = gl.GLLinePlotItem(pos=np.zeros((2, 3), np.float32), color=ink("eigen_axis"),
                                      width=1.5, mode="lines", antialias=True, glOptions="translucent")
        # labelled below the middle of the arrow: clear of the i/j/k labels at the tips
        below = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        eigen = ink_hex("eigen")
        self.arrows = [Arrow(eigen, width=3.5, label="λ", label_color=QColor(eigen), font_size=13,
                             head=0.16, label_align=below, on_top=True, depth=11, label_at=0.6)
                       for _ in range(count)]
        self.items = [self.axes] + [item for arrow in self.arrows for item in arrow.items]
        self.shown = 0
        self.set_eigen([])

    def set_eigen(self, real_eigen: Sequence[tuple[float, np.ndarray]]) -> None:
        """`real_eigen`: (value, unit vector) pairs, as affine.readouts gives them."""
        pairs = [(float(v), np.asarray(u, dtype=float)) for v, u in real_eigen][:len(self.arrows)]
        self.shown = len(pairs)
        axes = []
        for arrow, (value, vector) in zip(self.arrows, pairs):
            # λ = 0: the direction is flattened to the origin; show a short stub so it stays visible
            end = value * vector if abs(value) > 1e-6 else 0.15 * vector
            arrow.set_ends(np.zeros(3), end, text=f"λ={value:.2f}")
            arrow.setVisible(True)
            axes += [-2.5 * vector, 2.5 * vector]
        for arrow in self.arrows[len(pairs):]:
            arrow.setVisible(False)
        self.axes.setData(pos=np.array(axes or [np.zeros(3), np.zeros(3)], np.float32))
        self.axes.setVisible(bool(pairs))

    def setVisible(self, visible: bool) -> None:  # noqa: N802
        self.axes.setVisible(visible and self.shown > 0)
        for k, arrow in enumerate(self.arrows):
            arrow.setVisible(visible and k < self.shown)


class Segments(SceneObject):
    """Line segments from each point in `starts` to the matching point in `ends`."""

    def __init__(self, color, width: float = 1.2, alpha: float = 0.6) -> None:
        gl = _gl()
        self.line = gl.GLLinePlotItem(pos=np.zeros((2, 3), np.float32), color=rgba(color, alpha), width=width,
                                      mode="lines", antialias=True, glOptions="translucent")
        self.items = [self.line]

    def set_segments(self, starts: np.ndarray, ends: np.ndarray) -> None:
        starts, ends = np.asarray(starts, float), np.asarray(ends, float)
        pos = np.empty((2 * len(starts), 3))
        pos[0::2], pos[1::2] = starts, ends
        self.line.setData(pos=drawable(pos if len(pos) else np.zeros((2, 3))))
