"""The transform lab: build a 4×4 matrix from blocks (or type it), read what it does,
and watch it move a cube, a tetrahedron, a sphere of points or the data in 3-D.

Left: the composition stack (M = top · … · bottom, so the bottom block acts first), the
selected block's parameters and the 4×4 matrix. Middle: the scene (identity → M,
animated or scrubbed). Right: M as a dense layer (W and b) and the readouts. The state
lives in a Qt-free TransformStack (core/transform_stack.py); every part here is a view
of it that edits it and follows its events.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget

from laegna_gui.core.transform_readouts import fmt, fmt_complex, format_matrix, readouts_html
from laegna_gui.core.transform_stack import CUSTOM_MODE_TEXT, STACK_MODE_TEXT, TransformStack, lab_points
from laegna_gui.ui.look import style
from laegna_gui.ui.space3d.transform_lab_matrix import MatrixGrid
from laegna_gui.ui.space3d.transform_lab_panel import ScenePanel
from laegna_gui.ui.space3d.transform_lab_readouts import ReadoutsPanel
from laegna_gui.ui.space3d.transform_lab_stack import BlockStackEditor

# the number formatting and mode texts are the model's; views that show matrices import them from here
__all__ = ["CUSTOM_MODE_TEXT", "STACK_MODE_TEXT", "TransformLab", "fmt", "fmt_complex", "format_matrix",
           "readouts_html"]

TIPS = {
    "matrix": "The 4×4 homogeneous matrix M: the top-left 3×3 block is W, the last column is b, the "
              "bottom row is the perspective row (0 0 0 1 for an affine map). Type to edit it directly.",
    "linear": "The same map written as a dense layer would: x ↦ W·x + b. Editing here edits M.",
}
SCENE_SHARE = 10_000
PERSPECTIVE_NOTE = "The perspective row (bottom of M) is kept when you edit W and b."


def _box(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 4, 6, 6)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class TransformLab(QWidget):
    """The transform lab tab. API: set_matrix, matrix, set_blocks, blocks, add_block, set_t,
    t, shown_matrix, set_dataset_points; `model` is its TransformStack. `matrixChanged`
    carries the new 4×4 matrix."""

    matrixChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transformLab")
        self.model = TransformStack()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_left())
        self.scene_panel = ScenePanel(self.model)
        splitter.addWidget(self.scene_panel)
        splitter.addWidget(self._build_right())
        for index, stretch in enumerate((0, 1, 0)):
            splitter.setStretchFactor(index, stretch)
        splitter.setSizes([1, SCENE_SHARE, 1])  # the side columns start as narrow as they can be
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._alias_parts()
        self.model.events.matrix_changed.connect(self._matrix_changed)
        self._matrix_changed()

    def _build_left(self) -> QWidget:
        self.stack_editor = BlockStackEditor(self.model)
        self.mode_label = QLabel(objectName="labMode")
        self.mode_label.setWordWrap(True)
        self.matrix_editor = MatrixGrid("matrixEditor", 4, 4, lambda r, c: f"matrixCell_{r}_{c}", TIPS["matrix"])
        self.matrix_editor.cell_edited.connect(self.model.set_cell)
        return _column(_box("Composition stack", self.stack_editor), self.mode_label,
                       _box("Matrix M (4×4, homogeneous)", self.matrix_editor))

    def _build_right(self) -> QWidget:
        self.linear_editor = MatrixGrid(
            "linearEditor", 3, 4, lambda r, c: f"linearW_{r}_{c}" if c < 3 else f"linearB_{r}", TIPS["linear"],
            header=[("W", 0, 3), ("b", 3, 1)], gap_before=3)
        self.linear_editor.cell_edited.connect(self.model.set_cell)
        self.perspective_note = QLabel(PERSPECTIVE_NOTE, objectName="perspectiveNote")
        self.perspective_note.setWordWrap(True)
        style.set_role(self.perspective_note, "muted")
        self.readouts = ReadoutsPanel()
        return _column(_box("As a dense layer: x ↦ W·x + b", self.linear_editor, self.perspective_note),
                       self.readouts, stretch_last=True)

    def _alias_parts(self) -> None:
        """The parts tests and the window reach by name, from the panels that own them."""
        editor, scene = self.stack_editor, self.scene_panel
        self.stack, self.kind_combo, self.add_button = editor.stack, editor.kind_combo, editor.add_button
        self.remove_button, self.up_button = editor.remove_button, editor.up_button
        self.down_button = editor.down_button
        self.panel, self.object_combo, self.eigen_check = scene.panel, scene.object_combo, scene.eigen_check
        self.reset_button, self.animate_button = scene.reset_button, scene.animate_button
        self.slider, self.t_label = scene.slider, scene.t_label
        self.matrix_spins = self.matrix_editor.cells
        self.w_spins = [row[:3] for row in self.linear_editor.cells]
        self.b_spins = [row[3] for row in self.linear_editor.cells]

    # --- public API ---------------------------------------------------------------------
    def matrix(self) -> np.ndarray:
        """The current 4×4 matrix M (a copy)."""
        return self.model.matrix()

    def set_matrix(self, M) -> None:
        """Set M directly (custom-matrix mode, as if typed into the matrix editor)."""
        self.model.set_matrix(M)

    def blocks(self) -> list[tuple[str, dict[str, float]]]:
        """The stack, top to bottom: M = compose of their matrices in this order."""
        return self.model.blocks()

    def set_blocks(self, blocks) -> None:
        """Replace the stack with (kind, params) pairs (the last one selected) and take M from it."""
        self.model.set_blocks(blocks)
        self.stack_editor.select_row(len(self.model.items) - 1)

    def add_block(self, kind: str, params: dict[str, float] | None = None) -> None:
        """Add a block at the bottom of the stack (it acts first) and select it."""
        self.stack_editor.add_block(kind, params)

    def remove_selected_block(self) -> None:
        self.stack_editor.remove_selected_block()

    def move_block(self, source: int, destination: int) -> None:
        """Move the block in row `source` so that it ends up in row `destination`."""
        self.model.move_block(source, destination)

    @property
    def param_spins(self) -> dict:
        """The selected block's parameter editors, by parameter name."""
        return self.stack_editor.param_spins

    @property
    def custom_mode(self) -> bool:
        """True after the matrix was typed (or set with set_matrix) until the stack is edited."""
        return self.model.custom

    def t(self) -> float:
        return self.model.t

    def set_t(self, t: float) -> None:
        """Show the animation at time t (0 identity … 1 M)."""
        self.model.set_t(t)

    def shown_matrix(self) -> np.ndarray:
        """The matrix the scene shows now: affine.interpolate(M, t)."""
        return self.model.shown_matrix()

    def set_dataset_points(self, points, labels=None) -> None:
        """The current dataset's points (n, d) and labels (class indices or values), or None."""
        self.scene_panel.set_dataset(lab_points(points, labels))

    def dataset(self):
        """(points (n, 3), labels) as the scene draws them, or None."""
        return self.scene_panel.dataset

    def object_kind(self) -> str:
        return self.scene_panel.object_kind()

    def reset_camera(self) -> None:
        self.scene_panel.reset_camera()

    def toggle_animation(self) -> None:
        self.scene_panel.toggle_animation()

    def start_animation(self) -> None:
        self.scene_panel.start_animation()

    def stop_animation(self) -> None:
        self.scene_panel.stop_animation()

    @property
    def animating(self) -> bool:
        return self.scene_panel.animating

    # --- following the model ------------------------------------------------------------
    def _matrix_changed(self) -> None:
        M = self.model.matrix()
        self.matrix_editor.show_matrix(M)
        self.linear_editor.show_matrix(M)
        text, tip = self.model.mode_text()
        self.mode_label.setText(text)
        self.mode_label.setToolTip(tip)
        font = self.mode_label.font()
        font.setWeight(QFont.Weight.Bold if self.model.custom else QFont.Weight.Normal)
        self.mode_label.setFont(font)
        self.perspective_note.setVisible(not self.model.is_affine())
        self.readouts.show_readouts(M, self.model.readouts())
        self.matrixChanged.emit(M)


def _column(*widgets: QWidget, stretch_last: bool = False) -> QWidget:
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    for widget in widgets:
        layout.addWidget(widget, 1 if stretch_last and widget is widgets[-1] else 0)
    if not stretch_last:
        layout.addStretch(1)
    return column
