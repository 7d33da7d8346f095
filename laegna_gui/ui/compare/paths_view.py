"""Every run's path on one loss landscape (engine/compare_landscape.py): the training loss over
the plane through the shared start, log scale, blue low and orange high (the app's loss scale,
faded towards the theme's ground as a background is), a few contour lines, and each run's
path as a line with dots in its colour from the loss curves (loss_curves.run_colour).

The shared start is a white square. Each end is a ring in the run's colour filled with the
colour of the loss the run ended with: where the fill matches the map around it, the run
ended on the plane (with two runs both do); where it does not, it ended off it. The note
under the plot names the runs left out and how far the paths stray off the plane."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from laegna_gui.engine.compare import Race
from laegna_gui.engine.compare_landscape import LossScale, RaceLandscape, end_losses, notes_text
from laegna_gui.ui.compare.loss_curves import run_colour
from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import backdrop, ground, loss_colors
from laegna_gui.ui.look.style import Theme
from laegna_gui.ui.look.theme import signals as theme_signals
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.training.views.plotting import label_style

HINT_WIDTH, HINT_HEIGHT = 460, 360  # px: beside the loss curves, as tall as they are
CONTOURS = 6  # lines of equal loss, evenly spaced on the log scale
SMOOTH = 4  # the grid drawn this many times finer, interpolated between measured losses
LUT_SIZE = 256
TIP = ("The training loss over the plane through the shared start that best holds where the runs "
       "ended; each run's path is projected onto it. The white square is the start; each ring is "
       "where a run ended, filled with the loss it reached (the same colour as the map around it "
       "when it ended on the plane). Both axes are distances in weight space.")
LEGEND_WIDTH = 400  # px the legend's rows may take under the plot
LEGEND_ROWS = 2  # rows the legend may take; more runs are named by the loss curves' legend only
MIN_PLOT_HEIGHT = 220  # px: the window scrolls rather than squash the landscape
SAME_COLOURS = "The paths have the colours of the loss curves."
LEGEND_ENTRY, LEGEND_CHAR = 34, 6.5  # px of a legend entry's sample and of a character of its label (8 pt)
NO_PATHS = "This race kept no paths to draw on a landscape."


class PathsView(QWidget):
    """Made once per race. `path_items[i]` draws run `landscape.runs[i]`; `end_items[i]` is its end."""

    def __init__(self, race: Race, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparePaths")
        self.race, self.land = race, race.landscape
        self.plot = pg.GraphicsLayoutWidget()
        self.plot.setObjectName("comparePathsPlot")
        self.plot.setToolTip(TIP)
        self.plot.setMinimumHeight(MIN_PLOT_HEIGHT)
        shown = self.land is not None and self.land.landscape is not None
        self.note = QLabel(notes_text(self.land, race.runs) if shown else "", objectName="comparePathsNote",
                           wordWrap=True)
        style.set_role(self.note, "muted")
        self.message = QLabel(_missing(self.land), objectName="comparePathsMessage", wordWrap=True)
        style.set_role(self.message, "muted")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.plot)
        self.pages.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.note)
        self.note.setVisible(bool(self.note.text()))
        self.path_items: list[pg.PlotDataItem] = []
        self.end_items: list[pg.ScatterPlotItem] = []
        if not shown:
            self.pages.setCurrentWidget(self.message)
            return
        self._build(self.land)
        self._paint()
        theme_signals().theme_changed.connect(self._theme_changed)  # a method: Qt disconnects it with us

    def _build(self, land: RaceLandscape) -> None:
        grid = land.landscape
        self.view = self.plot.addPlot(row=0, col=0)
        self.view.setMenuEnabled(False)
        self.view.setMouseEnabled(x=False, y=False)
        self.view.hideButtons()
        self.scale = LossScale(land, self.race.runs)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setImage(self.scale.log(_finer(grid.losses.T)), autoLevels=False)
        a, b = grid.alphas, grid.betas
        self.image.setRect(QRectF(a[0], b[0], a[-1] - a[0], b[-1] - b[0]))
        self.view.addItem(self.image)
        self.contours = [pg.IsocurveItem(self.image.image, level, axisOrder="row-major")
                         for level in np.linspace(self.scale.lo, self.scale.hi, CONTOURS + 2)[1:-1]]
        for contour in self.contours:
            contour.setParentItem(self.image)  # in the image's pixels
        self.bar = pg.ColorBarItem(values=(self.scale.lo, self.scale.hi), width=14, interactive=False,
                                   colorMapMenu=False, label="training loss")
        self.bar.setImageItem(self.image)
        self.plot.addItem(self.bar, row=0, col=1)
        self.bar.axis.setTicks([_loss_ticks(self.scale)])
        labels = [self.race.runs[i].label for i in land.runs]
        columns = _legend_columns(labels)
        self.runs_named = len(labels) + 2 <= columns * LEGEND_ROWS
        if not self.runs_named:
            columns = 2  # start and end
            self.note.setText("\n".join(filter(None, [SAME_COLOURS, self.note.text()])))
            self.note.show()
        self.legend = pg.LegendItem(colCount=columns, horSpacing=8, labelTextSize="8pt")
        self.plot.addItem(self.legend, row=1, col=0, colspan=2)
        self._paths(land)
        self.view.setRange(xRange=(a[0], a[-1]), yRange=(b[0], b[-1]), padding=0)
        for side, text in zip(("bottom", "left"), grid.labels):
            self.view.getAxis(side).enableAutoSIPrefix(False)  # "(x0.001)" would cut the label short
            self.view.setLabel(side, text, **label_style())

    def _paths(self, land: RaceLandscape) -> None:
        self.start = pg.ScatterPlotItem([0.0], [0.0], size=12, symbol="s", brush=pg.mkBrush("w"),
                                        pen=pg.mkPen(style.DATA_INK, width=1.5))
        self.view.addItem(self.start)  # under the paths: a short one stays visible on it
        self.halos = []
        for i, path in zip(land.runs, land.paths):
            colour = run_colour(i)
            halo = pg.PlotDataItem(path[:, 0], path[:, 1], antialias=True)
            line = pg.PlotDataItem(path[:, 0], path[:, 1], pen=pg.mkPen(colour, width=2.5), symbol="o",
                                   symbolSize=5, symbolBrush=colour, antialias=True)
            end = pg.ScatterPlotItem([path[-1, 0]], [path[-1, 1]], size=15, symbol="o",
                                     pen=pg.mkPen(colour, width=3.5))
            for item in (halo, line, end):
                self.view.addItem(item)
            if self.runs_named:
                self.legend.addItem(line, self.race.runs[i].label)
            self.halos.append(halo)
            self.path_items.append(line)
            self.end_items.append(end)
        self.legend.addItem(self.start, "start")
        self.end_sample = pg.ScatterPlotItem(size=12, symbol="o", brush=pg.mkBrush(0, 0, 0, 0))
        self.legend.addItem(self.end_sample, "end")

    def _paint(self) -> None:
        """What follows the theme: the faded map, the halos, the contour lines and the end fills."""
        theme = style.current()
        table = lut(theme)
        self.bar.setColorMap(pg.ColorMap(np.linspace(0.0, 1.0, LUT_SIZE), table))
        halo = QColor(*(int(c) for c in ground(theme)))
        for item in self.halos:
            item.setPen(pg.mkPen(halo, width=5.5))
        ink = QColor(theme.text)
        ink.setAlpha(70)
        for contour in self.contours:
            contour.setPen(pg.mkPen(ink, width=1))
        for end, loss in zip(self.end_items, end_losses(self.land, self.race.runs)):
            r, g, b = table[int(round(float(self.scale.unit(loss)) * (LUT_SIZE - 1)))]
            end.setBrush(pg.mkBrush(QColor(int(r), int(g), int(b))))
        self.end_sample.setPen(pg.mkPen(theme.text, width=2.5))
        theme_plot(self.plot, theme)

    def _theme_changed(self, _name: str) -> None:
        self._paint()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 — Qt override: the note wraps inside the hint, not below it
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: beside the loss curves on a laptop screen
        return QSize(HINT_WIDTH, HINT_HEIGHT)


def lut(theme: Theme) -> np.ndarray:
    """(LUT_SIZE, 3) uint8 RGB: the loss scale (blue low → orange high) as a background in `theme`."""
    colours = loss_colors(np.linspace(0.0, 1.0, LUT_SIZE))[:, :3] * 255.0
    return np.rint(backdrop(colours, theme)).astype(np.uint8)


def _finer(values: np.ndarray) -> np.ndarray:
    """`values` on a grid SMOOTH times finer, linearly interpolated along both axes."""
    rows, cols = values.shape
    r = np.linspace(0, rows - 1, (rows - 1) * SMOOTH + 1)
    c = np.linspace(0, cols - 1, (cols - 1) * SMOOTH + 1)
    across = np.array([np.interp(c, np.arange(cols), row) for row in values])
    return np.array([np.interp(r, np.arange(rows), column) for column in across.T]).T


def _legend_columns(labels: list[str]) -> int:
    """As many entries in a row (the runs, then start and end) as fit under the plot."""
    widest = max(len(text) for text in [*labels, "start"])
    return max(1, min(len(labels) + 2, int(LEGEND_WIDTH // (LEGEND_ENTRY + LEGEND_CHAR * widest))))


def _loss_ticks(scale: LossScale) -> list[tuple[float, str]]:
    """Ticks at round losses inside the scale, labelled as losses: 1, 2 and 5 times a power of
    ten, more of them on a short scale, and its ends when even those are fewer than two."""
    for mantissas in ((1, 2, 5), (1, 1.5, 2, 3, 4, 5, 7)):
        ticks = [(np.log10(m * 10.0 ** e), f"{m * 10.0 ** e:g}")
                 for e in range(int(np.floor(scale.lo)), int(np.ceil(scale.hi)) + 1) for m in mantissas]
        inside = [t for t in ticks if scale.lo <= t[0] <= scale.hi]
        if len(inside) >= 3:
            return inside
    return [(scale.lo, f"{10 ** scale.lo:.3g}"), *inside, (scale.hi, f"{10 ** scale.hi:.3g}")]


def _missing(land: RaceLandscape | None) -> str:
    if land is None:
        return NO_PATHS
    return "No landscape: " + " ".join(land.notes) if land.notes else NO_PATHS
