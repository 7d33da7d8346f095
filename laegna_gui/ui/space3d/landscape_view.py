"""The loss landscape: the training loss over a plane through the current weights, in 3-D.

The user picks the plane (two random filter-normalised directions, or two chosen single
weights), its resolution and span, and presses "Compute landscape"; the view emits
`compute_requested(options)` and shows the progress it is told about. The finished
surface is drawn with the optimizer's path on it.

Height transform (`HeightMap`, documented in the view's note too): the height and the
colour of a point are log10(loss), rescaled so the lowest loss of the landscape sits at
height 0 and the highest at SURFACE_HEIGHT. Losses far above the bulk (diverging
corners; the engine stores non-finite losses as 1e6) would squash everything else, so
the top is clipped at CLIP_FACTOR × the median loss. The map is monotonic (non-decreasing,
strictly increasing between the clip limits), and the optimizer's path goes through the
very same map, so the path lies on the surface where its loss equals the surface's.
Colours run from blue (low loss) through a light neutral to orange (high loss).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QVector3D
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QSpinBox, QStackedWidget, QVBoxLayout,
                               QWidget)

from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import loss_colors
from laegna_gui.ui.space3d import live_items as li
from laegna_gui.ui.space3d.gl import GLPanel
from laegna_gui.ui.training.live_state import Kind, LiveState
from laegna_gui.ui.signals import signals_blocked

if TYPE_CHECKING:  # pragma: no cover
    from laegna_gui.engine.landscape import Landscape

HINT = "Compute the loss over a plane through the current weights to see where training is"
MODES = (("random", "Two random directions (filter-normalised)"), ("weights", "Two chosen weights"))
SCENE_HALF = 5.0          # the plane is drawn on [-5, 5]²
SURFACE_HEIGHT = 4.0      # lowest loss at 0, highest at this height
CLIP_FACTOR = 100.0       # heights are clipped above CLIP_FACTOR × median loss
PATH_LIFT = 0.1           # the path floats this far above the surface so it is never hidden
PATH_COLOR = (0.1, 0.12, 0.16, 1.0)
PATH_WIDTH = 3.5
CURRENT_SIZE = 14.0
TIPS = {
    "mode": "Which plane through the current weights to look at: two random directions (scaled "
            "like each layer's weights, so the picture is fair to every layer), or two single "
            "weights of your choice.",
    "weight1": "The weight that moves along the first axis (its value changes by α).",
    "weight2": "The weight that moves along the second axis (its value changes by β).",
    "resolution": "Points per side of the grid: the loss is evaluated resolution² times, so "
                  "higher is sharper but slower.",
    "span": "How far the plane reaches from the current weights: with random directions, 1.0 is "
            "a step as large as the weights themselves; with chosen weights, it is an absolute "
            "change of the weight value.",
    "seed": "The random seed of the two directions: change it to look along another plane.",
    "compute": "Evaluate the training loss at every point of the plane (runs in the background).",
    "cancel": "Stop computing the landscape.",
    "progress": "How much of the landscape is computed.",
    "scene": "The training loss over the plane: height and colour show log₁₀(loss), blue low and "
             "orange high. The dark line is the optimizer's path, the large dot the moment on show "
             "(now, or where the timeline went back to). Drag to rotate, scroll to zoom.",
}


@dataclass(frozen=True)
class HeightMap:
    """loss → scene height: SURFACE_HEIGHT · (log10(clip(loss, lo, hi)) − log10 lo) /
    (log10 hi − log10 lo); a flat landscape (hi == lo) maps everything to 0."""

    lo: float
    hi: float

    @classmethod
    def for_losses(cls, losses: np.ndarray) -> HeightMap:
        values = np.asarray(losses, dtype=np.float64).ravel()
        values = values[np.isfinite(values)]
        if values.size == 0:
            return cls(1.0, 1.0)
        hi = float(values.max())
        median = float(np.median(values))
        if median > 0:
            hi = min(hi, CLIP_FACTOR * median)
        lo = max(float(values.min()), hi * 1e-8, 1e-12)
        hi = max(hi, lo)
        return cls(lo, hi)

    def unit(self, loss) -> np.ndarray:
        """0..1: where the loss sits between lo and hi on the log scale."""
        loss = np.asarray(loss, dtype=np.float64)
        if self.hi <= self.lo:
            return np.zeros(loss.shape)
        clean = np.where(np.isfinite(loss), loss, self.hi)  # NaN/inf: the top
        clipped = np.clip(clean, self.lo, self.hi)
        return (np.log10(clipped) - np.log10(self.lo)) / (np.log10(self.hi) - np.log10(self.lo))

    def __call__(self, loss) -> np.ndarray:
        return SURFACE_HEIGHT * self.unit(loss)


def weight_text(name: str, index) -> str:
    index = (index,) if isinstance(index, (int, np.integer)) else tuple(index)
    return f"{name}[{', '.join(str(int(i)) for i in index)}]"


def loss_text(value: float) -> str:
    return f"{value:.3g}"


class LandscapeView(QWidget):
    """Controls for the landscape and its 3-D picture. Emits `compute_requested(options)`
    with keys n, span, mode ("random"/"weights"), weights (((name, index), (name, index)) or
    None) and seed, and `cancel_requested()`. Feed it with `show_progress(percent)`,
    `show_landscape(landscape | None)` (None: cancelled) and `show_path(path (m, 3))`."""

    compute_requested = Signal(dict)
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscapeView")
        self.landscape: Landscape | None = None
        self.heights: HeightMap | None = None
        self.path: np.ndarray | None = None
        self.computing = False
        self._surface_z = np.zeros((0, 0))
        self._path_scene = np.zeros((0, 3))
        self._build()
        self.mode_combo.currentIndexChanged.connect(self._mode_changed)
        self.weight1.currentIndexChanged.connect(self._update_buttons)
        self.weight2.currentIndexChanged.connect(self._update_buttons)
        self.compute_button.clicked.connect(self._compute_clicked)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self._mode_changed()

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override
        return QSize(560, 520)

    # --- building ----------------------------------------------------------------
    def _build(self) -> None:
        self.mode_combo = QComboBox(objectName="landscapeMode", toolTip=TIPS["mode"])
        for key, text in MODES:
            self.mode_combo.addItem(text, key)
        self.weight1 = QComboBox(objectName="landscapeWeight1", toolTip=TIPS["weight1"])
        self.weight2 = QComboBox(objectName="landscapeWeight2", toolTip=TIPS["weight2"])
        self.resolution = QSpinBox(objectName="landscapeResolution", toolTip=TIPS["resolution"])
        self.resolution.setRange(9, 61)
        self.resolution.setValue(25)
        self.span = QDoubleSpinBox(objectName="landscapeSpan", toolTip=TIPS["span"])
        self.span.setRange(0.05, 100.0)
        self.span.setDecimals(2)
        self.span.setSingleStep(0.25)
        self.span.setValue(1.0)
        self.seed = QSpinBox(objectName="landscapeSeed", toolTip=TIPS["seed"])
        self.seed.setRange(0, 999_999)
        self.compute_button = QPushButton("Compute landscape", objectName="computeLandscape",
                                          toolTip=TIPS["compute"])
        self.cancel_button = QPushButton("Cancel", objectName="cancelLandscape", toolTip=TIPS["cancel"])
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(objectName="landscapeProgress", toolTip=TIPS["progress"])
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.note = QLabel(objectName="landscapeNote")
        self.note.setWordWrap(True)
        style.set_role(self.note, "muted")
        self.note.setContentsMargins(2, 0, 2, 0)

        form = QFormLayout()
        form.setContentsMargins(4, 0, 4, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Plane:", self.mode_combo)
        weights = QHBoxLayout()
        weights.addWidget(self.weight1, 1)
        weights.addWidget(QLabel("×"))
        weights.addWidget(self.weight2, 1)
        self.weights_label = QLabel("Weights:")
        form.addRow(self.weights_label, weights)
        numbers = QHBoxLayout()
        for text, widget in (("Resolution", self.resolution), ("Span ±", self.span), ("Seed", self.seed)):
            label = QLabel(text)
            label.setBuddy(widget)
            numbers.addWidget(label)
            numbers.addWidget(widget)
        numbers.addStretch(1)
        form.addRow(numbers)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        form.addRow(buttons)

        self.hint = QLabel(HINT, objectName="landscapeHint", alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        style.set_role(self.hint, "muted")
        self.hint.setContentsMargins(24, 24, 24, 24)
        self.panel = GLPanel("landscapeScene")
        self.panel.setToolTip(TIPS["scene"])
        self.panel.setMinimumHeight(240)
        self.pages = QStackedWidget(objectName="landscapePages")
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self.panel)
        # without OpenGL the panel's own message is what the user needs to read
        self.pages.setCurrentWidget(self.panel if not self.panel.has_gl else self.hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(form)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.note)
        self.surface = self.path_item = self.current_item = None  # made with the GL view, on first show
        self.panel.view_created.connect(self._build_scene)

    def _build_scene(self, view) -> None:
        """The scene's items, when the panel makes its GL view; then the landscape and path so far."""
        import pyqtgraph.opengl as gl

        h, r = SURFACE_HEIGHT, SCENE_HALF
        floor = gl.GLGridItem(color=li.FLOOR_RGBA, glOptions="translucent")
        floor.setSize(2 * r, 2 * r, 1)
        floor.setSpacing(1, 1, 1)
        view.addItem(floor)
        self.surface = gl.GLSurfacePlotItem(shader=_soft_shader(), smooth=True, computeNormals=True,
                                            glOptions="opaque")
        view.addItem(self.surface)
        # a box frame along the back edges, so the height reads against something
        frame = np.array([[-r, -r, 0], [r, -r, 0], [-r, -r, 0], [-r, r, 0], [-r, r, 0], [-r, r, h],
                          [-r, r, h], [r, r, h], [r, r, 0], [r, r, h], [-r, r, 0], [r, r, 0],
                          [r, -r, 0], [r, r, 0]], dtype=np.float32)
        self.frame_item = li.gl_lines(li.AXIS_RGBA, width=1.2)
        self.frame_item.setData(pos=frame)
        view.addItem(self.frame_item)
        # the path twice: faint and on top of everything (so a hill in front cannot hide it),
        # then solid with depth testing (so where it is visible it is crisp and dark)
        from OpenGL import GL

        on_top = {GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, GL.GL_CULL_FACE: False,
                  "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)}
        ghost = PATH_COLOR[:3] + (0.4,)
        self.path_ghost = li.gl_lines(ghost, width=PATH_WIDTH - 1, mode="line_strip")
        self.current_ghost = li.gl_points(CURRENT_SIZE)
        self.current_ghost.setData(color=ghost)
        for item in (self.path_ghost, self.current_ghost):
            item.setGLOptions(on_top)
            view.addItem(item)
        self.path_item = li.gl_lines(PATH_COLOR, width=PATH_WIDTH, mode="line_strip")
        view.addItem(self.path_item)
        self.joints_item = li.gl_points(PATH_WIDTH)  # round joints: wide GL lines leave gaps there
        self.joints_item.setData(color=PATH_COLOR)
        view.addItem(self.joints_item)
        self.current_item = li.gl_points(CURRENT_SIZE)
        self.current_item.setData(color=PATH_COLOR)
        view.addItem(self.current_item)
        # α runs along the front edge (y = -r), β along the left edge (x = -r), the loss up the
        # back-right corner; the ends of each range are written at the ends of its edge
        self.text_items = {
            "alpha": li.gl_text("", (0, -r * 1.2, 0), style.LIGHT.text, 10, bold=True),
            "beta": li.gl_text("", (-r * 1.2, 0, 0), style.LIGHT.text, 10, bold=True),
            "alpha_lo": li.gl_text("", (-r * 0.85, -r * 1.1, 0), style.LIGHT.muted_text, 9),
            "alpha_hi": li.gl_text("", (r, -r * 1.1, 0), style.LIGHT.muted_text, 9),
            "beta_lo": li.gl_text("", (-r * 1.1, -r * 0.85, 0), style.LIGHT.muted_text, 9),
            "beta_hi": li.gl_text("", (-r * 1.1, r, 0), style.LIGHT.muted_text, 9),
            "loss": li.gl_text("", (r, r, h * 1.25), style.LIGHT.text, 10, bold=True),
            "loss_lo": li.gl_text("", (r * 1.04, r * 1.04, 0), style.LIGHT.muted_text, 9),
            "loss_hi": li.gl_text("", (r * 1.04, r * 1.04, h), style.LIGHT.muted_text, 9),
        }
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for key in ("beta", "beta_lo", "beta_hi"):
            self.text_items[key].setData(alignment=right)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for key in ("loss_lo", "loss_hi"):
            self.text_items[key].setData(alignment=left)
        centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        for key in ("alpha", "alpha_lo", "alpha_hi", "loss"):
            self.text_items[key].setData(alignment=centred)
        for item in self.text_items.values():
            view.addItem(item)
        self._set_scene_visible(False)
        view.setCameraPosition(pos=QVector3D(0, 0, h * 0.35), distance=4.3 * r, elevation=40, azimuth=-62)
        if self.landscape is not None:
            self._draw_surface()
        if self.path is not None:
            self.show_path(self.path)

    def _set_scene_visible(self, on: bool) -> None:
        for item in [self.surface, self.path_item, self.current_item, self.path_ghost, self.current_ghost,
                     self.joints_item,
                     *self.text_items.values()]:
            item.setVisible(on)

    # --- public --------------------------------------------------------------------
    def set_weight_choices(self, choices: list[tuple[str, tuple]]) -> None:
        """The weights the user may put on the axes, as (parameter name, index) pairs, e.g.
        ("dense1.weight", (0, 1)) shown as "dense1.weight[0, 1]". Keeps the current picks
        when they are still there; otherwise the first and second choices."""
        before = (self.weight1.currentData(), self.weight2.currentData())
        with signals_blocked(self.weight1, self.weight2):
            for combo in (self.weight1, self.weight2):
                combo.clear()
                for name, index in choices:
                    index = (index,) if isinstance(index, (int, np.integer)) else tuple(int(i) for i in index)
                    combo.addItem(weight_text(name, index), (name, index))
            for k, (combo, previous) in enumerate(zip((self.weight1, self.weight2), before)):
                # findData cannot match Python tuples stored as item data: compare them here
                i = next((j for j in range(combo.count()) if combo.itemData(j) == previous), -1)
                combo.setCurrentIndex(i if i >= 0 else min(k, combo.count() - 1))
        self._update_buttons()

    def options(self) -> dict:
        """What "Compute landscape" asks for, as the controller's compute_landscape takes it."""
        mode = self.mode_combo.currentData()
        weights = (self.weight1.currentData(), self.weight2.currentData()) if mode == "weights" else None
        return {"n": self.resolution.value(), "span": float(self.span.value()), "mode": mode,
                "weights": weights, "seed": self.seed.value()}

    def show_progress(self, percent: int) -> None:
        self.progress.setValue(int(np.clip(percent, 0, 100)))

    def show_landscape(self, landscape: Landscape | None) -> None:
        """A finished landscape, or None when computing was cancelled (resets the progress)."""
        self.computing = False
        if landscape is None:
            self.progress.setValue(0)
            self.note.setText("Cancelled." if self.landscape is None else self.note.text())
            self._update_buttons()
            return
        self.progress.setValue(100)
        self.landscape = landscape
        self.heights = HeightMap.for_losses(landscape.losses)
        self._surface_z = self.heights(landscape.losses)
        self.note.setText(self._describe(landscape))
        self._update_buttons()
        if self.panel.has_gl:
            self.pages.setCurrentWidget(self.panel)
            self._draw_surface()
        if self.path is not None:
            self.show_path(self.path)

    def show_path(self, path: np.ndarray) -> None:
        """The optimizer's path in the landscape's plane: rows (α, β, loss), the last one now."""
        self.path = np.asarray(path, dtype=np.float64).reshape(-1, 3)
        if self.landscape is None:
            return
        self._path_scene = self._scene_path(self.path)
        if self.path_item is None:
            return
        pos = self._path_scene.astype(np.float32)
        for line, dot in ((self.path_item, self.current_item), (self.path_ghost, self.current_ghost)):
            line.setData(pos=pos)
            dot.setData(pos=pos[-1:])
        self.joints_item.setData(pos=pos)

    _live_path: np.ndarray | None = None  # the live state's path on show

    def draw_parts(self, state: LiveState) -> list:
        """As a live view: the state's landscape (gone when it no longer fits the network) and
        the path training takes across it."""
        parts = []
        if state.landscape is not self.landscape:
            land = state.landscape
            parts.append(lambda: self.clear_landscape() if land is None else self.show_landscape(land))
        if state.path is not self._live_path:
            parts.append(lambda: (self.show_path(state.path), setattr(self, "_live_path", state.path)))
        note = state.invalid_text + "." if state.kind is Kind.INVALID else ""
        if note != self.note.text() and (note or self.note.text().startswith("No valid network")):
            parts.append(lambda: self.note.setText(note))
        return parts

    def clear_landscape(self) -> None:
        """No landscape any more: the network, its data or its loss changed."""
        self.landscape = self.heights = None
        self._surface_z, self._path_scene = np.zeros((0, 0)), np.zeros((0, 3))
        self.progress.setValue(0)
        self.note.setText("")
        if self.surface is not None:
            self._set_scene_visible(False)
        if self.panel.has_gl:
            self.pages.setCurrentWidget(self.hint)

    def height(self, loss) -> np.ndarray:
        """The surface's height transform (monotonic in the loss); zeros before a landscape."""
        if self.heights is None:
            return np.zeros(np.shape(loss))
        return self.heights(loss)

    def surface_heights(self) -> np.ndarray:
        """The drawn surface's z values, (n, n) like Landscape.losses."""
        return self._surface_z

    def drawn_path(self) -> np.ndarray:
        """The path as drawn, (k, 3) scene coordinates (points outside the plane left out)."""
        return self._path_scene

    def scene_xy(self, alphas, betas) -> tuple[np.ndarray, np.ndarray]:
        """Scene x, y of plane coordinates: the landscape's α and β ranges span [-5, 5]."""
        land = self.landscape
        return (_to_scene(np.asarray(alphas, float), land.alphas), _to_scene(np.asarray(betas, float), land.betas))

    # --- internals -----------------------------------------------------------------
    def _scene_path(self, path: np.ndarray) -> np.ndarray:
        land = self.landscape
        inside = ((path[:, 0] >= land.alphas.min()) & (path[:, 0] <= land.alphas.max())
                  & (path[:, 1] >= land.betas.min()) & (path[:, 1] <= land.betas.max())
                  & np.isfinite(path).all(axis=1))
        kept = path[inside]
        x, y = self.scene_xy(kept[:, 0], kept[:, 1])
        return np.column_stack([x, y, self.height(kept[:, 2]) + PATH_LIFT]) if len(kept) else np.zeros((0, 3))

    def _draw_surface(self) -> None:
        if self.surface is None:  # the panel has not been shown yet: drawn when its view is made
            return
        land = self.landscape
        x, y = self.scene_xy(land.alphas, land.betas)
        colors = loss_colors(self.heights.unit(land.losses)).reshape(-1, 4)
        self.surface.setData(x=x.astype(np.float32), y=y.astype(np.float32),
                             z=self._surface_z.astype(np.float32), colors=colors)
        a_label, b_label = land.labels
        t = self.text_items
        t["alpha"].setData(text=f"α: {a_label}")
        t["beta"].setData(text=f"β: {b_label}")
        t["alpha_lo"].setData(text=f"α {land.alphas.min():+.3g}")
        t["alpha_hi"].setData(text=f"α {land.alphas.max():+.3g}")
        t["beta_lo"].setData(text=f"β {land.betas.min():+.3g}")
        t["beta_hi"].setData(text=f"β {land.betas.max():+.3g}")
        t["loss"].setData(text="loss (log scale)")
        t["loss_lo"].setData(text=loss_text(self.heights.lo))
        t["loss_hi"].setData(text=loss_text(self.heights.hi))
        self._set_scene_visible(True)

    def _describe(self, land: Landscape) -> str:
        plane = ("two random filter-normalised directions" if land.mode == "random"
                 else f"{land.labels[0]} × {land.labels[1]}")
        finite = np.asarray(land.losses)[np.isfinite(land.losses)]
        top = float(finite.max()) if finite.size else float("nan")
        text = (f"Training loss over the plane of {plane} through the current weights "
                f"({len(land.alphas)}×{len(land.betas)} points). Height and colour: log₁₀(loss), "
                f"from {loss_text(self.heights.lo)} (blue) to {loss_text(self.heights.hi)} (orange)")
        if top > self.heights.hi * (1 + 1e-9):
            text += f"; higher losses, up to {loss_text(top)}, are clipped"
        return text + ". The dark line is the optimizer's path, the big dot the moment on show (now, or the step the timeline went back to)."

    def _mode_changed(self, *_args) -> None:
        self._update_buttons()

    def _weights_problem(self) -> str:
        if self.mode_combo.currentData() != "weights":
            return ""
        if self.weight1.count() < 2:
            return "This network needs at least two weights to pick from."
        if self.weight1.currentData() == self.weight2.currentData():
            return "Choose two different weights for the two axes."
        return ""

    def _update_buttons(self, *_args) -> None:
        problem = self._weights_problem()
        self.compute_button.setEnabled(not self.computing and not problem)
        self.compute_button.setToolTip(problem or TIPS["compute"])
        self.cancel_button.setEnabled(self.computing)
        idle = not self.computing
        weights = self.mode_combo.currentData() == "weights"
        for widget in (self.mode_combo, self.resolution, self.span):
            widget.setEnabled(idle)
        for widget in (self.weight1, self.weight2, self.weights_label):
            widget.setEnabled(idle and weights)
        self.seed.setEnabled(idle and not weights)

    def _compute_clicked(self) -> None:
        if self.computing or self._weights_problem():
            return
        options = self.options()
        self.computing = True
        self.progress.setValue(0)
        self._update_buttons()
        self.compute_requested.emit(options)

    def _cancel_clicked(self) -> None:
        if not self.computing:
            return
        self.cancel_button.setEnabled(False)  # until the controller confirms with show_landscape(None)
        self.cancel_requested.emit()


def _to_scene(values: np.ndarray, axis_values: np.ndarray) -> np.ndarray:
    lo, hi = float(np.min(axis_values)), float(np.max(axis_values))
    if hi <= lo:
        return np.zeros(np.shape(values))
    return (values - lo) / (hi - lo) * 2 * SCENE_HALF - SCENE_HALF


_SHADER = None


def _soft_shader():
    """pyqtgraph's 'shaded' program with more ambient light (its 0.2 floor makes light colours
    muddy): colour × (0.6 + 0.4·diffuse), the light coming from the camera's upper left."""
    global _SHADER
    if _SHADER is None:
        from pyqtgraph.opengl import shaders

        _SHADER = shaders.ShaderProgram("laegnaSoftShaded", [
            shaders.VertexShader("""
                uniform mat4 u_mvp;
                uniform mat3 u_normal;
                attribute vec4 a_position;
                attribute vec3 a_normal;
                attribute vec4 a_color;
                varying vec4 v_color;
                varying vec3 v_normal;
                void main() {
                    v_normal = normalize(u_normal * a_normal);
                    v_color = a_color;
                    gl_Position = u_mvp * a_position;
                }
            """),
            shaders.FragmentShader("""
                #ifdef GL_ES
                precision mediump float;
                #endif
                varying vec4 v_color;
                varying vec3 v_normal;
                void main() {
                    float p = abs(dot(normalize(v_normal), normalize(vec3(0.4, -0.5, -1.0))));
                    vec3 rgb = v_color.rgb * (0.6 + 0.4 * p);
                    gl_FragColor = vec4(rgb, v_color.a);
                }
            """),
        ])
    return _SHADER
