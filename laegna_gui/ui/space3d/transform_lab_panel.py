"""The transform lab's scene panel: the 3-D view and the controls under it (the object
shown, eigenvectors on or off, reset camera, and the identity → M animation: Animate and
the t slider). Follows the model's matrix and time; without OpenGL the panel says why
it is empty and everything else still works."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QVector3D
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core.transform_stack import TransformStack
from laegna_gui.ui.space3d.gl import GLPanel
from laegna_gui.ui.space3d.transform_lab_scene import LabScene

ANIMATION_MS = 1500
FRAME_MS = 33
CAMERA_DISTANCE = 4.0
OBJECTS = [("cube", "Unit cube"), ("tetrahedron", "Tetrahedron"), ("sphere", "Sphere of points"),
           ("dataset", "Dataset points")]
TIPS = {
    "object": "The object drawn through M; its untransformed copy is the faint ghost.",
    "eigen": "Show the real eigenvectors: directions that W only stretches (by λ), never turns.",
    "reset": "Reset camera: put it back where it started (drag the scene to orbit, wheel to zoom).",
    "animate": "Play the transformation from the identity (t = 0) to M (t = 1).",
    "slider": "Scrub the animation: t = 0 is the identity, t = 1 is M; in between, rotations turn "
              "part of the way and stretches grow smoothly.",
}
NO_DATASET_TIP = "Choose a dataset in the main window to see its points here."


class ScenePanel(QWidget):
    """The scene with its controls, showing the model's matrix at the model's time t."""

    def __init__(self, model: TransformStack) -> None:
        super().__init__(objectName="labScenePanel")
        self.model = model
        self.scene: LabScene | None = None  # made with the GL view, on first show
        self.dataset = None  # (points (n, 3), labels or None), as core.transform_stack.lab_points gives it
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel = GLPanel("labScene")
        self.panel.setMinimumSize(240, 160)
        layout.addWidget(self.panel, 1)
        layout.addLayout(self._build_bar())
        layout.addLayout(self._build_morph())
        self.panel.view_created.connect(self._make_scene)
        model.events.matrix_changed.connect(self._matrix_changed)
        model.events.t_changed.connect(lambda _t: self._update())
        self._update()

    def _build_bar(self) -> QHBoxLayout:
        self.object_combo = QComboBox(objectName="labObject")
        self.object_combo.setToolTip(TIPS["object"])
        self.object_combo.setAccessibleName("Object shown")
        for key, title in OBJECTS:
            self.object_combo.addItem(title, key)
        self._enable_dataset_choice(False)
        self.object_combo.currentIndexChanged.connect(lambda _i: self._object_changed())
        self.eigen_check = QCheckBox("Eigenvectors", objectName="showEigen")
        self.eigen_check.setChecked(True)
        self.eigen_check.setToolTip(TIPS["eigen"])
        self.eigen_check.toggled.connect(lambda _on: self._update())
        self.reset_button = QToolButton(objectName="resetCamera")
        self.reset_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.reset_button.setToolTip(TIPS["reset"])
        self.reset_button.setAccessibleName("Reset camera")
        self.reset_button.clicked.connect(self.reset_camera)
        bar = QHBoxLayout()
        bar.addWidget(self.object_combo)
        bar.addWidget(self.eigen_check)
        bar.addStretch(1)
        bar.addWidget(self.reset_button)
        return bar

    def _build_morph(self) -> QHBoxLayout:
        self.animate_button = QPushButton("Animate", objectName="animateButton")
        self.animate_button.setToolTip(TIPS["animate"])
        self.animate_button.clicked.connect(self.toggle_animation)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="morphSlider")
        self.slider.setRange(0, 100)
        self.slider.setValue(100)
        self.slider.setToolTip(TIPS["slider"])
        self.slider.setAccessibleName("Animation time t")
        self.slider.valueChanged.connect(lambda value: self.model.set_t(value / 100.0))
        self.slider.sliderPressed.connect(self.stop_animation)
        self.t_label = QLabel(objectName="morphValue")
        self.t_label.setMinimumWidth(self.t_label.fontMetrics().horizontalAdvance("t = 0.00") + 4)
        morph = QHBoxLayout()
        morph.addWidget(self.animate_button)
        morph.addWidget(QLabel("identity"))
        morph.addWidget(self.slider, 1)
        morph.addWidget(QLabel("M"))
        morph.addWidget(self.t_label)
        return morph

    # --- data and camera ----------------------------------------------------------------
    def set_dataset(self, dataset) -> None:
        """(points (n, 3), labels or None) from core.transform_stack.lab_points, or None."""
        self.dataset = dataset
        self._enable_dataset_choice(dataset is not None)
        if dataset is None and self.object_combo.currentData() == "dataset":
            self.object_combo.setCurrentIndex(0)
        if self.scene is not None:
            self.scene.set_dataset(dataset)
        self._update()

    def object_kind(self) -> str:
        return self.object_combo.currentData()

    def reset_camera(self) -> None:
        """The camera as it started: the cube and arrows fill the view whatever its shape."""
        view = self.panel.view
        if view is not None:
            # pyqtgraph's field of view spans the width: a wide view must step back to fit the height
            distance = CAMERA_DISTANCE * max(1.0, 0.75 * view.width() / max(1, view.height()))
            view.setCameraPosition(pos=QVector3D(0.4, 0.4, 0.5), distance=distance, elevation=22, azimuth=35)

    # --- animation ----------------------------------------------------------------------
    @property
    def animating(self) -> bool:
        return self._timer.isActive()

    def toggle_animation(self) -> None:
        if self.animating:
            self.stop_animation()
        else:
            self.start_animation()

    def start_animation(self) -> None:
        self.model.set_t(0.0)
        self._clock.start()
        self._timer.start()
        self.animate_button.setText("Stop")

    def stop_animation(self) -> None:
        self._timer.stop()
        self.animate_button.setText("Animate")

    def _tick(self) -> None:
        t = min(1.0, self._clock.elapsed() / ANIMATION_MS)
        self.model.set_t(t)
        if t >= 1.0:
            self.stop_animation()

    # --- following the model -----------------------------------------------------------
    def _matrix_changed(self) -> None:
        if not self.animating:
            self.model.set_t(1.0)  # a new M is shown whole
        self._update()

    def _make_scene(self, view) -> None:
        self.scene = LabScene(view)
        self.scene.set_dataset(self.dataset)
        self.scene.set_object(self.object_combo.currentData())
        self.reset_camera()
        self._update()

    def _enable_dataset_choice(self, enabled: bool) -> None:
        item = self.object_combo.model().item(self.object_combo.findData("dataset"))
        if item is not None:
            item.setEnabled(enabled)
            item.setToolTip("" if enabled else NO_DATASET_TIP)

    def _object_changed(self) -> None:
        if self.scene is not None:
            self.scene.set_object(self.object_combo.currentData())
        self._update()

    def _update(self) -> None:
        t = self.model.t
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(t * 100))
        self.t_label.setText(f"t = {t:.2f}")
        if self.scene is not None:
            self.scene.show(self.model.shown_matrix(), self.eigen_check.isChecked())
