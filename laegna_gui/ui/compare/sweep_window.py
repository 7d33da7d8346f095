"""The Sweep window: a grid of small decision boundaries, one per pair of values (rows: the
first setting, columns: the second). Each is labelled with its test loss at the end (what its
picture shows) over the lowest test loss it reached and when: the verdict and the frame around
the best run go by that lowest loss, so the framed cell is the one whose label has the lowest.
The cells are as large as the screen's free area allows, up to a 5×5 grid with nothing to scroll.

Clicking a cell offers to open that run as the current experiment: the project as it was
with the cell's settings, and the weights the run ended with (a project keeps its weights,
so training goes on from there). The open goes through the window's FileController, which
asks to save the current work first; `ask_open` is an attribute so tests can answer it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QMainWindow, QMessageBox

from laegna_gui.core.project import Project
from laegna_gui.core.variations import apply, label
from laegna_gui.engine.compare import Sweep
from laegna_gui.engine.run_result import RunResult, caption_lines
from laegna_gui.ui.compare.result_window import ResultWindow
from laegna_gui.ui.compare.run_picture import RunPicture
from laegna_gui.ui.look import style

CLICK_TIP = "Click to open this run as the current experiment, with the weights it trained to"
LARGEST, SMALLEST, SHRINK = 170, 48, 4  # px of a cell's picture: tried from the largest down
SPACING = 4  # px between cells, besides the frame's room


def cell_caption(run: RunResult) -> str:
    return "\n".join(caption_lines(run))


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
        self.pictures: dict[tuple[int, int], RunPicture] = {}
        self.body.addLayout(self._heading(title))
        self.body.addWidget(self.verdict_label(sweep.race))
        self.grid = self._grid(SMALLEST)
        self.body.addLayout(self.grid)
        self.body.addWidget(self.fresh_label(sweep.race))
        self.body.addStretch(1)
        self.finish_layout(self._fit_cells())

    def _heading(self, title: str) -> QHBoxLayout:
        """The title, and the hint on its line (a line of height is a cell's worth in a 5×5 grid)."""
        heading = QHBoxLayout()
        hint = QLabel("Click a run to open it as the current experiment.", objectName="sweepHint")
        style.set_role(hint, "muted")
        heading.addWidget(QLabel(title, objectName="sweepTitle", wordWrap=True), 1)
        heading.addWidget(hint, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return heading

    def _fit_cells(self) -> int:
        """The largest cells with which the whole window fits the screen's free area, as
        wide as the grid or else as the screen (the notes under it wrap into fewer lines);
        the smallest, scrolling, on a screen too small for them. Returns the window's width."""
        room = self.room()
        for size in range(LARGEST, SMALLEST - 1, -SHRINK):
            for picture in self.pictures.values():
                picture.set_size(size)
            self.grid.invalidate()
            for width in (0, room.width()):
                want = self.wanted(width)
                if want.width() <= room.width() and want.height() <= room.height():
                    return want.width()
        return room.width()

    def _grid(self, size: int) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(SPACING)
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
        widest = max(picture.caption.sizeHint().width() for picture in self.pictures.values())
        for picture in self.pictures.values():
            picture.caption.setMinimumWidth(widest)  # every frame as wide
        return grid

    def _cell(self, i: int, j: int, size: int, best: RunResult | None) -> RunPicture:
        run = self.sweep.cell(i, j)
        picture = RunPicture(run, self.sweep.race.data, "", size)
        picture.title.hide()  # the row and column headers name it
        picture.caption.setText(cell_caption(run))
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
    """The run the verdict names first: the lowest test loss measured along the way (as the CLI's picture)."""
    ranked = [run for run in runs if run.best is not None]
    return min(ranked, key=lambda run: run.best[1]) if ranked else None
