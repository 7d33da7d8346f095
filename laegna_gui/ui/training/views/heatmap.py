"""A matrix drawn as a heatmap: row 0 at the top, orange negative, blue positive, 0 neutral,
with the numbers printed in the cells when the matrix is small and the cells are big enough."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import DATA_FRAME, diverging_lut
from laegna_gui.ui.training.views.plotting import symmetric_scale

NUMBER_FONT_PT = 7
CELL_PADDING = 4  # pixels a number needs around it; a cell narrower than its text hides it
MIN_CELL_HEIGHT = 13


def compact(value: float) -> str:
    """At most six characters: 12.3, 0.52, -0.07, 3e-4."""
    v = float(value)
    if not np.isfinite(v):
        return "nan" if np.isnan(v) else ("∞" if v > 0 else "-∞")
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 0.01:
        return f"{v:.2f}"
    mantissa, exponent = f"{v:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def as_matrix(values: np.ndarray) -> np.ndarray:
    """A 2-D view: a vector (a bias) becomes one column."""
    values = np.asarray(values)
    return values.reshape(-1, 1) if values.ndim == 1 else values


def cell_name(row: int, col: int) -> str:
    return f"row {row + 1}, column {col + 1}"


class HeatmapImage(pg.ImageItem):
    """An image whose tooltip names the cell under the cursor (`describe(row, col)`, 0-based)
    and its value at full precision (the cells print it rounded)."""

    def __init__(self, *args, describe=cell_name, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.describe = describe

    def hoverEvent(self, ev) -> None:  # noqa: N802 — pyqtgraph override
        super().hoverEvent(ev)
        if ev.isExit() or self.image is None:
            return
        row, col = int(ev.pos().y()), int(ev.pos().x())
        rows, cols = self.image.shape[:2]
        if 0 <= row < rows and 0 <= col < cols:
            self.setToolTip(f"{self.describe(row, col)}: {full_precision(self.image[row, col])}")


def full_precision(value) -> str:
    """Every digit the number has (the shortest text that reads back as exactly it)."""
    value = np.asarray(value)[()]
    return str(value) if isinstance(value, np.floating) else repr(float(value))


class MatrixPlot:
    """One matrix in its own ViewBox (add `view` to a GraphicsLayout)."""

    def __init__(self, numbers_up_to: int = 6) -> None:
        self.numbers_up_to = numbers_up_to
        self.view = pg.ViewBox(enableMouse=False, invertY=True, defaultPadding=0.0, enableMenu=False)
        self.view.setBorder(pg.mkPen(style.GRID))
        self.image = HeatmapImage(axisOrder="row-major")
        self.view.addItem(self.image)
        self.scale = 1.0
        self._texts: list[pg.TextItem] = []
        self._font = QFont()
        self._font.setPointSize(NUMBER_FONT_PT)
        self.view.sigResized.connect(self._fit_numbers)

    def set_matrix(self, values: np.ndarray, scale: float | None = None) -> None:
        """Show `values` (a matrix or a vector) on a scale symmetric around 0."""
        matrix = as_matrix(values)
        self.scale = scale or symmetric_scale(matrix)
        old_shape = None if self.image.image is None else self.image.image.shape
        self.image.setImage(matrix, levels=(-self.scale, self.scale), lut=diverging_lut())
        if matrix.shape != old_shape:
            self.view.setRange(xRange=(0, matrix.shape[1]), yRange=(0, matrix.shape[0]), padding=0)
            self._make_texts(matrix.shape)
        self._update_texts(matrix)

    def _make_texts(self, shape: tuple[int, ...]) -> None:
        for text in self._texts:
            self.view.removeItem(text)
        self._texts = []
        if max(shape) > self.numbers_up_to:
            return
        for i in range(shape[0]):
            for j in range(shape[1]):
                text = pg.TextItem(anchor=(0.5, 0.5))
                text.setFont(self._font)
                text.setPos(j + 0.5, i + 0.5)
                self.view.addItem(text)
                self._texts.append(text)

    def _update_texts(self, matrix: np.ndarray) -> None:
        for text, value in zip(self._texts, matrix.ravel()):
            strong = np.isfinite(value) and abs(value) > 0.55 * self.scale
            text.setText(compact(value), color="w" if strong else style.DATA_INK)  # on data colours
        self._fit_numbers()

    def _fit_numbers(self) -> None:
        """Print the numbers only where they fit inside their cells."""
        if not self._texts or self.image.image is None:
            return
        rows, cols = self.image.image.shape[:2]
        rect = self.view.boundingRect()
        metrics = QFontMetricsF(self._font)
        widest = max(metrics.horizontalAdvance(t.toPlainText()) for t in self._texts) + CELL_PADDING
        fits = rect.width() / cols >= widest and rect.height() / rows >= MIN_CELL_HEIGHT
        for text in self._texts:
            text.setVisible(fits)

    def numbers(self) -> list[str]:
        """The numbers printed in the cells, row by row (empty for a big matrix)."""
        return [text.toPlainText() for text in self._texts]

    @property
    def numbers_visible(self) -> bool:
        return bool(self._texts) and self._texts[0].isVisible()


class ScaleLegend(QWidget):
    """"−2.3 [orange → neutral → blue] +2.3": how the heatmaps' colours read as numbers."""

    def __init__(self, object_name: str, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setToolTip(tooltip)
        self.low, self.high = QLabel(), QLabel()
        ramp = QFrame()
        ramp.setFixedSize(90, 10)
        ramp.setStyleSheet(
            "background: qlineargradient(x1:0, y1:0, x2:1, y2:0, "
            f"stop:0 {style.NEGATIVE.name()}, stop:0.5 {style.NEUTRAL.name()}, stop:1 {style.POSITIVE.name()});"
            f"border: 1px solid {style.css(DATA_FRAME)};")
        self.caption = QLabel()
        for label in (self.low, self.high, self.caption):
            style.set_role(label, "muted")
        self.caption.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        for widget in (self.low, ramp, self.high):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addWidget(self.caption, 1)

    def set_scale(self, scale: float, caption: str = "") -> None:
        self.low.setText(f"−{scale:.3g}")
        self.high.setText(f"+{scale:.3g}")
        self.caption.setText(caption)


class TitleLabel(pg.LabelItem):
    """A title that does not widen its layout column: longer text overflows its cell, centred."""

    def updateMin(self) -> None:  # noqa: N802 — pyqtgraph override
        super().updateMin()
        self.setMinimumWidth(0)
        for hint in (Qt.SizeHint.MinimumSize, Qt.SizeHint.PreferredSize):
            self._sizeHint[hint] = (0, self._sizeHint[hint][1])
