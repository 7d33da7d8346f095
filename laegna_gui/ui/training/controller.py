"""The GUI-thread side of training: starts the worker thread, sends it commands, keeps
the latest snapshot and the history, and follows the document's edits."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from laegna_gui.core.history import History
from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.document import Document
from laegna_gui.ui.training.worker import TrainingWorker, WorkerThread


class TrainingController(QObject):
    """Owns one TrainingWorker on one WorkerThread. All signals arrive in the GUI thread."""

    snapshot_changed = Signal(object)   # the latest Snapshot
    snapshot_cleared = Signal()         # the network changed; old numbers no longer apply
    running_changed = Signal(bool)
    diverged = Signal(str)
    failed = Signal(str)
    steps_finished = Signal()

    # commands to the worker (queued across threads)
    _load = Signal(object, bool)
    _play = Signal()
    _pause = Signal()
    _step = Signal()
    _step_epoch = Signal()
    _reset = Signal()
    _settings = Signal(object)
    _weight = Signal(str, object, float)
    _run_steps = Signal(int)
    _stop = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.history = History()
        self.latest: Snapshot | None = None
        self.running = False
        self.thread = WorkerThread(self)
        self.worker = TrainingWorker()
        self.worker.moveToThread(self.thread)
        self._connect_worker()
        self.thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # a window destroyed without closing must not leave its thread behind
            app.aboutToQuit.connect(self.shutdown)
        document.project_replaced.connect(lambda: self.reload(keep_weights=False))
        document.graph_edited.connect(self._network_edited)
        document.dataset_changed.connect(lambda: self.reload(keep_weights=True))
        document.training_changed.connect(self._training_changed)
        self.reload(keep_weights=False)

    def _connect_worker(self) -> None:
        w = self.worker
        for signal, slot in ((self._load, w.load), (self._play, w.play), (self._pause, w.pause),
                             (self._step, w.step), (self._step_epoch, w.step_epoch), (self._reset, w.reset),
                             (self._settings, w.set_settings), (self._weight, w.set_weight),
                             (self._run_steps, w.run_steps)):
            signal.connect(slot)
        self._stop.connect(w.stop, Qt.ConnectionType.BlockingQueuedConnection)
        w.snapshot_ready.connect(self._snapshot_arrived)
        w.running_changed.connect(self._running_arrived)
        w.diverged.connect(self.diverged)
        w.failed.connect(self.failed)
        w.steps_finished.connect(self.steps_finished)

    # --- commands ------------------------------------------------------------
    @property
    def can_train(self) -> bool:
        return self.document.error is None

    def play(self) -> None:
        if self.can_train:
            self._play.emit()

    def pause(self) -> None:
        self._pause.emit()

    def toggle(self) -> None:
        self.pause() if self.running else self.play()

    def step(self) -> None:
        if self.can_train:
            self._step.emit()

    def step_epoch(self) -> None:
        if self.can_train:
            self._step_epoch.emit()

    def reset(self) -> None:
        if self.can_train:
            self.history.clear()
            self._reset.emit()

    def set_weight(self, name: str, index: tuple, value: float) -> None:
        self._weight.emit(name, tuple(index), float(value))

    def run_steps(self, n: int) -> None:
        self._run_steps.emit(n)

    def reload(self, keep_weights: bool) -> None:
        """Send the current project to the worker (if the network is valid)."""
        self.pause()
        if not keep_weights:
            self.history.clear()
        if self.can_train:
            self._load.emit(self.document.project.copy(), keep_weights)
        else:
            self.latest = None
            self.snapshot_cleared.emit()

    def _network_edited(self) -> None:
        # stale numbers go, training pauses, and the worker rebuilds keeping the
        # weights of the layers that did not change
        self.latest = None
        self.snapshot_cleared.emit()
        self.reload(keep_weights=True)

    def _training_changed(self) -> None:
        if self.can_train:
            self._settings.emit(self.document.project.training)

    # --- results -------------------------------------------------------------
    def _snapshot_arrived(self, snapshot: Snapshot) -> None:
        self.latest = snapshot
        probes = snapshot.probes
        extras = {}
        if probes is not None:
            extras.update({f"grad:{k}": v for k, v in probes.layer_gradient_norms.items()})
            extras.update({f"dead:{k}": v for k, v in probes.dead_fraction.items()})
        self.history.append(snapshot.step, snapshot.metrics, extras)
        self.snapshot_changed.emit(snapshot)

    def _running_arrived(self, running: bool) -> None:
        self.running = running
        self.running_changed.emit(running)

    def shutdown(self) -> None:
        """Stop the worker and its thread; nothing outlives the window."""
        if self.thread.isRunning():
            self._stop.emit()
            self.thread.quit()
            self.thread.wait()
