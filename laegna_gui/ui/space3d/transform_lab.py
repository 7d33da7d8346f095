"""The transform lab: build a 4×4 matrix from blocks (or type it), read what it does,
and watch it move a cube, a tetrahedron, a sphere of points or the data in 3-D.

Left: the composition stack (M = top · … · bottom, so the bottom block acts first),
the selected block's parameters, the 4×4 matrix and the same as W and b. Middle: the
scene (identity → M animated or scrubbed). Right: the readouts (determinant,
eigenvalues, SVD, inverse, one plain sentence). Without OpenGL everything but the
scene works and the scene area says why it is empty.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QElapsedTimer, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core import affine
from laegna_gui.ui.space3d.gl import GLPanel

ANIMATION_MS = 1500
FRAME_MS = 33
MAX_LAB_POINTS = 2000
DIGITS = 3

KIND_TITLES = {
    "rotate_x": "Rotate about x", "rotate_y": "Rotate about y", "rotate_z": "Rotate about z",
    "scale": "Scale", "shear": "Shear", "translate": "Translate", "perspective": "Perspective",
}
KIND_TIPS = {
    "rotate_x": "Turns space about the x axis; lengths, angles and volume stay the same (det = 1).",
    "rotate_y": "Turns space about the y axis; lengths, angles and volume stay the same (det = 1).",
    "rotate_z": "Turns space about the z axis; lengths, angles and volume stay the same (det = 1).",
    "scale": "Stretches (or squashes) along x, y and z; a negative factor mirrors, a zero flattens.",
    "shear": "Slides one coordinate by a multiple of another, like pushing a deck of cards sideways.",
    "translate": "Shifts every point by the same amount — the bias b of a dense layer.",
    "perspective": "Makes points further along z smaller (divide by w = 1 + z/d), as a camera does.",
}
PARAM_RANGES = {  # name → (minimum, maximum, step)
    "degrees": (-360.0, 360.0, 5.0),
    "sx": (-5.0, 5.0, 0.1), "sy": (-5.0, 5.0, 0.1), "sz": (-5.0, 5.0, 0.1),
    "tx": (-5.0, 5.0, 0.1), "ty": (-5.0, 5.0, 0.1), "tz": (-5.0, 5.0, 0.1),
    "d": (-50.0, 50.0, 0.5),
}
PARAM_TIPS = {
    "degrees": "The angle in degrees; positive turns counter-clockwise looking down the axis.",
    "sx": "Stretch factor along x.", "sy": "Stretch factor along y.", "sz": "Stretch factor along z.",
    "tx": "Shift along x.", "ty": "Shift along y.", "tz": "Shift along z.",
    "d": "Viewing distance: the smaller |d|, the stronger the perspective. It cannot be 0.",
}
OBJECTS = [("cube", "Unit cube"), ("tetrahedron", "Tetrahedron"), ("sphere", "Sphere of points"),
           ("dataset", "Dataset points")]
STACK_MODE_TEXT = ("M is the product of the blocks, top · … · bottom: the bottom block acts on a "
                   "point first.")
CUSTOM_MODE_TEXT = ("Custom matrix: you typed the numbers, so the blocks no longer set M. "
                    "Edit or add a block to go back to the stack's product.")
TIPS = {
    "stack": "The composition stack. M = top · … · bottom, so the bottom block acts first (like "
             "A(B(C(x)))). Drag blocks to reorder them: order matters, A·B is not B·A.",
    "kind": "The kind of block to add.",
    "add": "Add a block of the chosen kind at the bottom of the stack (it will act first).",
    "remove": "Remove the selected block from the stack.",
    "up": "Move the selected block up (it will act later).",
    "down": "Move the selected block down (it will act earlier).",
    "matrix": "The 4×4 homogeneous matrix M: the top-left 3×3 block is W, the last column is b, the "
              "bottom row is the perspective row (0 0 0 1 for an affine map). Type to edit it directly.",
    "linear": "The same map written as a dense layer would: x ↦ W·x + b. Editing here edits M.",
    "readouts": "What M does to space: its volume factor, whether it can be undone, the directions it "
                "only stretches, and its split into rotation · scale · rotation.",
    "object": "The object drawn through M; its untransformed copy is the faint ghost.",
    "eigen": "Show the real eigenvectors: directions that W only stretches (by λ), never turns.",
    "reset": "Put the camera back where it started (drag to orbit, wheel to zoom).",
    "animate": "Play the transformation from the identity (t = 0) to M (t = 1).",
    "slider": "Scrub the animation: t = 0 is the identity, t = 1 is M; in between, rotations turn "
              "part of the way and stretches grow smoothly.",
}


def fmt(value: float, digits: int = DIGITS) -> str:
    """A number with fixed decimals and no '-0.000'."""
    value = float(round(float(value), digits)) + 0.0
    return f"{value:.{digits}f}"


def fmt_complex(z: complex, digits: int = DIGITS) -> str:
    """'a' for a real number, 'a ± bi' for a complex one (its conjugate is implied)."""
    if abs(z.imag) <= 1e-9:
        return fmt(z.real, digits)
    return f"{fmt(z.real, digits)} ± {fmt(abs(z.imag), digits)}i"


def matrix_lines(M: np.ndarray, digits: int = DIGITS) -> list[str]:
    M = np.atleast_2d(np.asarray(M, dtype=float))
    cells = [[fmt(v, digits) for v in row] for row in M]
    width = max(len(c) for row in cells for c in row)
    return ["[ " + "  ".join(c.rjust(width) for c in row) + " ]" for row in cells]


def format_matrix(M: np.ndarray, digits: int = DIGITS) -> str:
    return "\n".join(matrix_lines(M, digits))


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pre(text: str) -> str:
    return f"<pre style='margin: 2px 0 6px 8px'>{_html_escape(text)}</pre>"


def readouts_html(M: np.ndarray) -> str:
    """The readouts panel's text for M (HTML; its plain text reads well on its own)."""
    M = np.asarray(M, dtype=float)
    r = affine.readouts(M)
    det = r.determinant
    parts = [f"<p><b>In one sentence:</b> {_html_escape(affine.describe(M))}</p>"]

    volume = f"volume ×|det| = ×{fmt(abs(det))}"
    if abs(det) <= affine.EPS:
        volume += " — space is flattened"
    line = f"<b>Determinant</b> of W: {fmt(det)} ({volume})"
    if r.orientation_flipped:
        line += "<br>orientation flipped — the negative sign means a mirror image"
    parts.append(f"<p>{line}</p>")

    if r.invertible:
        parts.append("<p><b>Invertible</b>: the map can be undone (see the inverse below).</p>")
    else:
        parts.append("<p><b>Not invertible</b>: some direction is squashed to nothing, so different "
                     "points land on the same spot and the map cannot be undone.</p>")

    shown = [fmt_complex(z) for z in r.eigenvalues if z.imag >= -1e-9]
    eigen = [f"<b>Eigenvalues</b> of W: {', '.join(shown)}"]
    if r.real_eigen:
        eigen.append("Real eigenvectors (directions only stretched by λ):")
        for value, vector in r.real_eigen:
            eigen.append(f"&nbsp;&nbsp;λ = {fmt(value)} along ({', '.join(fmt(v) for v in vector)})")
    if any(abs(z.imag) > 1e-9 for z in r.eigenvalues):
        eigen.append("A complex pair a ± bi means W turns a plane: no direction in it stays put.")
    parts.append("<p>" + "<br>".join(eigen) + "</p>")

    parts.append("<p><b>SVD</b>: W = U · Σ · Vᵀ = rotation · scale · rotation</p>")
    parts.append("<p>U (rotation)" + _pre(format_matrix(r.svd_u)) + "</p>")
    scale_note = " — a negative scale is a mirror" if np.any(r.svd_s < 0) else ""
    parts.append(f"<p>Σ (scale along the axes{scale_note})" + _pre(format_matrix(np.diag(r.svd_s))) + "</p>")
    parts.append("<p>Vᵀ (rotation)" + _pre(format_matrix(r.svd_vt)) + "</p>")

    if r.inverse is None:
        parts.append("<p><b>Inverse</b>: not invertible — nothing can undo this map.</p>")
    else:
        parts.append("<p><b>Inverse</b> M⁻¹ (undoes M)" + _pre(format_matrix(r.inverse)) + "</p>")
    if not np.allclose(M[3], [0, 0, 0, 1]):
        parts.append("<p>The bottom row is not 0 0 0 1: this is a perspective (projective) map, "
                     "not an affine one, so W and b alone do not describe it.</p>")
    return "".join(parts)


def _cell_spin(object_name: str, tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(objectName=object_name)
    spin.setRange(-1000.0, 1000.0)
    spin.setDecimals(DIGITS)
    spin.setSingleStep(0.1)
    spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setMinimumWidth(58)
    spin.setToolTip(tip)
    spin.setAccessibleName(object_name)
    return spin


class TransformLab(QWidget):
    """The transform lab tab. API: set_matrix, matrix, set_blocks, blocks, set_t, t,
    shown_matrix, set_dataset_points. `matrixChanged` carries the new 4×4 matrix."""

    matrixChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transformLab")
        self._matrix = np.eye(4)
        self._t = 1.0
        self._custom = False
        self._block_data: dict[int, tuple[str, dict[str, float]]] = {}
        self._next_id = 1
        self._building = False
        self._dataset: tuple[np.ndarray, np.ndarray | None] | None = None
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self._build()
        self._show_block_params()
        self._refresh_all()

    # --- building the widget ------------------------------------------------------------------
    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_controls())
        splitter.addWidget(self._build_scene())
        self.readouts = QTextBrowser(objectName="readouts")
        self.readouts.setToolTip(TIPS["readouts"])
        self.readouts.setAccessibleName("Matrix readouts")
        self.readouts.setMinimumWidth(200)
        splitter.addWidget(self.readouts)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([360, 700, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def _build_controls(self) -> QWidget:
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(4, 4, 4, 4)

        stack_box = QGroupBox("Composition stack")
        stack_layout = QVBoxLayout(stack_box)
        self.stack = QListWidget(objectName="blockStack")
        self.stack.setToolTip(TIPS["stack"])
        self.stack.setAccessibleName("Composition stack")
        self.stack.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stack.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.stack.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stack.setMinimumHeight(90)
        self.stack.setMaximumHeight(150)
        model = self.stack.model()
        model.rowsMoved.connect(self._stack_reordered)
        model.rowsInserted.connect(self._stack_reordered)
        model.rowsRemoved.connect(self._stack_reordered)
        self.stack.currentItemChanged.connect(lambda *_: self._show_block_params())
        stack_layout.addWidget(self.stack)

        add_row = QHBoxLayout()
        self.kind_combo = QComboBox(objectName="blockKind")
        self.kind_combo.setToolTip(TIPS["kind"])
        for kind in affine.BLOCKS:
            self.kind_combo.addItem(KIND_TITLES.get(kind, kind), kind)
            self.kind_combo.setItemData(self.kind_combo.count() - 1, KIND_TIPS.get(kind, ""),
                                        Qt.ItemDataRole.ToolTipRole)
        self.add_button = QPushButton("Add block", objectName="addBlock")
        self.add_button.setToolTip(TIPS["add"])
        self.add_button.clicked.connect(lambda: self.add_block(self.kind_combo.currentData()))
        add_row.addWidget(self.kind_combo, 1)
        add_row.addWidget(self.add_button)
        stack_layout.addLayout(add_row)

        edit_row = QHBoxLayout()
        self.remove_button = QPushButton("Remove", objectName="removeBlock")
        self.remove_button.setToolTip(TIPS["remove"])
        self.remove_button.clicked.connect(self.remove_selected_block)
        self.up_button = QPushButton("Move up", objectName="moveBlockUp")
        self.up_button.setToolTip(TIPS["up"])
        self.up_button.clicked.connect(lambda: self._move_selected(-1))
        self.down_button = QPushButton("Move down", objectName="moveBlockDown")
        self.down_button.setToolTip(TIPS["down"])
        self.down_button.clicked.connect(lambda: self._move_selected(+1))
        for button in (self.remove_button, self.up_button, self.down_button):
            edit_row.addWidget(button)
        stack_layout.addLayout(edit_row)

        self.params_title = QLabel(objectName="blockParamsTitle")
        self.params_title.setStyleSheet("color: #6b7785;")
        stack_layout.addWidget(self.params_title)
        self.params_box = QWidget(objectName="blockParams")
        self.params_layout = QFormLayout(self.params_box)
        self.params_layout.setContentsMargins(0, 0, 0, 0)
        stack_layout.addWidget(self.params_box)
        self.param_spins: dict[str, QDoubleSpinBox] = {}
        self._build_param_spins()
        column.addWidget(stack_box)

        self.mode_label = QLabel(objectName="labMode")
        self.mode_label.setWordWrap(True)
        column.addWidget(self.mode_label)

        matrix_box = QGroupBox("Matrix M (4×4, homogeneous)")
        self.matrix_editor = QWidget(objectName="matrixEditor")
        self.matrix_editor.setToolTip(TIPS["matrix"])
        grid = QGridLayout(self.matrix_editor)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(3)
        self.matrix_spins = [[None] * 4 for _ in range(4)]
        for r in range(4):
            for c in range(4):
                spin = _cell_spin(f"matrixCell_{r}_{c}", TIPS["matrix"])
                spin.valueChanged.connect(lambda value, r=r, c=c: self._matrix_cell_edited(r, c, value))
                grid.addWidget(spin, r, c)
                self.matrix_spins[r][c] = spin
        QVBoxLayout(matrix_box).addWidget(self.matrix_editor)
        column.addWidget(matrix_box)

        linear_box = QGroupBox("As a dense layer: x ↦ W·x + b")
        self.linear_editor = QWidget(objectName="linearEditor")
        self.linear_editor.setToolTip(TIPS["linear"])
        grid = QGridLayout(self.linear_editor)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(3)
        grid.addWidget(QLabel("W"), 0, 0, 1, 3, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(QLabel("b"), 0, 4, Qt.AlignmentFlag.AlignHCenter)
        self.w_spins = [[None] * 3 for _ in range(3)]
        self.b_spins = [None] * 3
        for r in range(3):
            for c in range(3):
                spin = _cell_spin(f"linearW_{r}_{c}", TIPS["linear"])
                spin.valueChanged.connect(lambda value, r=r, c=c: self._matrix_cell_edited(r, c, value))
                grid.addWidget(spin, r + 1, c)
                self.w_spins[r][c] = spin
            spin = _cell_spin(f"linearB_{r}", TIPS["linear"])
            spin.valueChanged.connect(lambda value, r=r: self._matrix_cell_edited(r, 3, value))
            grid.addWidget(spin, r + 1, 4)
            self.b_spins[r] = spin
        grid.setColumnMinimumWidth(3, 10)
        self.perspective_note = QLabel("The perspective row (bottom of M) is kept when you edit W and b.",
                                       objectName="perspectiveNote")
        self.perspective_note.setWordWrap(True)
        self.perspective_note.setStyleSheet("color: #6b7785;")
        linear_layout = QVBoxLayout(linear_box)
        linear_layout.addWidget(self.linear_editor)
        linear_layout.addWidget(self.perspective_note)
        column.addWidget(linear_box)
        column.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setMinimumWidth(300)
        return scroll

    def _build_scene(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel = GLPanel("labScene")
        self.panel.setMinimumSize(280, 220)
        layout.addWidget(self.panel, 1)

        bar = QHBoxLayout()
        self.object_combo = QComboBox(objectName="labObject")
        self.object_combo.setToolTip(TIPS["object"])
        for key, title in OBJECTS:
            self.object_combo.addItem(title, key)
        self._set_dataset_choice_enabled(False)
        self.object_combo.currentIndexChanged.connect(lambda _i: self._object_changed())
        self.eigen_check = QCheckBox("Eigenvectors", objectName="showEigen")
        self.eigen_check.setChecked(True)
        self.eigen_check.setToolTip(TIPS["eigen"])
        self.eigen_check.toggled.connect(lambda _on: self._update_scene())
        self.reset_button = QPushButton("Reset camera", objectName="resetCamera")
        self.reset_button.setToolTip(TIPS["reset"])
        self.reset_button.clicked.connect(self.reset_camera)
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.object_combo)
        bar.addWidget(self.eigen_check)
        bar.addStretch(1)
        bar.addWidget(self.reset_button)
        layout.addLayout(bar)

        morph = QHBoxLayout()
        self.animate_button = QPushButton("Animate", objectName="animateButton")
        self.animate_button.setToolTip(TIPS["animate"])
        self.animate_button.clicked.connect(self.toggle_animation)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="morphSlider")
        self.slider.setRange(0, 100)
        self.slider.setValue(100)
        self.slider.setToolTip(TIPS["slider"])
        self.slider.setAccessibleName("Animation time t")
        self.slider.valueChanged.connect(self._slider_moved)
        self.slider.sliderPressed.connect(self.stop_animation)
        self.t_label = QLabel(objectName="morphValue")
        self.t_label.setMinimumWidth(110)
        morph.addWidget(self.animate_button)
        morph.addWidget(QLabel("identity"))
        morph.addWidget(self.slider, 1)
        morph.addWidget(QLabel("M"))
        morph.addWidget(self.t_label)
        layout.addLayout(morph)

        self._scene = None  # made with the GL view, on first show
        self.panel.view_created.connect(self._make_scene)
        return box

    def _make_scene(self, view) -> None:
        """The scene's items, when the panel makes its GL view; then the object and matrix now."""
        self._scene = _LabScene(view)
        self._scene.set_dataset(self._dataset)
        self._scene.set_object(self.object_combo.currentData())
        self.reset_camera()
        self._update_scene()

    # --- public API -----------------------------------------------------------------------------
    def matrix(self) -> np.ndarray:
        """The current 4×4 matrix M (a copy)."""
        return self._matrix.copy()

    def set_matrix(self, M) -> None:
        """Set M directly (custom-matrix mode, as if typed into the matrix editor)."""
        M = np.asarray(M, dtype=float)
        if M.shape != (4, 4):
            raise ValueError(f"the transform lab needs a 4×4 matrix, got shape {M.shape}")
        if not np.all(np.isfinite(M)):
            raise ValueError("the matrix must contain finite numbers only")
        self._matrix = M.copy()
        self._custom = True
        self._matrix_changed()

    def blocks(self) -> list[tuple[str, dict[str, float]]]:
        """The stack, top to bottom: M = compose of their matrices in this order."""
        out = []
        for row in range(self.stack.count()):
            block = self._block_data.get(self.stack.item(row).data(Qt.ItemDataRole.UserRole))
            if block is not None:
                out.append((block[0], dict(block[1])))
        return out

    def set_blocks(self, blocks) -> None:
        """Replace the stack with (kind, params) pairs and take M from it."""
        checked = []
        for kind, params in blocks:
            affine.block_matrix(kind, **params)  # raises a clear ValueError for a bad block
            checked.append((kind, {**affine.BLOCK_DEFAULTS[kind], **{k: float(v) for k, v in params.items()}}))
        self._building = True
        try:
            self.stack.clear()
            self._block_data.clear()
            for kind, params in checked:
                self._append_item(kind, params)
        finally:
            self._building = False
        if self.stack.count():
            self.stack.setCurrentRow(self.stack.count() - 1)
        self._show_block_params()
        self._stack_changed()

    def add_block(self, kind: str, params: dict[str, float] | None = None) -> None:
        """Add a block at the bottom of the stack (it acts first) and select it."""
        full = {**affine.BLOCK_DEFAULTS[kind], **{k: float(v) for k, v in (params or {}).items()}}
        affine.block_matrix(kind, **full)
        self._building = True
        try:
            item = self._append_item(kind, full)
        finally:
            self._building = False
        self.stack.setCurrentItem(item)
        self._stack_changed()

    def remove_selected_block(self) -> None:
        row = self.stack.currentRow()
        if row < 0:
            return
        self._building = True
        try:
            item = self.stack.takeItem(row)
            self._block_data.pop(item.data(Qt.ItemDataRole.UserRole), None)
        finally:
            self._building = False
        self._show_block_params()
        self._stack_changed()

    def move_block(self, source: int, destination: int) -> None:
        """Move the block in row `source` so that it ends up in row `destination`."""
        n = self.stack.count()
        if not (0 <= source < n and 0 <= destination < n) or source == destination:
            return
        self._building = True
        try:
            item = self.stack.takeItem(source)
            self.stack.insertItem(destination, item)
        finally:
            self._building = False
        self.stack.setCurrentRow(destination)
        self._stack_changed()

    @property
    def custom_mode(self) -> bool:
        """True after the matrix was typed (or set with set_matrix) until the stack is edited."""
        return self._custom

    def t(self) -> float:
        return self._t

    def set_t(self, t: float) -> None:
        """Show the animation at time t (0 identity … 1 M)."""
        self._t = float(np.clip(t, 0.0, 1.0))
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(self._t * 100))
        self._update_scene()

    def shown_matrix(self) -> np.ndarray:
        """The matrix the scene shows now: affine.interpolate(M, t)."""
        return affine.interpolate(self._matrix, self._t)

    def set_dataset_points(self, points, labels=None) -> None:
        """The current dataset's points (n, 3) and labels (class indices or values), or None."""
        if points is None:
            self._dataset = None
        else:
            points = np.asarray(points, dtype=float)
            if points.ndim != 2 or len(points) == 0:
                self._dataset = None
            else:
                if points.shape[1] < 3:
                    points = np.hstack([points, np.zeros((len(points), 3 - points.shape[1]))])
                elif points.shape[1] > 3:
                    points = affine.pca_project(points, 3)[0]
                labels = None if labels is None else np.asarray(labels)
                if labels is not None and len(labels) != len(points):
                    labels = None
                if len(points) > MAX_LAB_POINTS:
                    keep = np.random.default_rng(0).choice(len(points), MAX_LAB_POINTS, replace=False)
                    points = points[keep]
                    labels = None if labels is None else labels[keep]
                self._dataset = (points, labels)
        self._set_dataset_choice_enabled(self._dataset is not None)
        if self._dataset is None and self.object_combo.currentData() == "dataset":
            self.object_combo.setCurrentIndex(0)
        if self._scene is not None:
            self._scene.set_dataset(self._dataset)
        self._update_scene()

    def object_kind(self) -> str:
        return self.object_combo.currentData()

    def reset_camera(self) -> None:
        if self.panel.view is not None:
            self.panel.view.setCameraPosition(pos=_vector(0.5, 0.5, 0.4), distance=5.5,
                                              elevation=22, azimuth=35)

    # --- animation ----------------------------------------------------------------------------
    def toggle_animation(self) -> None:
        if self._timer.isActive():
            self.stop_animation()
        else:
            self.start_animation()

    def start_animation(self) -> None:
        self.set_t(0.0)
        self._clock.start()
        self._timer.start()
        self.animate_button.setText("Stop")

    def stop_animation(self) -> None:
        self._timer.stop()
        self.animate_button.setText("Animate")

    @property
    def animating(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        t = min(1.0, self._clock.elapsed() / ANIMATION_MS)
        self.set_t(t)
        if t >= 1.0:
            self.stop_animation()

    def _slider_moved(self, value: int) -> None:
        self._t = value / 100.0
        self._update_scene()

    # --- the stack ----------------------------------------------------------------------------
    def _append_item(self, kind: str, params: dict[str, float]) -> QListWidgetItem:
        block_id = self._next_id
        self._next_id += 1
        self._block_data[block_id] = (kind, dict(params))
        item = QListWidgetItem(_block_title(kind, params))
        item.setData(Qt.ItemDataRole.UserRole, block_id)
        item.setToolTip(KIND_TIPS.get(kind, ""))
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        self.stack.addItem(item)
        return item

    def _stack_reordered(self, *_args) -> None:
        if not self._building:
            self._stack_changed()

    def _move_selected(self, step: int) -> None:
        row = self.stack.currentRow()
        if row >= 0:
            self.move_block(row, row + step)

    def _stack_changed(self) -> None:
        """The stack was edited: M becomes its product again."""
        self._custom = False
        self._matrix = affine.compose([affine.block_matrix(kind, **params) for kind, params in self.blocks()])
        self._matrix_changed()

    def _selected_block_id(self) -> int | None:
        item = self.stack.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _build_param_spins(self) -> None:
        """One spin box per parameter name of any block (made once; rows shown per block)."""
        self._all_param_spins: dict[str, QDoubleSpinBox] = {}
        names = dict.fromkeys(name for params in affine.BLOCKS.values() for name in params)
        for name in names:
            low, high, step = PARAM_RANGES.get(name, (-3.0, 3.0, 0.1))
            spin = QDoubleSpinBox(objectName=f"blockParam_{name}")
            spin.setRange(low, high)
            spin.setDecimals(2)
            spin.setSingleStep(step)
            spin.setKeyboardTracking(False)
            spin.setToolTip(PARAM_TIPS[name] if name in PARAM_TIPS else
                            f"Shear: how much {name[1]} pushes {name[0]} ({name[0]}′ = {name[0]} + {name}·{name[1]}).")
            spin.setAccessibleName(f"Block parameter {name}")
            spin.valueChanged.connect(lambda value, name=name: self._param_edited(name, value))
            self._all_param_spins[name] = spin
            self.params_layout.addRow(name + (" (°)" if name == "degrees" else ""), spin)
            self.params_layout.setRowVisible(spin, False)

    def _show_block_params(self) -> None:
        """Show the selected block's parameters (and only those)."""
        block_id = self._selected_block_id()
        kind, params = self._block_data.get(block_id, (None, {}))
        names = affine.BLOCKS.get(kind, ())
        self.param_spins = {name: self._all_param_spins[name] for name in names}
        for name, spin in self._all_param_spins.items():
            if name in params:
                _set_quietly(spin, params[name])
            self.params_layout.setRowVisible(spin, name in names)
        self.params_title.setText(f"{KIND_TITLES.get(kind, kind)} — parameters" if kind else
                                  "Select a block to edit its parameters.")

    def _param_edited(self, name: str, value: float) -> None:
        block_id = self._selected_block_id()
        if block_id not in self._block_data:
            return
        kind, params = self._block_data[block_id]
        new = {**params, name: float(value)}
        try:
            affine.block_matrix(kind, **new)
        except ValueError:  # e.g. perspective d = 0: keep the last valid value
            return
        self._block_data[block_id] = (kind, new)
        for row in range(self.stack.count()):
            item = self.stack.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == block_id:
                item.setText(_block_title(kind, new))
        self._stack_changed()

    # --- the matrix ---------------------------------------------------------------------------
    def _matrix_cell_edited(self, row: int, col: int, value: float) -> None:
        self._matrix[row, col] = float(value)
        self._custom = True
        self._matrix_changed()

    def _matrix_changed(self) -> None:
        if not self._timer.isActive():
            self._t = 1.0
            with QSignalBlocker(self.slider):
                self.slider.setValue(100)
        self._refresh_all()
        self.matrixChanged.emit(self.matrix())

    def _refresh_all(self) -> None:
        self._fill_editors()
        self.mode_label.setText(CUSTOM_MODE_TEXT if self._custom else STACK_MODE_TEXT)
        self.mode_label.setStyleSheet("color: #b4570a; font-weight: bold;" if self._custom else "")
        self.perspective_note.setVisible(not np.allclose(self._matrix[3], [0, 0, 0, 1]))
        self.readouts.setHtml(readouts_html(self._matrix))
        self._update_scene()

    def _fill_editors(self) -> None:
        M = self._matrix
        W, b = affine.to_linear(M)
        for r in range(4):
            for c in range(4):
                _set_quietly(self.matrix_spins[r][c], M[r, c])
        for r in range(3):
            for c in range(3):
                _set_quietly(self.w_spins[r][c], W[r, c])
            _set_quietly(self.b_spins[r], b[r])

    # --- the scene ----------------------------------------------------------------------------
    def _set_dataset_choice_enabled(self, enabled: bool) -> None:
        index = self.object_combo.findData("dataset")
        item = self.object_combo.model().item(index)
        if item is not None:
            item.setEnabled(enabled)
            item.setToolTip("" if enabled else "Choose a dataset in the main window to see its points here.")

    def _object_changed(self) -> None:
        if self._scene is not None:
            self._scene.set_object(self.object_combo.currentData())
        self._update_scene()

    def _update_scene(self) -> None:
        shown = self.shown_matrix()
        self.t_label.setText(f"t = {self._t:.2f}")
        if self._scene is not None:
            self._scene.show(shown, self.eigen_check.isChecked())


class _LabScene:
    """The lab's GL items, made once; `show(M)` moves them with setData."""

    def __init__(self, view) -> None:
        from laegna_gui.ui.space3d import scene_items as si

        self.view = view
        self.grid = si.ground_grid(size=6.0, spacing=0.5)
        view.addItem(self.grid)
        self.ghost_wire = si.unit_cube(ghost=True)
        self.wire = si.unit_cube()
        self.ghost_cloud = si.PointCloud(si.sphere_points(), color="#8a94a0", size=3.0, alpha=0.35)
        self.cloud = si.sphere_of_points()
        self.basis_ghost = si.BasisArrows(faint=True)
        self.basis = si.BasisArrows()
        self.eigen = si.EigenArrows()
        for thing in (self.ghost_wire, self.ghost_cloud, self.basis_ghost, self.wire, self.cloud,
                      self.eigen, self.basis):
            thing.add_to(view)
        self._si = si
        self.kind = "cube"
        self.dataset = None
        self.set_object("cube")

    def set_dataset(self, dataset) -> None:
        self.dataset = dataset
        if self.kind == "dataset":
            self.set_object("dataset")

    def set_object(self, kind: str) -> None:
        si = self._si
        if kind == "dataset" and self.dataset is None:
            kind = "cube"
        self.kind = kind
        wire = kind in ("cube", "tetrahedron")
        if wire:
            edges = si.cube_edges() if kind == "cube" else si.tetrahedron_edges()
            self.wire.set_edges(edges)
            self.ghost_wire.set_edges(edges)
        elif kind == "sphere":
            points = si.sphere_points()
            self.cloud.set_points(points, si.rgba(si.OBJECT_HEX, 0.85))
            self.cloud.scatter.setData(size=5.0)
            self.ghost_cloud.set_points(points)
        else:
            points, labels = self.dataset
            self.cloud.set_points(points, si.point_colors(labels, len(points)))
            self.cloud.scatter.setData(size=7.0)
            self.ghost_cloud.set_points(points)
        for thing in (self.wire, self.ghost_wire):
            thing.setVisible(wire)
        for thing in (self.cloud, self.ghost_cloud):
            thing.setVisible(not wire)

    def show(self, M: np.ndarray, eigen: bool) -> None:
        self.wire.set_matrix(M)
        self.cloud.set_matrix(M)
        self.basis.set_matrix(M)
        if eigen:
            self.eigen.set_eigen(affine.readouts(M).real_eigen)
        self.eigen.setVisible(eigen)


def _vector(x: float, y: float, z: float):
    from PySide6.QtGui import QVector3D

    return QVector3D(x, y, z)


def _set_quietly(spin: QDoubleSpinBox, value: float) -> None:
    with QSignalBlocker(spin):
        spin.setValue(float(value))


def _block_title(kind: str, params: dict[str, float]) -> str:
    def n(v: float) -> str:
        return f"{float(v):g}"

    if kind.startswith("rotate_"):
        return f"Rotate {kind[-1]}  {n(params['degrees'])}°"
    if kind == "scale":
        return f"Scale  {n(params['sx'])}, {n(params['sy'])}, {n(params['sz'])}"
    if kind == "translate":
        return f"Translate  {n(params['tx'])}, {n(params['ty'])}, {n(params['tz'])}"
    if kind == "shear":
        terms = [f"{name} {n(v)}" for name, v in params.items() if v]
        return "Shear  " + (", ".join(terms) if terms else "none")
    if kind == "perspective":
        return f"Perspective  d = {n(params['d'])}"
    return kind

