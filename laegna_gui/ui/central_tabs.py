"""The centre of the window: the network canvas and the 3-D tabs, wired to the document
and the training controller. Builds and wires only; the 3-D views' live data (the fit's
snapshot, the layer's stages, the landscape and its path) comes through the controller's
one registry of live views (ui/training/live_views.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtWidgets import QScrollArea, QTabWidget, QWidget

from laegna_gui.core import affine
from laegna_gui.core.datasets import Dataset, hidden_affine, make_dataset
from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.weights import expected_shapes
from laegna_gui.ui.canvas.view import GraphView
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.space3d.affine_fit_view import AffineFitView
from laegna_gui.ui.space3d.landscape_view import LandscapeView
from laegna_gui.ui.space3d.layer_space_view import LayerSpaceView
from laegna_gui.ui.space3d.transform_lab import TransformLab
from laegna_gui.ui.view_names import VIEWS

if TYPE_CHECKING:
    from laegna_gui.ui.training.controller import TrainingController

MAX_WEIGHT_CHOICES = 400


def _scrolling(widget: QWidget) -> QScrollArea:
    """A small window scrolls a 3-D tab instead of refusing to shrink."""
    area = QScrollArea(objectName=f"{widget.objectName()}Scroll", widgetResizable=True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


def dense_layers(document: Document) -> list[str]:
    analysis = document.analysis()
    order = analysis.order if analysis else list(document.graph.nodes)
    return [n for n in order if document.graph.node(n).type == "dense"]


def weight_choices(document: Document) -> list[tuple[str, tuple]]:
    """Every single weight and bias, as (name, index) pairs, for the landscape's axes."""
    analysis = document.analysis()
    if analysis is None:
        return []
    choices: list[tuple[str, tuple]] = []
    for name, shape in expected_shapes(document.graph, analysis).items():
        if document.graph.node(name.split(".")[0]).type == "dense":  # not batch-norm statistics
            choices += [(name, index) for index in np.ndindex(*shape)]
    return choices[:MAX_WEIGHT_CHOICES]


class CentralTabs(QTabWidget):
    def __init__(self, document: Document, canvas: GraphView, controller: TrainingController) -> None:
        super().__init__()
        self.setObjectName("centralTabs")
        self.document, self.controller = document, controller
        self.lab, self.space = TransformLab(), LayerSpaceView()
        self.landscape, self.fit = LandscapeView(), AffineFitView()
        for widget, title, tip in (
                (canvas, "Network", "Build the network: drag layers in, wire them up"),
                (self.lab, "Transform lab", "What a matrix does to space: rotate, scale, shear, shift"),
                (self.space, "Layer space", "A layer's W·x, +b and activation, applied to the data"),
                (self.landscape, "Loss landscape", "The loss over a plane through the current weights"),
                (self.fit, "Affine fit", "A 3→3 layer learning a hidden affine map (affine3d preset)")):
            self.addTab(widget if widget is canvas else _scrolling(widget), title)
            self.setTabToolTip(self.count() - 1, tip)
        # a first example, so the lab opens on something to look at
        self.lab.set_blocks([("rotate_z", {"degrees": 30}), ("scale", {"sx": 1.5, "sy": 1.0, "sz": 1.0}),
                             ("shear", {"xy": 0.5})])
        self._wire()
        for view in (self.fit, self.space, self.landscape):  # after the training area's views
            controller.views.register(view)
        self._project_changed()

    def _wire(self) -> None:
        doc, ctl = self.document, self.controller
        doc.project_replaced.connect(self._project_changed)
        doc.dataset_changed.connect(self._project_changed)
        doc.graph_edited.connect(self._graph_edited)
        self.currentChanged.connect(lambda _i: self._follow_space_layer())
        self.space.layer_chosen.connect(lambda _layer: self._follow_space_layer())
        self.landscape.compute_requested.connect(ctl.compute_landscape)
        self.landscape.cancel_requested.connect(ctl.cancel_landscape)
        ctl.landscape_progress.connect(self.landscape.show_progress)
        ctl.landscape_ready.connect(self._landscape_ready)

    def show_view(self, name: str) -> None:
        """Bring a view forward by its command-line name (see VIEWS)."""
        self.setCurrentIndex(VIEWS.index(name))

    def current_view(self) -> QWidget:
        """The view on the current tab (unwrapped from its scroll area)."""
        page = self.currentWidget()
        return page.widget() if isinstance(page, QScrollArea) else page

    # --- reactions -------------------------------------------------------------
    def _project_changed(self) -> None:
        project = self.document.project
        try:
            data: Dataset | None = make_dataset(project.dataset, project.seed)
        except LaegnaError:
            data = None
        self._show_points(data)
        true = affine.from_linear(*hidden_affine(project.seed)) if project.dataset.name == "affine3d" else None
        layers = dense_layers(self.document)
        self.fit.set_problem(data, true, layers[0] if len(layers) == 1 else None)
        self._graph_edited()

    def _show_points(self, data: Dataset | None) -> None:
        if data is None:
            self.lab.set_dataset_points(None, None)
            return
        x = data.x_train[:, :3]
        points = np.concatenate([x, np.zeros((len(x), 3 - x.shape[1]))], axis=1)
        labels = data.y_train if data.task == "classification" else data.y_train[:, 0]
        self.lab.set_dataset_points(points, labels)

    def _graph_edited(self) -> None:
        self.space.set_layers(dense_layers(self.document))
        self.landscape.set_weight_choices(weight_choices(self.document))
        self._follow_space_layer()

    def _follow_space_layer(self) -> None:
        """The worker computes layer stages only while the Layer space tab is showing."""
        layer = self.space.current_layer() if self.current_view() is self.space else None
        self.controller.set_space_layer(layer)

    def _landscape_ready(self, landscape) -> None:
        if landscape is None:  # cancelled or failed: the old surface stays (a new one is drawn as live data)
            self.landscape.show_landscape(None)
