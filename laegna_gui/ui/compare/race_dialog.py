"""The dialog of Experiment ▸ Compare… and Sweep…: what to vary (one setting for a
comparison, two for a sweep), how many steps; then a progress bar and Cancel while the runs
train on their own thread (race_thread.py). When they are done the dialog closes and the
result window opens; a cancelled race leaves nothing behind.

The runs start from a copy of the open project taken when Start is pressed, so editing the
project meanwhile changes neither it nor them."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QMainWindow, QProgressBar,
                               QSpinBox, QVBoxLayout, QWidget)

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.engine.compare import MAX_RUNS, MAX_SIDE, check_runs, grid, race, sweep
from laegna_gui.ui.compare.race_thread import RaceThread
from laegna_gui.ui.compare.vary_row import VaryRow
from laegna_gui.ui.look import style

DEFAULT_STEPS = 500
MAX_STEPS = 1_000_000
MIN_WIDTH = 480
NOTES = {
    "compare": f"Each value is one run (at most {MAX_RUNS}). All start from the current project's initial "
               "weights and train on the same batches, in lockstep; the project itself is not changed.",
    "sweep": f"Every pair of a row value and a column value is one run (at most {MAX_SIDE}×{MAX_SIDE}), "
             "all from the same initial weights and batches; the project itself is not changed.",
}
STOPPED = "Stopped: nothing was kept."


class RaceDialog(QDialog):
    """`kind` is "compare" or "sweep". `result_window` is the window it opened, once done."""

    def __init__(self, window: QMainWindow, kind: str) -> None:
        super().__init__(window)
        self.window_, self.kind = window, kind
        self.setObjectName(f"{kind}Dialog")
        self.setWindowTitle("Compare runs" if kind == "compare" else "Sweep two settings")
        self.setMinimumWidth(MIN_WIDTH)
        project = window.document.project
        self.rows = [VaryRow(project, "learning_rate", "0.03, 0.3", "vary")] if kind == "compare" else [
            VaryRow(project, "learning_rate", "0.03, 0.3", "rows"), VaryRow(project, "width", "2, 8", "columns")]
        self.steps = QSpinBox(objectName=f"{kind}Steps", minimum=1, maximum=MAX_STEPS, value=DEFAULT_STEPS,
                              singleStep=100, suffix=" steps", groupSeparatorShown=True)
        self.problem = QLabel(objectName=f"{kind}Problem", wordWrap=True)
        style.set_role(self.problem, "error")
        self.status = QLabel(objectName=f"{kind}Status", wordWrap=True)
        style.set_role(self.status, "muted")
        self.progress = QProgressBar(objectName=f"{kind}Progress", maximum=1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.addButton("Compare" if kind == "compare" else "Sweep",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName(f"{kind}Start")
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.thread: RaceThread | None = None
        self.result_window: QWidget | None = None
        self._build()
        for row in self.rows:
            row.edited.connect(self._check)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self._check()

    def _build(self) -> None:
        form = QFormLayout()
        names = ["Vary:"] if self.kind == "compare" else ["Rows:", "Columns:"]
        for name, row in zip(names, self.rows):
            form.addRow(name, row)
        form.addRow("Train for:", self.steps)
        note = QLabel(NOTES[self.kind], objectName=f"{self.kind}Note", wordWrap=True)
        style.set_role(note, "muted")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.progress.hide()
        self.status.hide()

    # --- the choices ---------------------------------------------------------------
    def runs(self) -> list:
        """The runs the rows make; a LaegnaError says why they make none."""
        axes = [row.changes for row in self.rows]
        if any(axis is None for axis in axes):
            raise LaegnaError("")  # the row says why, under its values
        if self.kind == "compare":
            runs = [(change,) for change in axes[0]]
            check_runs(runs)
            return runs
        return grid(*axes)

    def _check(self) -> None:
        try:
            self.runs()
            problem = ""
        except LaegnaError as exc:
            problem = str(exc).strip()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.start_button.setEnabled(self.thread is None and all(row.changes for row in self.rows) and not problem)

    # --- training -------------------------------------------------------------------
    def start(self) -> None:
        runs = self.runs()
        project, steps = self.window_.document.project.copy(), self.steps.value()
        axes = [row.changes for row in self.rows]
        if self.kind == "compare":
            def work(cancel, progress):
                return race(project, runs, steps, cancel, probes=True, progress=progress)
        else:
            def work(cancel, progress):
                return sweep(project, axes[0], axes[1], steps, cancel, probes=True, progress=progress)
        self.thread = RaceThread(work, self)
        self.thread.progressed.connect(self._progressed)
        self.thread.raced.connect(lambda result: self._raced(project, result))
        self.thread.failed.connect(self._failed)
        self.thread.stopped.connect(self._stopped)
        self._running(True, f"Training {len(runs)} runs for {steps:,} steps…")
        self.progress.setRange(0, steps)
        self.progress.setValue(0)
        self.thread.start()

    def _running(self, running: bool, status: str) -> None:
        for row in self.rows:
            row.setEnabled(not running)
        self.steps.setEnabled(not running)
        self.progress.setVisible(running)
        self.status.setText(status)
        self.status.setVisible(bool(status))
        self._check()

    def _progressed(self, done: int, steps: int) -> None:
        self.progress.setValue(done)
        self.status.setText(f"Step {done:,} of {steps:,}")

    def _ended(self) -> None:
        self.thread.finish()
        self.thread.deleteLater()
        self.thread = None

    def _raced(self, project: Project, result) -> None:
        self._ended()
        from laegna_gui.ui.compare.compare_window import CompareWindow
        from laegna_gui.ui.compare.sweep_window import SweepWindow

        title = self._title(project, result)
        if self.kind == "compare":
            self.result_window = CompareWindow(self.window_, result, title)
        else:
            self.result_window = SweepWindow(self.window_, project, result, title)
        self.result_window.show()
        self.accept()

    def _title(self, project: Project, result) -> str:
        keys = " × ".join(row.changes[0].key for row in self.rows)
        steps = result.steps if self.kind == "compare" else result.race.steps
        return f"{self.kind.capitalize()} {project.name or 'project'}: {keys}, {steps:,} steps from the same start"

    def _failed(self, message: str) -> None:
        self._ended()
        self._running(False, "")
        self.problem.setText(message)
        self.problem.show()

    def _stopped(self) -> None:
        self._ended()
        self._running(False, STOPPED)

    def reject(self) -> None:
        """Cancel while training stops the runs (and keeps nothing); otherwise closes."""
        if self.thread is not None:
            self.thread.cancel()
            self.cancel_button.setEnabled(False)  # until the thread says it stopped
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.thread is not None:  # closed another way while training: stop and wait
            self.thread.finish()
        super().done(result)
