"""A recorded moment drawn again from its weights. Qt-free.

A project reopened with its recording has only the weights and numbers of each frame (see
recording.py); its probes — the decision boundary, each neuron's map, the dead units, the
layers' gradients — and the class each point was given can all be computed again from
those weights. That is done on a scratch Trainer made from the live one's network, settings
and data (a millisecond for the presets), so the live trainer's weights, optimizer state and
batch order are never touched, whether training runs or not. The scratch shares the live
trainer's cancel token: what interrupts the worker interrupts the drawing too.

The gradients are those of the training loss (with its regularization, as a Step's) over the
training set — its fixed sample when large — in eval mode: no dropout masks, batch norm's
running statistics. A recorded moment's own batch is not known, so this is the slope of the
whole loss there."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.project import Project
from laegna_gui.engine import random_search
from laegna_gui.engine.network import frozen_numpy
from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.engine.trainer import Trainer


def frame_picture(trainer: Trainer, snapshot: Snapshot) -> Snapshot:
    """`snapshot` (a recorded moment of `trainer`'s network) with its probes, gradients and
    each point's answer computed from its weights; its step, epoch and recorded losses stay.
    Under random search it has no gradients, as a live snapshot then has none."""
    scratch = scratch_trainer(trainer, snapshot.weights)
    gradients = {} if scratch.searching else data_gradients(scratch)
    probes = scratch.probes(gradients)
    measured = scratch.evaluate()
    metrics = replace(snapshot.metrics, train_answers=measured.train_answers, test_answers=measured.test_answers)
    pictured = replace(snapshot, metrics=metrics, gradients=gradients, probes=probes)
    return random_search.without_gradients(pictured) if scratch.searching else pictured


def scratch_trainer(trainer: Trainer, weights: dict[str, np.ndarray]) -> Trainer:
    """A Trainer of `trainer`'s network, settings and data (shared, never written) holding
    `weights`, which must be a full set of that network's weights."""
    project = Project(trainer.graph, trainer._dataset_settings, trainer.settings, trainer.seed)
    scratch = Trainer(project, trainer.data, cancel=trainer.cancel)
    state = scratch.network.named_state()
    wrong = sorted(set(state) ^ set(weights)) or sorted(
        name for name in state if tuple(state[name].shape) != np.shape(weights[name]))
    if wrong:
        raise LaegnaError(f"this moment's weights are not of the current network ({wrong[0]} does not fit)")
    scratch.network.load_weights(weights)
    return scratch


def data_gradients(trainer: Trainer) -> dict[str, np.ndarray]:
    """Each trainable tensor's gradient of the training loss (with regularization) over the
    training set, or its fixed sample when large, in eval mode; read-only copies."""
    rows = trainer.samples[0]
    x, y = (trainer.x_train, trainer.y_train) if rows is None else (trainer.x_train[rows], trainer.y_train[rows])
    network = trainer.network
    trainables = network.named_trainables()
    network.eval()
    try:
        loss = trainer.objective.loss_of(network, x, y) + trainer._penalty()
        grads = torch.autograd.grad(loss, list(trainables.values()), allow_unused=True)
    finally:
        network.train()
    return {name: frozen_numpy(g) for name, g in zip(trainables, grads) if g is not None}
