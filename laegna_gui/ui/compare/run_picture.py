"""One run's final answer, small: its decision boundary over the data (2-D), the curve it
fits through the data (1-D), or a sentence when the data has no plane to draw (more inputs).

Drawn as the Output view draws a snapshot (training/views/boundary_picture.py and
boundary_points.py: the theme's backdrop, the points outlined in the theme's text colour),
and repainted on a theme switch. A click emits `clicked` (the sweep opens the run)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from laegna_gui.core.datasets import Dataset
from laegna_gui.engine.run_result import RunResult, scores
from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme import signals as theme_signals
from laegna_gui.ui.training.views.boundary_picture import answer_picture
from laegna_gui.ui.training.views.boundary_points import DataPoints
from laegna_gui.ui.training.views.plotting import style_plot

NO_PLANE = "No input plane for {n}-D data: see the loss curves"
BEST_FRAME = 3  # px around the best run of a sweep


class RunPicture(QFrame):
    """`run`'s answer on `data`, titled `title` (a run's setting) over its `scores`."""

    clicked = Signal()

    def __init__(self, run: RunResult, data: Dataset, title: str, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runPicture")
        self.run, self.data = run, data
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)  # a row of them keeps to the left
        self.title = QLabel(title, objectName="runPictureTitle", alignment=Qt.AlignmentFlag.AlignCenter,
                            wordWrap=True)
        self.caption = QLabel(scores(run), objectName="runPictureScores", alignment=Qt.AlignmentFlag.AlignCenter)
        style.set_role(self.caption, "muted")
        self.plot = style_plot(pg.PlotWidget(), "runPicturePlot", f"{run.label}: {scores(run)}")
        for side in ("left", "bottom"):
            self.plot.getPlotItem().hideAxis(side)
        self.plot.getPlotItem().setContentsMargins(0, 0, 0, 0)  # the picture fills its square
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(style.NEGATIVE, width=2), antialias=True)
        self.points = DataPoints()
        for item in (self.image, self.points.train, self.curve):
            self.plot.addItem(item)
        self.message = QLabel(NO_PLANE.format(n=data.x_train.shape[1]), objectName="runPictureMessage",
                              alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        style.set_role(self.message, "muted")
        self.pages = QStackedWidget(objectName="runPicturePages")
        self.pages.addWidget(self.plot)
        self.pages.addWidget(self.message)
        self._build()
        self.set_size(size)
        self.points.set_data(data)
        self.draw()
        for part in (self.plot.viewport(), self.message, self.title, self.caption):
            part.installEventFilter(self)
        theme_signals().theme_changed.connect(self._theme_changed)  # a method: Qt disconnects it with us

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(BEST_FRAME + 1, BEST_FRAME + 1, BEST_FRAME + 1, BEST_FRAME + 1)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.caption)

    def set_size(self, size: int) -> None:
        """The picture `size` px square (a plot's own size hint is 600 px wide)."""
        for part in (self.plot, self.message, self.pages):
            part.setFixedSize(size, size)
        self.layout().invalidate()  # a layout not shown yet keeps its old size otherwise
        self.updateGeometry()

    @property
    def mode(self) -> str:
        """'plane', 'curve' or 'none': what there is to draw."""
        probes = self.run.probes
        if probes is None or (probes.boundary is None and probes.curve_x is None):
            return "none"
        return "plane" if probes.boundary is not None else "curve"

    def draw(self) -> None:
        mode, probes = self.mode, self.run.probes
        self.pages.setCurrentWidget(self.message if mode == "none" else self.plot)
        if mode == "plane":
            picture = answer_picture(np.asarray(probes.boundary), self.data.task == "classification", False)
            self.image.setImage(picture.image, levels=picture.levels, lut=picture.lut)
            x0, x1, y0, y1 = probes.extent
            self.image.setRect(x0, y0, x1 - x0, y1 - y0)
            self.plot.setAspectLocked(True)
            self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        elif mode == "curve":
            values = np.asarray(probes.curve_y).reshape(len(probes.curve_x), -1)[:, 0]
            self.curve.setData(probes.curve_x, values)
            targets = self.points.train.getData()[1]
            self.plot.setRange(xRange=probes.extent[:2], yRange=_around(targets), padding=0.05)
        self.image.setVisible(mode == "plane")
        self.curve.setVisible(mode == "curve")

    def set_best(self, best: bool) -> None:
        """A frame in the theme's highlight colour (the same in light and dark) around the best
        run, and its scores in the text colour."""
        colour = style.current().highlight.name() if best else "transparent"
        style.set_role(self.caption, None if best else "muted")
        self.setStyleSheet(f"QFrame#runPicture {{ border: {BEST_FRAME}px solid {colour}; border-radius: 4px; }}")
        self.setProperty("best", best)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """A left click anywhere on the picture or its labels (the plot would keep it to itself)."""
        if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        return False

    def _theme_changed(self, _name: str) -> None:
        self.points.paint()
        self.draw()


def _around(values: np.ndarray) -> tuple[float, float]:
    """A 1-D plot's height: the data's targets (a wild fit runs off it rather than flattening them)."""
    finite = values[np.isfinite(values)] if len(values) else values
    if not len(finite):
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    return (lo - 1.0, hi + 1.0) if hi <= lo else (lo, hi)
