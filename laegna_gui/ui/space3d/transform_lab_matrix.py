"""The transform lab's matrix editors: a grid of number cells showing part of M.

Typing applies at once (the scene and readouts follow every keystroke), but the cell
being typed into is never rewritten by the refresh its own edit causes: '2.' stays '2.'
until the user types '5', and leaving the cell shows '2.500'. Other views of the same
number (M's cell and the W or b cell beside it) are refreshed as usual.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QGridLayout, QLabel, QWidget

from laegna_gui.ui.look import style

DIGITS = 3
CELL_RANGE = 1000.0
CELL_SAMPLE = "-0.000"  # the narrowest a cell gets
CELL_PADDING = 12  # the spin box's frame, the line edit's margins and its cursor


class MatrixCell(QDoubleSpinBox):
    """One number of a matrix. A click that focuses it selects the whole number, so typing
    replaces it, as in a spreadsheet; texts such as '', '-' or '2.' are fine while typing."""

    def __init__(self, object_name: str, tip: str) -> None:
        super().__init__(objectName=object_name)
        self.setRange(-CELL_RANGE, CELL_RANGE)
        self.setDecimals(DIGITS)
        self.setSingleStep(0.1)
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.fit_text(CELL_SAMPLE)
        self.setToolTip(tip)
        self.setAccessibleName(object_name)

    def fit_text(self, text: str) -> None:
        """Never narrower than `text` needs: a number is never shown cut off."""
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(text) + CELL_PADDING)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 — Qt override
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.MouseFocusReason:
            # after the press has placed the cursor (Tab selects everything by itself)
            QTimer.singleShot(0, self.selectAll)


class MatrixGrid(QWidget):
    """Cells for rows × cols of a 4×4 matrix. `cell_edited(row, col, value)` when the user
    types; `show_matrix(M)` refreshes every cell but the one whose edit is being applied.

    `name(row, col)` names each cell; `header` (optional) labels the columns above them;
    `gap_before` leaves a little space before that column (W | b)."""

    cell_edited = Signal(int, int, float)

    def __init__(self, object_name: str, rows: int, cols: int, name: Callable[[int, int], str],
                 tip: str, header: list[tuple[str, int, int]] | None = None, gap_before: int | None = None) -> None:
        super().__init__(objectName=object_name)
        self.setToolTip(tip)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(3)
        grid.setVerticalSpacing(3)
        top = 1 if header else 0
        for text, col, span in header or []:
            label = QLabel(text)
            style.set_role(label, "muted")
            grid.addWidget(label, 0, self._column(col, gap_before), 1, span, Qt.AlignmentFlag.AlignHCenter)
        self.cells: list[list[MatrixCell]] = []
        for r in range(rows):
            row = []
            for c in range(cols):
                cell = MatrixCell(name(r, c), tip)
                cell.valueChanged.connect(lambda value, r=r, c=c, cell=cell: self._typed(cell, r, c, value))
                grid.addWidget(cell, top + r, self._column(c, gap_before))
                row.append(cell)
            self.cells.append(row)
        if gap_before is not None:
            grid.setColumnMinimumWidth(gap_before, 8)
        self._editing: MatrixCell | None = None

    @staticmethod
    def _column(col: int, gap_before: int | None) -> int:
        return col + 1 if gap_before is not None and col >= gap_before else col

    def show_matrix(self, M: np.ndarray) -> None:
        for r, row in enumerate(self.cells):
            for c, cell in enumerate(row):
                if cell is not self._editing:
                    with QSignalBlocker(cell):
                        cell.setValue(float(M[r, c]))
        self._fit_widest()

    def _fit_widest(self) -> None:
        """Every cell as wide as the widest number needs (all alike, so the grid stays even)."""
        cells = [cell for row in self.cells for cell in row]
        widest = max((cell.textFromValue(cell.value()) for cell in cells), key=cells[0].fontMetrics().horizontalAdvance)
        widest = max(widest, CELL_SAMPLE, key=cells[0].fontMetrics().horizontalAdvance)
        for cell in cells:
            cell.fit_text(widest)

    def _typed(self, cell: MatrixCell, row: int, col: int, value: float) -> None:
        self._editing = cell
        try:
            self.cell_edited.emit(row, col, float(value))
        finally:
            self._editing = None
