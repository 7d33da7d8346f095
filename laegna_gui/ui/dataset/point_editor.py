"""Drawing your own points on the dataset preview.

`PointEditor` is the gesture: while active it receives the preview's clicks and turns each
into one undoable dataset change (click adds, Shift+click adds the other class, right-click
or Ctrl+click removes the nearest point). `PointDrawingBar` holds its controls: the
"Draw points" toggle, one button per class and Clear.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from laegna_gui.core.datasets import dataset_spec
from laegna_gui.core.drawn_points import (
    Points,
    cleared,
    drawing_problem,
    drawn_settings,
    editable_points,
    nearest,
    plot_positions,
    with_point,
    without_point,
)
from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.validate import DataSpec
from laegna_gui.ui.look import style
from laegna_gui.ui.document.document import Document

HIT_RADIUS = 8  # pixels: how close a right-click must be to a point to remove it
TOGGLE_TIP = ("Draw your own points on the preview. Click adds a point of the chosen class; Shift+click "
              "adds the other class; right-click (or Ctrl+click) removes the nearest point. A generated "
              "dataset becomes your own editable copy at the first edit. Every edit can be undone.")
CLEAR_TIP = "Remove every point, to draw a dataset from scratch (undoable)."


class PointEditor(QObject):
    """The drawing gesture on a DatasetPreview; the document holds the points."""

    message_shown = Signal(str)  # why an edit was refused, or "" once one succeeds

    def __init__(self, document: Document, preview: pg.PlotWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.preview = document, preview
        self.active = False
        self.current_class = 0
        preview.scene().sigMouseClicked.connect(self._clicked)

    # --- the data being drawn ------------------------------------------------
    def spec(self) -> DataSpec:
        """The shape of the data; stored points know their width even when none are left."""
        settings = self.document.project.dataset
        points = settings.points or {}
        if settings.name == "custom" and not len(points.get("x", ())) and points.get("feature_names"):
            return DataSpec(len(points["feature_names"]), points.get("task", "classification"),
                            int(points.get("n_outputs", 2)))
        return dataset_spec(settings)

    def problem(self) -> str | None:
        return drawing_problem(self.spec())

    def other_class(self) -> int:
        return (self.current_class + 1) % max(2, self.spec().n_outputs)

    # --- edits (one undo step each) -----------------------------------------
    def add(self, at: tuple[float, float], other: bool = False) -> None:
        spec = self.spec()
        if spec.task == "classification":
            label = self.other_class() if other else self.current_class
            self._edit(f"Add class {label} point", lambda p: with_point(p, list(at), label))
        else:
            self._edit("Add point", lambda p: with_point(p, [at[0]], at[1]))

    def remove_near(self, at: tuple[float, float]) -> bool:
        positions = plot_positions(self._points())
        index = nearest(positions, at, self.preview.getViewBox().viewPixelSize(), HIT_RADIUS)
        if index is None:
            self.message_shown.emit("No point near the click to remove.")
            return False
        self._edit("Remove point", lambda p: without_point(p, index))
        return True

    def clear(self) -> None:
        self._edit("Clear points", cleared)

    def _points(self) -> Points:
        settings = self.document.project.dataset
        return editable_points(settings, self.document.project.seed)

    def _edit(self, text: str, change: Callable[[Points], Points]) -> None:
        current = self.document.project.dataset
        try:
            settings = drawn_settings(current, change(self._points()))
        except LaegnaError as exc:
            self.message_shown.emit(f"Cannot edit the points: {exc}")
            return
        if current.name != "custom":
            text += f" (your copy of the {current.name} data)"
        stack = self.document.undo_stack
        stack.beginMacro(text)  # a macro: one step that carries this edit's own name
        self.document.set_dataset(settings)
        stack.endMacro()
        self.message_shown.emit("")

    # --- the gesture ---------------------------------------------------------
    def set_active(self, active: bool) -> None:
        self.active = active
        view_box = self.preview.getViewBox()
        if active:  # hold the view still while drawing, with room around the data to draw in
            (x0, x1), (y0, y1) = view_box.viewRange()
            mx, my = (x1 - x0) * 0.15, (y1 - y0) * 0.15
            view_box.setRange(xRange=(x0 - mx, x1 + mx), yRange=(y0 - my, y1 + my), padding=0)
        else:
            view_box.enableAutoRange()
        self.preview.follow_data = not active
        cursor = Qt.CursorShape.CrossCursor if active else Qt.CursorShape.ArrowCursor
        self.preview.viewport().setCursor(cursor)

    def _clicked(self, event) -> None:
        if not self.active or self.problem():
            return
        view_box = self.preview.getViewBox()
        if not view_box.sceneBoundingRect().contains(event.scenePos()):
            return  # on an axis, not in the plot
        where: QPointF = view_box.mapSceneToView(event.scenePos())
        at = (where.x(), where.y())
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if event.button() == Qt.MouseButton.RightButton or (event.button() == Qt.MouseButton.LeftButton and control):
            self.remove_near(at)
        elif event.button() == Qt.MouseButton.LeftButton:
            self.add(at, other=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        event.accept()


class PointDrawingBar(QWidget):
    """The drawing controls under the preview: toggle, class buttons, Clear and a hint line.
    `drawing_changed` tells the panel, which hides its other buttons meanwhile."""

    drawing_changed = Signal(bool)

    def __init__(self, editor: PointEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pointDrawingBar")
        self.editor = editor
        self.toggle = QPushButton("Draw points", objectName="drawPointsToggle", checkable=True, toolTip=TOGGLE_TIP)
        self.clear = QPushButton("Clear", objectName="clearPointsButton", toolTip=CLEAR_TIP)
        self.classes = QButtonGroup(self)
        self.class_label = QLabel("Class", toolTip="The class a plain click adds; Shift+click adds the next one.")
        self.class_buttons = QHBoxLayout()
        self.class_buttons.setSpacing(3)
        class_row = QHBoxLayout()
        class_row.addWidget(self.class_label)
        class_row.addSpacing(4)
        class_row.addLayout(self.class_buttons)
        class_row.addStretch(1)
        self.hint = QLabel(objectName="drawHint", wordWrap=True)
        style.set_role(self.hint, "muted")
        row = QHBoxLayout()
        row.addWidget(self.toggle)
        row.addStretch(1)
        row.addWidget(self.clear)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addLayout(class_row)
        column.addWidget(self.hint)
        self.toggle.toggled.connect(self._toggled)
        self.clear.clicked.connect(editor.clear)
        self.classes.idClicked.connect(self._class_chosen)
        editor.message_shown.connect(self._message)
        self.refresh()

    def refresh(self) -> None:
        """Follow the dataset: which classes exist, and whether it can be drawn on at all."""
        problem = self.editor.problem()
        self.toggle.setEnabled(problem is None)
        self.toggle.setToolTip(problem or TOGGLE_TIP)
        if problem and self.toggle.isChecked():
            self.toggle.setChecked(False)
        spec = self.editor.spec()
        self._make_class_buttons(spec.n_outputs if spec.task == "classification" and not problem else 0)
        self._show_state()

    def _make_class_buttons(self, count: int) -> None:
        if len(self.classes.buttons()) == count:
            return
        for button in self.classes.buttons():
            self.classes.removeButton(button)
            self.class_buttons.removeWidget(button)
            button.hide()
            button.deleteLater()
        for i in range(count):
            button = QPushButton(str(i), objectName=f"drawClass{i}", checkable=True, toolTip=f"Draw class {i}")
            colour = style.class_color(i).name()
            button.setFixedSize(26, 24)
            ink = style.ink_on(style.class_color(i)).name()  # readable on the class colour
            button.setStyleSheet(f"QPushButton {{ background: {colour}; color: {ink}; font-weight: bold;"
                                 f" border: 2px solid {colour}; border-radius: 4px; }}"
                                 " QPushButton:checked { border-color: palette(window-text); }")
            self.classes.addButton(button, i)
            self.class_buttons.addWidget(button)
        self.editor.current_class = min(self.editor.current_class, max(0, count - 1))
        if count:
            self.classes.button(self.editor.current_class).setChecked(True)

    def _toggled(self, on: bool) -> None:
        self.editor.set_active(on)
        self.toggle.setText("Done drawing" if on else "Draw points")
        self.drawing_changed.emit(on)
        self._show_state()

    def _class_chosen(self, index: int) -> None:
        self.editor.current_class = index
        self._show_state()

    def _show_state(self) -> None:
        drawing = self.toggle.isChecked()
        for button in self.classes.buttons():
            button.setVisible(drawing)
        self.class_label.setVisible(drawing and bool(self.classes.buttons()))
        self.clear.setVisible(drawing)
        self.hint.setVisible(drawing)
        self.hint.setText(self._hint())

    def _hint(self) -> str:
        remove = "right-click or Ctrl+click removes the nearest point."
        if self.editor.spec().task == "classification":
            return (f"Click adds class {self.editor.current_class}; Shift+click adds class "
                    f"{self.editor.other_class()}; {remove}")
        return f"Click adds a point at that input and target value; {remove}"

    def _message(self, text: str) -> None:
        self.hint.setText(text or self._hint())
        style.set_role(self.hint, "error" if text else "muted")
