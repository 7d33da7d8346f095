"""The Step view's check of backprop: a button, a panel of numerical slopes for the StepView
to place beside ∂L/∂W, and a line saying what the comparison means.

It follows what the Step view shows (`follow(report, layer)`): another step or another layer
cancels a check still running and takes the last one's panel away, so a result always belongs
to the step and layer on show; one that comes for an older one is dropped."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QPushButton

from laegna_gui.engine.finite_differences import EPS, SlopeCheck, short
from laegna_gui.engine.snapshot import StepReport
from laegna_gui.ui.look import style
from laegna_gui.ui.training.views.heatmap import TitleLabel
from laegna_gui.ui.training.views.slope_check import SlopeChecker
from laegna_gui.ui.training.views.step_matrix import StepMatrix

TITLE = "numerical slope"
TIPS = {
    "button": "Check backprop the way people do: nudge each weight and bias of this layer by ±h, measure "
              "this step's batch loss each time (float64, same weights and batch as the step), and "
              "compare the slope (L(w+h) − L(w−h)) / 2h with backprop's gradient.",
    "panel": "The numerical slope of the batch loss for each weight (and bias, on the right), beside "
             "backprop's ∂L/∂W. Hover a cell for both values and their difference.",
    "nothing": "This step kept no gradient and batch to check (random search uses no gradient).",
    "result": f"Each weight w was moved by h = {short(EPS)}·max(1, |w|) either way. The difference is "
              "relative to the largest slope; backprop's float32 gradient agrees to about 1e-7 where it "
              "is right.",
}


class SlopeCheckPanel(QObject):
    """`button`, `result` (the lines under the panels), `title` and `plot` (the panel, shown
    while `shown`). `changed` says the panel came or went."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.button = QPushButton("Check with finite differences", objectName="stepCheck", toolTip=TIPS["button"])
        self.result = QLabel(objectName="stepCheckResult", toolTip=TIPS["result"])
        self.result.setWordWrap(True)
        self.result.setContentsMargins(4, 0, 4, 0)
        self.result.hide()
        self.title = TitleLabel(TITLE, size="8pt", color=style.TEXT.name())
        self.title.setToolTip(TIPS["panel"])
        self.plot = StepMatrix()
        self.checker = SlopeChecker(self)
        self.check: SlopeCheck | None = None  # the one on show
        self.checking = False
        self.report: StepReport | None = None
        self.layer: str | None = None
        self.button.clicked.connect(self.start)
        self.checker.checked.connect(self._checked)
        self.checker.progressed.connect(self._progressed)
        self.checker.failed.connect(self._failed)

    @property
    def shown(self) -> bool:
        return self.check is not None

    def follow(self, report: StepReport | None, layer: str | None) -> None:
        """The step and layer the Step view shows now: anything of another one goes."""
        if report is self.report and layer == self.layer:
            return
        self.report, self.layer = report, layer
        self.checker.cancel()
        self.checking = False
        self.result.hide()
        checkable = report is None or (report.batch is not None and f"{layer}.weight" in report.gradients)
        self.button.setEnabled(report is not None and layer is not None and checkable)
        self.button.setToolTip(TIPS["button"] if checkable else TIPS["nothing"])
        if self.check is not None:
            self.check = None
            self.changed.emit()

    def start(self) -> None:
        if not self.button.isEnabled():
            return
        self.checker.start(self.report, self.layer)
        self.checking = True
        self._say(f"Checking {self._entries():,} slopes with finite differences…")

    def _entries(self) -> int:
        return sum(self.report.gradients[n].size for n in (f"{self.layer}.weight", f"{self.layer}.bias")
                   if n in self.report.gradients)

    def _progressed(self, done: int, total: int) -> None:
        if self.checking and total == self._entries():
            self._say(f"Checking {total:,} slopes with finite differences… {100 * done // max(total, 1)} %")

    def _failed(self, message: str) -> None:
        self.checking = False
        self._say(message)

    def _checked(self, check: SlopeCheck) -> None:
        if check.report is not self.report or check.layer != self.layer:
            return  # for a step or layer no longer on show
        self.checking = False
        shown_before, self.check = self.check is not None, check
        weight, bias = f"{check.layer}.weight", f"{check.layer}.bias"
        self.plot.image.describe = _describer(check, weight)
        self.plot.bias_image.describe = _describer(check, bias)
        self.plot.set_matrix(check.numerical[weight], bias=check.numerical.get(bias))
        self.title.setText(f"{TITLE}<br><span style='font-size:7pt'>±{self.plot.scale:.2g}</span>")
        self._say(f"<b>{check.meaning()}</b><br>{check.numbers()}")
        if not shown_before:
            self.changed.emit()

    def _say(self, text: str) -> None:
        self.result.setText(text)
        self.result.show()


def _describer(check: SlopeCheck, name: str):
    """A cell's tooltip: where it is, backprop's value and the difference (the value shown
    after the colon is the numerical slope)."""
    def describe(row: int, col: int) -> str:
        index = (row, col) if check.numerical[name].ndim == 2 else (row,)
        where = f"row {row + 1}, column {col + 1}" if len(index) == 2 else f"bias of neuron {row + 1}"
        backprop = float(check.backprop[name][index])
        difference = float(check.numerical[name][index]) - backprop
        return f"{where} — backprop {backprop:.9g}, difference {difference:.2g}; numerically"
    return describe
