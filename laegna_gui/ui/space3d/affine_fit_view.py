"""The affine fit view: one 3→3 dense layer learning a hidden affine map, in 3-D.

Grey: the source points x. Blue: their targets (the hidden map applied to x). Orange:
what the layer makes of x now, W·x + b — training moves the orange cloud onto the
blue one, and short lines join each prediction to its target. Beside the scene: the
learned 4×4 matrix, the true one and their largest difference.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core import affine
from laegna_gui.ui.look import style
from laegna_gui.ui.space3d.gl import GLPanel
from laegna_gui.ui.training.live_state import Kind, LiveState
from laegna_gui.ui.space3d.transform_lab import fmt, format_matrix

NOT_AFFINE = ("The affine fit view needs a single 3→3 dense layer on 3-D data — open the affine3d "
              "preset")
MAX_POINTS = 600
SOURCE_HEX = "#8a949e"  # the inputs x: grey, under the blue targets and orange predictions
LINKS = 60
TIPS = {
    "scene": "Grey: the inputs x. Blue: the targets. Orange: the layer's answer W·x + b right now; "
             "the thin lines join each answer to its target. Training pulls orange onto blue. "
             "Drag to orbit, wheel to zoom.",
    "learned": "The layer's weights as one 4×4 matrix: W in the top-left 3×3, the bias b in the last "
               "column. Training changes these numbers.",
    "true": "The hidden affine map the data was made with (rotation · scale · shear, then a shift). "
            "The layer never sees it — only the points.",
    "difference": "The largest gap between any learned number and the true one: it shrinks towards "
                  "0 as the layer finds the map (noise in the data keeps it slightly above 0).",
    "reset": "Put the camera back where it started.",
}


class AffineFitView(QWidget):
    """`set_problem(dataset, true_matrix, layer)` once per project; `show_snapshot(s)` as
    training runs (it only moves existing items with setData)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("affineFitView")
        self.layer: str | None = None
        self.true_matrix: np.ndarray | None = None
        self.learned_matrix: np.ndarray | None = None
        self.source = np.zeros((0, 3))
        self.target = np.zeros((0, 3))
        self._links = np.zeros(0, dtype=int)
        self._scene = None
        self._build()
        self._show_message(NOT_AFFINE)

    # --- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages)

        self.message = QLabel(objectName="affineFitMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("font-size: 14px;")
        style.set_role(self.message, "muted")
        self.message.setContentsMargins(24, 24, 24, 24)
        self.pages.addWidget(self.message)

        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        self.panel = GLPanel("affineScene")
        self.panel.setMinimumSize(360, 300)
        self.panel.setToolTip(TIPS["scene"])
        left.addWidget(self.panel, 1)
        legend_row = QHBoxLayout()
        self.legend = QLabel(objectName="affineLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setText(f"<span style='color:{SOURCE_HEX}'>●</span> inputs x &nbsp; "
                            f"<span style='color:{style.POSITIVE.name()}'>●</span> targets &nbsp; "
                            f"<span style='color:{style.NEGATIVE.name()}'>●</span> W·x + b now")
        self.legend.setToolTip(TIPS["scene"])
        self.reset_button = QPushButton("Reset camera", objectName="affineResetCamera")
        self.reset_button.setToolTip(TIPS["reset"])
        self.reset_button.clicked.connect(self.reset_camera)
        legend_row.addWidget(self.legend, 1)
        legend_row.addWidget(self.reset_button)
        left.addLayout(legend_row)
        row.addLayout(left, 1)

        side = QVBoxLayout()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.learned_label = QLabel("—", objectName="learnedMatrix")
        self.true_label = QLabel("—", objectName="trueMatrix")
        for label, title, tip in ((self.learned_label, "Learned (W | b)", TIPS["learned"]),
                                  (self.true_label, "True (hidden map)", TIPS["true"])):
            label.setFont(mono)
            label.setToolTip(tip)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(label)
            side.addWidget(box)
        self.difference_label = QLabel("—", objectName="matrixDifference")
        self.difference_label.setToolTip(TIPS["difference"])
        self.difference_label.setWordWrap(True)
        side.addWidget(self.difference_label)
        self.step_label = QLabel("", objectName="affineStep")
        style.set_role(self.step_label, "muted")
        side.addWidget(self.step_label)
        side.addStretch(1)
        row.addLayout(side)
        self.pages.addWidget(content)
        self._content = content

        self.panel.view_created.connect(self._make_scene)  # on first show, where GL works

    def _make_scene(self, view) -> None:
        """The scene's items, when the panel makes its GL view; then the problem and fit so far."""
        self._scene = _FitScene(view)
        self.reset_camera()
        if self.layer is None:
            return
        self._scene.set_problem(self.source, self.target, self._links)
        if self.learned_matrix is not None:
            W, b = affine.to_linear(self.learned_matrix)
            self._scene.show_prediction(self.source @ W.T + b)

    # --- API ---------------------------------------------------------------------------------
    def set_problem(self, dataset, true_matrix: np.ndarray | None, layer: str | None) -> None:
        """The data (x_train → y_train, both (n, 3)), the hidden 4×4 matrix if known, and the
        id of the dense node whose weights to read. Anything else shows a short message."""
        self.learned_matrix = None
        x = None if dataset is None else np.asarray(dataset.x_train, dtype=float)
        y = None if dataset is None else np.asarray(dataset.y_train, dtype=float)
        fits = (layer is not None and x is not None and x.ndim == 2 and x.shape[1] == 3
                and y.ndim == 2 and y.shape == x.shape)
        if not fits:
            self.layer = None
            self._show_message(NOT_AFFINE)
            return
        self.layer = layer
        self.true_matrix = None if true_matrix is None else np.asarray(true_matrix, dtype=float)
        if len(x) > MAX_POINTS:
            keep = np.sort(np.random.default_rng(0).choice(len(x), MAX_POINTS, replace=False))
            x, y = x[keep], y[keep]
        self.source, self.target = x, y
        self._links = np.linspace(0, len(x) - 1, min(LINKS, len(x))).astype(int)
        self.true_label.setText("unknown" if self.true_matrix is None else format_matrix(self.true_matrix))
        self.learned_label.setText("— (no weights yet)")
        self.difference_label.setText("")
        self.step_label.setText("")
        if self._scene is not None:
            self._scene.set_problem(x, y, self._links)
        self.pages.setCurrentWidget(self._content)

    _drawn: LiveState | None = None  # the live state on show

    def draw_parts(self, state: LiveState) -> list:
        """As a live view: the fit of the state's snapshot; no fit while the network is not valid."""
        return [] if state.shows_as(self._drawn) else [lambda: self._draw(state)]

    def _draw(self, state: LiveState) -> None:
        self._drawn = state
        if state.kind is Kind.INVALID and self.layer is not None:
            self._show_message(state.invalid_text + ".")
        elif state.snapshot is not None:
            self.show_snapshot(state.snapshot)

    def show_snapshot(self, snapshot) -> None:
        """Move the orange cloud to W·x + b of this snapshot's weights."""
        if self.layer is None:
            return
        W = snapshot.weights.get(f"{self.layer}.weight")
        b = snapshot.weights.get(f"{self.layer}.bias")
        if W is None or np.shape(W) != (3, 3):
            self._show_message(NOT_AFFINE)
            return
        W = np.asarray(W, dtype=float)
        b = np.zeros(3) if b is None else np.asarray(b, dtype=float).reshape(3)
        self.pages.setCurrentWidget(self._content)
        M = affine.from_linear(W, b)
        self.learned_matrix = M
        self.learned_label.setText(format_matrix(M))
        if self.true_matrix is not None:
            gap = float(np.max(np.abs(M - self.true_matrix)))
            self.difference_label.setText(f"Largest difference |learned − true|: {fmt(gap)}")
        self.step_label.setText(f"step {snapshot.step}, epoch {snapshot.epoch}")
        if self._scene is not None:
            self._scene.show_prediction(self.source @ W.T + b)

    def reset_camera(self) -> None:
        if self.panel.view is not None:
            from PySide6.QtGui import QVector3D

            self.panel.view.setCameraPosition(pos=QVector3D(0, 0, 0.3), distance=6.0, elevation=20, azimuth=35)

    def message_text(self) -> str | None:
        """The message shown instead of the view, or None when the view is shown."""
        return self.message.text() if self.pages.currentWidget() is self.message else None

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)


class _FitScene:
    """Grid, source (grey), target (blue), prediction (orange) and prediction→target links."""

    def __init__(self, view) -> None:
        from laegna_gui.ui.space3d import scene_items as si

        self.grid = si.ground_grid(size=4.0, spacing=0.5)
        view.addItem(self.grid)
        self.links = si.Segments(si.PREDICTION_HEX, width=1.2, alpha=0.55)
        self.source = si.PointCloud(color=SOURCE_HEX, size=5.0, alpha=0.55)
        # big pale-blue targets under small orange predictions: a fitted point is orange inside blue
        self.target = si.PointCloud(color=si.TARGET_HEX, size=11.0, alpha=0.55)
        # on top (no depth test): at the same spot as its target it must still show
        self.prediction = si.PointCloud(color=si.PREDICTION_HEX, size=5.5, alpha=1.0, on_top=True)
        self.axes = si.BasisArrows(faint=True)
        for thing in (self.axes, self.links, self.source, self.target, self.prediction):
            thing.add_to(view)
        self._links = np.zeros(0, dtype=int)
        self._target = np.zeros((0, 3))

    def set_problem(self, x: np.ndarray, y: np.ndarray, links: np.ndarray) -> None:
        self._links, self._target = links, y
        self.source.set_positions(x)
        self.target.set_positions(y)
        self.prediction.set_positions(x)
        self.prediction.setVisible(False)
        self.links.setVisible(False)

    def show_prediction(self, prediction: np.ndarray) -> None:
        self.prediction.set_positions(prediction)
        self.links.set_segments(prediction[self._links], self._target[self._links])
        self.prediction.setVisible(True)
        self.links.setVisible(True)
