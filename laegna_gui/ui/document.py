"""The open project: its file, its undo history and whether its network is valid."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from laegna_gui.core.datasets import DatasetSettings, dataset_spec
from laegna_gui.core.errors import DatasetError, LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import save_project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.drawn_points import too_few_points
from laegna_gui.core.memory import check_memory, dataset_size
from laegna_gui.core.validate import Analysis, DataSpec, analyse, partial_widths
from laegna_gui.ui.commands import SetValueCommand


class Document(QObject):
    """Owns the Project being edited. Views read `project.graph` and follow its events;
    every edit goes through `push` so it can be undone."""

    project_replaced = Signal()
    graph_edited = Signal()  # the network's structure or a layer's parameters changed
    validity_changed = Signal(object)  # None when valid, else the LaegnaError
    dataset_changed = Signal()
    training_changed = Signal()
    modified_changed = Signal(bool)
    path_changed = Signal()

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)  # a method: Qt drops it when we go
        self.project = project or Project()
        self.path: Path | None = None
        self.error: LaegnaError | None = None
        self._analysis: Analysis | None = None
        self._connect_graph()
        self.revalidate()

    # --- the project ---------------------------------------------------------
    @property
    def graph(self):
        return self.project.graph

    @property
    def spec(self) -> DataSpec:
        return dataset_spec(self.project.dataset)

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def _clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    def load(self, project: Project, path: str | Path | None = None, modified: bool = False) -> None:
        """Replace the open project (the old one's history goes with it)."""
        for event in self._structural_events():
            event.disconnect(self._graph_changed)
        self.project = project
        self.undo_stack.clear()
        self.set_path(path)
        self._connect_graph()
        self.revalidate()  # first: listeners of project_replaced read the new validity
        self.project_replaced.emit()
        if modified:
            self.undo_stack.resetClean()  # no clean state reachable: counts as modified
        self.modified_changed.emit(self.modified)

    def set_path(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self.path_changed.emit()

    def save(self, path: str | Path | None = None) -> None:
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name given")
        save_project(self.project, target)
        self.set_path(target)
        self.undo_stack.setClean()

    def _structural_events(self):
        events = self.project.graph.events
        return [e for e in events.all() if e is not events.node_moved]  # positions change nothing

    def _connect_graph(self) -> None:
        for event in self._structural_events():
            event.connect(self._graph_changed)

    def _graph_changed(self, *_args) -> None:
        self.revalidate()
        self.graph_edited.emit()

    # --- validity ------------------------------------------------------------
    def analysis(self) -> Analysis | None:
        """The validated network (widths, order, counts), or None while it is not valid.
        Computed once per change by `revalidate`, which every change runs first."""
        return self._analysis

    def revalidate(self) -> None:
        project = self.project
        try:
            if too_few_points(project.dataset):
                raise DatasetError("the dataset has fewer than 2 points; draw or import more to train")
            analysis = analyse(self.graph, self.spec, project.training.loss)
            check_memory(analysis, dataset_size(project.dataset), project.training)
            self._analysis, self.error = analysis, None
        except LaegnaError as exc:
            self._analysis, self.error = None, exc
        self.validity_changed.emit(self.error)

    def widths(self) -> dict[str, int]:
        """Known output widths of every node, even in an unfinished network."""
        return partial_widths(self.graph, self.spec)

    # --- edits ---------------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def set_dataset(self, settings: DatasetSettings) -> None:
        """Undoable change of the dataset settings."""
        if settings != self.project.dataset:
            self.push(SetValueCommand("Change dataset", self._apply_dataset, self.project.dataset, settings))

    def _apply_dataset(self, settings: DatasetSettings) -> None:
        self.project.dataset = settings
        self.project.weights = None
        self.revalidate()  # first: listeners of dataset_changed read the new validity
        self.dataset_changed.emit()

    def set_seed(self, seed: int) -> None:
        """Undoable change of the random seed; it draws the data, so dataset_changed follows."""
        if seed != self.project.seed:
            self.push(SetValueCommand("Change seed", self._apply_seed, self.project.seed, seed))

    def _apply_seed(self, seed: int) -> None:
        self.project.seed = seed
        self.project.weights = None
        self.dataset_changed.emit()

    def set_training(self, settings: TrainingSettings) -> None:
        if settings != self.project.training:
            self.push(SetValueCommand("Change training", self._apply_training, self.project.training, settings))

    def _apply_training(self, settings: TrainingSettings) -> None:
        self.project.training = settings
        self.revalidate()  # first: the training controller checks validity before sending
        self.training_changed.emit()
