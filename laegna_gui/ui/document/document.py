"""The open project: its file, its undo history and whether its network is valid."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from laegna_gui.core.datasets import DatasetSettings, dataset_spec
from laegna_gui.core.errors import DatasetError, LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.core.project_file import save_project
from laegna_gui.core.recorded_run import RecordedRun
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.drawn_points import too_few_points
from laegna_gui.core.memory import check_memory, dataset_size
from laegna_gui.core.validate import Analysis, DataSpec, analyse, partial_widths
from laegna_gui.core.weights import expected_shapes
from laegna_gui.ui.document.commands import KeepWeightsCommand, SetValueCommand, Weights, WeightsMemo

# Undo keeps the trained weights each edit replaced; past this many bytes of them the
# oldest edits let theirs go (a 2-million-parameter network takes 8 MB a copy)
KEPT_WEIGHTS_BYTES = 256 * 2**20


class Document(QObject):
    """Owns the Project being edited. Views read `project.graph` and follow its events;
    every edit goes through `push` so it can be undone — with the trained weights it made
    the trainer drop, read from `weights_provider` (the window sets it to the latest
    snapshot's weights) before the edit and handed back in `project.weights` on undo."""

    project_replaced = Signal()
    graph_edited = Signal()  # the network's structure or a layer's parameters changed
    validity_changed = Signal(object)  # None when valid, else the LaegnaError
    dataset_changed = Signal()
    training_changed = Signal()
    modified_changed = Signal(bool)
    path_changed = Signal()
    notice = Signal(str)  # something the user should know about an edit before it matters

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)  # a method: Qt drops it when we go
        self.project = project or Project()
        self.path: Path | None = None
        self.error: LaegnaError | None = None
        self._analysis: Analysis | None = None
        self.weights_provider: Callable[[], Weights | None] = self._stored_weights
        self.recording_provider: Callable[[], RecordedRun | None] = lambda: None
        self._memos: list[weakref.ref[WeightsMemo]] = []  # oldest first
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

    def save(self, path: str | Path | None = None, with_recording: bool = False) -> None:
        """Write the project (with the training recording if asked) and make it the file."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name given")
        self.project.recording = self.recording_provider() if with_recording else None
        try:
            save_project(self.project, target)
        finally:
            self.project.recording = None  # the recording lives with training, not in the open project
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
            project.weights = _fitting(project.weights, expected_shapes(self.graph, analysis))
        except LaegnaError as exc:
            self._analysis, self.error = None, exc
        self.validity_changed.emit(self.error)

    def widths(self) -> dict[str, int]:
        """Known output widths of every node, even in an unfinished network."""
        return partial_widths(self.graph, self.spec)

    # --- edits ---------------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        """Do `command` as one undo step; one that may make layers start afresh keeps the
        trained weights from before it, for its undo."""
        if not getattr(command, "resets_layers", True):
            self.undo_stack.push(command)
            return
        kept = KeepWeightsCommand(command, self._trained_weights, self._put_weights)
        self.undo_stack.push(kept)
        self._limit_kept_weights(kept.memo)

    def _stored_weights(self) -> Weights | None:
        return self.project.weights

    def _trained_weights(self) -> Weights | None:
        weights = self.weights_provider()
        return dict(weights) if weights else None

    def _put_weights(self, weights: Weights) -> None:
        """Weights for the trainer to start the layers from that its own no longer fit
        (those that do fit keep training where they are). `revalidate` drops what does
        not fit the network."""
        self.project.weights = dict(weights)

    def _limit_kept_weights(self, memo: WeightsMemo) -> None:
        """Past KEPT_WEIGHTS_BYTES, the oldest edits let their weights go, and say so now."""
        self._memos = [ref for ref in self._memos if ref() is not None] + [weakref.ref(memo)]
        memos = [m for m in (ref() for ref in self._memos) if m is not None and m.arrays()]
        dropped = 0
        while len(memos) > 1 and _nbytes(a for m in memos for a in m.arrays()) > KEPT_WEIGHTS_BYTES:
            memos.pop(0).forget()
            dropped += 1
        if dropped:
            self.notice.emit(f"Undoing your {dropped} oldest edit{'s' * (dropped > 1)} will not bring back "
                             "the trained weights they replaced: the network is too large to keep them all.")

    def set_dataset(self, settings: DatasetSettings) -> None:
        """Undoable change of the dataset settings."""
        if settings != self.project.dataset:
            self.push(SetValueCommand("Change dataset", self._apply_dataset, self.project.dataset, settings))

    def _apply_dataset(self, settings: DatasetSettings) -> None:
        self.project.dataset = settings
        self.revalidate()  # first: listeners of dataset_changed read the new validity
        self.dataset_changed.emit()

    def set_seed(self, seed: int) -> None:
        """Undoable change of the random seed; it draws the data, so dataset_changed follows."""
        if seed != self.project.seed:
            self.push(SetValueCommand("Change seed", self._apply_seed, self.project.seed, seed))

    def _apply_seed(self, seed: int) -> None:
        self.project.seed = seed
        self.revalidate()  # first: it also drops handed-back weights that do not fit
        self.dataset_changed.emit()

    def set_training(self, settings: TrainingSettings) -> None:
        if settings != self.project.training:
            self.push(SetValueCommand("Change training", self._apply_training, self.project.training, settings,
                                      resets_layers=False))

    def _apply_training(self, settings: TrainingSettings) -> None:
        self.project.training = settings
        self.revalidate()  # first: the training controller checks validity before sending
        self.training_changed.emit()


def _fitting(weights: Weights | None, shapes: dict[str, tuple[int, ...]]) -> Weights | None:
    """The layers of `weights` whose every array the network still has, in the same shape
    (a trainer given others would fail); None when no layer fits."""
    if not weights:
        return None
    fits: dict[str, bool] = {}
    for name in set(weights) | set(shapes):
        layer = name.split(".")[0]
        same = name in weights and name in shapes and tuple(weights[name].shape) == shapes[name]
        fits[layer] = fits.get(layer, True) and same
    kept = {name: array for name, array in weights.items() if fits[name.split(".")[0]]}
    return kept or None


def _nbytes(arrays: Iterable[np.ndarray]) -> int:
    """Bytes held by `arrays`, each counted once (memos share the arrays of one snapshot)."""
    return sum(a.nbytes for a in {id(a): a for a in arrays}.values())
