"""One optimizer iteration taken apart for one layer: W before, the gradient, the update, W after."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from laegna_gui.engine.snapshot import Snapshot, StepReport
from laegna_gui.ui import style
from laegna_gui.ui.training.views.heatmap import MatrixPlot, TitleLabel
from laegna_gui.ui.training.views.plotting import VIEW_HEIGHT, VIEW_WIDTH

WIDE = 380  # narrower than this, the four panels go in two rows of two
HINT = "Press Step to run one iteration and see exactly what it changed"
PANELS = (  # title, which part of the report, tooltip
    ("W before", "weights_before", "The layer's weights before the step (rows = neurons, columns = inputs)."),
    ("∂L/∂W", "gradients", "The gradient: how fast the loss on this batch rises as each weight grows; "
                           "it points uphill."),
    ("update applied", "updates", "What the optimizer added to each weight: a small step downhill — "
                                   "exactly −lr·∂L/∂W for plain SGD; momentum and Adam reshape it."),
    ("W after", "weights_after", "The weights after the step: W before plus the update."),
)
TIPS = {
    "layer": "Which dense layer to take apart; selecting a dense layer on the canvas picks it too.",
    "loss": "The loss on the mini-batch this step trained on, measured before and after the update.",
    "plots": "Each panel has its own colour scale (± the number under its title): orange negative, "
             "blue positive. Hover a cell for its exact value.",
}


def dense_names(report: StepReport) -> list[str]:
    """The dense layers in the report, in graph order."""
    return [name.removesuffix(".weight") for name, value in report.weights_before.items()
            if name.endswith(".weight") and np.ndim(value) == 2]


def loss_line(report: StepReport) -> str:
    points = "point" if report.batch_size == 1 else "points"
    line = (f"loss on this batch: {report.loss_before:.4f} → {report.loss_after:.4f} "
            f"(batch of {report.batch_size} {points})")
    if report.clipped:
        line += f" · gradient norm {report.gradient_norm:.3g} was clipped"
    return line


class StepView(QWidget):
    """`show_snapshot(snapshot)` keeps the latest step report; `set_layer(node_id | None)` picks
    the layer (None: the first dense layer)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepView")
        self.report: StepReport | None = None
        self.layer: str | None = None
        self._wanted: str | None = None
        self._build()
        self.layer_combo.activated.connect(lambda _i: self.set_layer(self.layer_combo.currentData()))

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: made for a dock about 300 px tall
        return QSize(VIEW_WIDTH, VIEW_HEIGHT)

    def _build(self) -> None:
        self.hint = QLabel(HINT, objectName="stepHint", alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        self.layer_combo = QComboBox(objectName="stepLayer", toolTip=TIPS["layer"])
        self.loss = QLabel(objectName="stepLoss", toolTip=TIPS["loss"])
        self.loss.setWordWrap(True)
        self.loss.setStyleSheet(f"color: {style.TEXT.name()}; padding: 0 4px;")
        self.step_label = QLabel(objectName="stepNumber")
        self.step_label.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
        self._build_canvas()
        self.pages = QStackedWidget(objectName="stepPages")
        self.pages.addWidget(self.hint)
        self.pages.addWidget(self._content())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

    def _build_canvas(self) -> None:
        self.canvas = pg.GraphicsLayoutWidget()
        self.canvas.setObjectName("stepPlots")
        self.canvas.setToolTip(TIPS["plots"])
        self.canvas.setBackground(style.CANVAS_BACKGROUND)
        self.canvas.ci.setContentsMargins(2, 2, 2, 2)
        self.titles: list[pg.LabelItem] = []
        self.plots: list[MatrixPlot] = []
        for title, _, tip in PANELS:
            label = TitleLabel(title, size="8pt", color=style.TEXT.name())
            label.setToolTip(tip)
            self.titles.append(label)
            self.plots.append(MatrixPlot())
        self.columns = 0
        self._arrange(4)

    def _content(self) -> QWidget:
        """The layer picker and step number, the four panels, the loss line."""
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        top.addWidget(QLabel("Layer:"))
        top.addWidget(self.layer_combo)
        top.addStretch(1)
        top.addWidget(self.step_label)
        content = QWidget(objectName="stepContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.loss)
        return content

    # --- public --------------------------------------------------------------
    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Snapshots without a step report (free running) leave the last report on show."""
        if snapshot.report is None:
            return
        self.report = snapshot.report
        self._fill_layers()
        self._draw()

    def set_layer(self, node_id: str | None) -> None:
        """Show `node_id` if it is a dense layer; None goes back to the first dense layer.
        Anything else (an activation, say) keeps the layer on show."""
        layers = dense_names(self.report) if self.report else []
        if node_id is None or node_id in layers or not layers:
            self._wanted = node_id
        if self.report is not None:
            self._fill_layers()
            self._draw()

    def clear(self) -> None:
        self.report = None
        self.pages.setCurrentWidget(self.hint)

    # --- layout --------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 — Qt override
        super().resizeEvent(event)
        self._arrange(4 if event.size().width() >= WIDE else 2)

    def _arrange(self, columns: int) -> None:
        """Four panels side by side, or two rows of two when the dock is narrow."""
        if columns == self.columns:
            return
        grid = self.canvas.ci
        for label, plot in zip(self.titles, self.plots):
            if label in grid.items:
                grid.removeItem(label)
                grid.removeItem(plot.view)
        for i, (label, plot) in enumerate(zip(self.titles, self.plots)):
            row, col = 2 * (i // columns), i % columns
            grid.addItem(label, row=row, col=col)
            grid.addItem(plot.view, row=row + 1, col=col)
            grid.layout.setColumnStretchFactor(col, 1)
        self.columns = columns

    # --- drawing -------------------------------------------------------------
    def _fill_layers(self) -> None:
        layers = dense_names(self.report)
        self.layer = self._wanted if self._wanted in layers else (layers[0] if layers else None)
        if [self.layer_combo.itemData(i) for i in range(self.layer_combo.count())] != layers:
            self.layer_combo.clear()
            for name in layers:
                self.layer_combo.addItem(name, name)
        self.layer_combo.setCurrentIndex(layers.index(self.layer) if self.layer else -1)

    def _draw(self) -> None:
        if self.layer is None:
            self.pages.setCurrentWidget(self.hint)
            return
        self.pages.setCurrentIndex(1)
        name = f"{self.layer}.weight"
        before = self.report.weights_before[name]
        for plot, label, (title, part, _) in zip(self.plots, self.titles, PANELS):
            matrix = getattr(self.report, part).get(name)
            matrix = np.zeros_like(before) if matrix is None else matrix
            plot.set_matrix(matrix)
            label.setText(f"{title}<br><span style='color:{style.MUTED_TEXT.name()}; font-size:7pt'>"
                          f"±{plot.scale:.2g}</span>")
        self.loss.setText(loss_line(self.report))
        self.step_label.setText(f"after step {self.report.step}")
