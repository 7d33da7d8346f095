"""One optimizer iteration taken apart for one layer: W before, the gradient, the update, W after,
each with the bias column beside it; "Check with finite differences" puts the numerical slope
of each weight beside ∂L/∂W (slope_check_panel.py).

As a live view it shows the last Step of the current network, says so when training has run
on since, and says when there is none (no step yet in this network, no valid network)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from laegna_gui.engine.snapshot import Snapshot, StepReport
from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.training.live_state import Kind, LiveState, Part
from laegna_gui.ui.training.views.heatmap import TitleLabel
from laegna_gui.ui.training.views.slope_check_panel import SlopeCheckPanel
from laegna_gui.ui.training.views.step_matrix import StepMatrix
from laegna_gui.ui.training.views.plotting import VIEW_HEIGHT, VIEW_WIDTH

WIDE = 380  # narrower than this, the panels go in two rows (four: two by two)
HINT = "Press Step to run one iteration and see exactly what it changed"
NO_STEP = "No step taken in this network yet. " + HINT + "."
MOVED_ON = "after step {step:,} — training has run on since"
MOVED_ON_TIP = "These panels show step {step:,}; training has run on since. Press Step to take the latest one apart."
PANELS = (  # title, which part of the report, tooltip
    ("W before", "weights_before", "The layer's weights before the step (rows = neurons, columns = inputs), "
                                   "and its biases b in the column on the right."),
    ("∂L/∂W", "gradients", "The gradient: how fast the loss on this batch rises as each weight grows; "
                           "it points uphill."),
    ("update applied", "updates", "What the optimizer added to each weight: a small step downhill — "
                                   "exactly −lr·∂L/∂W for plain SGD; momentum and Adam reshape it."),
    ("W after", "weights_after", "The weights after the step: W before plus the update."),
)
TIPS = {
    "layer": "Which dense layer to take apart; selecting a dense layer on the canvas picks it too.",
    "loss": "The loss on the mini-batch this step trained on, measured before and after the update.",
    "plots": "Each panel shows W and, on its right, the bias column b, on its own colour scale (± the "
             "number under its title): orange negative, blue positive. Hover a cell for its exact value.",
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
    if report.nudge_kept is not None:
        line += " · random search uses no gradients: " + ("its nudge lowered the loss and was kept"
                                                          if report.nudge_kept else
                                                          "its nudge did not lower the loss and was undone")
    return line


class StepView(QWidget):
    """`show_snapshot(snapshot)` shows a snapshot's step report; `draw_parts(state)` the state's
    (the current network's last one); `set_layer(node_id | None)` picks the layer (None: the
    first dense layer)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepView")
        self.report: StepReport | None = None
        self.layer: str | None = None
        self._wanted: str | None = None
        self._drawn: tuple | None = None  # (generation, report, moved on, hint) of the state on show
        self._build()
        self.layer_combo.activated.connect(lambda _i: self.set_layer(self.layer_combo.currentData()))

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: made for a dock about 300 px tall
        return QSize(VIEW_WIDTH, VIEW_HEIGHT)

    def _build(self) -> None:
        self.hint = QLabel(HINT, objectName="stepHint", alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        style.set_role(self.hint, "muted")
        self.layer_combo = QComboBox(objectName="stepLayer", toolTip=TIPS["layer"])
        self.loss = QLabel(objectName="stepLoss", toolTip=TIPS["loss"])
        self.loss.setWordWrap(True)
        self.loss.setContentsMargins(4, 0, 4, 0)
        self.step_label = QLabel(objectName="stepNumber")
        style.set_role(self.step_label, "muted")
        self.slopes = SlopeCheckPanel(self)
        self.slopes.changed.connect(self._arrange)
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
        theme_plot(self.canvas)
        self.canvas.ci.setContentsMargins(2, 2, 2, 2)
        self.titles: list[pg.LabelItem] = []
        self.plots: list[StepMatrix] = []
        for title, _, tip in PANELS:
            label = TitleLabel(title, size="8pt", color=style.TEXT.name())
            label.setToolTip(tip)
            self.titles.append(label)
            self.plots.append(StepMatrix())
        self.columns = 0
        self._wide = True
        self._arranged: tuple[int, int] | None = None  # (columns, panels) as laid out
        self._arrange()

    def _content(self) -> QWidget:
        """The layer picker and step number, the panels, the loss line with the check's button,
        and the check's result."""
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
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 4, 0)
        bottom.addWidget(self.loss, 1)
        bottom.addWidget(self.slopes.button)
        layout.addLayout(bottom)
        layout.addWidget(self.slopes.result)
        return content

    # --- public --------------------------------------------------------------
    def draw_parts(self, state: LiveState) -> list[Part]:
        report = state.report if state.valid else None
        moved_on = report is not None and state.snapshot is not None and state.snapshot.step > report.step
        hint = state.invalid_text + "." if state.kind is Kind.INVALID else NO_STEP
        drawn = (state.generation, report, moved_on, hint)
        if self._drawn is not None and self._drawn[0] == drawn[0] and self._drawn[1] is report \
                and self._drawn[2:] == drawn[2:]:
            return []
        return [lambda: self._show_state(drawn)]

    def _show_state(self, drawn: tuple) -> None:
        self._drawn = drawn
        _, report, moved_on, hint = drawn
        if report is None:
            self.clear(hint)
            return
        if report is not self.report:
            self.report = report
            self._fill_layers()
            self._draw()
        self.step_label.setText(MOVED_ON.format(step=report.step) if moved_on else f"after step {report.step:,}")
        self.step_label.setToolTip(MOVED_ON_TIP.format(step=report.step) if moved_on else "")

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

    def clear(self, hint: str = HINT) -> None:
        """No step to show: `hint` says why."""
        self.report = None
        self.slopes.follow(None, None)
        self.hint.setText(hint)
        self.pages.setCurrentWidget(self.hint)

    # --- layout --------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 — Qt override
        super().resizeEvent(event)
        self._wide = event.size().width() >= WIDE
        self._arrange()

    def _panels(self) -> list[tuple[TitleLabel, StepMatrix]]:
        """The panels on show: the four, and the numerical slopes beside ∂L/∂W after a check."""
        panels = list(zip(self.titles, self.plots))
        if self.slopes.shown:
            panels.insert(2, (self.slopes.title, self.slopes.plot))
        return panels

    def _arrange(self) -> None:
        """The panels side by side, or in two rows when the dock is narrow."""
        panels = self._panels()
        columns = len(panels) if self._wide else math.ceil(len(panels) / 2)
        if (columns, len(panels)) == self._arranged:
            return
        grid = self.canvas.ci
        for label, plot in [*zip(self.titles, self.plots), (self.slopes.title, self.slopes.plot)]:
            if label in grid.items:
                grid.removeItem(label)
                grid.removeItem(plot.view)
        for col in range(grid.layout.columnCount()):
            grid.layout.setColumnStretchFactor(col, 0)  # a column left empty takes no room
        for i, (label, plot) in enumerate(panels):
            row, col = 2 * (i // columns), i % columns
            grid.addItem(label, row=row, col=col)
            grid.addItem(plot.view, row=row + 1, col=col)
            # a small matrix keeps small cells, under the middle of its title
            grid.layout.setAlignment(plot.view, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            grid.layout.setColumnStretchFactor(col, 1)
        self.columns, self._arranged = columns, (columns, len(panels))
        theme_plot(self.canvas)  # a panel that was away missed any change of theme

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
        self.slopes.follow(self.report, self.layer)
        if self.layer is None:
            self.pages.setCurrentWidget(self.hint)
            return
        self.pages.setCurrentIndex(1)
        for plot, label, (title, part, _) in zip(self.plots, self.titles, PANELS):
            plot.set_matrix(*self._panel(getattr(self.report, part)))
            label.setText(f"{title}<br><span style='font-size:7pt'>"
                          f"±{plot.scale:.2g}</span>")
        self.loss.setText(loss_line(self.report))
        self.step_label.setText(f"after step {self.report.step:,}")

    def _panel(self, part: dict[str, np.ndarray]) -> tuple[np.ndarray, None, np.ndarray | None]:
        """The layer's W and b in one part of the report (zeros where the part has none)."""
        weight, bias = f"{self.layer}.weight", f"{self.layer}.bias"
        before = self.report.weights_before
        w = part.get(weight, np.zeros_like(before[weight]))
        b = part.get(bias, np.zeros_like(before[bias])) if bias in before else None
        return w, None, b
