"""The dataset panel: which toy problem, how many points, how noisy, how split — and, while
drawing points, the pad to draw them on (the window's output view shows the data otherwise)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core.datasets import GENERATORS, MAX_SAMPLES, VARIANTS, Dataset, DatasetSettings, make_dataset
from laegna_gui.core.drawn_points import too_few_points, unsplit_dataset
from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.formula_data import DEFAULT_FORMULA
from laegna_gui.ui.look import style
from laegna_gui.ui.look.theme_restyle import theme_plot
from laegna_gui.ui.look.colour_scale import diverging
from laegna_gui.ui.dataset.csv_import_dialog import CsvImportDialog, open_csv_import
from laegna_gui.ui.dataset.formula_field import FormulaField
from laegna_gui.ui.dataset.variant_combo import VariantCombo
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.naming import name_parts
from laegna_gui.ui.dataset.point_editor import PointDrawingBar, PointEditor
from laegna_gui.ui.signals import signals_blocked

TITLES = {"xor": "XOR", "and": "AND", "or": "OR", "circle": "Circle", "gauss": "Gaussian blobs",
          "spiral": "Spiral", "spiral3": "Spiral, 3 arms", "moons": "Moons", "sine": "Sine (regression)",
          "line": "Line (regression)", "affine3d": "Affine 3-D (regression)", "formula": "Formula (typed)"}
FORMULA_HELP = "Data made by a rule you type, such as label = x1·x2 > 0 or y = sin(3·x1)."
RAMP_STEPS = 21
MAX_PREVIEW = 5000  # more dots only slow the plot down; the count label says when we thin them

TIPS = {
    "dataset": "The toy problem the network learns; hover an entry to see what it is.",
    "variant": "Which version of the dataset: the truth tables as noisy clouds or just their four rows; "
               "TensorFlow Playground's own XOR, circle, Gaussian and spiral sets beside Laegna's.",
    "formula": "The rule that makes the data: 'label = …' for two classes, 'y = …' for a number.",
    "samples": "How many points to draw: more data shows the pattern more clearly and makes overfitting harder.",
    "noise": "How much random jitter each point gets; noisy data blurs the boundary the network must find.",
    "split": "The share of points held back as a test set: the network never trains on them, so they "
             "show how well it does on data it has not seen.",
    "seed": "The random seed: the same seed draws the same points (and starting weights), so a run can "
            "be repeated exactly.",
    "preview": "Training points are filled dots, test points hollow circles; orange is class 0, blue class 1.",
    "preview_targets": "Each dot is a point's first two inputs, coloured by its first target value "
                       "(orange negative, blue positive); test points are hollow.",
    "import": "Use your own data: read a CSV file, pick its feature and target columns (File ▸ Import CSV…).",
}


class DatasetPreview(pg.PlotWidget):
    """The pad to draw points on: the data with training points filled, test points hollow,
    coloured by class. Hidden until drawing starts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background=style.CANVAS_BACKGROUND)
        self.setObjectName("datasetPreview")
        self.setToolTip(TIPS["preview"])
        self.setMinimumSize(180, 180)
        self.setMenuEnabled(False)
        self.setMouseEnabled(False, False)
        self.follow_data = True  # refit the view to each new dataset (not while points are drawn)
        self.getViewBox().setDefaultPadding(0.05)
        self.hideButtons()
        theme_plot(self)
        self.train_item = pg.ScatterPlotItem(size=5, pen=None)
        self.test_item = pg.ScatterPlotItem(size=6, brush=None)
        self.addItem(self.train_item)
        self.addItem(self.test_item)
        # Colour table: the ten class colours, then an orange–blue ramp for regression targets.
        colours = [style.class_color(i) for i in range(10)]
        colours += [diverging(t) for t in np.linspace(-1, 1, RAMP_STEPS)]
        self._brushes = [pg.mkBrush(c) for c in colours]
        self._pens = [pg.mkPen(c, width=1.3) for c in colours]

    def hasHeightForWidth(self) -> bool:  # noqa: N802 — Qt override: stay square, spare room goes below
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return width

    def show_dataset(self, data: Dataset | None) -> None:
        if data is None:
            self.train_item.setData(pos=np.zeros((0, 2)))
            self.test_item.setData(pos=np.zeros((0, 2)))
            return
        one_d = data.x_train.shape[1] == 1
        self.setLabel("bottom", data.feature_names[0])
        self.setLabel("left", "y" if one_d else data.feature_names[1])
        self.setAspectLocked(not one_d)
        self.setToolTip(TIPS["preview"] if data.task == "classification" or one_d else TIPS["preview_targets"])
        scale = float(max(np.abs(data.y_train).max(initial=0), np.abs(data.y_test).max(initial=0), 1e-9))
        n_test = max(1, MAX_PREVIEW * len(data.x_test) // max(1, len(data.x_train)))
        pos, colours = self._points(data.x_train[:MAX_PREVIEW], data.y_train[:MAX_PREVIEW], data.task, scale)
        self.train_item.setData(pos=pos, brush=[self._brushes[c] for c in colours])
        pos, colours = self._points(data.x_test[:n_test], data.y_test[:n_test], data.task, scale)
        self.test_item.setData(pos=pos, pen=[self._pens[c] for c in colours], brush=None)
        if self.follow_data:
            self.enableAutoRange()  # refit to the new points, and again whenever the widget resizes

    @staticmethod
    def _points(x: np.ndarray, y: np.ndarray, task: str, scale: float) -> tuple[np.ndarray, list[int]]:
        """2-D positions (x against y for one input, else the first two inputs) and a colour-table
        index each: the class, or for multi-input regression the first target on the ramp."""
        if x.shape[1] == 1:
            values = np.asarray(y, dtype=float).reshape(len(x), -1)[:, 0]
            return np.column_stack([x[:, 0], values]), [1] * len(x)
        if task == "classification":
            return x[:, :2], (y % 10).tolist()
        t = np.clip(np.asarray(y, dtype=float)[:, 0] / scale, -1, 1)
        return x[:, :2], (10 + np.rint((t + 1) / 2 * (RAMP_STEPS - 1)).astype(int)).tolist()


class DatasetPanel(QWidget):
    """Controls for the project's DatasetSettings and seed; every change is one undoable step."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetPanel")
        self.document = document
        self._custom: DatasetSettings | None = None  # the project's own points, so they can be chosen again
        self._formula = DEFAULT_FORMULA  # the last formula that made data, for choosing Formula again
        self._build()
        self._connect()
        document.dataset_changed.connect(self.refresh)
        document.project_replaced.connect(self._project_replaced)
        self._project_replaced()
        name_parts(self)

    # --- building ------------------------------------------------------------
    def _build(self) -> None:
        self.combo = QComboBox(objectName="datasetCombo", toolTip=TIPS["dataset"])
        helps = {name: gen.help for name, gen in GENERATORS.items()} | {"formula": FORMULA_HELP}
        for i, (name, text) in enumerate(helps.items()):
            self.combo.addItem(TITLES.get(name, name), name)
            self.combo.setItemData(i, text, Qt.ItemDataRole.ToolTipRole)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)  # long names must not keep a narrow dock wide
        self.variant = VariantCombo(self)
        self.formula = FormulaField(self)
        self.samples = QSpinBox(objectName="samplesSpin", toolTip=TIPS["samples"], keyboardTracking=False,
                                minimum=4, maximum=MAX_SAMPLES, singleStep=50, groupSeparatorShown=True)
        self.noise = QDoubleSpinBox(objectName="noiseSpin", toolTip=TIPS["noise"], keyboardTracking=False,
                                    minimum=0.0, maximum=2.0, singleStep=0.05, decimals=2)
        self.split = QSlider(Qt.Orientation.Horizontal, objectName="testSplit", toolTip=TIPS["split"],
                             minimum=0, maximum=90, singleStep=5, pageStep=10, tracking=False)
        self.split_value = QLabel(objectName="testSplitValue", minimumWidth=40)
        self.seed = QSpinBox(objectName="seedSpin", toolTip=TIPS["seed"], keyboardTracking=False,
                             minimum=0, maximum=2**31 - 1)
        self.import_button = QPushButton("Import CSV…", objectName="importCsvButton", toolTip=TIPS["import"])
        self.preview = DatasetPreview(self)
        self.editor = PointEditor(self.document, self.preview, self)
        self.drawing = PointDrawingBar(self.editor, self)
        self.counts = QLabel(objectName="datasetCounts", wordWrap=True)
        style.set_role(self.counts, "muted")
        self.error = QLabel(objectName="datasetError", wordWrap=True)
        style.set_role(self.error, "error")
        self._lay_out()

    def _lay_out(self) -> None:
        split_row = QHBoxLayout()
        split_row.addWidget(self.split, 1)
        split_row.addWidget(self.split_value)
        form = self._form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows = (("Dataset", self.combo, "dataset"), ("Formula", self.formula, "formula"),
                ("Variant", self.variant, "variant"),
                ("Samples", self.samples, "samples"), ("Noise", self.noise, "noise"),
                ("Test split", split_row, "split"), ("Seed", self.seed, "seed"))
        for text, field, tip in rows:
            label = QLabel(text, toolTip=TIPS[tip])
            form.addRow(label, field)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 8, 8, 8)
        column.addLayout(form)
        own_data = QHBoxLayout()  # draw your own points, or import them
        own_data.addWidget(self.drawing, 1)
        own_data.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(own_data)
        column.addWidget(self.preview)
        self.preview.hide()  # the window's output view shows the data; this is the pad to draw on
        column.addWidget(self.counts)
        column.addWidget(self.error)
        column.addStretch(1)

    def _connect(self) -> None:
        self.combo.currentIndexChanged.connect(lambda _i: self._choose(self.combo.currentData()))
        self.variant.currentIndexChanged.connect(
            lambda _i: self._change(options=self._settings.options | {"variant": self.variant.currentData()}))
        self.formula.formula_entered.connect(self._enter_formula)
        self.samples.valueChanged.connect(lambda v: self._change(samples=v))
        self.noise.valueChanged.connect(lambda v: self._change(noise=round(v, 4)))
        self.split.sliderMoved.connect(self._show_split)
        self.split.valueChanged.connect(lambda v: self._change(test_fraction=v / 100))
        self.seed.valueChanged.connect(self.document.set_seed)
        self.import_button.clicked.connect(self.import_csv)
        self.drawing.drawing_changed.connect(self._show_pad)

    def _show_pad(self, drawing: bool) -> None:
        """The pad to draw on opens under the drawing buttons; Import waits till drawing is done."""
        self.import_button.setHidden(drawing)
        if drawing and self.preview.isHidden():
            self._open_pad()
        self.preview.setVisible(drawing)

    def _open_pad(self) -> None:
        """The editor took the view of a hidden pad, never fitted to the data: fit it now and let
        the editor hold that still. The aspect lock waits meanwhile, as the pad has no size yet."""
        view_box = self.preview.getViewBox()
        ratio = view_box.state["aspectLocked"]
        self.preview.show()
        view_box.setAspectLocked(False)
        self.editor.set_active(False)
        view_box.updateAutoRange()
        self.editor.set_active(True)
        if ratio:
            view_box.setAspectLocked(True, ratio=ratio)

    # --- edits (each one goes through the document, so it can be undone) ----
    @property
    def _settings(self) -> DatasetSettings:
        return self.document.project.dataset

    def _change(self, **fields) -> None:
        self.document.set_dataset(replace(self._settings, **fields))

    def _choose(self, name: str) -> None:
        current = self._settings
        if name == current.name:
            return
        if name == "custom":
            self.document.set_dataset(self._custom)
            return
        variant = current.options.get("variant")  # xor's playground version leads to circle's
        keep = {"variant": variant} if variant in VARIANTS.get(name, ()) else {}
        if name == "formula":
            keep = {"formula": self._formula}  # the last one that made data here
        samples = min(max(current.samples, 4), MAX_SAMPLES)
        self.document.set_dataset(replace(current, name=name, samples=samples, options=keep, points=None))

    def _enter_formula(self, text: str) -> None:
        """Make data from a typed formula; a formula that cannot make any keeps the data as it is
        and says why under the line."""
        current = self._settings
        if current.name != "formula" or text == current.options.get("formula"):
            self.formula.clear_problem()
            return
        candidate = replace(current, options={"formula": text})
        try:
            make_dataset(candidate, self.document.project.seed)
        except LaegnaError as exc:
            self.formula.show_problem(str(exc))
            return
        self.document.set_dataset(candidate)

    def import_csv(self) -> CsvImportDialog | None:
        """Ask for a CSV file and open the import dialog on it (None if no file was chosen)."""
        return open_csv_import(self.document, self.window())

    # --- following the document ----------------------------------------------
    def _project_replaced(self) -> None:
        self._custom = None
        self.drawing.toggle.setChecked(False)  # another project: its data is not being drawn on
        self.refresh()

    def refresh(self) -> None:
        """Show the document's settings in the controls (without re-announcing them) and redraw."""
        settings = self._settings
        if settings.name == "custom":
            self._custom = settings
        if settings.name == "formula":
            self._formula = settings.options["formula"]
            self.formula.show_formula(self._formula)
        else:
            self.formula.discard_edit()
        self._form.setRowVisible(self.formula, settings.name == "formula")
        with signals_blocked(self.combo, self.variant, self.samples, self.noise, self.split, self.seed):
            self._sync_custom_entry()
            self.combo.setCurrentIndex(self.combo.findData(settings.name))
            self.variant.show_variants(settings.name, settings.options.get("variant"))
            self.samples.setValue(settings.samples)
            self.noise.setValue(settings.noise)
            self.split.setValue(round(settings.test_fraction * 100))
            self.seed.setValue(self.document.project.seed)
        self._show_split(self.split.value())
        self._enable(settings)
        self._redraw(settings)
        self.drawing.refresh()

    def _sync_custom_entry(self) -> None:
        index = self.combo.findData("custom")
        if self._custom is None:
            if index >= 0:
                self.combo.removeItem(index)
            return
        text = f"Custom ({len((self._custom.points or {}).get('x', [])):,} points)"
        if index < 0:
            self.combo.addItem(text, "custom")
            index = self.combo.count() - 1
        self.combo.setItemText(index, text)
        self.combo.setItemData(index, "Your own points, imported from a file or drawn.", Qt.ItemDataRole.ToolTipRole)

    def _enable(self, settings: DatasetSettings) -> None:
        generated = settings.name != "custom"
        corners = settings.options.get("variant") == "corners"
        self.samples.setEnabled(generated and not corners)
        self.noise.setEnabled(generated and not corners)
        self.split.setEnabled(not corners)

    def _show_split(self, percent: int) -> None:
        self.split_value.setText(f"{percent} %")

    def _redraw(self, settings: DatasetSettings) -> None:
        try:
            data = make_dataset(settings, self.document.project.seed)
        except LaegnaError as exc:
            self.preview.show_dataset(unsplit_dataset(settings))
            self.counts.clear()
            self.error.setText("Cannot make this dataset yet: draw at least 2 points." if too_few_points(settings)
                               else f"Cannot make this dataset: {exc}")
            self.error.show()
            return
        self.error.hide()
        self.preview.show_dataset(data)
        self.counts.setText(self._count_text(settings, data))

    @staticmethod
    def _count_text(settings: DatasetSettings, data: Dataset) -> str:
        if settings.options.get("variant") == "corners":
            return "The four corners are both the training and the test set."
        n_train, n_test = len(data.x_train), len(data.x_test)
        text = f"{n_train:,} training points · {n_test:,} test points"
        return text + (f" (plot shows {MAX_PREVIEW:,})" if n_train > MAX_PREVIEW else "")
