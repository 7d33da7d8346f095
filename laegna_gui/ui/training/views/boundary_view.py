"""The decision boundary: the network's answer over the whole input plane, with the data on top.

For 1-D data it shows the fitted curve through the points instead; for data with more
than two inputs there is no plane to draw, and it says so. While the mouse is on a neuron
of the canvas (`show_neuron`), the plane shows that neuron's output instead (neuron_zoom.py).

The picture is the data colours faded towards the theme's ground (colour_scale.backdrop):
pale in the light theme, dark in the dark one; a theme switch repaints it and the points'
outlines and rings, whose colours come from the theme too. `highlight(cell)` rings the points
of a confusion matrix cell (core.confusion.Cell), again with each snapshot's answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from laegna_gui.core.confusion import Cell, members
from laegna_gui.core.datasets import Dataset
from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme import signals as theme_signals
from laegna_gui.ui.training.live_state import Kind, LiveState, Part, number_text
from laegna_gui.ui.training.views.boundary_picture import answer_picture
from laegna_gui.ui.training.views.boundary_points import DataPoints, with_alpha
from laegna_gui.ui.training.views.growing_plot import follow_plot, plot_range
from laegna_gui.ui.training.views.neuron_zoom import Neuron, caption, neuron_picture
from laegna_gui.ui.training.views.plotting import VIEW_HEIGHT, VIEW_WIDTH, label_style, style_plot

if TYPE_CHECKING:
    from laegna_gui.core.graph import Graph

NO_PLANE = "No input plane for {n}-D data — see the loss curves"
DRAWING = "Drawing this moment from its saved weights…"
NO_PICTURE = "This moment could not be drawn from its saved weights — Live shows now"
CAPTION_ALPHA = 215  # the caption's box: the plot's background over the picture, a little see-through
TIPS = {
    "plot": "The decision boundary: the network's answer at every point of the input plane — blue where "
            "it says class 1, orange where it says class 0; the boundary is where the colours meet.",
    "curve": "The network's output for every input x (the line) against the data (the dots): "
             "training bends the line until it runs through the points.",
    "test": "Show the held-back test points as rings: the network never trains on them, so they show "
            "how well it does on data it has not seen.",
    "discretize": "Paint only the class the network would answer at each point, instead of fading "
                  "with how sure it is.",
}


class BoundaryView(QWidget):
    """`set_data(dataset)` when the data changes; as a live view (`draw_parts`) it follows
    each snapshot (`show_snapshot`), and says so when there is no valid network.
    `show_neuron((node id, unit))` shows that neuron's map until `show_neuron(None)`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boundaryView")
        self.data: Dataset | None = None
        self.snapshot: Snapshot | None = None
        self._extent: tuple[float, ...] | None = None
        self.invalid: str | None = None  # the text shown instead of the picture
        self.graph: Graph | None = None  # the network the snapshots come from: names its neurons
        self.neuron: Neuron | None = None  # the canvas's neuron under the mouse
        self.cell: Cell | None = None  # the confusion matrix cell whose points are ringed
        self._generation = -1  # of the live network on show
        self._build()
        self.show_test.toggled.connect(self._show_test)
        self.discretize.toggled.connect(lambda _on: self._draw())
        theme_signals().theme_changed.connect(self._theme_changed)  # a method: Qt disconnects it with us

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: made for a dock about 300 px tall
        return QSize(VIEW_WIDTH, VIEW_HEIGHT)

    def _build(self) -> None:
        self.plot = style_plot(follow_plot(steps=False), "boundaryPlot", TIPS["plot"])
        self.image = pg.ImageItem(axisOrder="row-major")
        self.curve = pg.PlotDataItem(pen=pg.mkPen(style.NEGATIVE, width=3), antialias=True)
        self.points = DataPoints()
        self.train_points, self.test_points = self.points.train, self.points.test
        for item in (self.image, self.curve, self.train_points, self.test_points, self.points.highlights):
            self.plot.addItem(item)
        self.image.setZValue(-10)
        self.curve.setZValue(10)  # the fit runs over the dots it is fitting
        # says so when a diverging network's answer runs off the plot (its range keeps to the data)
        self.off_chart = pg.TextItem(color=style.ERROR, anchor=(0, 0))
        self.off_chart.setParentItem(self.plot.getPlotItem().vb)  # fixed in the corner, whatever the range
        self.off_chart.setPos(6, 4)
        self.off_chart.setVisible(False)
        self.caption = pg.TextItem(anchor=(0, 0))  # names the neuron shown instead of the output
        self.caption.setFont(QFont(self.font().family(), 9))
        self.caption.setParentItem(self.plot.getPlotItem().vb)
        self.caption.setPos(4, 4)
        self.caption.setVisible(False)
        self._theme_caption()
        self.message = QLabel(NO_PLANE.format(n=3), objectName="boundaryMessage",
                              alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        style.set_role(self.message, "canvas-muted")
        self.pages = QStackedWidget(objectName="boundaryPages")
        self.pages.addWidget(self.plot)
        self.pages.addWidget(self.message)
        self.show_test = QCheckBox("Show test data", objectName="showTestData", toolTip=TIPS["test"])
        self.discretize = QCheckBox("Discretize output", objectName="discretize", toolTip=TIPS["discretize"])
        options = QHBoxLayout()
        options.setContentsMargins(4, 0, 4, 0)
        options.addWidget(self.show_test)
        options.addWidget(self.discretize)
        options.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.pages, 1)
        layout.addLayout(options)

    # --- data ----------------------------------------------------------------
    def set_data(self, data: Dataset | None) -> None:
        """New data: new dots. The old picture goes until the next snapshot draws the new one."""
        self.data, self.snapshot, self._extent, self.invalid, self.neuron = data, None, None, None, None
        self.cell = None
        self.image.setVisible(False)
        self.curve.setVisible(False)
        self.off_chart.setVisible(False)
        self.caption.setVisible(False)
        n_inputs = 0 if data is None else data.x_train.shape[1]
        self._set_mode("plane" if n_inputs == 2 else "curve" if n_inputs == 1 else "none")
        self.points.set_data(data)
        if data is not None:
            self.plot.enableAutoRange()
            self._follow_curve()

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        vb = self.plot.getPlotItem().vb
        if mode == "curve":
            vb.forget_range()
        else:  # the plane shows the probes' extent, once known
            vb.follow_items()
        self.pages.setCurrentWidget(self.message if mode == "none" else self.plot)
        self.plot.setAspectLocked(mode == "plane")
        self.plot.setToolTip(TIPS["curve" if mode == "curve" else "plot"])
        self.plot.setLabel("bottom", "x" if mode == "curve" else "x1", **label_style())
        self.plot.setLabel("left", "y" if mode == "curve" else "x2", **label_style())
        self.discretize.setVisible(mode == "plane" and self._classifies)
        self.show_test.setVisible(mode != "none")
        if self.data is not None and mode == "none":
            self.message.setText(NO_PLANE.format(n=self.data.x_train.shape[1]))

    def _show_test(self, on: bool) -> None:
        self.test_points.setVisible(on)
        self._follow_curve()

    def _follow_curve(self) -> None:
        """A 1-D plot's range follows the dots and the fitted curve in steps: the curve moves on
        every snapshot, the range only when the curve leaves it; a diverging network's absurd
        outputs are left out of it."""
        if self.mode != "curve":
            return
        shown = [item for item in (self.train_points, self.test_points, self.curve) if item.isVisible()]
        xs, ys = zip(*(item.getData() for item in shown))
        dots = self.train_points.getData()[1]  # the curve's 200 values must not outvote the data
        self.plot.getPlotItem().vb.follow_data(plot_range(*xs), plot_range(*ys, bulk=(dots,)))

    @property
    def _classifies(self) -> bool:
        return self.data is None or self.data.task == "classification"

    # --- snapshots -----------------------------------------------------------
    def draw_parts(self, state: LiveState) -> list[Part]:
        if state.kind is Kind.INVALID:
            text = state.invalid_text + ". The picture comes back when the network is valid again."
            return [] if self.invalid == text else [lambda: self.show_invalid(text)]
        if state.snapshot is None:  # a new network's first numbers are on their way
            return [self.clear_picture] if self.snapshot is not None or self.invalid else []
        if state.moment is not None and state.snapshot.probes is None:  # a moment reopened from a file
            text = DRAWING if state.drawing else NO_PICTURE
            return [] if self.snapshot is None and self.caption.isVisible() and self.caption.toPlainText() == text \
                else [lambda: self._show_no_picture(text)]
        return [] if state.snapshot is self.snapshot else [lambda: self._show_live(state)]

    def _show_no_picture(self, text: str) -> None:
        """A recorded moment whose picture was not saved (only its weights were), while it is
        drawn from them or when it could not be: the data, and a caption (`text`) that says so,
        rather than the picture of another moment."""
        self.clear_picture()
        self.caption.setText(text)
        self.caption.setVisible(True)

    def _show_live(self, state: LiveState) -> None:
        """The latest snapshot; a neuron hovered in another network (or before a reset) is forgotten."""
        if state.generation != self._generation:
            self.neuron, self.cell, self._generation = None, None, state.generation
        self.show_snapshot(state.snapshot, state.graph)

    def show_invalid(self, text: str) -> None:
        """No picture, only `text` (why there is no network to draw)."""
        self.clear_picture()
        self.invalid = text
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)

    def clear_picture(self) -> None:
        """The data without the network's answer (none yet, or not valid)."""
        self.snapshot, self.neuron, self.cell = None, None, None
        self._show_highlight()
        self.image.setVisible(False)
        self.curve.setVisible(False)
        self.off_chart.setVisible(False)
        self.caption.setVisible(False)
        if self.invalid is not None:
            self.invalid = None
            self._set_mode(self.mode)

    def show_snapshot(self, snapshot: Snapshot, graph: Graph | None = None) -> None:
        """Draw the network's answer in `snapshot` (of `graph`, if given: it names the neurons)."""
        if snapshot.probes is None:
            return
        if self.invalid is not None:
            self.invalid = None
            self._set_mode(self.mode)
        self.snapshot = snapshot
        self.graph = graph or self.graph
        probes = snapshot.probes
        mode = "plane" if probes.boundary is not None else "curve" if probes.curve_x is not None else "none"
        if mode != self.mode:
            self._set_mode(mode)
        self._show_highlight()  # the cell's points may have changed with the answers
        self._draw()

    def _draw(self) -> None:
        if self.snapshot is None or self.mode == "none":
            return
        probes = self.snapshot.probes
        if self.mode == "curve":
            values = np.asarray(probes.curve_y).reshape(len(probes.curve_x), -1)[:, 0]
            self.curve.setData(probes.curve_x, values)
            self.curve.setVisible(True)
            self._follow_curve()
            self._note_off_chart(values)
            return
        picture = neuron_picture(probes, self.neuron, self.graph)
        self.caption.setVisible(picture is not None)
        if picture is None:
            discrete = self.discretize.isChecked()
            picture = answer_picture(np.asarray(probes.boundary), self._classifies, discrete)
        else:
            self.caption.setText(caption(self.graph, self.neuron))
        self.image.setImage(picture.image, levels=picture.levels, lut=picture.lut)
        x0, x1, y0, y1 = probes.extent
        self.image.setRect(x0, y0, x1 - x0, y1 - y0)  # after setImage: the scale depends on its size
        if probes.extent != self._extent:
            self._extent = probes.extent
            self.plot.disableAutoRange()
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        self.image.setVisible(True)

    def _note_off_chart(self, values: np.ndarray) -> None:
        """Say so when the fitted curve leaves the plot: the range keeps to the data, so the
        absurd outputs of a diverging network would otherwise simply be missing."""
        y0, y1 = self.plot.getPlotItem().vb.viewRange()[1]
        finite = values[np.isfinite(values)]
        off = finite.size < values.size or bool(((finite < y0) | (finite > y1)).any())
        if off:
            peak = float(np.abs(finite).max()) if finite.size else np.inf
            self.off_chart.setText(f"The fitted curve runs off the chart (it reaches {number_text(peak, 2)})")
        self.off_chart.setVisible(off)

    # --- the points of a confusion matrix cell ----------------------------------------
    def highlight(self, cell: Cell | None) -> None:
        """Ring the points of `cell` (of its split, true class and answer); None: no rings."""
        self.cell = cell
        self._show_highlight()

    def _show_highlight(self) -> None:
        answers = labels = None
        if self.cell is not None and self.snapshot is not None and self.data is not None:
            answers = getattr(self.snapshot.metrics, f"{self.cell.split}_answers")
            labels = getattr(self.data, f"y_{self.cell.split}")
        if answers is None or len(answers) != len(labels):
            self.points.highlight("train", np.zeros(0, dtype=np.intp))
            return
        self.points.highlight(self.cell.split, members(labels, answers, self.cell.true, self.cell.answer))

    # --- one neuron, large ------------------------------------------------------
    def show_neuron(self, neuron: Neuron | None) -> None:
        """Show the map of `neuron` (node id, unit) instead of the output while the mouse is on
        it in the canvas (None: the output again). Data without such maps (1-D) keeps the output."""
        self.neuron = neuron
        if self.snapshot is not None and self.mode == "plane":
            self._draw()

    # --- theme -----------------------------------------------------------------
    def _theme_changed(self, _name: str) -> None:
        """The backdrop, the points' outlines and rings, and the caption in the new theme."""
        self.points.paint()
        self._theme_caption()
        self._draw()

    def _theme_caption(self) -> None:
        theme = style.current()
        self.caption.setColor(theme.text)
        self.caption.fill = pg.mkBrush(with_alpha(theme.canvas_background, CAPTION_ALPHA))
        self.caption.update()
