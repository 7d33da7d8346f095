"""Which engine trains a Trainer's network, and the compiled engine's side of training.

A mixin of `Trainer` (it uses the trainer's flat buffers, schedule, settings and
objective): `engine_name` says which engine the next iterations run on and
`engine_reason` why; the compiled engine runs them through `_compiled_run` and
`_compiled_step`. "auto" follows the cost model (engine/compiled/choice.py) and, where it
is unsure, a measurement at warm-up; "compiled" or "torch" force one (tests, or a user's
LAEGNA_ENGINE). Until the kernels are loaded, a trainer that may not wait for them (the
window's worker) trains with torch; random search, which the kernels do not know, always does.
"""

from __future__ import annotations

import os
import time

import numpy as np

from laegna_gui.core.errors import TrainingDiverged
from laegna_gui.engine.cancel import TrainingCancelled
from laegna_gui.engine.compiled import choice, prepare
from laegna_gui.engine.compiled.codes import OPTIMIZERS, REGULARIZATIONS, loss_kind
from laegna_gui.engine.compiled.engine import BAD_WEIGHTS, CANCELLED, FAILURE, OK, CompiledEngine, numba_error

COMPILED, TORCH = "compiled (numba)", "torch"
MEASURE_SECONDS = 0.09  # per engine (best of three), when the cost model cannot tell which is faster
ENGINE_CHOICES = ("auto", "compiled", "torch")


def engine_from_environment() -> str:
    """LAEGNA_ENGINE, when it names an engine; else "auto"."""
    value = os.environ.get("LAEGNA_ENGINE", "auto").strip().lower() or "auto"
    return value if value in ENGINE_CHOICES else "auto"


class EngineChoice:
    """The engine part of Trainer (see the module's docstring)."""

    @property
    def engine_name(self) -> str:
        """The engine the next iterations run on: COMPILED or TORCH."""
        ready = prepare.loaded() or self.wait_for_kernels
        return COMPILED if self._compiled_preferred() and ready else TORCH

    @property
    def engine_reason(self) -> str:
        """Why this engine: a short sentence for the status bar and `bench`."""
        if self.engine_choice == "torch":
            return "torch was chosen"
        error = self._compiled_error()  # also where the compiled engine was chosen but cannot train this
        if error:
            return error
        if self.engine_choice == "compiled":
            return "compiled was chosen"
        if not prepare.loaded() and not self.wait_for_kernels:
            return "the compiled engine is being prepared (once after installing); torch trains meanwhile"
        if self._measured is not None:
            return f"{self._measured} measured faster for this network"
        faster = COMPILED if self._estimate().compiled_faster else TORCH
        return f"{faster} is modelled faster for this network"

    def _compiled_error(self) -> str:
        if self.settings.optimizer not in OPTIMIZERS:  # the kernels know the gradient optimizers only
            return "random search runs on torch"
        if "next_batch" in self.__dict__:  # replaced on the instance to watch or steer batches
            return "batches are steered by hand, which only the torch engine follows"
        return numba_error()

    def _compiled_possible(self) -> bool:
        return self.engine_choice != "torch" and not self._compiled_error()

    def _compiled_preferred(self) -> bool:
        """The compiled engine can train this network and is (or is chosen as) the faster."""
        if not self._compiled_possible():
            return False
        if self.engine_choice == "compiled":
            return True
        if self._measured is not None:
            return self._measured == COMPILED
        return self._estimate().compiled_faster

    def _compiled_enabled(self) -> bool:
        """The next iterations run compiled (loading the kernels now if allowed to wait)."""
        return self._compiled_preferred() and prepare.ensure(block=self.wait_for_kernels)

    def _estimate(self) -> choice.Estimate:
        return choice.estimate(self.graph, self.analysis.order, self.analysis.widths, self.batch_size,
                               self.flat.params.size)

    def _engine(self) -> CompiledEngine:
        if not self.flat.still_bound():
            self.flat.rebind()
        if self._compiled is None:
            self._compiled = CompiledEngine(self)
        return self._compiled

    def _kernel_config(self) -> np.ndarray:
        s, o = self.settings, self.objective
        if self._config is None or self._config[0] is not s or self._config[1] is not o:
            momentum = s.momentum
            if s.optimizer == "rmsprop":
                momentum = s.momentum if s.momentum > 0 else 0.99  # its averaging constant
            regular = REGULARIZATIONS[s.regularization] if s.reg_rate != 0 else 0
            fused = o.fuses and self.network.logits_id is not None
            read = self.network.logits_id if fused else self.network.output_id
            config = np.array([loss_kind(o, fused), OPTIMIZERS[s.optimizer], s.learning_rate, momentum, regular,
                               s.reg_rate, float(s.clip), s.clip_norm, self.analysis.order.index(read)],
                              dtype=np.float64)
            self._config = (s, o, config)
        return self._config[2]

    def _compiled_run(self, n: int) -> float:
        state = self.schedule.state(self.step_count, self.batch_size)
        _, loss, status = self._engine().run(self, n, self._kernel_config(), state)
        self.schedule.take_state(state)
        self.step_count = int(state[2])
        self._check(status)
        return loss

    def _compiled_step(self, batch: np.ndarray) -> float:
        status, norm = self._engine().step(self, batch, self._kernel_config(), self.seed, self.step_count)
        if status == OK:
            self.step_count += 1
        self._check(status)
        return norm

    def _check(self, status: int) -> None:
        if status == CANCELLED:  # the kernels left everything as before the interrupted iteration
            raise TrainingCancelled("cancelled")
        if status == BAD_WEIGHTS:
            self._fresh_optimizer()
        if status != OK:
            raise TrainingDiverged(self._diverged_message(FAILURE[status]))

    def _time_iterations(self, seconds: float) -> float:
        """Seconds per iteration over about `seconds` of training."""
        start, steps = time.perf_counter(), 0
        while time.perf_counter() - start < seconds:
            self.run(4)
            steps += 4
        return (time.perf_counter() - start) / steps

    def _measure_engines(self) -> str:
        """Time a few iterations on each engine, then put everything back as it was."""
        saved = (self.flat.rows.copy(), self.flat.stats.copy(), self.flat.steps.copy(),
                 self.flat.mu_products.copy(), self.schedule.epoch, self.schedule.cursor,
                 self.schedule.order.copy(), self.step_count)
        times = {}
        try:
            for name in (COMPILED, TORCH):
                self.engine_choice = "compiled" if name == COMPILED else "torch"
                self.run(2)  # the first iterations pay one-time costs
                times[name] = min(self._time_iterations(MEASURE_SECONDS / 3) for _ in range(3))
        except TrainingDiverged:
            times = {}
        finally:
            self.engine_choice = "auto"
            rows, stats, steps, mus, epoch, cursor, order, count = saved
            self.flat.rows[:], self.flat.stats[:], self.flat.steps[:], self.flat.mu_products[:] = rows, stats, steps, mus
            self.schedule.epoch, self.schedule.cursor, self.step_count = epoch, cursor, count
            self.schedule.order[:] = order
        if not times:
            return COMPILED if self._estimate().compiled_faster else TORCH
        return min(times, key=times.get)
