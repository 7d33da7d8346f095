"""The GUI-thread side of training: starts the worker thread, sends it commands, keeps
the latest snapshot and the history, and follows the document's edits.

Every live view is fed from here through one path: each change a view shows becomes a new
`LiveState` (live_state.py), published to the one registry of live views (`views`,
live_views.py) and announced as `state_changed`. Each network the worker is given (a new
project, an edit, new data) and each reset starts a new `generation`; the worker says when
it has started one (`generation_started`), and what it sent before that — numbers of the
network that was replaced — is dropped rather than shown (live_run.py keeps that account).

It records every snapshot it hands on (`recording`, engine/recording.py), so the views can be
taken back to a recorded moment (`show_frame`; `go_live` returns to now) while training goes
on underneath, and training can go on from such a moment (`branch`). The recording is saved
with the project (the document asks `recording_provider`), and a project reopened with one
restores it: its frames are scrubbable at once, and training counts on from its last step.
Those frames keep only weights and numbers: the moment on show is drawn again from its
weights by the worker (`pictures`, moment_pictures.py) and shown once drawn.

For the 3-D views it also keeps the loss landscape and the path training takes across it
(`landscape`, `path`: see landscape_path.py) and the chosen layer's stages.

Commands that stop or replace what the worker does (pause, reset, a new project, a
landscape, shutting down) interrupt it first (`_interrupting`): a long iteration or
measurement is cancelled between two operations instead of being waited for."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, SignalInstance

from laegna_gui.core.history import History
from laegna_gui.core.recorded_run import RecordedRun
from laegna_gui.engine.landscape import Landscape
from laegna_gui.engine.recording import Frame, Recording, saved_run
from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.training.landscape_path import LandscapePath
from laegna_gui.ui.training.live_run import LiveRun
from laegna_gui.ui.training.live_state import Kind, LiveState
from laegna_gui.ui.training.live_views import LiveViews
from laegna_gui.ui.training.moment_pictures import MomentPictures
from laegna_gui.ui.training.worker import TrainingWorker, WorkerThread


class TrainingController(QObject):
    """Owns one TrainingWorker on one WorkerThread. All signals arrive in the GUI thread."""

    state_changed = Signal(object)      # the new LiveState (after the views were given it)
    snapshot_changed = Signal(object)   # the latest Snapshot
    snapshot_cleared = Signal()         # the network changed; old numbers no longer apply
    running_changed = Signal(bool)
    diverged = Signal(str)
    failed = Signal(str)
    steps_finished = Signal()
    landscape_progress = Signal(int)     # 0..100 while a landscape is computed
    landscape_ready = Signal(object)     # the new Landscape, or None (cancelled/failed; `landscape` unchanged)
    landscape_cleared = Signal()         # the landscape no longer fits (network, data or loss changed)
    layer_stages_ready = Signal(object)  # LayerStages of the space layer, with the snapshots
    path_changed = Signal(object)        # np.ndarray (m, 3): α, β, training loss per snapshot

    # commands to the worker (queued across threads)
    _load = Signal(object, bool, int)
    _branch = Signal(object, int, int, int)
    _play = Signal()
    _pause = Signal()
    _step = Signal()
    _step_epoch = Signal()
    _reset = Signal(int)
    _settings = Signal(object)
    _weight = Signal(str, object, float)
    _run_steps = Signal(int)
    _landscape = Signal(object)
    _space_layer = Signal(object)
    _draw_frame = Signal(object, object)
    _stop = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.history = History()
        self.recording = Recording()
        self.moment: Frame | None = None  # the recorded frame the views show; None: the latest
        self.pictures = MomentPictures(self._draw_frame.emit)
        self.run = LiveRun()
        self.running = False
        self._land = LandscapePath()
        self.space_layer: str | None = None
        self._landscape_wanted: int | None = None  # ticket of the request whose result counts
        self._landscape_loss: str | None = None
        self.thread = WorkerThread(self)
        self.worker = TrainingWorker()
        self.worker.moveToThread(self.thread)
        # the one registry of live views: every view that shows training joins it
        self.views = LiveViews(lambda: self.worker.frame_drawn(), self)  # a direct call: see worker.py
        self.state = LiveState()
        self._connect_worker()
        self.thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # a window destroyed without closing must not leave its thread behind
            app.aboutToQuit.connect(self.shutdown)
        document.recording_provider = lambda: saved_run(self.recording)
        document.project_replaced.connect(self._project_replaced)
        document.graph_edited.connect(self._network_edited)
        document.dataset_changed.connect(self._dataset_changed)
        document.training_changed.connect(self._training_changed)
        self.reload(keep_weights=False)

    def _connect_worker(self) -> None:
        w = self.worker
        for signal, slot in ((self._load, w.load), (self._branch, w.branch), (self._play, w.play), (self._pause, w.pause),
                             (self._step, w.step), (self._step_epoch, w.step_epoch), (self._reset, w.reset),
                             (self._settings, w.set_settings), (self._weight, w.set_weight),
                             (self._run_steps, w.run_steps), (self._landscape, w.compute_landscape),
                             (self._space_layer, w.set_space_layer), (self._draw_frame, w.draw_frame)):
            signal.connect(slot)
        self._stop.connect(w.stop, Qt.ConnectionType.BlockingQueuedConnection)
        w.generation_started.connect(self._generation_started)
        w.snapshot_ready.connect(self._snapshot_arrived)
        w.running_changed.connect(self._running_arrived)
        w.diverged.connect(self._diverged_arrived)
        w.failed.connect(self.failed)
        w.steps_finished.connect(self.steps_finished)
        w.landscape_progress.connect(self.landscape_progress)
        w.landscape_done.connect(self._landscape_arrived)
        w.layer_stages_ready.connect(self._layer_stages_arrived)
        w.frame_pictured.connect(self._picture_arrived)

    # --- commands ------------------------------------------------------------
    @property
    def can_train(self) -> bool:
        return self.document.error is None

    def _refuse(self) -> bool:
        """True (after saying why, once per click) when the network cannot be trained."""
        if self.document.error is None:
            return False
        self.failed.emit(f"This network cannot be trained: {self.document.error}")
        return True

    def play(self) -> None:
        if not self._refuse():
            self._play.emit()

    def pause(self) -> None:
        self._interrupting(self._pause)
        self._want_picture()  # the interrupt cancelled the one being drawn

    def toggle(self) -> None:
        self.pause() if self.running else self.play()

    def step(self) -> None:
        if not self._refuse():
            self._step.emit()

    def step_epoch(self) -> None:
        if not self._refuse():
            self._step_epoch.emit()

    def reset(self) -> None:
        if self.can_train and self.run.sent == self.run.generation:
            self.history.clear()
            self._new_recording()
            self._new_path()
            self.run.new_generation()  # `latest` stays until the reset network's numbers come, but is not shown
            self._interrupting(self._reset, self.run.generation)
            self._publish()

    def set_weight(self, name: str, index: tuple, value: float) -> None:
        self._weight.emit(name, tuple(index), float(value))

    def run_steps(self, n: int) -> None:
        self._run_steps.emit(n)

    def compute_landscape(self, options: dict | None = None) -> None:
        """Pause and compute a loss landscape through the current weights. `options`:
        n, span, mode ("random" or "weights"), weights (((name, index), (name, index))
        for "weights"), seed. Progress comes as landscape_progress, the result as
        landscape_ready; a newer request supersedes an older one."""
        if not self.can_train:
            self.landscape_ready.emit(None)  # nothing to compute on: end any progress display
            return
        ticket = self.worker.landscape_ticket()
        self._landscape_wanted = ticket
        self._landscape_loss = self.document.project.training.loss
        self._interrupting(self._landscape, {**(options or {}), "ticket": ticket})
        self._want_picture()

    def cancel_landscape(self) -> None:
        """Cancel the landscape being computed (and any still queued). Calls the worker
        directly: its flag is thread-safe, and a queued call would wait for the end."""
        self.worker.cancel_landscape()

    def set_space_layer(self, node_id: str | None) -> None:
        """Have layer_stages_ready follow every snapshot for this dense layer (None: stop)."""
        self.space_layer = node_id or None
        if self.run.stages is not None and node_id and self.run.stages.node_id != node_id:
            self.run.stages = None  # another layer's: its own come next
        self._space_layer.emit(self.space_layer)

    def reload(self, keep_weights: bool, recorded: RecordedRun | None = None) -> None:
        """Send the current project to the worker (if the network is valid): a new generation.
        With a `recorded` run (a reopened project's), the recording starts as it was saved."""
        self.pause()
        if not keep_weights:
            self.history.clear()
        self._new_recording()
        self.run.new_generation()
        self.run.latest = None
        self.snapshot_cleared.emit()
        if self.can_train and recorded is not None and len(recorded):
            self._go_on_recorded(recorded)
        elif self.can_train:
            self._interrupting(self._load, self.document.project.copy(), keep_weights, self.run.generation)
        self._publish()

    def _go_on_recorded(self, recorded: RecordedRun) -> None:
        """Restore a saved recording (and the curves from its numbers); the trainer goes on
        from its latest frame's weights, counting on from its step."""
        self.recording.restore(recorded)
        for frame in self.recording.frames:
            self.history.append(frame.step, frame.snapshot.metrics)
        last = self.recording.frames[-1].snapshot
        project = self.document.project.copy()
        project.weights = dict(last.weights)
        self._interrupting(self._branch, project, last.step, last.epoch, self.run.generation)

    def _network_edited(self) -> None:
        # stale numbers go, training pauses, and the worker rebuilds keeping the
        # weights of the layers that did not change
        self.clear_landscape()
        self.reload(keep_weights=True)

    def _project_replaced(self) -> None:
        self.clear_landscape()
        # the recording lives here from now on (saving asks for it again): none stays behind stale
        recorded, self.document.project.recording = self.document.project.recording, None
        self.reload(keep_weights=False, recorded=recorded)

    def _dataset_changed(self) -> None:
        self.clear_landscape()  # its heights were measured on the old data
        self.reload(keep_weights=True)

    def _training_changed(self) -> None:
        if self.document.project.training.loss != self._landscape_loss:
            self.clear_landscape()  # heights of another loss function
        if not self.can_train:
            self.pause()  # settings that do not fit: nothing trains until they do
        elif self.run.sent != self.run.generation:
            self.reload(keep_weights=True)  # the network changed while it could not be sent
            return
        else:
            self._settings.emit(self.document.project.training)
        self._publish()  # invalid, or valid again

    # --- landscape and path ----------------------------------------------------
    @property
    def landscape(self) -> Landscape | None:
        return self._land.landscape

    @property
    def path(self) -> np.ndarray:
        return self._land.path

    @property
    def latest(self) -> Snapshot | None:
        """The newest snapshot (after a reset: until the reset network's first one)."""
        return self.run.latest

    def clear_landscape(self) -> None:
        """Forget the landscape and its path, and cancel one being computed."""
        computing = self._landscape_wanted is not None
        if computing:
            self.worker.cancel_landscape()
            self._landscape_wanted = None
        if self.landscape is None and not computing:
            return
        self._land.set_landscape(None)
        self._landscape_loss = None
        self.landscape_cleared.emit()
        self.path_changed.emit(self.path)
        self._publish()

    def _landscape_arrived(self, ticket: int, landscape: Landscape | None) -> None:
        if ticket != self._landscape_wanted:
            return  # superseded by a newer request, or cleared meanwhile
        self._landscape_wanted = None
        if landscape is None:
            self.landscape_ready.emit(None)  # cancelled or failed; an earlier landscape stays
            return
        self._land.set_landscape(landscape)
        if self.latest is not None:
            self._land.extend(self.latest)
        self._publish()
        self.landscape_ready.emit(landscape)
        self.path_changed.emit(self.path)

    def _new_path(self) -> None:
        if self.landscape is not None:
            self._land.restart()
            self.path_changed.emit(self.path)

    def _layer_stages_arrived(self, stages) -> None:
        if self.run.current and self.space_layer is not None and stages.node_id == self.space_layer:
            self.run.stages = stages
            self.recording.attach_stages(stages)
            self._publish()
            self.layer_stages_ready.emit(stages)

    # --- results -------------------------------------------------------------
    def _generation_started(self, generation: int) -> None:
        self.run.started = generation  # what the worker sends from now on is of this generation

    def _snapshot_arrived(self, snapshot: Snapshot) -> None:
        if not self.run.current:
            return  # the last numbers of a network that has been replaced
        self.run.snapshot_arrived(snapshot)
        self.recording.add(snapshot, self.run.report)
        probes = snapshot.probes
        extras = {}
        if probes is not None:
            extras.update({f"grad:{k}": v for k, v in probes.layer_gradient_norms.items()})
            extras.update({f"dead:{k}": v for k, v in probes.dead_fraction.items()})
        self.history.append(snapshot.step, snapshot.metrics, extras)
        moved = self._land.extend(snapshot)
        self._publish()
        self.snapshot_changed.emit(snapshot)
        if moved:
            self.path_changed.emit(self.path)

    def _diverged_arrived(self, message: str) -> None:
        if not self.run.current:
            return  # a network that has been replaced (or reset) diverged
        self.run.diverged(message)
        self._publish()
        self.diverged.emit(message)

    def _running_arrived(self, running: bool) -> None:
        self.running = running
        self.running_changed.emit(running)

    # --- the time machine ----------------------------------------------------
    def show_frame(self, index: int) -> None:
        """Every view shows recorded frame `index`; the last one is now (as `go_live`)."""
        frames = self.recording.frames
        if frames:
            index = min(max(index, 0), len(frames) - 1)
            self.moment = None if index == len(frames) - 1 else frames[index]
            self._want_picture()
            self._publish()

    def go_live(self) -> None:
        """Every view follows training again."""
        if self.moment is not None:
            self.moment = None
            self._publish()

    @property
    def can_branch(self) -> bool:
        return self.moment is not None and not self.running and self.can_train

    def branch(self) -> None:
        """Train on from the moment on show: the trainer takes its weights (and counts on
        from its step), and what was recorded after it is dropped."""
        if not self.can_branch:
            return
        frame, self.moment = self.moment, None
        self.recording.truncate_after(frame.step)  # the branch's first snapshot records it again
        self.run.new_generation()
        project = self.document.project.copy()
        project.weights = dict(frame.snapshot.weights)
        self._interrupting(self._branch, project, frame.step, frame.snapshot.epoch, self.run.generation)
        self._publish()

    def _new_recording(self) -> None:
        self.recording.clear()
        self.pictures.forget()
        self.moment = None

    def _want_picture(self) -> None:
        """Have the moment on show drawn from its weights if it has no picture."""
        if self.can_train:
            self.pictures.want(self.run.generation, self.moment)

    def _picture_arrived(self, key: tuple[int, int], snapshot: Snapshot | None) -> None:
        frame = self.pictures.arrived(key, snapshot, self.run.generation, self.recording)
        if frame is not None and self.moment is not None and self.moment.arrival == frame.arrival:
            self.moment = frame
        self._want_picture()  # the moment on show now, if the user went on meanwhile
        self._publish()

    # --- the live state ------------------------------------------------------
    def _publish(self) -> None:
        """Every live view follows the new state (see live_views.py): training's latest, or
        the recorded moment the user went back to."""
        live = self.run.state(self.document.error, history=self.history, graph=self.document.graph,
                              landscape=self.landscape, path=self.path, recording=self.recording)
        frame = self.moment if live.valid else None
        self.state = live if frame is None else replace(
            live, kind=Kind.LIVE, reason="", snapshot=frame.snapshot, report=frame.report, stages=frame.stages,
            path=self._land.until(frame.step), moment=frame.step,
            drawing=self.pictures.drawing(self.run.generation, frame))
        self.views.publish(self.state)
        self.state_changed.emit(self.state)

    def _interrupting(self, command: SignalInstance, *args) -> None:
        """Queue a command that stops or replaces the worker's current work, cancelling that
        work (and anything queued before) instead of waiting for it. Each such command
        acknowledges exactly one interrupt in the worker: always send them through here."""
        self.worker.interrupt()
        self.pictures.interrupted()
        if command in (self._load, self._reset, self._branch):
            self.run.sent = self.run.generation
        command.emit(*args)

    def shutdown(self) -> None:
        """Stop the worker and its thread; nothing outlives the window. Whatever the worker
        is computing is cancelled between two operations, so this returns within moments."""
        self.views.stop()
        if self.thread.isRunning():
            self.worker.cancel_landscape()  # its rows are not waited for either
            self._interrupting(self._stop)  # blocking: returns once the worker has stopped
            self.thread.quit()
            self.thread.wait()
