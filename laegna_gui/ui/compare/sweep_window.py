"""The Sweep window: a grid of small decision boundaries, one per pair of values (rows: the
first setting, columns: the second), each labelled with its test loss, the best one framed.

Clicking a cell offers to open that run as the current experiment: the project as it was
with the cell's settings, and the weights the run ended with (a project keeps its weights,
so training goes on from there). The open goes through the window's FileController, which
asks to save the current work first; `ask_open` is an attribute so tests can answer it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QMainWindow, QMessageBox

from laegna_gui.core.project import Project
from laegna_gui.core.variations import apply, label
from laegna_gui.engine.compare import Sweep
from laegna_gui.engine.run_result import RunResult
from laegna_gui.ui.compare.result_window import ResultWindow
from laegna_gui.ui.compare.run_picture import RunPicture
from laegna_gui.ui.look import style

CLICK_TIP = "Click to open this run as the current experiment, with the weights it trained to"


def cell_size(rows: int, columns: int) -> int:
    """px of a cell: a 5×5 grid with its labels still fits a 1280×800 screen."""
    return {1: 170, 2: 170, 3: 150, 4: 120}.get(max(rows, columns), 96)


def cell_project(base: Project, sweep: Sweep, row: int, column: int) -> Project:
    """The base project with the cell's settings and its trained weights."""
    index = row * len(sweep.columns) + column
    run = sweep.cell(row, column)
    return replace(apply(base, run.changes), weights={k: v.copy() for k, v in sweep.race.weights[index].items()})


class SweepWindow(ResultWindow):
    def __init__(self, window: QMainWindow, base: Project, sweep: Sweep, title: str) -> None:
        super().__init__(window, "sweepWindow", title)
        self.main_window, self.base, self.sweep = window, base, sweep
        self.ask_open = self._ask_open
        size = cell_size(len(sweep.rows), len(sweep.columns))
        self.pictures: dict[tuple[int, int], RunPicture] = {}
        heading = QLabel(title, objectName="sweepTitle", wordWrap=True)
        hint = QLabel("Click a run to open it as the current experiment.", objectName="sweepHint")
        style.set_role(hint, "muted")
        self.body.addWidget(heading)
        self.body.addWidget(self.verdict_label(sweep.race))
        self.body.addLayout(self._grid(size))
        self.body.addWidget(hint)
        self.body.addWidget(self.fresh_label(sweep.race))
        self.body.addStretch(1)
        self.finish_layout()

    def _grid(self, size: int) -> QGridLayout:
        grid = QGridLayout()
        rows, columns = self.sweep.rows, self.sweep.columns
        corner = QLabel(f"{rows[0].key} ↓   {columns[0].key} →", objectName="sweepAxes")
        style.set_role(corner, "muted")
        grid.addWidget(corner, 0, 0)
        for j, column in enumerate(columns):
            grid.addWidget(_header(column), 0, j + 1, Qt.AlignmentFlag.AlignHCenter)
        best = _best(self.sweep.race.runs)
        for i, row in enumerate(rows):
            grid.addWidget(_header(row), i + 1, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for j in range(len(columns)):
                grid.addWidget(self._cell(i, j, size, best), i + 1, j + 1)
        grid.setColumnStretch(len(columns) + 1, 1)
        return grid

    def _cell(self, i: int, j: int, size: int, best: RunResult | None) -> RunPicture:
        run = self.sweep.cell(i, j)
        picture = RunPicture(run, self.sweep.race.data, "", size)
        picture.title.hide()  # the row and column headers name it
        picture.set_best(run is best)
        picture.setToolTip(f"{run.label}\n{CLICK_TIP}")
        picture.setCursor(Qt.CursorShape.PointingHandCursor)
        picture.clicked.connect(lambda i=i, j=j: self.open_cell(i, j))
        self.pictures[(i, j)] = picture
        return picture

    def open_cell(self, row: int, column: int) -> bool:
        """Ask, then open the cell's run as the current experiment (after the save question)."""
        run = self.sweep.cell(row, column)
        if not self.ask_open(run):
            return False
        files = self.main_window.files
        if not files.confirm_discard():
            return False
        self.main_window.document.load(cell_project(self.base, self.sweep, row, column))
        return True

    def _ask_open(self, run: RunResult) -> bool:
        answer = QMessageBox.question(
            self, "Open this run", f"Open {label(run.changes)} as the current experiment?\n\n"
            f"It opens with the weights it trained to in the sweep ({run.steps:,} steps); your current "
            "project is closed (you are asked to save it first if it has changes).")
        return answer == QMessageBox.StandardButton.Yes


def _header(change) -> QLabel:
    return QLabel(str(change).split("=", 1)[1], objectName="sweepHeader")


def _best(runs: tuple[RunResult, ...]) -> RunResult | None:
    """The run the verdict names: the lowest test loss measured along the way (as the CLI's picture)."""
    ranked = [run for run in runs if run.best is not None]
    return min(ranked, key=lambda run: run.best[1]) if ranked else None
