"""The Step view's matrix: W with its bias column b beside it, on one colour scale. A small
matrix gets small cells with its numbers printed in them, not a panel-wide stretch of two
cells; every value is there at full precision under the mouse."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QFontMetricsF

from laegna_gui.ui.look import style
from laegna_gui.ui.look.colour_scale import diverging_lut
from laegna_gui.ui.training.views.heatmap import (
    CELL_PADDING,
    MIN_CELL_HEIGHT,
    HeatmapImage,
    MatrixPlot,
    as_matrix,
    compact,
)
from laegna_gui.ui.training.views.plotting import symmetric_scale

CELL_WIDTH, CELL_HEIGHT = 46, 24  # a small matrix's cells: room for "-0.07" and a margin
GAP = 0.25  # of a column, between W and b
UNLIMITED = 1e6


def bias_name(row: int, _col: int) -> str:
    return f"bias of neuron {row + 1}"


class StepMatrix(MatrixPlot):
    """`set_matrix(W, scale=None, bias=None)`: W (`image`) and b (`bias_image`) in one ViewBox."""

    def __init__(self) -> None:
        self.bias_image = HeatmapImage(axisOrder="row-major", describe=bias_name)
        self._bias_texts: list[pg.TextItem] = []
        super().__init__()
        self.view.addItem(self.bias_image)
        self.bias_image.setVisible(False)

    def set_matrix(self, values: np.ndarray, scale: float | None = None, bias: np.ndarray | None = None) -> None:
        matrix = as_matrix(values)
        column = None if bias is None else np.asarray(bias).reshape(-1, 1)
        scale = scale or symmetric_scale(matrix, *([] if column is None else [column]))
        super().set_matrix(matrix, scale)
        self._set_bias(column, matrix.shape)
        rows, width = matrix.shape[0], self.columns
        self.view.setRange(xRange=(0, width), yRange=(0, rows), padding=0)
        small = max(matrix.shape) <= self.numbers_up_to
        self.view.setMaximumSize(QSizeF(width * CELL_WIDTH, rows * CELL_HEIGHT) if small
                                 else QSizeF(UNLIMITED, UNLIMITED))
        self._fit_numbers()

    @property
    def columns(self) -> float:
        """How many columns wide the picture is (W's, and b's beside it)."""
        cols = 0 if self.image.image is None else self.image.image.shape[1]
        return cols + (GAP + 1 if self.bias_image.isVisible() else 0)

    def _set_bias(self, column: np.ndarray | None, shape: tuple[int, ...]) -> None:
        self.bias_image.setVisible(column is not None)
        for text in self._bias_texts:
            text.setVisible(False)
        if column is None:
            return
        self.bias_image.setImage(column, levels=(-self.scale, self.scale), lut=diverging_lut())
        self.bias_image.setRect(shape[1] + GAP, 0, 1, shape[0])
        if max(shape) > self.numbers_up_to:
            return
        while len(self._bias_texts) < len(column):
            text = pg.TextItem(anchor=(0.5, 0.5))
            text.setFont(self._font)
            self.view.addItem(text)
            self._bias_texts.append(text)
        for i, (text, value) in enumerate(zip(self._bias_texts, column.ravel())):
            strong = np.isfinite(value) and abs(value) > 0.55 * self.scale
            text.setText(compact(value), color="w" if strong else style.DATA_INK)
            text.setPos(shape[1] + GAP + 0.5, i + 0.5)

    def _fit_numbers(self) -> None:
        """Print the numbers only where they fit inside their cells (W's and b's alike)."""
        texts = self._texts + [t for t in self._bias_texts[:self._bias_rows()]]
        if not texts or self.image.image is None:
            return
        rect = self.view.boundingRect()
        metrics = QFontMetricsF(self._font)
        widest = max(metrics.horizontalAdvance(t.toPlainText()) for t in texts) + CELL_PADDING
        fits = rect.width() / self.columns >= widest and rect.height() / self.image.image.shape[0] >= MIN_CELL_HEIGHT
        for text in texts:
            text.setVisible(fits)

    def _bias_rows(self) -> int:
        image = self.bias_image.image
        shown = self.bias_image.isVisible() and image is not None and max(self.image.image.shape) <= self.numbers_up_to
        return len(image) if shown else 0

    def bias_numbers(self) -> list[str]:
        """The numbers printed in b's cells (empty without a bias, or for a big matrix)."""
        return [text.toPlainText() for text in self._bias_texts[:self._bias_rows()]]
