"""The variant picker: the versions the chosen dataset comes in, each with its own tip."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

from laegna_gui.core.datasets import VARIANTS

LABELS = {"cloud": "cloud", "corners": "corners", "laegna": "Laegna", "playground": "TF Playground"}
_SAME = (" Its own coordinates, so the same network and learning rate behave as in the playground. "
         "Noise is the playground's noise slider ÷ 100 (its 0–50 is 0–0.5 here).")
TIPS = {
    ("xor", "cloud"): "Noisy points scattered around the four corners of the truth table.",
    ("xor", "corners"): "Exactly the four truth-table rows — the classic perceptron exercise.",
    ("xor", "playground"): "TensorFlow Playground's XOR: points anywhere in [−5, 5]², kept 0.3 away from the "
                           "axes, class 1 where x1·x2 ≥ 0; noise moves the spot the label is read at, not "
                           "the point." + _SAME,
    ("circle", "laegna"): "Laegna's circle: a disc of radius 0.5 inside a ring from 0.7 to 1; noise jitters "
                          "the points.",
    ("circle", "playground"): "TensorFlow Playground's circle: a disc of radius 2.5 inside a ring from 3.5 "
                              "to 5, half the points each; noise moves the spot the label is read at, so "
                              "labels near the edge flip while the points stay put." + _SAME,
    ("gauss", "laegna"): "Laegna's blobs around (0.5, 0.5) and (−0.5, −0.5), spread 0.25 + noise.",
    ("gauss", "playground"): "TensorFlow Playground's blobs around (2, 2) and (−2, −2), exactly half the "
                             "points each, variance from 0.5 (noise 0) to 4 (noise 0.5)." + _SAME,
    ("spiral", "laegna"): "Laegna's spiral: points at random distances along two arms; noise jitters them.",
    ("spiral", "playground"): "TensorFlow Playground's spiral: points evenly spaced along two arms out to "
                              "radius 5, half per arm; noise shifts each coordinate by up to ±noise." + _SAME,
}
TIPS |= {(table, v): TIPS["xor", v] for table in ("and", "or") for v in VARIANTS[table]}
ONE_VERSION = "This dataset comes in one version."


class VariantCombo(QComboBox):
    """Lists only the variants of the dataset shown; disabled for a dataset with none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="variantCombo")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)  # as the dataset combo: a long name must not widen the dock
        self._dataset: str | None = None
        self.currentIndexChanged.connect(lambda _i: self.setToolTip(self._tip()))

    def show_variants(self, dataset: str, current: str | None) -> None:
        """List `dataset`'s variants (once per dataset) and select `current`, or the default."""
        if dataset != self._dataset:
            self._dataset = dataset
            self.clear()
            for i, name in enumerate(VARIANTS.get(dataset, ())):
                self.addItem(LABELS[name], name)
                self.setItemData(i, TIPS[dataset, name], Qt.ItemDataRole.ToolTipRole)
            if not self.count():
                self.addItem("—", None)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.setEnabled(dataset in VARIANTS)
        self.setToolTip(self._tip())

    def _tip(self) -> str:
        return TIPS.get((self._dataset, self.currentData()), ONE_VERSION)
