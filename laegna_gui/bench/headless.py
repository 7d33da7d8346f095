"""Headless figures of one project, no Qt: `Trainer.run`, and a plain PyTorch loop of the
same network, loss, optimizer, regularization, clipping and batch size.

Examples are counted as iterations × the batch size (a short last batch of an epoch counts
as a full one, the same way for every figure, so their ratios are fair).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from laegna_gui.core.errors import TrainingDiverged
from laegna_gui.core.project import Project

WARMUP_STEPS = 300
CHUNK_SECONDS = 0.05


def timed(run_chunk: Callable[[int], int], seconds: float) -> tuple[int, float]:
    """Call run_chunk(k) (returns the steps done) for about `seconds`; (steps, elapsed)."""
    k, steps = 50, 0
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        steps += run_chunk(k)
        now = time.perf_counter()
        if now - start >= seconds:
            return steps, now - start
        k = max(10, min(100_000, int(k * CHUNK_SECONDS / max(now - t0, 1e-6))))


@dataclass(frozen=True)
class EngineFigures:
    examples_per_s: float
    engine: str
    batch_size: int
    parameters: int
    diverged: int  # how often training diverged during the measurement and started afresh


class _EngineRun:
    """`Trainer.run` in chunks. A chunk that diverges counts no steps, and training starts
    again from a fresh Trainer, as the Reset button would (its time is counted)."""

    def __init__(self, project: Project, engine: str = "auto") -> None:
        from laegna_gui.engine.trainer import Trainer

        def make() -> Trainer:
            trainer = Trainer(project)
            trainer.engine_choice = engine
            trainer.warm_up()  # as the window's worker does: kernels loaded, the engine chosen
            return trainer

        self._make = make
        self.trainer = self._make()
        self.diverged = 0

    def __call__(self, k: int) -> int:
        try:
            self.trainer.run(k)
        except TrainingDiverged:
            self.diverged += 1
            self.trainer = self._make()
            return 0
        return k


def bench_engine(project: Project, seconds: float, engine: str = "auto") -> EngineFigures:
    """Examples per second of `Trainer.run` at the project's own batch size (`engine`:
    "auto" as the app chooses, or "compiled" / "torch" forced)."""
    run = _EngineRun(project, engine)
    run(WARMUP_STEPS)  # also triggers any JIT compile
    run.diverged = 0
    steps, elapsed = timed(run, seconds)
    trainer = run.trainer
    return EngineFigures(steps * trainer.batch_size / elapsed, str(getattr(trainer, "engine_name", "torch")),
                         trainer.batch_size, parameter_count(trainer.network), run.diverged)


def parameter_count(network) -> int:
    return sum(p.numel() for p in network.parameters())


class TorchLoop:
    """The loop a PyTorch user would write for this project: GraphNetwork forward, the
    objective (+ the L1/L2 penalty), backward, optional clipping, optimizer.step, a new
    shuffle each epoch. No divergence checks, snapshots or other trainer bookkeeping."""

    def __init__(self, project: Project) -> None:
        import torch

        from laegna_gui.engine.optimizers import make_optimizer
        from laegna_gui.engine.trainer import Trainer

        torch.set_num_threads(1)
        trainer = Trainer(project)  # never run: only its network, loss and data, built as the engine's
        self.network, self.objective, self.penalty = trainer.network, trainer.objective, trainer._penalty
        self.settings, self.batch_size = trainer.settings, trainer.batch_size
        self.x, self.y = trainer.x_train, trainer.y_train
        self.params = list(self.network.parameters())
        self.optimizer = make_optimizer(self.params, self.settings)
        self.generator = torch.Generator().manual_seed(project.seed)
        self.order, self.cursor = torch.randperm(len(self.x), generator=self.generator), 0
        self.smallest = 2 if project.graph.nodes_of_type("batch_norm") else 1  # batch norm needs 2
        self.network.train()

    def next_batch(self):
        import torch

        n = len(self.x)
        if n - self.cursor < self.smallest:
            self.order, self.cursor = torch.randperm(n, generator=self.generator), 0
        batch = self.order[self.cursor:self.cursor + self.batch_size]
        self.cursor += self.batch_size
        return batch

    def run(self, k: int) -> int:
        from torch.nn.utils import clip_grad_norm_

        clip = self.settings.clip
        for _ in range(k):
            batch = self.next_batch()
            self.optimizer.zero_grad()
            loss = self.objective.loss_of(self.network, self.x[batch], self.y[batch]) + self.penalty()
            loss.backward()
            if clip:
                clip_grad_norm_(self.params, self.settings.clip_norm)
            self.optimizer.step()
        return k


def bench_torch_loop(project: Project, seconds: float) -> float:
    """Examples per second of `TorchLoop` for this project."""
    loop = TorchLoop(project)
    loop.run(WARMUP_STEPS)
    steps, elapsed = timed(loop.run, seconds)
    return steps * loop.batch_size / elapsed
