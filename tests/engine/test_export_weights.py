"""Exported weights: a state dict that the exported script's Network loads strictly with
weights_only=True, and that predicts what the app predicts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from export_helpers import import_script, merge_graph, write_script

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.errors import GraphError, ProjectFileError
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.export_weights import save_weights, script_state_dict
from laegna_gui.engine.trainer import Trainer


def _merge_project() -> Project:
    return Project(merge_graph(), DatasetSettings("spiral3", 150, 0.05, 0.3),
                   TrainingSettings(loss="cross_entropy", optimizer="adam", learning_rate=0.01, batch_size=8), seed=5)


@pytest.mark.parametrize("make", [lambda: load_preset("xor"), lambda: load_preset("affine3d"), _merge_project],
                         ids=["xor", "affine3d", "merge-graph"])
def test_exported_weights_load_into_the_exported_network_and_predict_the_same(make, tmp_path):
    project = make()
    trainer = Trainer(project)
    trainer.run(150)
    save_weights(tmp_path / "trained.pt", project, trainer.weights(), trainer.step_count)
    module = import_script(write_script(project, 150, tmp_path))

    model = module.Network()
    model.load_state_dict(torch.load(tmp_path / "trained.pt", weights_only=True), strict=True)
    model.eval()
    with torch.no_grad():
        exported = model(torch.as_tensor(trainer.data.x_test)).numpy()
    np.testing.assert_allclose(exported, trainer.predict(trainer.data.x_test), rtol=1e-6, atol=1e-7)
    untrained = Trainer(project).predict(trainer.data.x_test)
    assert not np.allclose(exported, untrained, atol=1e-3)  # the weights did arrive


def test_the_keys_are_exactly_the_networks_including_batch_norms_counter(tmp_path):
    project = _merge_project()
    trainer = Trainer(project)
    trainer.run(12)
    state = script_state_dict(project, trainer.weights(), trainer.step_count)
    module = import_script(write_script(project, 10, tmp_path))
    assert list(state) == list(module.Network().state_dict())
    assert state["bn1.num_batches_tracked"].item() == 12
    np.testing.assert_array_equal(state["dense2.weight"].numpy(), trainer.weights()["dense2.weight"])
    assert all(t.dtype == torch.float32 for k, t in state.items() if not k.endswith("num_batches_tracked"))


def test_weights_of_another_network_are_refused():
    project = load_preset("xor")
    weights = Trainer(load_preset("spiral")).weights()
    with pytest.raises(ProjectFileError, match="do not fit"):
        script_state_dict(project, weights)


def test_an_invalid_network_is_refused(tmp_path):
    project = load_preset("xor")
    weights = Trainer(project).weights()
    broken = replace(project, graph=project.graph.copy())
    broken.graph.remove_edge("activation2", "output1")
    with pytest.raises(GraphError):
        save_weights(tmp_path / "w.pt", broken, weights)
    assert not (tmp_path / "w.pt").exists()
