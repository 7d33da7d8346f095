"""The training area: controls and counters, the decision boundary, and the live tabs.
Builds the views and wires them to the TrainingController; holds no logic of its own."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from laegna_gui.core.datasets import make_dataset
from laegna_gui.core.errors import LaegnaError
from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.canvas.view import GraphView
from laegna_gui.ui.document import Document
from laegna_gui.ui.training.banner import TrainingBanner
from laegna_gui.ui.training.controller import TrainingController
from laegna_gui.ui.training.controls import TrainingControls
from laegna_gui.ui.training.views.boundary_view import BoundaryView
from laegna_gui.ui.training.views.curves_view import CurvesView
from laegna_gui.ui.training.views.formula_view import FormulaView
from laegna_gui.ui.training.views.gradients_view import GradientsView
from laegna_gui.ui.training.views.step_view import StepView
from laegna_gui.ui.training.views.weights_view import WeightsView
from laegna_gui.ui.training.worker import pacing_helps


class TrainingPanel(QWidget):
    def __init__(self, document: Document, canvas: GraphView) -> None:
        super().__init__()
        self.setObjectName("trainingPanel")
        self.document, self.canvas = document, canvas
        self.controller = TrainingController(document, self)
        self.controls = TrainingControls()
        self.banner = TrainingBanner()
        self.boundary = BoundaryView()
        self.curves, self.weights, self.gradients = CurvesView(), WeightsView(), GradientsView()
        self.step_view, self.formula = StepView(), FormulaView()
        self._later: list = []  # parts of the last snapshot still to draw
        # a child timer, not QTimer.singleShot: it dies with the panel, so a closed window's
        # leftover parts are never drawn onto deleted items
        self._draw_timer = QTimer(self, singleShot=True, interval=0)
        self._draw_timer.timeout.connect(self._draw_later)
        # once the last part is drawn (and painted, a turn later) the worker trains on
        self._drawn_timer = QTimer(self, singleShot=True, interval=0)
        self._drawn_timer.timeout.connect(self._frame_drawn)
        self.controller.worker.pace_frames(pacing_helps())
        self.tabs = QTabWidget(objectName="liveTabs")
        for view, title, tip in ((self.curves, "Loss", "Training and test loss and accuracy over time"),
                                 (self.weights, "Weights", "Each dense layer's weight matrix and biases"),
                                 (self.gradients, "Gradients", "How strongly each layer is being pushed"),
                                 (self.step_view, "Step", "What one single iteration changed"),
                                 (self.formula, "Formula", "The network written as one function")):
            self.tabs.addTab(view, title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, tip)
        self._build()
        self._wire()
        self._shortcuts()
        self._project_replaced()

    def _build(self) -> None:
        controls = QScrollArea(objectName="controlsScroll", widgetResizable=True)
        controls.setWidget(self.controls)
        controls.setFrameShape(QScrollArea.Shape.NoFrame)
        controls.setMinimumWidth(270)
        controls.setMaximumWidth(330)
        controls.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        views = QHBoxLayout()
        views.addWidget(self.boundary, 2)
        views.addWidget(self.tabs, 3)
        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addLayout(views, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(controls)
        layout.addLayout(right, 1)

    def _wire(self) -> None:
        c, ctl, doc = self.controls, self.controller, self.document
        c.play_button.clicked.connect(lambda _=False: ctl.toggle())
        c.step_button.clicked.connect(ctl.step)
        c.epoch_button.clicked.connect(ctl.step_epoch)
        c.reset_button.clicked.connect(ctl.reset)
        c.settings_edited.connect(doc.set_training)
        doc.training_changed.connect(lambda: c.show_settings(doc.project.training))
        doc.project_replaced.connect(self._project_replaced)
        doc.dataset_changed.connect(self._data_changed)
        ctl.running_changed.connect(c.show_running)
        ctl.running_changed.connect(lambda running: running and self.banner.hide())
        ctl.snapshot_changed.connect(self.show_snapshot)
        ctl.snapshot_cleared.connect(self.canvas.clear_snapshot)
        ctl.diverged.connect(self.banner.show_diverged)
        ctl.failed.connect(self.banner.show_error)
        self.banner.reset_requested.connect(ctl.reset)
        self.banner.lower_rate_requested.connect(self.lower_learning_rate)
        self.canvas.weight_edit_requested.connect(ctl.set_weight)
        self.canvas.node_selected.connect(self.step_view.set_layer)
        self.tabs.currentChanged.connect(lambda _i: self.controller.latest and self._draw_tab(self.controller.latest))

    def _shortcuts(self) -> None:
        keys = {"Space": self.controller.toggle, "Right": self.controller.step, "S": self.controller.step,
                "R": self.controller.reset}
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self.window() or self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.setParent(self)
            shortcut.activated.connect(slot)

    # --- reactions -------------------------------------------------------------
    def _project_replaced(self) -> None:
        self.controls.show_settings(self.document.project.training)
        self.controls.show_snapshot(None)
        self.banner.hide()
        self._data_changed()

    def _data_changed(self) -> None:
        try:
            self.boundary.set_data(make_dataset(self.document.project.dataset, self.document.project.seed))
        except LaegnaError:
            self.boundary.set_data(None)

    def lower_learning_rate(self) -> None:
        training = self.document.project.training
        self.document.set_training(replace(training, learning_rate=max(1e-5, training.learning_rate / 10)))

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """The counters and the boundary now; the canvas and the tabs in the next turns of the
        event loop (one part per turn, each painted in the turn after it), so each turn is
        short and the window never stalls for long. A newer snapshot replaces whatever of an
        older one is still waiting. When all is drawn, the worker is told (`_drawn_timer`)."""
        self.controls.show_snapshot(snapshot)
        self.boundary.show_snapshot(snapshot)
        self._drawn_timer.stop()  # drawn is said of the newest snapshot only
        waiting = bool(self._later)
        self._later = [lambda: self.canvas.show_snapshot(snapshot), lambda: self._show_tabs(snapshot)]
        if not waiting:
            self._draw_timer.start()

    def _draw_later(self) -> None:
        if self._later:
            self._later.pop(0)()
        if self._later:
            self._draw_timer.start()
        else:
            self._drawn_timer.start()

    def _frame_drawn(self) -> None:
        # a direct call from this thread: a queued slot would wait for the worker to stop waiting
        self.controller.worker.frame_drawn()

    def _show_tabs(self, snapshot: Snapshot) -> None:
        self.step_view.show_snapshot(snapshot)  # keeps the last step report even when hidden
        warning = snapshot.probes.gradient_warning if snapshot.probes else ""
        index, title = self.tabs.indexOf(self.gradients), "Gradients ⚠" if warning else "Gradients"
        if self.tabs.tabText(index) != title:  # a new title lays the whole window out again
            self.tabs.setTabText(index, title)
        self._draw_tab(snapshot, staged=True)

    def _draw_tab(self, snapshot: Snapshot, staged: bool = False) -> None:
        """Only the visible tab is drawn; a tab catches up when it is shown. `staged`: a view
        of two plots leaves the second one to the next turn (see `_draw_later`)."""
        current = self.tabs.currentWidget()
        if current is self.curves:
            self._draw_parts(self.curves.history_parts(self.controller.history), staged)
        elif current is self.weights:
            self.weights.show_snapshot(snapshot)
        elif current is self.gradients:
            self.gradients.show_snapshot(snapshot)
            self._draw_parts(self.gradients.history_parts(self.controller.history), staged)
        elif current is self.formula:
            self.formula.show_snapshot(snapshot, self.document.graph)

    def _draw_parts(self, parts: list, staged: bool) -> None:
        """Draw the first part now and, when `staged`, the others in the next turns."""
        if staged:
            self._later[0:0] = parts[1:]
            parts = parts[:1]
        for part in parts:
            part()

    def store_weights(self) -> None:
        """Put the latest trained weights into the project, so saving keeps them (a copy
        of the last snapshot: the model itself stays on the worker's thread)."""
        latest = self.controller.latest
        if latest is not None:
            self.document.project.weights = {name: array.copy() for name, array in latest.weights.items()}

    def shutdown(self) -> None:
        self._later.clear()
        self._draw_timer.stop()
        self._drawn_timer.stop()
        self.controller.shutdown()
