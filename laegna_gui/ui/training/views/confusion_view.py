"""Per-class errors beside the accuracy curve: the confusion matrix of the test points (or,
switched, the training points), counted from the latest snapshot's answers.

The accuracy says how many points are wrong; the matrix says which classes are taken for
which. It is drawn as part of the loss curves' live view (CurvesView.extra_parts): a new
network, a reset or an invalid network empties it and forgets the chosen cell. Clicking a
cell chooses its points for the decision boundary to outline (`cell_chosen`); clicking it
again, or Escape, chooses none. Hidden for regression, which has no classes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QSizePolicy, QVBoxLayout, QWidget

from laegna_gui.core.confusion import Cell, cell_text, confusion_counts
from laegna_gui.core.datasets import Dataset
from laegna_gui.engine.snapshot import Metrics
from laegna_gui.ui.training.live_state import Kind, LiveState, Part
from laegna_gui.ui.training.views.confusion_grid import ConfusionGrid

SPLIT_NAMES = {"train": "training", "test": "test"}
SPLITS = ("test", "train")  # in the order the switch lists them
TIPS = {
    "grid": "Per-class errors of the {split} points: each row is a true class, each column the network's "
            "answer, so the diagonal is what it gets right. A cell's shade is its share of the row. "
            "Click a cell to outline its points on the decision boundary (click again or Esc: no outline).",
    "split": "Count the held-back test points (the ones the network never trains on) or the "
             "training points (the ones it learns from)",
    "none": "No numbers yet: train a step",
}


class ConfusionView(QWidget):
    """`set_data(dataset)` when the data changes; as a live view (`draw_parts`) it counts
    each snapshot's answers. `chosen` is the cell whose points the boundary outlines."""

    cell_chosen = Signal(object)  # a core.confusion.Cell, or None: outline no points

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confusionView")
        self.data: Dataset | None = None
        self.split = "test"
        self.metrics: Metrics | None = None  # the snapshot's numbers on show (None: none yet)
        self.counts: np.ndarray | None = None
        self.chosen: Cell | None = None
        self._generation = -1
        self._note = TIPS["none"]  # what an empty matrix says when hovered
        self._build()
        self.hide()  # until data with classes comes

    def _build(self) -> None:
        self.grid = ConfusionGrid()
        self.grid.describe = self._describe
        self.grid.setToolTip(TIPS["grid"].format(split="test"))
        self.grid.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        self.grid.cell_clicked.connect(self._clicked)
        self.grid.escaped.connect(lambda: self.choose(None))
        self.switch = QComboBox(objectName="confusionSplit", toolTip=TIPS["split"])
        self.switch.addItems([f"{SPLIT_NAMES[split].capitalize()} points" for split in SPLITS])
        self.switch.currentIndexChanged.connect(lambda index: self.set_split(SPLITS[index]))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 0, 0, 0)
        layout.setSpacing(2)
        layout.addStretch(1)  # the matrix sits low, beside the accuracy curve
        layout.addWidget(self.switch)
        layout.addWidget(self.grid)

    # --- data ------------------------------------------------------------------------
    def set_data(self, data: Dataset | None) -> None:
        """New data: its classes, no numbers until the next snapshot, no cell chosen."""
        classifies = data is not None and data.task == "classification"
        self.data = data if classifies else None
        self.grid.set_classes(data.n_outputs if classifies else 2)
        self.metrics = None
        self.choose(None)
        self._show()
        self.setVisible(classifies)

    def set_split(self, split: str) -> None:
        """Count the "train" or the "test" points; a chosen cell stays chosen, of that split."""
        if split == self.split:
            return
        self.split = split
        self.switch.setCurrentIndex(SPLITS.index(split))
        self.grid.setToolTip(TIPS["grid"].format(split=SPLIT_NAMES[split]))
        self._show()
        if self.chosen is not None:
            self.choose(Cell(split, self.chosen.true, self.chosen.answer))

    def draw_parts(self, state: LiveState) -> list[Part]:
        if self.data is None:
            return []  # hidden: no classes to count (new data empties it anyway)
        metrics = state.snapshot.metrics if state.valid and state.snapshot is not None else None
        if state.generation == self._generation and metrics is self.metrics:
            return []
        note = state.invalid_text if state.kind is Kind.INVALID else TIPS["none"]
        return [lambda: self.show_metrics(state.generation, metrics, note)]

    def show_metrics(self, generation: int, metrics: Metrics | None, note: str = TIPS["none"]) -> None:
        """Count `metrics`' answers (None: an empty matrix, `note` says why); a cell chosen in an
        older generation (another network, or before a reset) is forgotten."""
        if generation != self._generation or metrics is None:
            self.choose(None)
        self._generation, self.metrics, self._note = generation, metrics, note
        self._show()

    def _show(self) -> None:
        answers = self._answers()
        self.counts = None if answers is None else \
            confusion_counts(getattr(self.data, f"y_{self.split}"), answers, self.grid.n_classes)
        if self.counts is None:
            self.choose(None)
        self.grid.show_counts(self.counts, self._chosen_cell())

    def _answers(self) -> np.ndarray | None:
        """The answers of the split on show, if they belong to the data on show."""
        if self.metrics is None or self.data is None:
            return None
        answers = getattr(self.metrics, f"{self.split}_answers")
        labels = getattr(self.data, f"y_{self.split}")
        return answers if answers is not None and len(answers) == len(labels) else None

    # --- choosing a cell -----------------------------------------------------------------
    def _clicked(self, true: int, answer: int) -> None:
        if self.counts is None:
            return  # no numbers: no points to outline
        cell = Cell(self.split, true, answer)
        self.choose(None if cell == self.chosen else cell)

    def choose(self, cell: Cell | None) -> None:
        """Choose `cell` (None: none) and tell the boundary."""
        if cell == self.chosen:
            return
        self.chosen = cell
        self.grid.show_counts(self.counts, self._chosen_cell())
        self.cell_chosen.emit(cell)

    def _chosen_cell(self) -> tuple[int, int] | None:
        return None if self.chosen is None else (self.chosen.true, self.chosen.answer)

    def _describe(self, true: int, answer: int) -> str:
        if self.counts is None:
            return self._note
        sample = self.metrics.sample if self.metrics is not None else 0
        measured = f"a fixed sample of {sample:,} {SPLIT_NAMES[self.split]} points" if sample \
            else f"the {SPLIT_NAMES[self.split]} points"
        return (f"{cell_text(int(self.counts[true, answer]), true, answer)} ({measured}).\n"
                "Click to outline them on the decision boundary.")
