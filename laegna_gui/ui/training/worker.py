"""The training worker: owns the Trainer on its own thread and talks only in signals.

Commands arrive as queued slot calls and are applied between iterations. While
playing, iterations run in chunks of a few milliseconds from a zero-interval timer,
so commands are never kept waiting; a snapshot (numpy copies only) leaves at most
`MAX_SNAPSHOTS_PER_SECOND` times a second, never one per iteration, on a fixed grid.

Frame pacing (`pace_frames`, turned on by the training panel where `pacing_helps()`):
after each snapshot sent while playing, the worker steps aside until the window says it
has drawn it (`frame_drawn`, a plain thread-safe call) or FRAME_WAIT_SECONDS have passed.
While the window draws, this thread holds neither the GIL nor a CPU core, so the window's
event loop is never kept waiting long, also when other programs keep the cores busy. The
price, on an idle two-core machine: training runs 20-40 % slower (the compiled engines
still run many times faster than the targets); on a busy one it costs nothing. With more
cores the window and the worker each keep one of their own, and pacing stays off.

The 3-D views ask for two more things. With `set_space_layer(node_id)` every snapshot
is followed by the chosen dense layer's `LayerStages`. `compute_landscape(options)`
pauses training and computes a loss landscape on this thread; it can be cancelled with
`cancel_landscape()`, a plain thread-safe method called directly from the GUI thread
(a queued slot could not run while the computation keeps this thread busy).

A recorded moment reopened from a file has only its weights: `draw_frame(key, snapshot)`
computes its probes from them (engine/frame_picture.py, on a scratch copy of the network, so
training and its state are untouched) and answers `frame_pictured(key, snapshot)`, or
`frame_pictured(key, None)` when it cannot be drawn. An interrupt cancels it silently, as it
cancels everything else.

Interrupting: one full-batch iteration of a big network can take many seconds, and so can
measuring it on every point. `interrupt()`, another plain thread-safe method, raises the
trainer's cancel token (engine/cancel.py) just before the controller queues a command that
stops or replaces the current work (pause, reset, load, landscape, stop): whatever runs is
cancelled between two operations and leaves the trainer as before it, and whatever was
queued before that command is cancelled as it starts. A cancelled operation shows nothing;
the command that interrupted it decides what comes next. A state that could be shown only
on a large data set's every point is sent measured on the fixed sample first, so Pause and
Reset show it at once and the exact losses follow (`_emit_settled`).
"""

from __future__ import annotations

import gc
import os
import threading
import time
import traceback
import weakref

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from laegna_gui.core.errors import LaegnaError, TrainingDiverged
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.cancel import CancelToken, TrainingCancelled
from laegna_gui.engine.frame_picture import frame_picture
from laegna_gui.engine.landscape import compute_landscape
from laegna_gui.engine.layer_space import layer_stages
from laegna_gui.engine.trainer import TORCH, Trainer

MAX_SNAPSHOTS_PER_SECOND = 32  # "about 30 a second": enough for smooth views, never one per step
SNAPSHOT_PERIOD = 1.0 / MAX_SNAPSHOTS_PER_SECOND
# Making a snapshot (losses, probes, copies) may take at most this share of the worker's
# CPU time: a big network whose probes take 25 ms gets fewer snapshots, not a slower training.
SNAPSHOT_SHARE = 0.15
MAX_PROGRESS_PER_SECOND = 20
CHUNK_SECONDS = 0.008  # one burst of iterations between two looks at the command queue
FRAME_WAIT_SECONDS = 0.012  # at most this long per snapshot the worker steps aside while it is drawn
# Once the window reports drawn frames, a new snapshot leaves only when the last one is drawn
# (or this long after it left): a window slower than the snapshot rate then never falls
# behind a queue of snapshots, which would keep its event loop from ever running its timers.
MAX_UNDRAWN_SECONDS = 0.5
PACING_MAX_CORES = 2  # with more, the window and the worker do not have to share a core
WARM_UP_AT_LATEST_MS = 1000  # a new trainer's warm-up waits this long at most for a drawn frame


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pacing_helps() -> bool:
    """Frame pacing pays where the window's thread and the worker would share cores."""
    return usable_cores() <= PACING_MAX_CORES


class WorkerThread(QThread):
    """A QThread that remembers itself, so tests can prove none outlives its window."""

    _all: "weakref.WeakSet[WorkerThread]" = weakref.WeakSet()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingThread")
        WorkerThread._all.add(self)

    @classmethod
    def running(cls) -> list["WorkerThread"]:
        return [t for t in list(cls._all) if shiboken6.isValid(t) and t.isRunning()]


_frozen_once = threading.Event()


def _freeze_start_up_objects() -> None:
    """Once per process, after the first warm-up: the imports made about a million
    long-lived objects; keeping them out of the garbage collector's full passes keeps those
    passes from stalling the window. (Only once: frozen objects are never collected.)"""
    if not _frozen_once.is_set():
        _frozen_once.set()
        gc.freeze()


class TrainingWorker(QObject):
    """Lives on a WorkerThread. Every slot catches its errors and reports them."""

    generation_started = Signal(int)  # what follows is of the network (or reset) load/reset was given
    snapshot_ready = Signal(object)  # Snapshot
    running_changed = Signal(bool)
    diverged = Signal(str)
    failed = Signal(str)
    steps_finished = Signal()
    landscape_progress = Signal(int)      # 0..100, at most MAX_PROGRESS_PER_SECOND a second
    landscape_ready = Signal(object)      # Landscape, or None when cancelled or failed
    landscape_done = Signal(int, object)  # (ticket, Landscape | None): lets the controller drop stale results
    layer_stages_ready = Signal(object)   # LayerStages of the space layer, after each snapshot
    frame_pictured = Signal(object, object)  # (key, Snapshot with probes | None): a recorded moment drawn
    _warm_up_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.trainer: Trainer | None = None
        self.timer: QTimer | None = None
        self.running = False
        self._steps_left: int | None = None
        self._rate = 100.0  # iterations per second; learned from the first chunks
        self._next_emit = 0.0  # when the next snapshot is due while playing
        self._snapshot_period = SNAPSHOT_PERIOD  # longer where making a snapshot is slow
        self._space_layer: str | None = None
        # landscape requests are numbered; cancel_landscape() cancels all issued so far
        self._ticket_lock = threading.Lock()
        self._issued = 0
        self._cancelled_upto = 0
        self._pacing = False
        self._frame_drawn = threading.Event()
        self._frame_drawn.set()
        self._window_reports = False  # the window has called frame_drawn() at least once
        self._in_flight_since: float | None = None  # when the last undrawn snapshot left
        self._warm_pending = False  # a new trainer's warm-up waits for the first frame drawn
        self._warm_up_requested.connect(self._warm_up)
        self.cancel = CancelToken()  # shared by every trainer this worker makes
        self._unshown = False  # a cancelled operation may have left a state the window has not seen

    # --- commands (slots, called through queued connections) -----------------
    @Slot(object, bool, int)
    def load(self, project: Project, keep_weights: bool, generation: int = 0) -> None:
        """Build a trainer for `project`; with keep_weights, unchanged layers keep theirs.
        `generation` is announced first: the window drops what was sent before it."""
        self.cancel.acknowledge()
        self._halt()
        self.generation_started.emit(generation)

        def build() -> None:
            old = self.trainer
            trainer = Trainer(project, keep=old.weights() if old and keep_weights else None, cancel=self.cancel)
            trainer.wait_for_kernels = False  # torch trains while the kernels are first compiled
            if old is not None and keep_weights:
                trainer.step_count, trainer.epoch = old.step_count, old.epoch
            self.trainer = trainer
            self._emit_snapshot()
            # one-time costs (loading the kernels, choosing the engine) in this thread, not on
            # the first Step or Play — but after the window has drawn this first snapshot: they
            # hold the GIL for a moment that the first frame should not wait for
            self._warm_pending = True
            QTimer.singleShot(WARM_UP_AT_LATEST_MS, self._warm_up)  # no window reporting frames
        self._guarded(build, needs_trainer=False)

    @Slot(object, int, int, int)
    def branch(self, project: Project, step: int, epoch: int, generation: int) -> None:
        """Go on from a recorded moment: a trainer with `project`'s weights (that moment's)
        counting on from `step` and `epoch`. The optimizer's state starts afresh (a snapshot
        does not hold it). `generation` is announced first, as by `load`."""
        self.cancel.acknowledge()
        self._halt()
        self.generation_started.emit(generation)

        def build() -> None:
            trainer = Trainer(project, cancel=self.cancel)
            trainer.wait_for_kernels = False
            trainer.step_count, trainer.epoch = step, epoch
            self.trainer = trainer
            self._emit_snapshot()
        self._guarded(build, needs_trainer=False)

    @Slot()
    def _warm_up(self) -> None:
        if not self._warm_pending:
            return
        self._warm_pending = False
        self._guarded(lambda: (self.trainer.warm_up(), _freeze_start_up_objects()))

    @Slot()
    def play(self) -> None:
        self._set_running(self.trainer is not None)

    @Slot()
    def pause(self) -> None:
        """Stop; the GUI gets the state training stopped at before it hears it stopped."""
        self.cancel.acknowledge()
        self._guarded(self._pause)
        self._set_running(False)  # (also when showing that state was itself interrupted)

    def _pause(self) -> None:
        """Stop, sending the state training stopped at if the window has not seen it."""
        self._steps_left = None
        if self.running or self._unshown:
            self._emit_settled(then=lambda: self._set_running(False))
        self._set_running(False)

    def _halt(self) -> None:
        """Stop without showing where (what comes next replaces it)."""
        self._steps_left = None
        self._set_running(False)

    @Slot()
    def step(self) -> None:
        self._guarded(lambda: (self._pause(), self._emit_snapshot(report=self.trainer.step())))

    @Slot()
    def step_epoch(self) -> None:
        self._guarded(lambda: (self._pause(), self.trainer.run_epochs(1), self._emit_snapshot()))

    @Slot(int)
    def reset(self, generation: int = 0) -> None:
        self.cancel.acknowledge()
        self._halt()
        self.generation_started.emit(generation)
        self._guarded(lambda: (self.trainer.reset(), self._emit_settled()))

    @Slot(object)
    def set_settings(self, settings: TrainingSettings) -> None:
        self._guarded(lambda: self.trainer.set_settings(settings))

    @Slot(str, object, float)
    def set_weight(self, name: str, index: tuple, value: float) -> None:
        self._guarded(lambda: (self.trainer.set_weight(name, tuple(index), value), self._emit_snapshot()))

    @Slot(int)
    def run_steps(self, n: int) -> None:
        """Train exactly `n` more iterations (as when playing), then pause and say so."""
        if self.trainer is None or n <= 0:
            self.steps_finished.emit()
            return
        self._steps_left = n
        self._set_running(True)

    @Slot(object)
    def set_space_layer(self, node_id: str | None) -> None:
        """Follow this dense layer's stages with every snapshot (None: stop); sends them
        once at once, so a paused network shows them too."""
        self._space_layer = node_id or None
        self._guarded(self._emit_layer_stages)

    @Slot(object)
    def compute_landscape(self, options: dict) -> None:
        """Pause, then compute a loss landscape here. `options`: n, span, mode, weights,
        seed (all optional) and `ticket` (from `landscape_ticket()`; a fresh one if absent).
        Always ends with landscape_ready (None when cancelled or failed); failures are
        reported through the usual error path as well."""
        self.cancel.acknowledge()
        options = dict(options or {})
        ticket = options.pop("ticket", None) or self.landscape_ticket()
        interrupted = self._steps_left is not None
        self._steps_left = None
        self._guarded(self._pause)
        self._set_running(False)
        if interrupted:  # whoever waits for run_steps hears that it ended early
            self.steps_finished.emit()
        if self.trainer is None:
            self._landscape_finished(ticket, None)
            return
        self._guarded(lambda: self._compute_landscape(ticket, options))

    def _compute_landscape(self, ticket: int, options: dict) -> None:
        last = [-1, 0.0]  # last percentage sent, and when

        def progress(fraction: float) -> None:
            percent = round(100 * fraction)
            now = time.perf_counter()
            if percent != last[0] and (percent >= 100 or now - last[1] >= 1.0 / MAX_PROGRESS_PER_SECOND):
                last[:] = [percent, now]
                self.landscape_progress.emit(percent)

        progress(0.0)
        weights = options.get("weights")
        try:
            result = compute_landscape(
                self.trainer, n=int(options.get("n", 25)), span=float(options.get("span", 1.0)),
                mode=str(options.get("mode", "random")), weights=tuple(weights) if weights else None,
                seed=int(options.get("seed", 0)), progress=progress,
                should_stop=lambda: self.landscape_cancelled(ticket))
        except BaseException:
            self._landscape_finished(ticket, None)
            raise
        self._landscape_finished(ticket, result)

    @Slot(object, object)
    def draw_frame(self, key: object, snapshot) -> None:
        """Draw a recorded moment of this network from its weights (see the module); training,
        if it runs, goes on after. A failure leaves it undrawn (a bug is reported too), a
        cancel without an answer: the interrupting command decides what comes next."""
        if self.trainer is None:
            self.frame_pictured.emit(key, None)
            return
        try:
            self.cancel.check()  # queued before an interrupt: not even the scratch network is made
            pictured = frame_picture(self.trainer, snapshot)
        except TrainingCancelled:
            return
        except LaegnaError:
            pictured = None
        except Exception as exc:  # a bug: say so, but training goes on
            traceback.print_exc()
            self.failed.emit(f"This moment could not be drawn: {type(exc).__name__}: {exc}")
            pictured = None
        self.frame_pictured.emit(key, pictured)

    def _landscape_finished(self, ticket: int, result) -> None:
        self.landscape_done.emit(ticket, result)
        self.landscape_ready.emit(result)

    # --- frame pacing: plain methods, safe to call from any thread ----------------
    def pace_frames(self, on: bool) -> None:
        """With pacing on, after each snapshot sent while playing the worker waits (at most
        FRAME_WAIT_SECONDS) until `frame_drawn()` says the window has drawn it. Meanwhile
        this thread neither holds the GIL nor takes a CPU core, so the window draws its
        frame at full speed and the event loop never stalls for long."""
        self._pacing = on
        if not on:
            self._frame_drawn.set()

    def frame_drawn(self) -> None:
        if self._warm_pending:
            self._warm_up_requested.emit()  # queued to this object's thread
        self._window_reports = True
        self._in_flight_since = None
        self._frame_drawn.set()

    @property
    def _holds_gil(self) -> bool:
        return self.trainer is not None and self.trainer.engine_name == TORCH

    @property
    def frame_pending(self) -> bool:
        """A snapshot sent while playing has not been reported drawn yet."""
        return not self._frame_drawn.is_set()

    # --- landscape cancelling: plain methods, safe to call from any thread -------
    def landscape_ticket(self) -> int:
        """A number for a new landscape request."""
        with self._ticket_lock:
            self._issued += 1
            return self._issued

    def cancel_landscape(self) -> None:
        """Cancel every landscape requested so far, running or still queued. Called
        directly (not queued) from the GUI thread: the computation asks between rows."""
        with self._ticket_lock:
            self._cancelled_upto = self._issued

    def landscape_cancelled(self, ticket: int) -> bool:
        with self._ticket_lock:
            return ticket <= self._cancelled_upto

    # --- interrupting: a plain method, safe to call from any thread -------------------
    def interrupt(self) -> None:
        """Cancel what this worker runs now, and what is queued, up to the next pause,
        reset, load, branch, compute_landscape or stop command — which the caller queues
        right after this call (each of them acknowledges one interrupt)."""
        self.cancel.request()

    @Slot()
    def stop(self) -> None:
        """Before the thread quits (called blocking, on the worker's thread): stop the
        timer and hand this object back to the GUI thread, where it will be deleted."""
        self.cancel.acknowledge()
        self._set_running(False)
        if self.timer is not None:
            self.timer.stop()
        self.moveToThread(QCoreApplication.instance().thread())

    # --- the loop ------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        if self.timer is None:
            self.timer = QTimer(self)  # created here, so it lives on the worker's thread
            self.timer.setInterval(0)
            self.timer.timeout.connect(self._tick)
        if running == self.running:
            return
        self.running = running
        if running:
            self._next_emit = time.perf_counter() + SNAPSHOT_PERIOD
            self.timer.start()
        else:
            self.timer.stop()
        self.running_changed.emit(running)

    def _tick(self) -> None:
        self._guarded(self._run_chunk)

    def _run_chunk(self) -> None:
        # the compiled engine trains without the GIL: only torch, which holds it, steps aside
        if self._pacing and self._holds_gil and not self._frame_drawn.wait(FRAME_WAIT_SECONDS):
            self._frame_drawn.set()  # not drawn in time: train on, without waiting for it again
        # a chunk lasts about CHUNK_SECONDS, or less when the next snapshot is due sooner,
        # so snapshots leave on time (an even frame rate) whatever the network's speed
        due = self._next_emit - time.perf_counter()
        budget = min(CHUNK_SECONDS, max(0.001, due))
        n = max(1, int(self._rate * budget))
        n = n if self._steps_left is None else min(n, self._steps_left)
        start = time.perf_counter()
        self.trainer.run(n)
        elapsed = time.perf_counter() - start
        self._rate = min(1e7, max(1.0, n / max(elapsed, 1e-6)))  # iterations per second, measured
        if self._steps_left is not None:
            self._steps_left -= n
            if self._steps_left <= 0:
                self._pause()
                self.steps_finished.emit()
                return
        now = time.perf_counter()
        # a snapshot that is due while the window still draws the last one leaves as soon
        # as it is drawn (short chunks meanwhile), rather than a whole period later
        if now >= self._next_emit and not self._window_behind(now):
            # the next one is due a period after this one was due, not after it left: a late
            # snapshot does not slow the rate down; one more than a period late starts afresh
            cpu = time.thread_time()  # this thread's own work: waiting for the GIL is not its cost
            self._emit_snapshot(sample=True)  # large data: measured on a fixed sample
            self._snapshot_period = max(SNAPSHOT_PERIOD, (time.thread_time() - cpu) / SNAPSHOT_SHARE)
            self._next_emit += self._snapshot_period
            if self._next_emit < now:
                self._next_emit = now + self._snapshot_period

    def _window_behind(self, now: float) -> bool:
        """The window has not drawn the last snapshot yet (and it has not been long)."""
        since = self._in_flight_since
        return self._window_reports and since is not None and now - since < MAX_UNDRAWN_SECONDS

    def _emit_snapshot(self, report=None, sample: bool = False, stages: bool = True):
        snapshot = self.trainer.snapshot(report=report, sample=sample)
        if self.running:
            self._in_flight_since = time.perf_counter()
        if self._pacing and self.running:
            self._frame_drawn.clear()
        self._unshown = False
        self.snapshot_ready.emit(snapshot)
        if stages:
            self._emit_layer_stages()
        return snapshot

    def _emit_settled(self, then=None) -> None:
        """A snapshot of a state training has stopped at, measured on every point. On a large
        data set that takes a while for a big network, so the one measured on the fixed
        sample leaves first and the window shows the state at once; `then` runs in between,
        and the layer stages (as slow) come last."""
        sampled = self._emit_snapshot(sample=True, stages=False)
        if then is not None:
            then()
        if sampled.metrics.sample:
            self._emit_snapshot()
        else:
            self._emit_layer_stages()

    def _emit_layer_stages(self) -> None:
        """The space layer's stages, if one is chosen and is (still) a dense layer. A
        failure here is reported once and stops following the layer; training goes on."""
        node = self._space_layer
        if node is None or self.trainer.network.kinds.get(node) != "dense":
            return
        try:
            stages = layer_stages(self.trainer, node)
        except TrainingCancelled:
            raise
        except Exception as exc:  # a bug in a view's data must not stop training
            traceback.print_exc()
            self._space_layer = None
            self.failed.emit(f"The layer-space view stopped: {type(exc).__name__}: {exc}")
            return
        self.layer_stages_ready.emit(stages)

    def _guarded(self, action, needs_trainer: bool = True) -> None:
        """Run a command; divergence pauses with the last good weights, any other error is
        reported (never swallowed) and leaves the worker usable."""
        if needs_trainer and self.trainer is None:
            return
        waiting = self._steps_left is not None
        try:
            try:
                action()
                return
            except TrainingDiverged as exc:
                shown = self.running or self._unshown
                self._pause()  # sends the last good state if it was running
                if not shown:
                    self._emit_snapshot()
                self.diverged.emit(str(exc))
            except LaegnaError as exc:
                self._pause()
                self.failed.emit(str(exc))
            except TrainingCancelled:
                raise
            except Exception as exc:  # a bug: tell the user, keep the window alive
                self._pause()
                traceback.print_exc()
                self.failed.emit(f"Training stopped by an internal error: {type(exc).__name__}: {exc}")
        except TrainingCancelled:
            self._cancelled()
        if waiting:
            self.steps_finished.emit()

    def _cancelled(self) -> None:
        """Interrupted (see `interrupt`): nothing of it is shown and nothing new starts; the
        command queued after the interrupt says what comes next."""
        if self.timer is not None:
            self.timer.stop()
        self._unshown = True
