"""Training a graph network: one exact iteration at a time, or many as fast as possible."""

from __future__ import annotations

import math

import numpy as np
import torch

from laegna_gui.core.datasets import Dataset, make_dataset
from laegna_gui.core.errors import GraphError, TrainingDiverged
from laegna_gui.core.memory import check_memory
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.core.validate import analyse, check_loss, final_activation
from laegna_gui.engine import configure_torch
from laegna_gui.engine import fast_path
from laegna_gui.engine.network import GraphNetwork, frozen_numpy
from laegna_gui.engine.objective import Objective
from laegna_gui.engine.optimizers import make_optimizer, update_hyperparameters
from laegna_gui.engine.probes import (
    CURVE_POINTS,
    Probes,
    plane_probes,
    dead_fractions,
    gradient_warning,
    layer_gradient_norms,
    plane_extent,
)
from laegna_gui.engine.snapshot import Metrics, Snapshot, StepReport
from laegna_gui.engine.weight_guard import WeightGuard


class Trainer:
    """Owns a torch model, its optimizer and the data. Not thread-safe: one owner only."""

    def __init__(self, project: Project, dataset: Dataset | None = None,
                 keep: dict[str, np.ndarray] | None = None) -> None:
        """`keep`: weights from an earlier version of the network; those whose name and
        shape still fit (unchanged layers) are kept, the rest start fresh."""
        configure_torch()
        torch.manual_seed(project.seed)  # dropout masks draw from torch's global generator
        self.graph = project.graph.copy()
        self.seed = project.seed
        self.data = dataset or make_dataset(project.dataset, project.seed)
        self.analysis = analyse(self.graph, self.data.spec, project.training.loss)
        check_memory(self.analysis, len(self.data.x_train) + len(self.data.x_test), project.training)
        self._has_batch_norm = bool(self.graph.nodes_of_type("batch_norm"))
        self._check_batch_norm(project.training)
        self.network = GraphNetwork(self.graph, self.analysis, self.data.spec, project.seed)
        if project.weights is not None:
            self.network.load_weights(project.weights)
        if keep:
            self.network.load_weights(_unchanged_layers(keep, self.network.named_state()))
        self.x_train = torch.as_tensor(self.data.x_train)
        self.x_test = torch.as_tensor(self.data.x_test)
        self.settings = project.training
        self._set_objective(project.training.loss)
        self._optimizer: torch.optim.Optimizer | None = None  # made on first use (see `optimizer`)
        # Parameters and batch-norm running statistics: a failed step must undo both.
        self.guard = WeightGuard(list(self.network.named_state().values()))
        self._batch_rng = torch.Generator().manual_seed(project.seed)
        self.step_count = 0
        self.epoch = 0
        self._order = torch.randperm(len(self.x_train), generator=self._batch_rng)
        self._cursor = 0
        self._dataset_settings = project.dataset
        self.extent = plane_extent(np.concatenate([self.data.x_train, self.data.x_test]))
        self._relu_nodes = [n for n in self.analysis.order if self.graph.node(n).type == "activation"
                            and self.graph.node(n).params["function"] in ("relu", "leaky_relu")]
        # the compiled loop for run()/run_epochs(); set use_fast_path = False to force torch
        self.use_fast_path = True
        self._fast_structure: str | None = None  # graph-only reason, computed once
        self._fast_checked: tuple | None = None  # (settings, y_train) the reason was computed for
        self._fast_settings_reason = ""
        self._fast_model: fast_path.FastModel | None = None

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        """Made on first use: torch's first optimizer imports torch._dynamo (over a second),
        which the first snapshot — and the compiled fast path — never need."""
        if self._optimizer is None:
            self._optimizer = make_optimizer(self.network.parameters(), self.settings)
        return self._optimizer

    @optimizer.setter
    def optimizer(self, optimizer: torch.optim.Optimizer) -> None:
        self._optimizer = optimizer

    def warm_up(self) -> None:
        """Pay the one-time costs before they are needed: torch's first optimizer and, when
        this network can use it, loading the compiled fast path."""
        self.optimizer  # noqa: B018
        if self._fast_enabled():
            fast_path.warm_up()


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
            self.optimizer = make_optimizer(self.network.parameters(), settings)
        elif self._optimizer is not None:
            update_hyperparameters(self._optimizer, settings)

    # --- batches -------------------------------------------------------------
    @property
    def batch_size(self) -> int:
        n = len(self.x_train)
        return n if self.settings.batch_size <= 0 else min(self.settings.batch_size, n)

    def next_batch(self) -> torch.Tensor:
        """Indices of the next mini-batch. An epoch ends when the shuffled order runs out
        (or, with batch norm, when only one point would be left for a last batch)."""
        n = len(self.x_train)
        if self._cursor >= n:
            self._order = torch.randperm(n, generator=self._batch_rng)
            self._cursor = 0
        batch = self._order[self._cursor:self._cursor + self.batch_size]
        self._cursor += len(batch)
        if self._cursor >= n or (self._has_batch_norm and n - self._cursor < 2):
            self._cursor = n
            self.epoch += 1
        return batch

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.x_train) / self.batch_size)

    # --- one iteration -------------------------------------------------------
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
        """Forward, loss, backward, clip, update. Returns (data loss, gradient norm).

        A non-finite loss or gradient stops before the update; non-finite weights after
        it are rolled back. Either way TrainingDiverged is raised and the weights stay
        those from before this step."""
        self.network.train()
        self.guard.save()  # before the forward pass, which updates batch-norm statistics
        self.optimizer.zero_grad(set_to_none=False)
        data_loss = self.objective(self.network(self.x_train[batch]), self.y_train[batch])
        loss_value = data_loss.item()
        if not math.isfinite(loss_value):
            self.guard.restore()
            raise TrainingDiverged(self._diverged_message("loss"))
        (data_loss + self._penalty()).backward()
        norm = self._gradient_norm()
        if not math.isfinite(norm):
            self.guard.restore()
            raise TrainingDiverged(self._diverged_message("gradient"))
        if self.settings.clip:
            torch.nn.utils.clip_grad_norm_(self.network.parameters(), self.settings.clip_norm)
        self.optimizer.step()
        if not self.guard.finite():
            self.guard.restore()
            self.optimizer = make_optimizer(self.network.parameters(), self.settings)
            raise TrainingDiverged(self._diverged_message("weights"))
        self.step_count += 1
        return loss_value, norm

    def _gradient_norm(self) -> float:
        grads = [p.grad for p in self.network.parameters() if p.grad is not None]
        if not grads:
            return 0.0
        return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads))).item()

    def _diverged_message(self, what: str) -> str:
        return (f"training diverged at step {self.step_count + 1}: the {what} became NaN or infinite. "
                f"The weights from before that step are kept. Lower the learning rate "
                f"(now {self.settings.learning_rate:g}) or turn on gradient clipping, and press "
                f"Reset if the next steps still diverge.")

    def step(self) -> StepReport:
        """Exactly one optimizer iteration on one mini-batch, with everything it did."""
        batch = self.next_batch()
        before = self.network.weights()
        loss_before = self.batch_loss(batch)
        _, norm = self._iteration(batch)
        gradients = {k: frozen_numpy(p.grad) for k, p in self.network.named_trainables().items()
                     if p.grad is not None}
        after = self.network.weights()
        updates = {k: _frozen(after[k] - before[k]) for k in after}
        return StepReport(self.step_count, len(batch), loss_before, self.batch_loss(batch), before,
                          gradients, updates, after, norm,
                          self.settings.clip and norm > self.settings.clip_norm)

    def run(self, n: int) -> float:
        """`n` iterations as fast as possible; returns the last mini-batch loss.

        Uses the compiled fast path when the network and settings allow it (see
        `engine_name` / `fast_reason`); it gives the same numbers as the torch loop.
        Either way p.grad holds the gradients of the last iteration afterwards."""
        if n > 0 and self._fast_enabled():
            return self._run_fast(n)
        loss = math.nan
        for _ in range(n):
            loss, _ = self._iteration(self.next_batch())
        return loss

    def run_epochs(self, n: int = 1) -> float:
        """Iterate until `n` more epochs have completed (the first may be partly done)."""
        target = self.epoch + n
        if n > 0 and self._fast_enabled():  # no batch norm here, so every epoch has the same steps
            size, count = self.batch_size, len(self.x_train)
            left = -(-(count - self._cursor) // size) if self._cursor < count else self.steps_per_epoch
            return self._run_fast(left + (n - 1) * self.steps_per_epoch)
        loss = math.nan
        while self.epoch < target:
            loss, _ = self._iteration(self.next_batch())
        return loss

    # --- the compiled fast path ----------------------------------------------------
    @property
    def fast_reason(self) -> str:
        """'' when run() can use the compiled loop, else why not."""
        if self._fast_structure is None:
            self._fast_structure = fast_path.structure_reason(self)
        if self._fast_structure:
            return self._fast_structure
        key = (self.settings, self.y_train)
        if self._fast_checked is None or self._fast_checked[0] is not key[0] or self._fast_checked[1] is not key[1]:
            self._fast_settings_reason = fast_path.settings_reason(self)
            self._fast_checked = key
        return self._fast_settings_reason

    @property
    def engine_name(self) -> str:
        return "fast (numba)" if self.use_fast_path and not self.fast_reason else "torch"

    def _fast_enabled(self) -> bool:
        # a next_batch replaced on the instance (to watch or steer batches) is honoured by torch only
        return self.use_fast_path and "next_batch" not in self.__dict__ and not self.fast_reason

    def _run_fast(self, n: int) -> float:
        if self._fast_model is None or not self._fast_model.still_valid():
            self._fast_model = fast_path.FastModel(self)
        self.network.train()
        _, loss, status = fast_path.run_fast(self, self._fast_model, n)
        if status == fast_path.BAD_WEIGHTS:
            self.optimizer = make_optimizer(self.network.parameters(), self.settings)
        if status != fast_path.OK:
            raise TrainingDiverged(self._diverged_message(fast_path.FAILURE[status]))
        return loss

    # --- evaluation ----------------------------------------------------------
    @torch.no_grad()
    def batch_loss(self, batch: torch.Tensor) -> float:
        self.network.eval()
        return self.objective(self.network(self.x_train[batch]), self.y_train[batch]).item()

    @torch.no_grad()
    def _score(self, x: torch.Tensor, y: torch.Tensor, labels: np.ndarray) -> tuple[float, float | None]:
        output = self.network(x)
        loss = self.objective(output, y).item()
        if not self.objective.classifies:
            return loss, None
        predicted = self.objective.predict(output).numpy()
        return loss, float(np.mean(predicted == labels))

    def evaluate(self) -> Metrics:
        """Train and test loss (and accuracy), with dropout and batch norm in eval mode."""
        self.network.eval()
        train = self._score(self.x_train, self.y_train, self.data.y_train)
        test = self._score(self.x_test, self.y_test, self.data.y_test)
        self.network.train()
        return Metrics(train[0], test[0], train[1], test[1])

    @torch.no_grad()
    def predict(self, x: np.ndarray) -> np.ndarray:
        self.network.eval()
        return self.network(torch.as_tensor(x, dtype=torch.float32)).numpy()

    def snapshot(self, with_probes: bool = True, report: StepReport | None = None) -> Snapshot:
        grads = {k: frozen_numpy(p.grad) for k, p in self.network.named_trainables().items()
                 if p.grad is not None}
        probes = self.probes(grads) if with_probes else None
        return Snapshot(self.step_count, self.epoch, self.evaluate(), self.network.weights(), grads,
                        probes, report)

    def probes(self, gradients: dict[str, np.ndarray]) -> Probes:
        """Everything the live views draw, from the model as it is now (eval mode)."""
        self.network.eval()
        try:
            boundary, maps, curve_x, curve_y = None, {}, None, None
            if self.data.spec.n_inputs == 2:
                boundary, maps = plane_probes(self.network, self.objective, self.extent, set(self.analysis.order))
            elif self.data.spec.n_inputs == 1:
                curve_x = np.linspace(self.extent[0], self.extent[1], CURVE_POINTS, dtype=np.float32)
                curve_y = self.predict(curve_x[:, None])
            dead = dead_fractions(self.network, self.x_train, self._relu_nodes)
        finally:
            self.network.train()
        norms = layer_gradient_norms(gradients)
        return Probes(self.extent, boundary, maps, curve_x, curve_y, dead, norms,
                      gradient_warning(norms, list(self.analysis.order)))

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
        self.__init__(project, self.data)

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
