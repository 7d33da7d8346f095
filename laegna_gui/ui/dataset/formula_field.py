"""A line to type the formula dataset's rule in, and the reader's message when it is wrong."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from laegna_gui.core.formula_data import DEFAULT_FORMULA
from laegna_gui.core.limits import MAX_EXPRESSION_CHARS
from laegna_gui.ui.look import style

TIP = ("Type the rule that makes the data, then press Enter. 'label = …' makes two classes (true, or a "
       "number above 0, is class 1); 'y = …' makes a number to predict. Inputs x1, x2 (and x3) are drawn "
       "from −1 to 1. Use + − * / ^, comparisons (> < >= <= == !=), and / or / not, the functions sin cos "
       "tan exp log sqrt abs tanh sigmoid min max, and pi, e. Example: y = sin(3·x1) + x2^2")


class FormulaField(QWidget):
    """Announces a typed formula on Enter or when focus leaves; shows a problem until the
    next formula is shown or entered. A pending wrong text stays until the user fixes it."""

    formula_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="formulaField")
        self.edit = QLineEdit(objectName="formulaEdit", toolTip=TIP, placeholderText=DEFAULT_FORMULA,
                              maxLength=MAX_EXPRESSION_CHARS, clearButtonEnabled=False)
        self.problem = QLabel(objectName="formulaError", wordWrap=True)
        style.set_role(self.problem, "error")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.problem)
        self._shown: str | None = None
        self.edit.editingFinished.connect(lambda: self.formula_entered.emit(self.edit.text().strip()))

    def show_formula(self, text: str) -> None:
        """Show the project's formula, unless it is the one shown already (keeps a pending edit)."""
        if text != self._shown:
            self._shown = text
            self.edit.setText(text)
            self.edit.setCursorPosition(0)  # a narrow dock shows the start: "label = …" or "y = …"
            self.clear_problem()

    def discard_edit(self) -> None:
        """Back to the formula shown, e.g. when another dataset is chosen over a wrong one."""
        if self._shown is not None and self.edit.text() != self._shown:
            self.edit.setText(self._shown)
        self.clear_problem()

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def clear_problem(self) -> None:
        self.problem.clear()
        self.problem.hide()
