"""Export trained weights as a PyTorch state dict for the exported script's `Network`.

The file holds only tensors (no pickled classes), so
`Network().load_state_dict(torch.load(path, weights_only=True))` loads it, strictly.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import torch

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.datasets import dataset_spec
from laegna_gui.core.project import Project
from laegna_gui.core.weights import check_weights, expected_shapes
from laegna_gui.engine.script_network import NetworkWriter


def script_state_dict(project: Project, weights: dict[str, np.ndarray], steps: int = 0) -> dict[str, torch.Tensor]:
    """Laegna's weights ('dense1.weight' …) under the exported Network's state-dict keys.

    `steps`: how many training steps the weights had, stored as batch norm's
    num_batches_tracked (torch keeps that counter; Laegna does not need it). Raises a
    GraphError for an invalid network and a ProjectFileError when the weights do not fit."""
    analysis = project.analyse()
    check_weights(weights, expected_shapes(project.graph, analysis))
    writer = NetworkWriter(project.graph, analysis, dataset_spec(project.dataset))
    state: dict[str, torch.Tensor] = {}
    for name, key in writer.state_names().items():
        state[key] = torch.tensor(np.array(weights[name], dtype=np.float32))
        if key.endswith(".running_var"):  # the last of a batch norm's tensors, in torch's order
            state[key.removesuffix("running_var") + "num_batches_tracked"] = torch.tensor(steps, dtype=torch.long)
    return state


def state_dict_bytes(project: Project, weights: dict[str, np.ndarray], steps: int = 0) -> bytes:
    """The state dict as the bytes of a .pt file."""
    buffer = io.BytesIO()
    torch.save(script_state_dict(project, weights, steps), buffer)
    return buffer.getvalue()


def save_weights(path: str | Path, project: Project, weights: dict[str, np.ndarray], steps: int = 0) -> Path:
    """Write the state dict to `path` atomically (OSError when it cannot be written)."""
    return write_atomic(path, state_dict_bytes(project, weights, steps))
