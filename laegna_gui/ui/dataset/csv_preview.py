"""The first rows of an imported table, tinted by the role each column will play."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from laegna_gui.core.csv_reader import CsvTable
from laegna_gui.ui.look import style

PREVIEW_ROWS = 100
FEATURE_TINT = QColor(style.POSITIVE.red(), style.POSITIVE.green(), style.POSITIVE.blue(), 38)
TARGET_TINT = QColor(style.NEGATIVE.red(), style.NEGATIVE.green(), style.NEGATIVE.blue(), 56)
Index = QModelIndex | QPersistentModelIndex


class CsvPreviewModel(QAbstractTableModel):
    """Read-only: the table's first PREVIEW_ROWS rows; feature columns blue, the target orange."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: CsvTable | None = None
        self.features: set[str] = set()
        self.target = ""

    def set_table(self, table: CsvTable | None) -> None:
        self.beginResetModel()
        self.table, self.features, self.target = table, set(), ""
        self.endResetModel()

    def set_roles(self, features: list[str], target: str) -> None:
        self.features, self.target = set(features), target
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole])
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 — Qt override
        return 0 if self.table is None or parent.isValid() else min(PREVIEW_ROWS, len(self.table.values))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if self.table is None or parent.isValid() else len(self.table.columns)

    def _role_of(self, column: int) -> str:
        name = self.table.columns[column]
        return "target" if name == self.target else "feature" if name in self.features else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if self.table is None or not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.table.values[index.row(), index.column()]:.6g}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            kind = self._role_of(index.column())
            return FEATURE_TINT if kind == "feature" else TARGET_TINT if kind == "target" else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        if self.table is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.table.columns[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = self._role_of(section)
            return {"feature": "A feature: an input to the network.",
                    "target": "The target: what the network learns to predict."}.get(kind, "Not used.")
        return None
