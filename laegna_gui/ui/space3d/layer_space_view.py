"""How one layer moves the data: input → W·x → +b → activation, in 3-D.

A slider walks through the four states of the layer's computation and blends linearly
between neighbouring states, so the learner sees the weight matrix rotate, stretch and
shear space, the bias shift it, and the activation bend it. The warped grid lines show
the same transformation applied to the whole input plane.

Slider mapping (SLIDER_MAX = 300, one hundred steps per transition):
    0 = input, 100 = after W·x, 200 = after +b, 300 = after the activation;
a value in between is the linear blend of its two neighbouring states (150 = halfway
from W·x to +b). Points and grid are drawn in data coordinates under one uniform zoom on
the GL items (shapes and proportions are kept): each state is zoomed to fill the scene,
and the zoom is blended along the slider like the points. A single zoom for all states
made the small ones (a tanh output next to a large W·x) collapse into a dot; the caption
reports the zoom, so magnitudes can still be compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QVector3D
from PySide6.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSlider,
                               QToolButton, QVBoxLayout, QWidget)

from laegna_gui.ui.help.window import with_help
from laegna_gui.ui.look import style
from laegna_gui.ui.space3d import live_items as li
from laegna_gui.ui.space3d import spread_readout
from laegna_gui.ui.space3d.gl import GLPanel
from laegna_gui.ui.training.live_state import Kind, LiveState
from laegna_gui.ui.signals import signals_blocked

if TYPE_CHECKING:  # pragma: no cover
    from laegna_gui.engine.layer_space import LayerStages

STAGES = ("input", "W·x", "+b", "activation")
STEP = 100                                # slider units per transition
SLIDER_MAX = STEP * (len(STAGES) - 1)     # 300
STAGE_POSITIONS = {name: i * STEP for i, name in enumerate(STAGES)}
SCENE_RADIUS = 5.0                        # the largest |coordinate| of any state is drawn here
ANIMATION_INTERVAL_MS = 30
ANIMATION_STEP = 2                        # slider units per tick: ~1.5 s per transition
ANIMATION_HOLD_TICKS = 15                 # pause ~0.45 s on each state
POINT_SIZE = 8.0

HINT = "Train the network or pick a layer to see how it moves the data through space."
NO_STAGES_THEN = ("This layer's stages were not recorded at this moment (the Layer space tab was not "
                  "showing it then). Press Live to see it now.")
TIPS = {
    "layer": "Which layer to look inside: its input points are carried through W·x, +b and the "
             "activation one after another.",
    "slider": "Slide through the layer's computation: input → W·x → +b → activation. In between, "
              "points and grid are blended linearly between the two neighbouring states.",
    "animate": "Play the whole layer step by step: multiply by W, add b, apply the activation.",
    "scene": "Each dot is a training point, coloured by its class; the grey lines are a regular grid "
             "on the input plane carried through the same layer. Drag to rotate, scroll to zoom.",
    "note": "Which layer is shown: its inputs → units, and the activation that follows it.",
    "spread": spread_readout.TIP,
}
STAGE_TIPS = {
    "input": "The points as they enter the layer.",
    "W·x": "After multiplying by the weight matrix W: a linear map rotates, stretches and shears "
           "space; the origin stays put and straight lines stay straight.",
    "+b": "After adding the bias b: the whole cloud shifts, without changing its shape.",
    "activation": "After the activation function: space bends, so straight grid lines can curve; "
                  "this is what lets the next layer separate what a straight line could not.",
}


def slider_state(value: int) -> tuple[int, float]:
    """(index of the state at or below `value`, fraction 0..1 towards the next one)."""
    value = int(np.clip(value, 0, SLIDER_MAX))
    k = min(value // STEP, len(STAGES) - 1)
    t = 0.0 if k == len(STAGES) - 1 else (value - k * STEP) / STEP
    return k, t


def stage_caption(value: int) -> str:
    k, t = slider_state(value)
    if t == 0.0:
        return f"{STAGES[k]} — {STAGE_TIPS[STAGES[k]]}"
    return f"between {STAGES[k]} and {STAGES[k + 1]} ({round(100 * t)} % of the way)"


GRID_REACH = 1.6  # the grid may set the zoom up to this multiple of the points' extent


def _extent(array: np.ndarray) -> float:
    finite = np.abs(array[np.isfinite(array)]) if array.size else array
    return float(finite.max()) if finite.size else 0.0


def fit_scale(points: np.ndarray, grid: np.ndarray) -> float:
    """The zoom that puts a state's largest |coordinate| at SCENE_RADIUS. The points decide;
    the grid's far corners (which ReLU or a big W can fling far out) count only up to
    GRID_REACH × the points' extent, so the data never shrinks to a dot behind them."""
    p, g = _extent(points), _extent(grid)
    extent = max(p, min(g, GRID_REACH * p)) if p > 0 else g
    return SCENE_RADIUS / extent if extent > 1e-12 else 1.0


def space_note(stages: LayerStages) -> str:
    units = "unit" if stages.width_out == 1 else "units"
    note = f"{stages.node_id}: {stages.width_in} → {stages.width_out} {units}"
    activation = (stages.activation or "").strip()
    if activation and activation.lower() not in ("none", "identity", "linear"):
        note += f"; activation {activation}"
    return note


class LayerSpaceView(QWidget):
    """`set_layers(names)`, `show_stages(stages)`; emits `layer_chosen(node_id)` when the user
    picks a layer (and when `set_layers` had to change the selection)."""

    layer_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layerSpaceView")
        self.stages: LayerStages | None = None
        self._points: list[np.ndarray] = []     # per state, (n, 3) float32
        self._grids: list[np.ndarray] = []      # per state, (2k, 3) float32 segment pairs
        self._scales: list[float] = []          # per state: the zoom that fits it into the scene
        self._scale = 1.0                       # the zoom on the GL items now
        self._hold = 0
        self._build()
        self.timer = QTimer(self)
        self.timer.setInterval(ANIMATION_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.layer_combo.activated.connect(self._user_picked_layer)
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider.sliderPressed.connect(self.stop_animation)
        self.animate_button.toggled.connect(self._animate_toggled)
        self._slider_moved(self.slider.value())

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override
        return QSize(520, 460)

    # --- building ----------------------------------------------------------------
    def _build(self) -> None:
        self.layer_combo = QComboBox(objectName="spaceLayer", toolTip=TIPS["layer"])
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.animate_button = QPushButton("Animate", objectName="animateStages", toolTip=TIPS["animate"])
        self.animate_button.setCheckable(True)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="stageSlider", toolTip=TIPS["slider"])
        self.slider.setRange(0, SLIDER_MAX)
        self.slider.setSingleStep(5)
        self.slider.setPageStep(STEP)
        self.slider.setTickInterval(STEP)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setAccessibleName("Layer stage: input, W·x, +b, activation")
        self.caption = QLabel(objectName="stageCaption")
        self.caption.setWordWrap(True)
        style.set_role(self.caption, "muted")
        self.note = QLabel(HINT, objectName="spaceNote", toolTip=TIPS["note"])
        self.note.setWordWrap(True)
        self.note.setContentsMargins(2, 0, 2, 0)
        self.spread = QLabel(objectName="spaceSpread", toolTip=TIPS["spread"])
        self.spread.setWordWrap(True)
        self.spread.setContentsMargins(2, 0, 2, 0)
        style.set_role(self.spread, "muted")
        self.panel = GLPanel("layerScene")
        self.panel.setToolTip(TIPS["scene"])
        self.panel.setMinimumHeight(220)

        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        top.addWidget(QLabel("Layer:"))
        top.addWidget(self.layer_combo)
        top.addStretch(1)
        top.addWidget(self.animate_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(with_help(self.spread, spread_readout.PCA_TOPIC))
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.slider)
        layout.addWidget(self._ticks())
        layout.addWidget(self.caption)
        self.points_item = self.grid_item = None  # made with the GL view, on first show
        self.panel.view_created.connect(self._build_scene)

    def _ticks(self) -> QWidget:
        """'input · W·x · +b · activation' under the slider, each name under its tick;
        clicking a name jumps there."""
        row = QWidget(objectName="stageTicks")
        grid = QGridLayout(row)
        grid.setContentsMargins(2, 0, 2, 0)
        grid.setHorizontalSpacing(0)
        for column in range(6):
            grid.setColumnStretch(column, 1)
        self.tick_buttons: list[QToolButton] = []
        placement = ((0, 1, Qt.AlignmentFlag.AlignLeft), (1, 2, Qt.AlignmentFlag.AlignHCenter),
                     (3, 2, Qt.AlignmentFlag.AlignHCenter), (5, 1, Qt.AlignmentFlag.AlignRight))
        for i, (name, (column, span, align)) in enumerate(zip(STAGES, placement)):
            button = QToolButton(objectName=f"stageTick{i}", text=name, toolTip=STAGE_TIPS[name])
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, n=name: self.set_stage(n))
            grid.addWidget(button, 0, column, 1, span, align)
            self.tick_buttons.append(button)
        row.setAccessibleName(" · ".join(STAGES))
        return row

    def _build_scene(self, view) -> None:
        """The scene's items, when the panel makes its GL view; then what is already known."""
        import pyqtgraph.opengl as gl

        r = SCENE_RADIUS
        floor = gl.GLGridItem(color=li.FLOOR_RGBA, glOptions="translucent")
        floor.setSize(2 * r, 2 * r, 1)
        floor.setSpacing(1, 1, 1)
        floor.translate(0, 0, -r)
        view.addItem(floor)
        self.axes_item = li.gl_lines(li.AXIS_RGBA, width=1.5)
        self.axes_item.setData(pos=np.array([[-r, 0, 0], [r, 0, 0], [0, -r, 0], [0, r, 0],
                                             [0, 0, -r], [0, 0, r]], dtype=np.float32))
        view.addItem(self.axes_item)
        self.axis_labels = [li.gl_text("", pos, style.LIGHT.muted_text, size=9)
                            for pos in ((r * 1.08, 0, 0), (0, r * 1.08, 0), (0, 0, r * 1.08))]
        self._axis_names = ("", "", "")
        for label in self.axis_labels:
            view.addItem(label)
        self.grid_item = li.gl_lines(li.GRID_LINE_RGBA, width=1.0)
        view.addItem(self.grid_item)
        self.points_item = li.gl_points(POINT_SIZE)
        view.addItem(self.points_item)
        view.setCameraPosition(pos=QVector3D(0, 0, 0), distance=3.5 * r, elevation=28, azimuth=-60)
        self._scale = 1.0  # new items are not zoomed yet
        if self.stages is not None:
            self.points_item.setData(color=li.label_colors(self.stages.labels))
        self._draw()

    def _set_axis_names(self, names: tuple[str, str, str]) -> None:
        if self.points_item is None or names == self._axis_names:
            return
        self._axis_names = names
        for label, name in zip(self.axis_labels, names):
            label.setData(text=name)

    # --- public --------------------------------------------------------------------
    def set_layers(self, names: list[str]) -> None:
        """Fill the layer picker, keeping the current layer when it is still there; emits
        `layer_chosen` when the selection had to change (first fill, layer removed)."""
        before = self.current_layer()
        with signals_blocked(self.layer_combo):
            self.layer_combo.clear()
            for name in names:
                self.layer_combo.addItem(name, name)
            index = self.layer_combo.findData(before) if before is not None else -1
            self.layer_combo.setCurrentIndex(index if index >= 0 else (0 if names else -1))
        after = self.current_layer()
        if after is not None and after != before:
            self.layer_chosen.emit(after)
        if after is None:
            self.clear()

    def current_layer(self) -> str | None:
        return self.layer_combo.currentData()

    def set_current_layer(self, node_id: str) -> None:
        """Select a layer without emitting (the caller already knows)."""
        index = self.layer_combo.findData(node_id)
        if index >= 0:
            self.layer_combo.setCurrentIndex(index)

    def show_stages(self, stages: LayerStages) -> None:
        """Draw a new set of states (live while training); the slider keeps its position."""
        self.stages = stages
        self._points = [np.asarray(stages.inputs, dtype=np.float32)]
        self._grids = [li.segments(stages.grid_in)]
        for name in STAGES[1:]:
            points, grid = stages.stages[name]
            self._points.append(np.asarray(points, dtype=np.float32))
            self._grids.append(li.segments(grid))
        self.note.setText(space_note(stages))
        self._update_spread()
        self._scales = [fit_scale(p, g) for p, g in zip(self._points, self._grids)]
        self._update_caption()
        if self.points_item is not None:
            self.points_item.setData(color=li.label_colors(stages.labels))
            self._draw()
        if stages.node_id and self.layer_combo.findData(stages.node_id) >= 0 \
                and self.current_layer() != stages.node_id:
            self.set_current_layer(stages.node_id)

    _generation = -1  # of the live state whose stages are on show

    def draw_parts(self, state: LiveState) -> list:
        """As a live view: the chosen layer's stages as they arrive; none for another network.
        Taken back to a recorded moment: that moment's stages, or that there are none."""
        stages = state.stages
        if state.kind is Kind.INVALID:
            return self._saying(state.invalid_text + ".")
        if state.moment is not None and (stages is None or stages.node_id != self.current_layer()):
            return self._saying(NO_STAGES_THEN)  # not another moment's stages in its place
        if stages is None:  # the stages of a new network (or a reset one) come with its first numbers
            stale = self.stages is not None and state.generation != self._generation
            return [self.clear] if stale or self.note.text() == NO_STAGES_THEN else []
        if stages is self.stages or stages.node_id != self.current_layer():
            return []
        return [lambda: (self.show_stages(stages), setattr(self, "_generation", state.generation))]

    def _saying(self, text: str) -> list:
        """The parts that empty the scene and say `text` instead (none when it does already)."""
        return [] if self.stages is None and self.note.text() == text else [lambda: self._clear_saying(text)]

    def _clear_saying(self, text: str) -> None:
        self.clear()
        self.note.setText(text)

    def clear(self) -> None:
        self.stages = None
        self._points, self._grids, self._scales = [], [], []
        self.note.setText(HINT)
        self._update_spread()
        self._update_caption()
        if self.points_item is not None:
            self.points_item.setData(pos=np.zeros((0, 3), dtype=np.float32))
            self.grid_item.setData(pos=np.zeros((0, 3), dtype=np.float32))

    def set_stage(self, name: str) -> None:
        self.stop_animation()
        self.slider.setValue(STAGE_POSITIONS[name])

    def points_at(self, value: int | None = None) -> np.ndarray:
        """The points drawn at slider `value` (default: the current one), in data coordinates:
        a state's own points at 0/100/200/300, the linear blend of its neighbours in between."""
        if not self._points:
            return np.zeros((0, 3), dtype=np.float32)
        return self._at(self._points, self.slider.value() if value is None else value)

    def grid_at(self, value: int | None = None) -> np.ndarray:
        """The grid segments drawn at slider `value`: (2k, 3) pairs for 'lines' mode."""
        if not self._grids:
            return np.zeros((0, 3), dtype=np.float32)
        return self._at(self._grids, self.slider.value() if value is None else value)

    def scale_at(self, value: int | None = None) -> float:
        """The uniform zoom applied to points and grid at slider `value`: each state's own fit
        at 0/100/200/300, blended linearly in between (1.0 before any data)."""
        if not self._scales:
            return 1.0
        k, t = slider_state(self.slider.value() if value is None else value)
        return self._scales[k] if t == 0.0 else (1 - t) * self._scales[k] + t * self._scales[k + 1]

    @property
    def animating(self) -> bool:
        return self.timer.isActive()

    def start_animation(self) -> None:
        self.animate_button.setChecked(True)

    def stop_animation(self) -> None:
        self.animate_button.setChecked(False)

    # --- internals -----------------------------------------------------------------
    @staticmethod
    def _at(states: list[np.ndarray], value: int) -> np.ndarray:
        k, t = slider_state(value)
        if t == 0.0:
            return states[k]
        a, b = states[k], states[k + 1]
        if a.shape != b.shape:  # defensive: never blend mismatched geometry, show the nearer one
            return a if t < 0.5 else b
        return li.blend(a, b, t)

    def _draw(self) -> None:
        if self.points_item is None or not self._points:
            return
        value = self.slider.value()
        scale = self.scale_at(value)
        if scale != self._scale:
            self._scale = scale
            for item in (self.points_item, self.grid_item):
                item.resetTransform()
                item.scale(scale, scale, scale)
        self.points_item.setData(pos=self.points_at(value))
        self.grid_item.setData(pos=self.grid_at(value))
        self._set_axis_names(self.axis_names_at(value))

    def axis_names_at(self, value: int | None = None) -> tuple[str, str, str]:
        """The axis labels at slider `value`: the layer's inputs ("in 1" …) at the input state,
        its units ("unit 1" …) after it; "PC 1" … when that side is wider than 3 (PCA)."""
        if self.stages is None:
            return ("", "", "")
        input_side = self._input_side(value)
        width = self.stages.width_in if input_side else self.stages.width_out
        if width > 3:
            return ("PC 1", "PC 2", "PC 3")
        prefix = "in" if input_side else "unit"
        return tuple(f"{prefix} {i + 1}" if i < width else "" for i in range(3))

    def _input_side(self, value: int | None = None) -> bool:
        """The slider at `value` shows (mostly) the points entering the layer."""
        k, t = slider_state(self.slider.value() if value is None else value)
        return k == 0 and t < 0.5

    def _update_spread(self) -> None:
        """The readout of how much spread the side on show keeps (it follows the slider)."""
        if self.stages is None:
            text, problem = "", False
        else:
            side = "inputs" if self._input_side() else "outputs"
            spread = self.stages.spread_in if side == "inputs" else self.stages.spread_out
            text, problem = spread_readout.spread_text(spread, side), spread.kind == "not_finite"
        if text != self.spread.text():
            self.spread.setText(text)
        style.set_role(self.spread, "error" if problem else "muted")

    def _update_caption(self) -> None:
        value = self.slider.value()
        text = stage_caption(value)
        if self._scales:
            # each state is zoomed to fit, so say how far the axes reach to keep sizes comparable
            text += f" (axes reach ±{SCENE_RADIUS / self.scale_at(value):.3g})"
        self.caption.setText(text)

    def _slider_moved(self, value: int) -> None:
        self._update_caption()
        self._update_spread()
        k, t = slider_state(value)
        for i, button in enumerate(self.tick_buttons):
            font = button.font()
            font.setBold(t == 0.0 and i == k)
            button.setFont(font)
        self._draw()

    def _user_picked_layer(self, _index: int) -> None:
        name = self.current_layer()
        if name is not None:
            self.layer_chosen.emit(name)

    def _animate_toggled(self, on: bool) -> None:
        if on:
            if self.slider.value() >= SLIDER_MAX:
                self.slider.setValue(0)
            self._hold = ANIMATION_HOLD_TICKS
            self.animate_button.setText("Stop")
            self.timer.start()
        else:
            self.timer.stop()
            self.animate_button.setText("Animate")

    def _tick(self) -> None:
        if self._hold > 0:
            self._hold -= 1
            return
        current = self.slider.value()
        next_state = (current // STEP + 1) * STEP  # never step over a state: stop on it
        value = min(SLIDER_MAX, current + ANIMATION_STEP, next_state)
        self.slider.setValue(value)
        if value >= SLIDER_MAX:
            self.stop_animation()
        elif value % STEP == 0:
            self._hold = ANIMATION_HOLD_TICKS
