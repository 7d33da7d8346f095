"""The transform lab's composition stack: the list of blocks (drag to reorder), Add,
Move up/down, Remove, and the selected block's parameters. A view of TransformStack:
it edits the model and redraws itself from the model's `blocks_changed` event."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core import affine
from laegna_gui.core.transform_stack import KIND_TIPS, KIND_TITLES, TransformStack
from laegna_gui.ui.look import style

PARAMS_PER_ROW = 2
PARAM_RANGES = {  # name → (minimum, maximum, step)
    "degrees": (-360.0, 360.0, 5.0),
    "sx": (-5.0, 5.0, 0.1), "sy": (-5.0, 5.0, 0.1), "sz": (-5.0, 5.0, 0.1),
    "tx": (-5.0, 5.0, 0.1), "ty": (-5.0, 5.0, 0.1), "tz": (-5.0, 5.0, 0.1),
    "d": (-50.0, 50.0, 0.5),
}
PARAM_LABELS = {"degrees": "angle °"}
PARAM_TIPS = {
    "degrees": "The angle in degrees; positive turns counter-clockwise looking down the axis.",
    "sx": "Stretch factor along x.", "sy": "Stretch factor along y.", "sz": "Stretch factor along z.",
    "tx": "Shift along x.", "ty": "Shift along y.", "tz": "Shift along z.",
    "d": "Viewing distance: the smaller |d|, the stronger the perspective. It cannot be 0.",
}
TIPS = {
    "stack": "The composition stack. M = top · … · bottom, so the bottom block acts first (like "
             "A(B(C(x)))). Drag blocks to reorder them: order matters, A·B is not B·A.",
    "kind": "The kind of block to add.",
    "add": "Add a block of the chosen kind at the bottom of the stack (it will act first).",
    "remove": "Remove the selected block from the stack.",
    "up": "Move the selected block up (it will act later).",
    "down": "Move the selected block down (it will act earlier).",
}
NO_SELECTION = "Select a block to edit its parameters."


def _param_tip(name: str) -> str:
    if name in PARAM_TIPS:
        return PARAM_TIPS[name]
    return f"Shear: how much {name[1]} pushes {name[0]} ({name[0]}′ = {name[0]} + {name}·{name[1]})."


class BlockStackEditor(QWidget):
    """Edits a TransformStack's blocks; `stack` is the list, `param_spins` the selected
    block's parameter editors (by name)."""

    def __init__(self, model: TransformStack) -> None:
        super().__init__(objectName="blockStackEditor")
        self.model = model
        self._syncing = False
        self._editing: QDoubleSpinBox | None = None
        self._problem: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._build_add_row())
        layout.addLayout(self._build_list())
        self.params_box = QWidget(objectName="blockParams")
        self.params_layout = QGridLayout(self.params_box)
        self.params_layout.setContentsMargins(0, 0, 0, 0)
        self.params_layout.setHorizontalSpacing(4)
        self.params_layout.setVerticalSpacing(3)
        for column in range(1, 2 * PARAMS_PER_ROW, 2):
            self.params_layout.setColumnStretch(column, 1)  # the boxes take the width, beside their names
        layout.addWidget(self.params_box)
        self.params_title = QLabel(objectName="blockParamsTitle")
        self.params_title.setWordWrap(True)
        layout.addWidget(self.params_title)
        self._build_param_spins()
        self.param_spins: dict[str, QDoubleSpinBox] = {}
        model.events.blocks_changed.connect(self._sync)
        self._sync()

    # --- building -----------------------------------------------------------------------
    def _build_add_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.kind_combo = QComboBox(objectName="blockKind")
        self.kind_combo.setToolTip(TIPS["kind"])
        for kind in affine.BLOCKS:
            self.kind_combo.addItem(KIND_TITLES.get(kind, kind), kind)
            self.kind_combo.setItemData(self.kind_combo.count() - 1, KIND_TIPS.get(kind, ""),
                                        Qt.ItemDataRole.ToolTipRole)
        self.add_button = _button("Add block", "addBlock", TIPS["add"])
        self.add_button.clicked.connect(lambda: self.add_block(self.kind_combo.currentData()))
        row.addWidget(self.kind_combo, 1)
        row.addWidget(self.add_button)
        return row

    def _build_list(self) -> QHBoxLayout:
        self.stack = QListWidget(objectName="blockStack")
        self.stack.setToolTip(TIPS["stack"])
        self.stack.setAccessibleName("Composition stack")
        self.stack.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stack.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.stack.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.stack.setMinimumHeight(60)
        rows = self.stack.model()
        for signal in (rows.rowsMoved, rows.rowsInserted, rows.rowsRemoved):
            signal.connect(self._rows_dragged)
        self.stack.currentItemChanged.connect(lambda *_: self._show_params())
        self.up_button = _button("Move up", "moveBlockUp", TIPS["up"])
        self.up_button.clicked.connect(lambda: self._move_selected(-1))
        self.down_button = _button("Move down", "moveBlockDown", TIPS["down"])
        self.down_button.clicked.connect(lambda: self._move_selected(+1))
        self.remove_button = _button("Remove", "removeBlock", TIPS["remove"])
        self.remove_button.clicked.connect(self.remove_selected_block)
        buttons = QVBoxLayout()
        buttons.setSpacing(3)
        for button in (self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.stack, 1)
        row.addLayout(buttons)
        return row

    def _build_param_spins(self) -> None:
        """One spin box (and label) per parameter name of any block, made once."""
        self._all_param_spins: dict[str, QDoubleSpinBox] = {}
        self._param_labels: dict[str, QLabel] = {}
        for name in dict.fromkeys(n for names in affine.BLOCKS.values() for n in names):
            low, high, step = PARAM_RANGES.get(name, (-3.0, 3.0, 0.1))
            spin = QDoubleSpinBox(self.params_box, objectName=f"blockParam_{name}")
            spin.setRange(low, high)
            spin.setDecimals(2)
            spin.setSingleStep(step)
            spin.setToolTip(_param_tip(name))
            spin.setAccessibleName(f"Block parameter {name}")
            spin.valueChanged.connect(lambda value, name=name, spin=spin: self._param_typed(spin, name, value))
            spin.editingFinished.connect(lambda spin=spin: self._param_finished(spin))
            label = QLabel(PARAM_LABELS.get(name, name), self.params_box)
            label.setBuddy(spin)
            label.setToolTip(spin.toolTip())
            spin.hide()  # shown, in the grid, while a block that has it is selected
            label.hide()
            self._all_param_spins[name], self._param_labels[name] = spin, label

    # --- actions ------------------------------------------------------------------------
    def add_block(self, kind: str, params: dict[str, float] | None = None) -> None:
        """Add a block at the bottom of the stack (it acts first) and select it."""
        self.stack.setCurrentRow(self.model.add_block(kind, params))

    def remove_selected_block(self) -> None:
        row = self.stack.currentRow()
        if row >= 0:
            self.model.remove_block(row)
            self.stack.setCurrentRow(min(row, self.stack.count() - 1))

    def select_row(self, row: int) -> None:
        self.stack.setCurrentRow(row)

    def _move_selected(self, step: int) -> None:
        row = self.stack.currentRow()
        if row >= 0:
            self.model.move_block(row, row + step)

    def _rows_dragged(self, *_args) -> None:
        if not self._syncing:
            self.model.reorder(self._list_ids())

    # --- following the model ------------------------------------------------------------
    def _list_ids(self) -> list[int]:
        return [self.stack.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.stack.count())]

    def _selected_id(self) -> int | None:
        item = self.stack.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _sync(self) -> None:
        """Redraw the list from the model: rebuilt when its blocks or order differ (the
        selected block stays selected), else only the titles change."""
        blocks = self.model.items
        if self._list_ids() != [b.id for b in blocks]:
            selected = self._selected_id()
            self._syncing = True
            try:
                self.stack.clear()
                for block in blocks:
                    self.stack.addItem(_list_item(block))
            finally:
                self._syncing = False
            self.stack.setCurrentRow(self.model.row_of(selected) if selected is not None else -1)
        for row, block in enumerate(blocks):
            self.stack.item(row).setText(block.title)
        self._show_params()

    def _show_params(self) -> None:
        """The selected block's parameters (and only those), two to a row."""
        if self._syncing:
            return
        row = self.stack.currentRow()
        block = self.model.items[row] if 0 <= row < len(self.model.items) else None
        names = affine.BLOCKS[block.kind] if block else ()
        if tuple(self.param_spins) != names:
            self._lay_out_params(names)
        for name, spin in self.param_spins.items():
            if spin is not self._editing:
                with QSignalBlocker(spin):
                    spin.setValue(block.params[name])
        self._problem = None
        self.params_title.setVisible(block is None)
        self.params_title.setText(NO_SELECTION)
        style.set_role(self.params_title, "muted")

    def _lay_out_params(self, names: tuple[str, ...]) -> None:
        self.param_spins = {name: self._all_param_spins[name] for name in names}
        for name, spin in self._all_param_spins.items():
            label = self._param_labels[name]
            if name in names:
                r, c = divmod(names.index(name), PARAMS_PER_ROW)
                self.params_layout.addWidget(label, r, 2 * c)
                self.params_layout.addWidget(spin, r, 2 * c + 1)
            else:
                self.params_layout.removeWidget(label)
                self.params_layout.removeWidget(spin)
            spin.setVisible(name in names)
            label.setVisible(name in names)

    def _param_typed(self, spin: QDoubleSpinBox, name: str, value: float) -> None:
        row = self.stack.currentRow()
        if not 0 <= row < len(self.model.items):
            return
        self._editing = spin
        try:
            self.model.set_param(row, name, value)
        except ValueError as error:  # e.g. perspective d = 0: the last valid value is kept
            self._show_problem(str(error))
        else:
            self._show_params()  # a value the block takes clears an earlier problem
        finally:
            self._editing = None

    def _param_finished(self, spin: QDoubleSpinBox) -> None:
        """Leaving a parameter that could not be used shows the value the block kept."""
        row = self.stack.currentRow()
        if 0 <= row < len(self.model.items) and spin in self.param_spins.values():
            name = next(n for n, s in self.param_spins.items() if s is spin)
            kept = self.model.items[row].params[name]
            if self._problem and round(kept, 2) != round(spin.value(), 2):
                with QSignalBlocker(spin):
                    spin.setValue(kept)
                self._show_problem(f"{self._problem} Kept {name} = {kept:g}.")

    def _show_problem(self, text: str) -> None:
        self._problem = text
        self.params_title.setText(text)
        style.set_role(self.params_title, "error")
        self.params_title.setVisible(True)


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text, objectName=name)
    button.setToolTip(tip)
    return button


def _list_item(block) -> QListWidgetItem:
    item = QListWidgetItem(block.title)
    item.setData(Qt.ItemDataRole.UserRole, block.id)
    item.setToolTip(KIND_TIPS.get(block.kind, ""))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
    return item
