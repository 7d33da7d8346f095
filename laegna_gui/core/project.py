"""A project: everything needed to reproduce an experiment (graph, data, training, seed, weights)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from laegna_gui.core.datasets import DatasetSettings, dataset_spec
from laegna_gui.core.graph import Graph
from laegna_gui.core.recorded_run import RecordedRun
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.validate import Analysis, analyse

FORMAT_NAME = "laegna-project"
FORMAT_VERSION = 2  # 2: arrays packed as base64 bytes; version 1 (number lists) is still read


@dataclass
class Project:
    """The document a user edits, saves and reopens. The graph is live (it emits events)."""

    graph: Graph = field(default_factory=Graph)
    dataset: DatasetSettings = field(default_factory=DatasetSettings)
    training: TrainingSettings = field(default_factory=TrainingSettings)
    seed: int = 0
    name: str = "untitled"
    description: str = ""
    weights: dict[str, np.ndarray] | None = None
    recording: RecordedRun | None = None  # the training recording saved with it (optional; frozen, so shared by copies)
    hidden_controls: tuple[str, ...] = ()  # classroom mode: the controls (lesson_words.CONTROLS) not shown

    def analyse(self) -> Analysis:
        """Validate the network against the data and the loss; raises a GraphError."""
        return analyse(self.graph, dataset_spec(self.dataset), self.training.loss)

    def copy(self) -> "Project":
        weights = None if self.weights is None else {k: v.copy() for k, v in self.weights.items()}
        return replace(self, graph=self.graph.copy(), weights=weights)
