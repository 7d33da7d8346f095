"""The inspector: a form for the selected node, generated from its parameter schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.graph import Node
from laegna_gui.core.nodes import FEATURE_TITLES, node_type
from laegna_gui.core.params import Param
from laegna_gui.core.validate import param_count
from laegna_gui.ui.look import style
from laegna_gui.ui.document.commands import SetParamsCommand
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.help.window import HelpButton, with_help
from laegna_gui.ui.naming import name_parts
from laegna_gui.ui.editor.palette import ACTIVATION_HELP, ACTIVATION_TITLES
from laegna_gui.ui.signals import signals_blocked

LABELS = {"p": "Drop probability", "init": "Weight init", "units": "Units (neurons)"}
PRETTY = {**FEATURE_TITLES, **ACTIVATION_TITLES}
# A parameter that only matters for some settings is greyed out otherwise.
RELEVANT: dict[str, Callable[[dict[str, Any]], bool]] = {"slope": lambda p: p.get("function") == "leaky_relu"}
# the guide page behind a parameter, and behind a node type whose rows do not already point there
HELP_BY_PARAM = {"units": "neuron", "init": "exploding_vanishing", "function": "activations", "p": "regularization"}
HELP_BY_TYPE = {"dense": "neuron", "activation": "activations", "batch_norm": "batch_norm",
                "dropout": "regularization", "output": "losses"}


class ParamEditor:
    """One form field bound to a Param: builds the widget that fits its kind, reads and writes it."""

    def __init__(self, param: Param, on_edit: Callable[[str], None]) -> None:
        self.param = param
        self.widget: QWidget = getattr(self, f"_build_{param.kind}")()
        self.widget.setObjectName(f"param_{param.name}")
        self.widget.setToolTip(param.help)
        self.widget.setAccessibleName(LABELS.get(param.name, param.name))
        self._connect(lambda *_: on_edit(param.name))

    # --- building ------------------------------------------------------------
    def _build_int(self) -> QSpinBox:
        box = QSpinBox(keyboardTracking=False)
        box.setRange(int(self.param.low if self.param.low is not None else -10**9),
                     int(self.param.high if self.param.high is not None else 10**9))
        return box

    def _build_float(self) -> QDoubleSpinBox:
        box = QDoubleSpinBox(keyboardTracking=False, decimals=3)
        low, high = self.param.low or 0.0, self.param.high if self.param.high is not None else 1e6
        box.setRange(low, high)
        box.setSingleStep(0.01 if high - low <= 1 else 0.1)
        return box

    def _build_bool(self) -> QCheckBox:
        return QCheckBox("on")

    def _build_choice(self) -> QComboBox:
        box = QComboBox()
        for i, choice in enumerate(self.param.choices):
            box.addItem(PRETTY.get(choice, choice), choice)
            if choice in ACTIVATION_HELP and self.param.name == "function":
                box.setItemData(i, ACTIVATION_HELP[choice], Qt.ItemDataRole.ToolTipRole)
        return box

    def _build_multi(self) -> QListWidget:
        box = QListWidget()
        for choice in self.param.choices:
            item = QListWidgetItem(PRETTY.get(choice, choice), box)
            item.setData(Qt.ItemDataRole.UserRole, choice)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        box.setSpacing(1)
        rows = (box.sizeHintForRow(0) + 2 * box.spacing()) * box.count()
        box.setFixedHeight(rows + 2 * box.frameWidth() + 4)
        box.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return box

    def _connect(self, slot: Callable[..., None]) -> None:
        w = self.widget
        signal = {"int": "valueChanged", "float": "valueChanged", "bool": "toggled",
                  "choice": "currentIndexChanged", "multi": "itemChanged"}[self.param.kind]
        getattr(w, signal).connect(slot)

    # --- values --------------------------------------------------------------
    def value(self) -> Any:
        w, kind = self.widget, self.param.kind
        if kind in ("int", "float"):
            return w.value()
        if kind == "bool":
            return w.isChecked()
        if kind == "choice":
            return w.currentData()
        items = [w.item(i) for i in range(w.count())]
        return tuple(i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked)

    def set_value(self, value: Any) -> None:
        """Show `value` without announcing it as an edit."""
        w, kind = self.widget, self.param.kind
        with signals_blocked(w):
            if kind in ("int", "float"):
                w.setValue(value)
            elif kind == "bool":
                w.setChecked(value)
            elif kind == "choice":
                w.setCurrentIndex(w.findData(value))
            else:
                for i in range(w.count()):
                    on = w.item(i).data(Qt.ItemDataRole.UserRole) in value
                    w.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _short(exc: LaegnaError) -> str:
    """'dense1.units: 0 is outside 1…1024' → '0 is outside 1…1024'."""
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


class InspectorWidget(QWidget):
    """Shows the selected node: what it is, an editor per parameter, its width and parameter count.
    Every edit is one undoable SetParamsCommand; undo/redo refresh the form without new commands."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.document = document
        self.node_id: str | None = None
        self.editors: dict[str, ParamEditor] = {}
        self._form_host: QWidget | None = None
        self._graph = None
        self._build()
        document.project_replaced.connect(self._project_replaced)
        document.validity_changed.connect(self._validity_changed)  # methods: Qt disconnects them for us
        self.destroyed.connect(lambda *_: self._bind_graph(None))
        self._bind_graph(document.graph)
        self.set_node(None)

    def _label(self, name: str, wrap: bool = False, muted: bool = False) -> QLabel:
        label = QLabel(objectName=name, wordWrap=wrap)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        if muted:
            style.set_role(label, "muted")
        return label

    def _build(self) -> None:
        self.hint = self._label("inspectorHint", wrap=True, muted=True)
        self.hint.setText("Select a layer on the canvas to edit it.")
        self.total = self._label("inspectorTotal", wrap=True)
        self.title = self._label("inspectorTitle")
        self.title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.title_help = HelpButton("neuron")
        self.subtitle = self._label("inspectorNodeId", muted=True)
        self.help = self._label("inspectorHelp", wrap=True, muted=True)
        self.form_slot = QVBoxLayout()
        self.form_slot.setContentsMargins(0, 0, 0, 0)
        self.error = self._label("inspectorError", wrap=True)
        style.set_role(self.error, "error")
        self.width_label = self._label("inspectorWidth", wrap=True)  # "not known until…" needs two lines
        self.params_label = self._label("inspectorParams", wrap=True)
        body = QWidget(objectName="inspectorBody")
        column = QVBoxLayout(body)
        column.setContentsMargins(8, 8, 8, 8)
        column.setSpacing(6)
        title_row = QHBoxLayout()
        title_row.setSpacing(4)
        title_row.addWidget(self.title)
        title_row.addWidget(self.title_help)
        title_row.addStretch(1)
        for w in (self.hint, self.total):
            column.addWidget(w)
        column.addLayout(title_row)
        for w in (self.subtitle, self.help):
            column.addWidget(w)
        column.addLayout(self.form_slot)
        for w in (self.error, self.width_label, self.params_label):
            column.addWidget(w)
        column.addStretch(1)
        scroll = QScrollArea(objectName="inspectorScroll", widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- following the model -------------------------------------------------
    def _bind_graph(self, graph) -> None:
        if self._graph is not None:
            self._graph.events.node_changed.disconnect(self._node_changed)
            self._graph.events.node_removed.disconnect(self._node_removed)
        self._graph = graph
        if graph is not None:
            graph.events.node_changed.connect(self._node_changed)
            graph.events.node_removed.connect(self._node_removed)

    def _project_replaced(self) -> None:
        self._bind_graph(self.document.graph)
        self.set_node(None)

    def _validity_changed(self, _error: object) -> None:
        self._refresh_stats()

    def _node_changed(self, node: Node) -> None:
        if node.id == self.node_id:
            self._show_values(node)

    def _node_removed(self, node: Node) -> None:
        if node.id == self.node_id:
            self.set_node(None)

    # --- showing a node ------------------------------------------------------
    def set_node(self, node_id: str | None) -> None:
        """Show `node_id` (or the empty hint for None or an unknown id)."""
        node = self.document.graph.nodes.get(node_id) if node_id else None
        self.node_id = node.id if node else None
        self._build_form(node)
        for w in (self.title, self.subtitle, self.help, self.width_label, self.params_label):
            w.setVisible(node is not None)
        self.hint.setVisible(node is None)
        self.total.setVisible(node is None)
        self.error.hide()
        self._show_title_help(node)
        if node is not None:
            kind = node_type(node.type)
            self.title.setText(kind.title)
            self.subtitle.setText(node.id)
            self._show_values(node)
        self._refresh_stats()

    def _build_form(self, node: Node | None) -> None:
        if self._form_host is not None:
            self._form_host.setParent(None)  # out of the tree now, so lookups never find stale editors
            self._form_host.deleteLater()
        self._form_host, self.editors = None, {}
        if node is None or not node_type(node.type).params:
            return
        self._form_host = QWidget(objectName="inspectorForm")
        form = QFormLayout(self._form_host)
        form.setContentsMargins(0, 4, 0, 4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for param in node_type(node.type).params:
            editor = ParamEditor(param, self._edited)
            label = QLabel(LABELS.get(param.name, param.name.replace("_", " ").capitalize()))
            label.setToolTip(param.help)
            topic_id = HELP_BY_PARAM.get(param.name)
            form.addRow(label, with_help(editor.widget, topic_id))
            self.editors[param.name] = editor
        self.form_slot.addWidget(self._form_host)
        name_parts(self)

    def _show_title_help(self, node: Node | None) -> None:
        """A "?" beside the title when the node's concept has no "?" on one of its rows."""
        topic_id = HELP_BY_TYPE.get(node.type) if node is not None else None
        on_rows = {HELP_BY_PARAM.get(p.name) for p in node_type(node.type).params} if node is not None else set()
        if topic_id is not None and topic_id not in on_rows:
            self.title_help.set_topic(topic_id)
            self.title_help.show()
        else:
            self.title_help.hide()

    def _show_values(self, node: Node) -> None:
        for name, editor in self.editors.items():
            editor.set_value(node.params[name])
            rule = RELEVANT.get(name)
            editor.widget.setEnabled(rule is None or rule(node.params))
        function = node.params.get("function")
        extra = f"\n\n{ACTIVATION_HELP[function]}" if function in ACTIVATION_HELP else ""
        self.help.setText(node_type(node.type).help + extra)

    # --- editing -------------------------------------------------------------
    def _edited(self, name: str) -> None:
        node = self.document.graph.node(self.node_id)
        editor = self.editors[name]
        value = editor.value()
        try:
            clean = node_type(node.type).check_params(node.params | {name: value}, node.id)[name]
        except LaegnaError as exc:
            self._refuse(editor, node, exc)
            return
        self.error.hide()
        if clean != node.params[name]:
            self.document.push(SetParamsCommand(self.document.graph, node.id, {name: clean}))

    def _refuse(self, editor: ParamEditor, node: Node, exc: LaegnaError) -> None:
        """Put the last good value back and say why the edit was not taken."""
        param = editor.param
        editor.set_value(node.params[param.name])
        if param.kind == "multi":  # the only way to make a list invalid here is to empty it
            text = f"Keep at least one of the {param.name} checked: the layer needs something to read."
        else:
            text = _short(exc)
        self.error.setText(text)
        self.error.show()

    # --- numbers -------------------------------------------------------------
    def _refresh_stats(self) -> None:
        if self.node_id is None:
            analysis = self.document.analysis()
            self.total.setText(f"Network: {analysis.total_params:,} trainable parameters" if analysis
                               else "Finish wiring the network to see its parameter count.")
            return
        node = self.document.graph.nodes.get(self.node_id)
        if node is None:  # being removed: node_removed, which clears the form, comes next
            return
        widths = self.document.widths()
        width = widths.get(node.id)
        sources = self.document.graph.inputs_of(node.id)
        in_width = widths.get(sources[0]) if sources else None
        verb = "Receives" if node.type == "output" else "Output"
        self.width_label.setText(f"{verb}: {width} value{'s' * (width != 1)}{self._data_note(node)}"
                                 if width is not None else f"{verb}: not known until it is wired to the input")
        self.params_label.setText(self._count_text(node, in_width, width))

    def _data_note(self, node: Node) -> str:
        """For the Input on data that is not 2-D: why its width is not the features ticked."""
        inputs = self.document.spec.n_inputs
        if node.type != "input" or inputs == 2:
            return ""
        return f" — the data has {inputs} input{'s' * (inputs != 1)}; the features apply to 2-D data only"

    @staticmethod
    def _count_text(node: Node, in_width: int | None, width: int | None) -> str:
        if node.type not in ("dense", "batch_norm"):
            return "Parameters: 0"
        if width is None or node.type == "dense" and in_width is None:
            return "Parameters: not known until it is wired"
        count = param_count(node, in_width or 0, width)
        if node.type == "batch_norm":
            return f"Parameters: {count:,} ({width} scales + {width} shifts)"
        biases = f" + {width} biases" if node.params["bias"] else ""
        return f"Parameters: {count:,} ({in_width}×{width} weights{biases})"
