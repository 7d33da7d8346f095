"""Training a graph network: one exact iteration at a time, or many as fast as possible.

Two engines train the same numbers: the compiled one (numba kernels over flat buffers, see
engine/compiled/) and torch (the reference, and faster for very wide layers). Both read and
write the same memory (`FlatState`), draw the same batches (`BatchSchedule`) and the same
dropout masks, so the choice between them (`engine_name`) can change between any two
iterations without a trace in the results.

Another thread can stop a long iteration, evaluation or snapshot through the trainer's
`cancel` token (engine/cancel.py): it raises TrainingCancelled, and an interrupted iteration
leaves weights, gradients, optimizer state and batch order as they were before it.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import numpy as np
import torch

from laegna_gui.core.datasets import Dataset, make_dataset
from laegna_gui.core.errors import GraphError, TrainingDiverged
from laegna_gui.core.memory import check_memory
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import RANDOM_SEARCH, TrainingSettings
from laegna_gui.core.validate import analyse, check_loss, final_activation
from laegna_gui.engine import configure_torch
from laegna_gui.engine.batches import BatchSchedule
from laegna_gui.engine import evaluation, random_search
from laegna_gui.engine.cancel import CancelToken, TrainingCancelled
from laegna_gui.engine.compiled import prepare
from laegna_gui.engine.compiled.engine import CompiledEngine
from laegna_gui.engine.compiled.flat import FlatGuard, FlatState
from laegna_gui.engine.engine_choice import COMPILED, TORCH, EngineChoice, engine_from_environment  # noqa: F401 (COMPILED: re-exported)
from laegna_gui.engine.network import GraphNetwork, frozen_numpy
from laegna_gui.engine.objective import Objective
from laegna_gui.engine.optimizers import make_optimizer, update_hyperparameters
from laegna_gui.engine.probes import Probes, plane_extent
from laegna_gui.engine.snapshot import Metrics, Snapshot, StepBatch, StepReport



class Trainer(EngineChoice):
    """Owns the model, its optimizer state and the data. Not thread-safe: one owner only."""

    def __init__(self, project: Project, dataset: Dataset | None = None,
                 keep: dict[str, np.ndarray] | None = None, cancel: CancelToken | None = None) -> None:
        """`keep`: weights from an earlier version of the network; those whose name and
        shape still fit (unchanged layers) are kept, the rest start fresh. `cancel`: a token
        another thread may raise to stop what this trainer is doing (see the module)."""
        configure_torch()
        self.cancel = cancel or CancelToken()
        self.graph = project.graph.copy()
        self.seed = project.seed
        self.data = dataset or make_dataset(project.dataset, project.seed)
        self.analysis = analyse(self.graph, self.data.spec, project.training.loss)
        check_memory(self.analysis, len(self.data.x_train) + len(self.data.x_test), project.training)
        self._has_batch_norm = bool(self.graph.nodes_of_type("batch_norm"))
        self._has_dropout = bool(self.graph.nodes_of_type("dropout"))
        self._check_batch_norm(project.training)
        self.network = GraphNetwork(self.graph, self.analysis, self.data.spec, project.seed)
        self.network.cancel = self.cancel
        if project.weights is not None:
            self.network.load_weights(project.weights)
        if keep:
            self.network.load_weights(_unchanged_layers(keep, self.network.named_state()))
        # every parameter, gradient, statistic and optimizer state in flat buffers both engines use
        self.flat = FlatState(self.network)
        self.guard = FlatGuard(self.flat)
        self.x_train = torch.as_tensor(self.data.x_train)
        self.x_test = torch.as_tensor(self.data.x_test)
        self.settings = project.training
        self._set_objective(project.training.loss)
        self._optimizer: torch.optim.Optimizer | None = None  # torch's, made when torch first trains
        self.schedule = BatchSchedule(len(self.x_train), self.seed, self._has_batch_norm)
        self.step_count = 0
        self._dataset_settings = project.dataset
        self.extent = plane_extent(np.concatenate([self.data.x_train, self.data.x_test]))
        self._relu_nodes = [n for n in self.analysis.order if self.graph.node(n).type == "activation"
                            and self.graph.node(n).params["function"] in ("relu", "leaky_relu")]
        # "auto" lets the cost model (and, where unsure, a measurement) choose; tests force one,
        # and so can a user: LAEGNA_ENGINE=torch (or compiled) in the environment
        self.engine_choice = engine_from_environment()
        # False in the window's worker: until the kernels are ready (compiled once after
        # installing, in another process), torch trains instead of the window waiting
        self.wait_for_kernels = True
        self._measured: str | None = None  # the engine a measurement found faster
        self._compiled: CompiledEngine | None = None
        self._config: tuple | None = None  # (settings, objective, float64 array for the kernels)
        self.samples = evaluation.fixed_samples(len(self.x_train), len(self.x_test), self.seed)

    @property
    def epoch(self) -> int:
        return self.schedule.epoch

    @epoch.setter
    def epoch(self, value: int) -> None:
        self.schedule.epoch = value

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        """torch's optimizer, made on first use (its first import costs over a second) with
        the flat buffers as its state, so it continues what the compiled engine did."""
        if self._optimizer is None:
            self._optimizer = make_optimizer(self.network.parameters(), self.settings, self.seed)
            self.flat.bind_optimizer(self._optimizer, self.settings.optimizer)
        return self._optimizer

    @property
    def searching(self) -> bool:
        """Random search trains: no gradients, only nudges kept where the loss falls."""
        return self.settings.optimizer == RANDOM_SEARCH

    def _fresh_optimizer(self) -> None:
        """Forget the optimizer's state (a new optimizer kind, or after diverged weights)."""
        self.flat.reset_optimizer()
        self._optimizer = None

    def warm_up(self) -> None:
        """Pay the one-time costs before they are needed: loading the compiled kernels (or
        starting their preparation) and, where the cost model cannot tell which engine is
        faster here, timing both."""
        if self._compiled_possible() and prepare.ensure(block=self.wait_for_kernels):
            if self.engine_choice == "auto" and self._measured is None and not self._estimate().sure:
                self._measured = self._measure_engines()
        if self.engine_name == TORCH:
            self.optimizer  # noqa: B018

    # --- settings ------------------------------------------------------------
    def _check_batch_norm(self, s: TrainingSettings) -> None:
        if self._has_batch_norm and s.batch_size == 1:
            raise GraphError("batch norm needs batches of 2 or more points; raise the batch size")

    def _set_objective(self, loss: str) -> None:
        width = self.analysis.widths[self.network.output_id]
        self.objective = Objective(loss, self.data.task, width, final_activation(self.graph))
        self.y_train = self.objective.encode(self.data.y_train)
        self.y_test = self.objective.encode(self.data.y_test)

    def set_settings(self, settings: TrainingSettings) -> None:
        """Takes effect at the next iteration; weights (and optimizer state, if the
        optimizer kind is unchanged) are kept."""
        width = self.analysis.widths[self.network.output_id]
        check_loss(self.graph, width, self.data.spec, settings.loss)
        self._check_batch_norm(settings)
        old, self.settings = self.settings, settings
        if settings.loss != old.loss:
            self._set_objective(settings.loss)
        if settings.optimizer != old.optimizer:
            self._fresh_optimizer()
        elif self._optimizer is not None:
            update_hyperparameters(self._optimizer, settings)
        if settings.batch_size != old.batch_size:
            self._measured = None  # the faster engine may differ at another batch size

    # --- batches -------------------------------------------------------------
    @property
    def batch_size(self) -> int:
        n = len(self.x_train)
        return n if self.settings.batch_size <= 0 else min(self.settings.batch_size, n)

    def next_batch(self) -> torch.Tensor:
        """Indices of the next mini-batch (see BatchSchedule)."""
        return torch.from_numpy(self.schedule.next(self.batch_size))

    @property
    def steps_per_epoch(self) -> int:
        return self.schedule.steps_per_epoch(self.batch_size)

    # --- the torch engine: one iteration ------------------------------------------
    def _penalty(self) -> torch.Tensor | float:
        s = self.settings
        if s.regularization == "none" or s.reg_rate == 0:
            return 0.0
        weights = [p for name, p in self.network.named_trainables().items()
                   if name.endswith(".weight") and self.graph.node(name.split(".")[0]).type == "dense"]
        if s.regularization == "l1":
            return s.reg_rate * sum(w.abs().sum() for w in weights)
        return s.reg_rate * 0.5 * sum((w * w).sum() for w in weights)

    def _iteration(self, batch: torch.Tensor) -> tuple[float, float]:
        """Forward, loss, backward, clip, update with torch. Returns (data loss, gradient norm).

        A non-finite loss or gradient stops before the update; non-finite weights after
        it are rolled back. Either way TrainingDiverged is raised and the weights stay
        those from before this step. Random search, which has no gradient, tries a nudge
        instead (engine/random_search.py); its "norm" is 0."""
        if self.searching:
            return random_search.iteration(self, batch), 0.0
        if not self.network.training:
            self.network.train()
        if not self.flat.still_bound():  # a tensor was replaced: share the buffers again
            self.flat.rebind()
        if self._has_dropout:
            self.network.set_step(self.step_count)
        self.guard.save()  # before the forward pass, which updates batch-norm statistics
        self.flat.keep_gradients()
        self.flat.grads[:] = 0  # the parameters' .grad are views of it
        try:
            data_loss = self.objective.loss_of(self.network, self.x_train[batch], self.y_train[batch])
            loss_value = data_loss.item()
            if not math.isfinite(loss_value):
                self._failed("loss")
            (data_loss + self._penalty()).backward()
        except TrainingCancelled:  # nothing is updated yet: undo the statistics and gradients
            self.guard.restore()
            self.flat.restore_gradients()
            raise
        norm = self._gradient_norm()
        if not math.isfinite(norm):
            self._failed("gradient")
        if self.settings.clip:
            torch.nn.utils.clip_grad_norm_(self.network.parameters(), self.settings.clip_norm)
        self.optimizer.step()
        if not self.guard.finite():
            self._failed("weights")
        self.step_count += 1
        return loss_value, norm

    def _failed(self, what: str):
        self.guard.restore()
        if what == "weights":
            self._fresh_optimizer()
        raise TrainingDiverged(self._diverged_message(what))

    def _gradient_norm(self) -> float:
        grads = self.flat.grads
        squares = float(np.dot(grads, grads))  # float32: fast, but it overflows first…
        if not math.isfinite(squares):  # …so a huge (or non-finite) one is summed again in float64
            squares = float(np.dot(grads.astype(np.float64), grads.astype(np.float64)))
        return math.sqrt(squares)

    def _diverged_message(self, what: str) -> str:
        return (f"training diverged at step {self.step_count + 1}: the {what} became NaN or infinite. "
                f"The weights from before that step are kept. Lower the learning rate "
                f"(now {self.settings.learning_rate:g}) or turn on gradient clipping, and press "
                f"Reset if the next steps still diverge.")

    # --- iterations, on whichever engine runs ---------------------------------------
    @contextmanager
    def _undone_if_cancelled(self):
        """A cancelled iteration leaves no trace: the next one draws its batch again."""
        schedule = self.schedule
        epoch, cursor = schedule.epoch, schedule.cursor
        walked = schedule.order.copy() if cursor >= schedule.n else None  # about to be shuffled anew
        try:
            yield
        except TrainingCancelled:
            schedule.epoch, schedule.cursor = epoch, cursor
            if walked is not None:
                schedule.order[:] = walked
            raise

    def step(self) -> StepReport:
        """Exactly one optimizer iteration on one mini-batch, with everything it did."""
        with self._undone_if_cancelled():
            batch = self.next_batch()
            before = self.network.weights()
            loss_before = self.batch_loss(batch)
            if self._compiled_enabled():
                norm = self._compiled_step(batch.numpy())
            else:
                _, norm = self._iteration(batch)
        searched = self.searching
        gradients = {} if searched else {k: frozen_numpy(p.grad) for k, p in self.network.named_trainables().items()
                                         if p.grad is not None}
        after = self.network.weights()
        updates = {k: _frozen(after[k] - before[k]) for k in after}
        # a kept nudge lowered the loss, so it moved a weight; a rejected one was undone bit for bit
        kept = any(u.any() for u in updates.values()) if searched else None
        checked = None if searched else self._step_batch(batch)  # random search has no gradient to check
        return StepReport(self.step_count, len(batch), loss_before, self.batch_loss(batch), before,
                          gradients, updates, after, norm,
                          self.settings.clip and norm > self.settings.clip_norm, checked, kept)

    def _step_batch(self, batch: torch.Tensor) -> StepBatch:
        """What a step's loss was measured on, for checking its gradient away from here."""
        rows = batch.numpy()
        return StepBatch(_frozen(self.data.x_train[rows]), _frozen(self.data.y_train[rows]), self.graph,
                         self.data.spec, self.settings, self.seed)

    def run(self, n: int) -> float:
        """`n` iterations as fast as possible; returns the last mini-batch loss. Either
        engine leaves p.grad holding the gradients of the last iteration."""
        if n > 0 and self._compiled_enabled():
            return self._compiled_run(n)
        loss = math.nan
        for _ in range(n):
            with self._undone_if_cancelled():
                loss, _ = self._iteration(self.next_batch())
        return loss

    def run_epochs(self, n: int = 1) -> float:
        """Iterate until `n` more epochs have completed (the first may be partly done)."""
        if n <= 0:
            return math.nan
        size = self.batch_size
        steps = self.schedule.steps_to_epoch_end(size) + (n - 1) * self.schedule.steps_per_epoch(size)
        return self.run(steps)

    # --- evaluation (engine/evaluation.py) --------------------------------------
    def batch_loss(self, batch: torch.Tensor) -> float:
        return evaluation.batch_loss(self, batch)

    def evaluate(self, sample: bool = False) -> Metrics:
        """Train and test loss (and accuracy), with dropout and batch norm in eval mode;
        with `sample`, on a fixed sample of each split when it is large."""
        return evaluation.evaluate(self, sample)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return evaluation.predict(self, x)

    def snapshot(self, with_probes: bool = True, report: StepReport | None = None,
                 sample: bool = False) -> Snapshot:
        """Everything the views show, as numpy copies. `sample`: while playing, losses and
        dead units of large data sets are measured on a fixed sample (the snapshot says so)."""
        snapshot = evaluation.snapshot(self, with_probes, report, sample)
        return random_search.without_gradients(snapshot) if self.searching else snapshot

    def probes(self, gradients: dict[str, np.ndarray], sample: bool = False) -> Probes:
        """Everything the live views draw, from the model as it is now (eval mode)."""
        return evaluation.probes(self, gradients, sample)

    # --- edits between iterations ----------------------------------------------
    def set_weight(self, name: str, index: tuple[int, ...], value: float) -> None:
        """Set one weight (a user typed it); applied before the next iteration."""
        if not math.isfinite(value):
            raise ValueError("a weight must be a finite number")
        tensor = self.network.named_state()[name]
        with torch.no_grad():
            tensor[index] = value

    def reset(self) -> None:
        """Re-initialise the weights from the seed and start counting again."""
        project = Project(self.graph, self._dataset_settings, self.settings, self.seed)
        wait_for_kernels = self.wait_for_kernels
        self.__init__(project, self.data, cancel=self.cancel)
        self.wait_for_kernels = wait_for_kernels

    def weights(self) -> dict[str, np.ndarray]:
        return self.network.weights()


def _unchanged_layers(old: dict[str, np.ndarray], state: dict[str, torch.Tensor]) -> dict[str, np.ndarray]:
    """The old weights of every layer whose tensors all still exist with the same shapes."""
    def layer(name: str) -> str:
        return name.split(".")[0]

    fits: dict[str, bool] = {}
    for name in set(old) | set(state):
        same = name in old and name in state and tuple(state[name].shape) == old[name].shape
        fits[layer(name)] = fits.get(layer(name), True) and same
    return {name: value for name, value in old.items() if fits[layer(name)]}


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array
