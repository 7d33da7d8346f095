"""The Compare window: every run's loss curves in one plot and, beside them, every run's path
on one loss landscape (paths_view.py); their final boundaries side by side (titled with the
setting and the test loss), the layers that started fresh, and the one-line verdict in bold."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from laegna_gui.engine.compare import Race
from laegna_gui.ui.compare.loss_curves import LossCurves
from laegna_gui.ui.compare.paths_view import PathsView
from laegna_gui.ui.compare.result_window import ResultWindow
from laegna_gui.ui.compare.run_picture import RunPicture

PER_ROW = 5  # boundaries in a row; up to 10 runs make two rows
PICTURE = 190  # px: a boundary of a comparison


class CompareWindow(ResultWindow):
    def __init__(self, parent: QWidget, race: Race, title: str) -> None:
        super().__init__(parent, "compareWindow", title)
        self.race = race
        heading = QLabel(title, objectName="compareTitle", wordWrap=True)
        self.verdict = self.verdict_label(race)
        self.curves = LossCurves(race)
        self.paths = PathsView(race)
        self.pictures = [RunPicture(run, race.data, run.label, PICTURE) for run in race.runs]
        self.fresh = self.fresh_label(race)
        self.body.addWidget(heading)
        self.body.addWidget(self.verdict)
        plots = QHBoxLayout()
        plots.addWidget(self.curves, 3)
        plots.addWidget(self.paths, 2)
        self.body.addLayout(plots, 1)
        self.body.addLayout(self._picture_grid())
        self.body.addWidget(self.fresh)
        self.finish_layout()

    def _picture_grid(self) -> QGridLayout:
        grid = QGridLayout()
        for i, picture in enumerate(self.pictures):
            grid.addWidget(picture, i // PER_ROW, i % PER_ROW)
        grid.setColumnStretch(min(len(self.pictures), PER_ROW), 1)  # the pictures to the left
        return grid
