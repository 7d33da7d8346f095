"""One setting to vary: a key (the keys core/variations.py accepts) and its values as text,
checked as they are typed, with variations.py's own message shown under them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.core.variations import NODE_KEYS, TRAINING_KEYS, Change, parse_axis
from laegna_gui.ui.look import style

EXAMPLES = {"learning_rate": "0.03, 0.3", "optimizer": "sgd, adam", "batch_size": "1, 10", "width": "2, 8",
            "activation": "relu, tanh", "seed": "1, 2", "momentum": "0, 0.9", "reg_rate": "0, 0.01"}


def variation_keys(project: Project) -> list[str]:
    """The training settings, `seed`, the node keys and each node key with one of its nodes."""
    named = [f"{key}.{node.id}" for key, (type_name, _) in NODE_KEYS.items()
             for node in project.graph.nodes_of_type(type_name)]
    return [*TRAINING_KEYS, "seed", *NODE_KEYS, *named]


class VaryRow(QWidget):
    """`changes` is the checked values (None while the text does not make them); `problem`
    says why. `edited` after every change of key or text."""

    edited = Signal()

    def __init__(self, project: Project, key: str, values: str, name: str) -> None:
        super().__init__(objectName=name)
        self.project = project
        self.key = QComboBox(objectName=f"{name}Key")
        self.key.addItems(variation_keys(project))
        self.key.setCurrentText(key)
        self.values = QLineEdit(values, objectName=f"{name}Values")
        self.message = QLabel(objectName=f"{name}Problem", wordWrap=True)
        style.set_role(self.message, "error")
        self._build()
        self.key.currentTextChanged.connect(self._key_changed)
        self.values.textChanged.connect(self._check)
        self.changes: tuple[Change, ...] | None = None
        self.problem = ""
        self._key_changed(key, keep=True)

    def _build(self) -> None:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.key)
        row.addWidget(QLabel("="))
        row.addWidget(self.values, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def _key_changed(self, key: str, keep: bool = False) -> None:
        example = EXAMPLES.get(key.split(".")[0], "")
        self.values.setPlaceholderText(f"values separated by commas, e.g. {example}" if example else
                                       "values separated by commas")
        if not keep:
            self.values.setText(example)
        self._check()

    def _check(self) -> None:
        try:
            text = f"{self.key.currentText()}={self.values.text()}"
            self.changes, self.problem = parse_axis(text, self.project, ""), ""
        except LaegnaError as exc:
            self.changes, self.problem = None, str(exc).strip()
        self.message.setText(self.problem)
        self.message.setVisible(bool(self.problem))
        self.edited.emit()
