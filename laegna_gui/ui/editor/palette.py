"""The block palette: every kind of node, grouped, searchable and draggable onto the canvas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QMimeData, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from laegna_gui.core.nodes import NODE_TYPES
from laegna_gui.ui.look import style
from laegna_gui.ui.document.mime import NODE_MIME, node_mime
from laegna_gui.ui.naming import name_parts

GROUPS = ("Data", "Layers", "Activations", "Merge")
GROUP_HELP = {
    "Data": "Where data enters the network and where its prediction leaves.",
    "Layers": "Blocks that transform the values flowing through the network.",
    "Activations": "Non-linear functions that let a network bend its decision boundary.",
    "Merge": "Blocks that join two or more branches of the network.",
}

# One plain sentence per activation; the inspector reuses them for its function list.
ACTIVATION_HELP = {
    "relu": "ReLU keeps positive values and turns negatives into 0; a unit whose input is always "
            "negative outputs 0, gets no gradient and can 'die'.",
    "leaky_relu": "Leaky ReLU is ReLU with a small slope below zero, so a unit never goes fully silent "
                  "and can still learn.",
    "sigmoid": "Sigmoid squashes any number into 0…1, like a probability; far from zero it flattens, "
               "so gradients can vanish.",
    "tanh": "Tanh squashes any number into −1…1 around zero; like sigmoid it flattens at the ends.",
    "softmax": "Softmax turns a layer's scores into class probabilities that are positive and add up to 1.",
    "linear": "Linear passes values through unchanged (f(x) = x), as a regression output needs; "
              "stacked layers without a bend stay one linear map.",
    "step": "Step outputs 1 above zero and 0 below — the hard threshold of the original perceptron.",
}
ACTIVATION_TITLES = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "sigmoid": "Sigmoid", "tanh": "Tanh",
                     "softmax": "Softmax", "linear": "Linear", "step": "Step"}


@dataclass(frozen=True)
class Block:
    """One entry of the palette: a node type with preset parameters and a one-sentence explanation."""

    type: str
    title: str
    tip: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def group(self) -> str:
        return NODE_TYPES[self.type].group


BLOCKS: tuple[Block, ...] = (
    Block("input", "Input", "The dataset's features (x1, x2, or derived ones like x1²) enter the network here."),
    Block("output", "Output", "The network's prediction leaves here, and the loss scores how far it is "
                              "from the target."),
    Block("dense", "Dense", "Every neuron multiplies each input by a weight, adds them up and adds a bias — "
                            "a shift like the intercept b in y = m·x + b."),
    Block("batch_norm", "Batch norm", "Rescales each value over the batch to mean 0 and spread 1, which keeps "
                                      "gradients healthy in deep stacks."),
    Block("dropout", "Dropout", "While training, randomly zeroes values with probability p so the network "
                                "cannot lean on any single neuron — a guard against overfitting."),
    *(Block("activation", ACTIVATION_TITLES[f], ACTIVATION_HELP[f], {"function": f}) for f in ACTIVATION_TITLES),
    Block("add", "Add", "Adds same-width inputs element by element, as in the shortcut of a residual connection."),
    Block("concat", "Concat", "Puts its inputs side by side into one longer vector."),
)

_BLOCK_ROLE = Qt.ItemDataRole.UserRole + 1


def _curve_icon(function: str, color: QColor) -> QIcon:
    """A tiny plot of the activation, so the palette shows what each function does."""
    x = np.linspace(-3, 3, 25)
    y = {"relu": np.maximum(0, x) / 3, "leaky_relu": np.where(x > 0, x, 0.15 * x) / 3,
         "sigmoid": 2 / (1 + np.exp(-2 * x)) - 1, "tanh": np.tanh(x), "softmax": 2 / (1 + np.exp(-x)) - 1,
         "linear": x / 3, "step": np.where(x > 0, 1.0, -1.0)}[function]
    pixmap = QPixmap(18, 18)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(style.MUTED_TEXT, 0.6))
    painter.drawLine(1, 9, 17, 9)
    painter.setPen(QPen(color.darker(230), 1.8))
    painter.drawPolyline(QPolygonF([QPointF(1 + (a + 3) * 16 / 6, 9 - b * 7) for a, b in zip(x, y)]))
    painter.end()
    return QIcon(pixmap)


def _swatch_icon(color: QColor) -> QIcon:
    pixmap = QPixmap(18, 18)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color.darker(140), 1))
    painter.setBrush(color)
    painter.drawRoundedRect(2, 3, 14, 12, 3, 3)
    painter.end()
    return QIcon(pixmap)


def block_of(item: QTreeWidgetItem | None) -> Block | None:
    return item.data(0, _BLOCK_ROLE) if item is not None else None


def mime_for(item: QTreeWidgetItem | None) -> QMimeData | None:
    """The drag data of a palette block (None for a group heading)."""
    block = block_of(item)
    return node_mime(block.type, dict(block.params)) if block else None


class PaletteTree(QTreeWidget):
    """The tree of blocks; its drags carry `mime.node_mime` data."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paletteTree")
        self.setHeaderHidden(True)
        self.setIndentation(10)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIconSize(QSize(18, 18))
        self.setAccessibleName("Layer blocks")

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: tall enough for every row shown
        rows = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        rows += [group.child(i) for group in rows if group.isExpanded() for i in range(group.childCount())]
        height = sum(self.indexRowSizeHint(self.indexFromItem(row)) for row in rows if not row.isHidden())
        return QSize(super().sizeHint().width(), height + 2 * self.frameWidth())

    def mimeTypes(self) -> list[str]:
        return [NODE_MIME]

    def mimeData(self, items) -> QMimeData | None:  # noqa: N802 — Qt override
        return mime_for(items[0]) if items else None


class PaletteWidget(QWidget):
    """Search box plus block tree. Drag a block onto the canvas, or double-click to add it."""

    block_activated = Signal(str, dict)  # node type, preset params

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("palette")
        self.search = QLineEdit(objectName="paletteSearch", placeholderText="Search layers…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Type to show only the blocks whose name or explanation matches.")
        self.tree = PaletteTree(self)
        self.empty_label = QLabel("No block matches.", objectName="paletteEmpty")
        style.set_role(self.empty_label, "muted")
        self.empty_label.setContentsMargins(6, 6, 6, 6)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        for widget in (self.search, self.tree, self.empty_label):
            layout.addWidget(widget)
        self._groups = {g: self._add_group(g) for g in GROUPS}
        for block in BLOCKS:
            self._add_block(block)
        self.tree.expandAll()
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._activate_first)
        self.tree.itemActivated.connect(self._activate)
        name_parts(self)

    def _add_group(self, group: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [group])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setToolTip(0, GROUP_HELP[group])
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(0, font)
        item.setForeground(0, style.MUTED_TEXT)
        return item

    def _add_block(self, block: Block) -> None:
        item = QTreeWidgetItem(self._groups[block.group], [block.title])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        item.setData(0, _BLOCK_ROLE, block)
        item.setToolTip(0, block.tip)
        color = style.GROUP_COLORS[block.group]
        fn = block.params.get("function")
        item.setIcon(0, _curve_icon(fn, color) if fn else _swatch_icon(color))

    # --- queries -------------------------------------------------------------
    def block_items(self, visible_only: bool = False) -> list[QTreeWidgetItem]:
        items = [g.child(i) for g in self._groups.values() for i in range(g.childCount())]
        return [i for i in items if not (visible_only and (i.isHidden() or i.parent().isHidden()))]

    def group_items(self) -> dict[str, QTreeWidgetItem]:
        return dict(self._groups)

    def mime_for(self, item: QTreeWidgetItem | None) -> QMimeData | None:
        return mime_for(item)

    # --- behaviour -----------------------------------------------------------
    def filter(self, text: str) -> None:
        """Show only blocks whose title or explanation contains `text` (any case)."""
        needle = text.strip().casefold()
        for group in self._groups.values():
            shown = 0
            for i in range(group.childCount()):
                block = block_of(group.child(i))
                match = not needle or needle in f"{block.title} {block.tip}".casefold()
                group.child(i).setHidden(not match)
                shown += match
            group.setHidden(shown == 0)
        self.tree.expandAll()
        any_shown = bool(self.block_items(visible_only=True))
        self.empty_label.setText(f"No block matches “{text.strip()}”.")
        self.empty_label.setVisible(not any_shown)
        self.tree.setVisible(any_shown)  # the message takes its place rather than sitting under a blank box

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        block = block_of(item)
        if block is not None:
            self.block_activated.emit(block.type, dict(block.params))

    def _activate_first(self) -> None:
        visible = self.block_items(visible_only=True)
        if visible:
            self._activate(visible[0])
