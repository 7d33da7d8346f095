"""Random search's side of a Trainer: its iteration, and snapshots that say it has no gradients.

The optimizer itself (engine/optimizers.py RandomSearch) tries one nudge per step and keeps it
only if the loss falls. The loss it compares is the batch loss as `Trainer.batch_loss`
measures it — in eval mode: dropout off, batch norm on its running statistics, which random
search leaves as they are (it has no training pass to update them) — plus the regularization
penalty, which the gradient optimizers minimise too. So the losses a Step reports are the
ones compared: without regularization a kept nudge is exactly one whose reported batch loss
fell. Gradient clipping does not apply. Only the torch engine runs it (engine_choice.py).
"""

from __future__ import annotations

import math
from dataclasses import replace

import torch

from laegna_gui.engine.snapshot import NO_GRADIENTS, Snapshot



def iteration(trainer, batch: torch.Tensor) -> float:
    """One try on `batch`; returns its data loss before the nudge (as a gradient step returns
    the loss it started from). Raises TrainingDiverged (weights as before) when that loss, or a kept weight, is not finite."""
    if not trainer.flat.still_bound():  # a tensor was replaced: share the buffers again
        trainer.flat.rebind()
    trainer.guard.save()
    trainer.network.eval()
    x, y = trainer.x_train[batch], trainer.y_train[batch]
    data_losses = []

    def loss() -> float:
        data = trainer.objective.loss_of(trainer.network, x, y)
        data_losses.append(data.item())
        return (data + trainer._penalty()).item()

    total, kept = trainer.optimizer.step(loss, trainer.step_count)
    if not math.isfinite(total):
        trainer._failed("loss")
    if kept and not trainer.guard.finite():
        trainer._failed("weights")
    trainer.flat.grads[:] = 0  # no gradient was computed: none is shown, not the last optimizer's
    trainer.step_count += 1
    return data_losses[0]


def without_gradients(snapshot: Snapshot) -> Snapshot:
    """`snapshot` as random search's: no gradients, and the Gradients view says why."""
    probes = snapshot.probes
    if probes is not None:
        probes = replace(probes, layer_gradient_norms={}, gradient_warning=NO_GRADIENTS)
    return replace(snapshot, gradients={}, probes=probes)
