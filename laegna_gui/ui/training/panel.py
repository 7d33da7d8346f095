"""The training area: controls and counters, the decision boundary, and the live tabs.
Builds the views, registers them with the one registry of live views (live_views.py) and
wires the buttons to the TrainingController; holds no logic of its own."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from laegna_gui.core.datasets import make_dataset
from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.canvas.view import GraphView
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.training.banner import TrainingBanner
from laegna_gui.ui.training.controller import TrainingController
from laegna_gui.ui.training.controls import TrainingControls
from laegna_gui.ui.training.counters_view import CountersView
from laegna_gui.ui.training.timeline import Timeline
from laegna_gui.ui.training.views.boundary_view import BoundaryView
from laegna_gui.ui.training.views.curves_view import CurvesView
from laegna_gui.ui.training.views.formula_view import FormulaView
from laegna_gui.ui.training.views.gradients_view import GradientsTabTitle, GradientsView
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
        self.timeline = Timeline()
        self.banner = TrainingBanner()
        self.boundary = BoundaryView()
        self.curves, self.weights, self.gradients = CurvesView(), WeightsView(), GradientsView()
        self.step_view, self.formula = StepView(), FormulaView()
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
        self._register()
        self._shortcuts()
        self._project_replaced()

    def _build(self) -> None:
        """The controls beside the live tabs, the timeline of the recorded run under both. The decision boundary is not laid out here (the
        window shows it large, beside the canvas), nor the banner: the window puts it above the
        canvas, so a divergence takes no room from the controls and the curves that show it."""
        controls = QScrollArea(objectName="controlsScroll", widgetResizable=True)
        controls.setWidget(self.controls)
        controls.setFrameShape(QScrollArea.Shape.NoFrame)
        # as wide as the controls want: a small window scrolls them rather than cutting them off
        controls.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout()
        row.addWidget(controls)
        row.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addLayout(row, 1)
        layout.addWidget(self.timeline)

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
        ctl.diverged.connect(self.banner.show_diverged)
        ctl.failed.connect(self.banner.show_error)
        ctl.running_changed.connect(self.timeline.show_running)
        self.timeline.frame_chosen.connect(ctl.show_frame)
        self.timeline.live_requested.connect(ctl.go_live)
        self.timeline.resume_requested.connect(ctl.branch)
        self.banner.reset_requested.connect(ctl.reset)
        self.banner.lower_rate_requested.connect(self.lower_learning_rate)
        self.canvas.weight_edit_requested.connect(ctl.set_weight)
        self.canvas.node_selected.connect(self.step_view.set_layer)
        self.curves.confusion.cell_chosen.connect(self.boundary.highlight)

    def _register(self) -> None:
        """The training area's live views, in the order they draw: the counters, the timeline and the banner
        in the turn a state arrives, then the boundary, the canvas and the visible tab."""
        views = self.controller.views
        views.register(CountersView(self.controls), self.controls, at_once=True)
        views.register(self.timeline, at_once=True)
        views.register(self.banner, at_once=True, hidden_too=True)  # it hides a divergence that no longer applies
        views.register(self.boundary)
        views.register(self.canvas)
        views.register(GradientsTabTitle(self.tabs, self.gradients), self.tabs)
        for view in (self.curves, self.weights, self.gradients):
            views.register(view)
        views.register(self.step_view, hidden_too=True)  # a Step's report it missed would be gone
        views.register(self.formula)

    def _shortcuts(self) -> None:
        """`shortcuts`: the keys of each button, by its control name (a classroom that hides
        the button turns its keys off too)."""
        keys = {"Space": ("play", self.controller.toggle), "Right": ("step", self.controller.step),
                "S": ("step", self.controller.step), "R": ("reset", self.controller.reset)}
        self.shortcuts: dict[str, list[QShortcut]] = {}
        for key, (control, slot) in keys.items():
            shortcut = QShortcut(QKeySequence(key), self.window() or self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.setParent(self)
            shortcut.activated.connect(slot)
            self.shortcuts.setdefault(control, []).append(shortcut)

    # --- reactions -------------------------------------------------------------
    def _project_replaced(self) -> None:
        self.controls.show_settings(self.document.project.training)
        self.banner.hide()
        self._data_changed()

    def _data_changed(self) -> None:
        try:
            data = make_dataset(self.document.project.dataset, self.document.project.seed)
        except LaegnaError:
            data = None
        self.boundary.set_data(data)
        self.curves.confusion.set_data(data)

    def lower_learning_rate(self) -> None:
        training = self.document.project.training
        self.document.set_training(replace(training, learning_rate=max(1e-5, training.learning_rate / 10)))

    def store_weights(self) -> None:
        """Put the latest trained weights into the project, so saving keeps them (a copy
        of the last snapshot: the model itself stays on the worker's thread)."""
        latest = self.controller.latest
        if latest is not None:
            self.document.project.weights = {name: array.copy() for name, array in latest.weights.items()}

    def shutdown(self) -> None:
        self.controller.shutdown()
