"""Play/Pause, Step, Step Epoch, Reset, the counters and every hyper-parameter."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QPushButton,
    QSpinBox, QVBoxLayout, QWidget,
)

from laegna_gui.core.training_settings import OPTIMIZERS, RANDOM_SEARCH, REGULARIZATIONS, TrainingSettings
from laegna_gui.core.validate import LOSSES
from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.help.window import with_help
from laegna_gui.ui.training.live_state import number_text, percent_text
from laegna_gui.ui.look.theme_icons import set_icon
from laegna_gui.ui.signals import signals_blocked

TIPS = {
    "play": "Train continuously in the background (Space). The window stays responsive.",
    "step": "Run exactly one iteration: one mini-batch forward, backward and one weight update (→ or S).",
    "epoch": "Train until every training point has been used once more (one epoch).",
    "reset": "Throw the learned weights away and start again from the seed's initial weights (R).",
    "learning_rate": "How big each step downhill is: too small crawls, too large overshoots or diverges. "
                     "For random search, the typical size of its random nudges.",
    "optimizer": "How the step is taken: plain SGD, SGD with momentum (a velocity that builds up), "
                 "Nesterov, RMSprop or Adam (adapts the step for each weight) — or random search, "
                 "which uses no gradients: it tries a random nudge to every weight and keeps it only "
                 "if the batch loss falls. Race it against gradient descent.",
    "momentum": "Momentum: how much of the previous step carries into the next, like a rolling ball.",
    "loss": "How wrongness is scored: squared error, absolute error, log loss, cross-entropy or hinge.",
    "batch_size": "How many points each step learns from; 1 is online learning, 'full batch' uses all.",
    "regularization": "Penalise large weights: L1 pushes small weights to exactly zero, L2 shrinks all.",
    "reg_rate": "How strongly large weights are penalised.",
    "clip": "Gradient clipping caps the length of the gradient so one bad batch cannot blow up the weights.",
    "clip_norm": "The largest gradient length allowed when clipping is on.",
}
# the guide page behind each setting; the optimizer's "?" also covers momentum
HELP_TOPICS = {"learning_rate": "learning_rate", "optimizer": "optimizers", "loss": "losses",
               "batch_size": "batches", "regularization": "regularization", "clip": "clipping"}
OPTIMIZER_TITLES = {"sgd": "SGD", "momentum": "SGD + momentum", "nesterov": "Nesterov", "rmsprop": "RMSprop",
                    "adam": "Adam", "nadam": "NAdam", RANDOM_SEARCH: "Random search"}
LOSS_TITLES = {"mse": "Squared error (MSE)", "half_mse": "Squared error ½",
               "mae": "Absolute error (MAE)", "bce": "Log loss (BCE)",
               "cross_entropy": "Cross-entropy", "hinge": "Hinge"}
# what a short title leaves out, on the item's tooltip (the list shows it when open)
ITEM_TIPS = {RANDOM_SEARCH: "Random search (no gradients): try a random nudge to every weight and keep it "
                            "only if the batch loss falls.",
             "half_mse": "Squared error, ½ — as TensorFlow Playground: ½(o − t)², so the same learning rate "
                         "moves half as far as with MSE."}


def _combo(name: str, items: dict[str, str]) -> QComboBox:
    combo = QComboBox(objectName=name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    for key, title in items.items():
        combo.addItem(title, key)
        if key in ITEM_TIPS:
            combo.setItemData(combo.count() - 1, ITEM_TIPS[key], Qt.ItemDataRole.ToolTipRole)
    return combo


def _spin(name: str, low: float, high: float, decimals: int) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(objectName=name, minimum=low, maximum=high, decimals=decimals)
    spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    spin.setKeyboardTracking(False)
    return spin


class TrainingControls(QWidget):
    """Emits `settings_edited` with new TrainingSettings; shows a snapshot's counters."""

    settings_edited = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("trainingControls")
        self.play_button = QPushButton("Play", objectName="playButton", checkable=True)
        self.step_button = QPushButton("Step", objectName="stepButton")
        self.epoch_button = QPushButton("Step epoch", objectName="stepEpochButton")
        self.reset_button = QPushButton("Reset", objectName="resetButton")
        for button, tip, icon in ((self.play_button, "play", "play"), (self.step_button, "step", "step"),
                                  (self.epoch_button, "epoch", "step-epoch"), (self.reset_button, "reset", "reset")):
            button.setToolTip(TIPS[tip])
            set_icon(button, icon)  # an icon, not a font glyph: "⏸" is an empty box in many fonts
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space stays the window's play key
        self.counters = {key: QLabel("—", objectName=f"{key}Counter") for key in
                         ("iteration", "epoch", "train_loss", "test_loss", "accuracy")}
        self.editors = self._make_editors()
        self._settings = TrainingSettings()
        self._build()
        self._connect()

    def _make_editors(self) -> dict:
        return {
            "learning_rate": _spin("learningRate", 1e-5, 10.0, 5),
            "optimizer": _combo("optimizer", {k: OPTIMIZER_TITLES[k] for k in OPTIMIZERS}),
            "momentum": _spin("momentum", 0.0, 0.999, 3),
            "loss": _combo("loss", {k: LOSS_TITLES[k] for k in LOSSES}),
            "batch_size": QSpinBox(objectName="batchSize", minimum=0, maximum=100_000, specialValueText="full batch"),
            "regularization": _combo("regularization", {k: k.upper() if k != "none" else "None"
                                                        for k in REGULARIZATIONS}),
            "reg_rate": _spin("regRate", 0.0, 10.0, 5),
            "clip": QCheckBox("Clip gradients", objectName="clip"),
            "clip_norm": _spin("clipNorm", 1e-3, 1e3, 3),
        }

    def _build(self) -> None:
        """One row of buttons, one row of counters, then the settings in two columns of
        label and field: how each step is taken on the left, what is minimised on the right."""
        buttons = QHBoxLayout()
        for button in (self.play_button, self.step_button, self.epoch_button, self.reset_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        layout.addLayout(buttons)
        layout.addLayout(self._counter_grid())
        layout.addLayout(self._settings_grid())
        layout.addStretch(1)

    def _counter_grid(self) -> QGridLayout:
        """How far training has come above how well it does; three wide columns, so a long
        reading ("undefined (NaN)", "12,345 (kept)") fits without widening the controls."""
        places = {"iteration": (0, 0, "Iteration"), "epoch": (0, 1, "Epoch"), "train_loss": (2, 0, "Train loss"),
                  "test_loss": (2, 1, "Test loss"), "accuracy": (2, 2, "Accuracy (test)")}
        grid = QGridLayout()
        grid.setVerticalSpacing(0)
        for key, (row, column, title) in places.items():
            grid.addWidget(QLabel(title, objectName=f"{key}Title"), row, column)
            self.counters[key].setStyleSheet("font-size: 14px; font-weight: 600;")
            grid.addWidget(self.counters[key], row + 1, column)
        grid.setRowMinimumHeight(2, 22)  # a little air between the two pairs of rows
        for column in range(3):
            grid.setColumnStretch(column, 1)
        return grid

    def _settings_grid(self) -> QGridLayout:
        columns = ((("learning_rate", "Learning rate"), ("optimizer", "Optimizer"), ("momentum", "Momentum"),
                    ("batch_size", "Batch size")),
                   (("loss", "Loss"), ("regularization", "Regularization"), ("reg_rate", "Reg. rate"),
                    ("clip_norm", None)))  # the clipping row's label is its on/off box
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        grid.setHorizontalSpacing(6)
        for key, editor in self.editors.items():
            editor.setToolTip(TIPS[key])
        for side, rows in enumerate(columns):
            for row, (key, title) in enumerate(rows):
                label = self.editors["clip"] if title is None else QLabel(title, buddy=self.editors[key])
                grid.addWidget(label, row, 3 * side)
                topic = HELP_TOPICS.get("clip" if title is None else key)
                grid.addWidget(with_help(self.editors[key], topic), row, 3 * side + 1)
            grid.setColumnStretch(3 * side + 1, 1)
        grid.setColumnMinimumWidth(2, 8)  # a gap between the two columns
        return grid

    def _connect(self) -> None:
        e = self.editors
        for key in ("learning_rate", "momentum", "reg_rate", "clip_norm"):
            e[key].valueChanged.connect(lambda _v: self._edited())
        e["batch_size"].valueChanged.connect(lambda _v: self._edited())
        for key in ("optimizer", "loss", "regularization"):
            e[key].currentIndexChanged.connect(lambda _i: self._edited())
        e["clip"].toggled.connect(lambda _c: self._edited())

    # --- settings ------------------------------------------------------------
    def read(self) -> TrainingSettings:
        e = self.editors
        return replace(
            self._settings,
            learning_rate=e["learning_rate"].value(), optimizer=e["optimizer"].currentData(),
            momentum=e["momentum"].value(), loss=e["loss"].currentData(),
            batch_size=e["batch_size"].value(), regularization=e["regularization"].currentData(),
            reg_rate=e["reg_rate"].value(), clip=e["clip"].isChecked(), clip_norm=e["clip_norm"].value())

    def show_settings(self, s: TrainingSettings) -> None:
        """Show settings without emitting (undo, a new project)."""
        self._settings = s
        e = self.editors
        with signals_blocked(*e.values()):
            e["learning_rate"].setValue(s.learning_rate)
            e["optimizer"].setCurrentIndex(e["optimizer"].findData(s.optimizer))
            e["momentum"].setValue(s.momentum)
            e["loss"].setCurrentIndex(e["loss"].findData(s.loss))
            e["batch_size"].setValue(s.batch_size)
            e["regularization"].setCurrentIndex(e["regularization"].findData(s.regularization))
            e["reg_rate"].setValue(s.reg_rate)
            e["clip"].setChecked(s.clip)
            e["clip_norm"].setValue(s.clip_norm)
        self._enable_dependents()

    def _edited(self) -> None:
        self._enable_dependents()
        settings = self.read()
        if settings != self._settings:
            self._settings = settings
            self.settings_edited.emit(settings)

    def _enable_dependents(self) -> None:
        e = self.editors
        e["momentum"].setEnabled(e["optimizer"].currentData() in ("momentum", "nesterov", "rmsprop"))
        e["reg_rate"].setEnabled(e["regularization"].currentData() != "none")
        gradients = e["optimizer"].currentData() != RANDOM_SEARCH  # random search has none to clip
        e["clip"].setEnabled(gradients)
        e["clip_norm"].setEnabled(gradients and e["clip"].isChecked())

    # --- state ---------------------------------------------------------------
    def show_running(self, running: bool) -> None:
        self.play_button.setChecked(running)
        self.play_button.setText("Pause" if running else "Play")
        set_icon(self.play_button, "pause" if running else "play")

    def show_snapshot(self, snapshot: Snapshot | None, note: str = "", kept: bool = False) -> None:
        """The counters of `snapshot`, or greyed dashes without one. `note` explains them in
        every counter's tooltip (why there are none; where training diverged); `kept`: these
        are the weights kept after a divergence."""
        c = self.counters
        for label in c.values():
            label.setEnabled(snapshot is not None)
        if snapshot is None:
            for label in c.values():
                label.setText("—")
                label.setToolTip(note)
            return
        m = snapshot.metrics
        c["iteration"].setText(f"{snapshot.step:,}" + (" (kept)" if kept else ""))
        c["epoch"].setText(f"{snapshot.epoch:,}")
        about = "≈ " if m.sample else ""  # measured on a fixed sample while playing
        c["train_loss"].setText(about + number_text(m.train_loss))
        c["test_loss"].setText(about + number_text(m.test_loss))
        c["accuracy"].setText("n/a (regression)" if m.test_accuracy is None else about + percent_text(m.test_accuracy))
        tip = (f"While training plays, measured on a fixed sample of {m.sample:,} points of each split "
               "(the data set is large); pause for the exact value over every point." if m.sample else "")
        for key in ("train_loss", "test_loss", "accuracy"):
            c[key].setToolTip("\n".join(t for t in (note, tip) if t))
        for key in ("iteration", "epoch"):
            c[key].setToolTip(note)
