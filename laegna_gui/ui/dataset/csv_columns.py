"""Choosing what an imported table means: feature columns, the target, the task, the split."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core.csv_reader import CsvTable
from laegna_gui.core.custom_data import guess_task
from laegna_gui.ui.signals import signals_blocked

TIPS = {
    "features": "Tick the columns the network gets as inputs.",
    "target": "The column the network learns to predict.",
    "classification": "Predict a class: the target holds whole numbers such as 0, 1, 2 (at most 10 classes).",
    "regression": "Predict a number: the target can hold any value.",
    "split": "The share of rows held back as a test set, to show how well the network does on unseen data.",
}


class CsvColumnChooser(QWidget):
    """Feature checkboxes, a target combo, classification or regression, and the test split.
    A new table ticks every column but the last, which becomes the target; the task is guessed
    from the target whenever it changes."""

    choice_changed = Signal()

    def __init__(self, test_percent: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("csvColumnChooser")
        self.table: CsvTable | None = None
        self.features = QListWidget(objectName="csvFeatureList", toolTip=TIPS["features"])
        self.target = QComboBox(objectName="csvTargetCombo", toolTip=TIPS["target"])
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target.setMinimumContentsLength(10)  # long column names must not widen the dialog
        self.classification = QRadioButton("Classification", objectName="csvClassification",
                                           toolTip=TIPS["classification"])
        self.regression = QRadioButton("Regression", objectName="csvRegression", toolTip=TIPS["regression"])
        self.task = QButtonGroup(self)
        self.task.addButton(self.classification)
        self.task.addButton(self.regression)
        self.split = QSpinBox(objectName="csvTestSplit", toolTip=TIPS["split"], minimum=0, maximum=90,
                              singleStep=5, suffix=" %", value=test_percent)
        self._lay_out()
        self.features.itemChanged.connect(lambda _item: self.choice_changed.emit())
        self.target.currentIndexChanged.connect(lambda _i: self._target_changed())
        self.task.buttonToggled.connect(lambda _b, on: on and self.choice_changed.emit())
        self.split.valueChanged.connect(lambda _v: self.choice_changed.emit())
        self.set_table(None)

    def _lay_out(self) -> None:
        task_row = QHBoxLayout()
        task_row.addWidget(self.classification)
        task_row.addWidget(self.regression)
        task_row.addStretch(1)
        form = QFormLayout()
        form.addRow(QLabel("Target", toolTip=TIPS["target"]), self.target)
        form.addRow(QLabel("Task"), task_row)
        form.addRow(QLabel("Test split", toolTip=TIPS["split"]), self.split)
        box = QGroupBox("Features", objectName="csvFeatureBox")
        QVBoxLayout(box).addWidget(self.features)
        self.features.setMaximumHeight(120)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(box, 1)
        row.addLayout(form, 1)

    # --- the choice ----------------------------------------------------------
    def chosen_features(self) -> list[str]:
        items = (self.features.item(i) for i in range(self.features.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def chosen_target(self) -> str:
        return self.target.currentText()

    def chosen_task(self) -> str:
        return "classification" if self.classification.isChecked() else "regression"

    def test_fraction(self) -> float:
        return self.split.value() / 100

    # --- following the table -------------------------------------------------
    def set_table(self, table: CsvTable | None) -> None:
        self.table = table
        columns = table.columns if table else ()
        with signals_blocked(self.features, self.target):
            self.features.clear()
            self.target.clear()
            for name in columns:
                item = QListWidgetItem(name, self.features)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.target.addItem(name)
            self.target.setCurrentIndex(len(columns) - 1)  # most files put the label last
        for widget in (self.features, self.target, self.classification, self.regression, self.split):
            widget.setEnabled(table is not None)
        if table is not None:
            self._target_changed(new_table=True)

    def _target_changed(self, new_table: bool = False) -> None:
        """The target leaves the features; the old target (or, for a new table, every other
        column) becomes a ticked feature; the task follows the new target."""
        target = self.chosen_target()
        with signals_blocked(self.features):
            for item in (self.features.item(i) for i in range(self.features.count())):
                if item.text() == target:
                    item.setCheckState(Qt.CheckState.Unchecked)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                elif new_table or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
                    item.setCheckState(Qt.CheckState.Checked)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)
        guessed = guess_task(self.table, target)
        button = self.classification if guessed == "classification" else self.regression
        if button.isChecked():
            self.choice_changed.emit()
        else:
            button.setChecked(True)  # announces the change itself
