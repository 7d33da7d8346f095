"""What the views are shown: losses, accuracies, probes and snapshots of a Trainer.

While training plays, a snapshot leaves up to 32 times a second; measuring a large data
set each time would take much of the worker's time (6 ms at 50,000 points, about a fifth
of it). So live snapshots of large data sets measure the loss, accuracy and dead units on
a fixed random sample of each split (`SAMPLE_POINTS`, the same points every time, so the
curves do not flicker), and say so (`Metrics.sample`); a paused or stepped network is
always measured on every point.
"""

from __future__ import annotations

import numpy as np
import torch

from laegna_gui.engine.network import frozen_numpy
from laegna_gui.engine.probes import (CURVE_POINTS, Probes, dead_fractions, gradient_warning,
                                      layer_gradient_norms, plane_probes)
from laegna_gui.engine.snapshot import Metrics, Snapshot, StepReport

SAMPLE_POINTS = 4096


def fixed_samples(n_train: int, n_test: int, seed: int) -> tuple[torch.Tensor | None, torch.Tensor | None]:
    """Sorted indices of the fixed sample of each split (None where the split is small)."""
    rng = np.random.default_rng(seed)

    def pick(n: int) -> torch.Tensor | None:
        if n <= SAMPLE_POINTS:
            return None
        return torch.from_numpy(np.sort(rng.choice(n, SAMPLE_POINTS, replace=False)))

    return pick(n_train), pick(n_test)


@torch.no_grad()
def batch_loss(trainer, batch: torch.Tensor) -> float:
    trainer.network.eval()
    return trainer.objective.loss_of(trainer.network, trainer.x_train[batch], trainer.y_train[batch]).item()


@torch.no_grad()
def _score(trainer, x: torch.Tensor, y: torch.Tensor,
           labels: np.ndarray) -> tuple[float, float | None, np.ndarray | None]:
    output, logits = trainer.network.scored(x)
    loss = trainer.objective(output, logits, y).item()
    if not trainer.objective.classifies:
        return loss, None, None
    predicted = trainer.objective.predict(output).numpy()
    return loss, float(np.mean(predicted == labels)), predicted


def _answers(predicted: np.ndarray | None, n: int, sample: torch.Tensor | None) -> np.ndarray | None:
    """The class answered for each of a split's `n` points, read-only; -1 where the sample left one out."""
    if predicted is None:
        return None
    answers = np.full(n, -1, dtype=np.int32)
    answers[slice(None) if sample is None else sample.numpy()] = predicted
    answers.setflags(write=False)
    return answers


def _split(x: torch.Tensor, y: torch.Tensor, labels: np.ndarray, sample: torch.Tensor | None):
    if sample is None:
        return x, y, labels
    return x[sample], y[sample], labels[sample.numpy()]


def evaluate(trainer, sample: bool = False) -> Metrics:
    train_sample, test_sample = trainer.samples if sample else (None, None)
    trainer.network.eval()
    try:
        train = _score(trainer, *_split(trainer.x_train, trainer.y_train, trainer.data.y_train, train_sample))
        test = _score(trainer, *_split(trainer.x_test, trainer.y_test, trainer.data.y_test, test_sample))
    finally:
        trainer.network.train()
    sampled = SAMPLE_POINTS if train_sample is not None or test_sample is not None else 0
    return Metrics(train[0], test[0], train[1], test[1], sampled,
                   _answers(train[2], len(trainer.x_train), train_sample),
                   _answers(test[2], len(trainer.x_test), test_sample))


@torch.no_grad()
def predict(trainer, x: np.ndarray) -> np.ndarray:
    trainer.network.eval()
    return trainer.network(torch.as_tensor(x, dtype=torch.float32)).numpy()


def snapshot(trainer, with_probes: bool, report: StepReport | None, sample: bool) -> Snapshot:
    grads = {k: frozen_numpy(p.grad) for k, p in trainer.network.named_trainables().items()
             if p.grad is not None}
    probes_now = probes(trainer, grads, sample) if with_probes else None
    return Snapshot(trainer.step_count, trainer.epoch, evaluate(trainer, sample), trainer.network.weights(),
                    grads, probes_now, report, trainer.engine_name, trainer.engine_reason)


def probes(trainer, gradients: dict[str, np.ndarray], sample: bool = False) -> Probes:
    network, data = trainer.network, trainer.data
    network.eval()
    try:
        boundary, maps, curve_x, curve_y = None, {}, None, None
        if data.spec.n_inputs == 2:
            boundary, maps = plane_probes(network, trainer.objective, trainer.extent, set(trainer.analysis.order))
        elif data.spec.n_inputs == 1:
            curve_x = np.linspace(trainer.extent[0], trainer.extent[1], CURVE_POINTS, dtype=np.float32)
            curve_y = predict(trainer, curve_x[:, None])
        train_sample = trainer.samples[0] if sample else None
        x = trainer.x_train if train_sample is None else trainer.x_train[train_sample]
        dead = dead_fractions(network, x, trainer._relu_nodes)
    finally:
        network.train()
    norms = layer_gradient_norms(gradients)
    return Probes(trainer.extent, boundary, maps, curve_x, curve_y, dead, norms,
                  gradient_warning(norms, list(trainer.analysis.order), trainer, x, dead))
