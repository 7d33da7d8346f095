"""The transform lab's 3-D scene: the object drawn through M (with its untransformed
ghost), the basis arrows i, j, k and the eigen arrows with their λ labels, placed anew
for every frame so no two labels overlap. Made once, moved with setData."""

from __future__ import annotations

import numpy as np

from laegna_gui.core import affine
from laegna_gui.core.transform_readouts import eigen_labels
from laegna_gui.ui.space3d.transform_lab_labels import place_arrow_labels


class LabScene:
    """The lab's GL items, made once; `show(M)` moves them with setData."""

    def __init__(self, view) -> None:
        from laegna_gui.ui.space3d import scene_items as si

        self.view = view
        self.grid = si.ground_grid(size=6.0, spacing=0.5)
        view.addItem(self.grid)
        self.ghost_wire = si.unit_cube(ghost=True)
        self.wire = si.unit_cube()
        self.ghost_cloud = si.PointCloud(si.sphere_points(), color="#8a94a0", size=3.0, alpha=0.35)
        self.cloud = si.sphere_of_points()
        self.basis_ghost = si.BasisArrows(faint=True)
        self.basis = si.BasisArrows()
        self.eigen = si.EigenArrows()
        for thing in (self.ghost_wire, self.ghost_cloud, self.basis_ghost, self.wire, self.cloud,
                      self.eigen, self.basis):
            thing.add_to(view)
        view.addItem(_label_placer(self._place_labels))
        self._si = si
        self.kind = "cube"
        self.dataset = None
        self.label_rects: list[tuple[float, float, float, float]] = []
        self.set_object("cube")

    def set_dataset(self, dataset) -> None:
        self.dataset = dataset
        if self.kind == "dataset":
            self.set_object("dataset")

    def set_object(self, kind: str) -> None:
        si = self._si
        if kind == "dataset" and self.dataset is None:
            kind = "cube"
        self.kind = kind
        wire = kind in ("cube", "tetrahedron")
        if wire:
            edges = si.cube_edges() if kind == "cube" else si.tetrahedron_edges()
            self.wire.set_edges(edges)
            self.ghost_wire.set_edges(edges)
        elif kind == "sphere":
            points = si.sphere_points()
            self.cloud.set_points(points, si.rgba(si.OBJECT_HEX, 0.85))
            self.cloud.scatter.setData(size=5.0)
            self.ghost_cloud.set_points(points)
        else:
            points, labels = self.dataset
            self.cloud.set_points(points, si.point_colors(labels, len(points)))
            self.cloud.scatter.setData(size=7.0)
            self.ghost_cloud.set_points(points)
        for thing in (self.wire, self.ghost_wire):
            thing.setVisible(wire)
        for thing in (self.cloud, self.ghost_cloud):
            thing.setVisible(not wire)

    def show(self, M: np.ndarray, eigen: bool) -> None:
        self.wire.set_matrix(M)
        self.cloud.set_matrix(M)
        self.basis.set_matrix(M)
        if eigen:
            readouts = affine.readouts(M)
            self.eigen.set_eigen(readouts.real_eigen)
            for arrow, text in zip(self.eigen.arrows, eigen_labels(readouts)):
                arrow.label.setData(text=text)
        self.eigen.setVisible(eigen)

    def _place_labels(self) -> None:
        shown = self.eigen.arrows[:self.eigen.shown] if self.eigen.axes.visible() else []
        self.label_rects = place_arrow_labels(self.view, self.basis.arrows, shown)


def _label_placer(place):
    """An invisible GL item drawn first in every frame: it places the arrow labels for that
    frame's camera before they are drawn."""
    from pyqtgraph.opengl.GLGraphicsItem import GLGraphicsItem

    class LabelPlacer(GLGraphicsItem):
        def paint(self) -> None:
            place()

    placer = LabelPlacer()
    placer.setDepthValue(-1000)
    return placer
