"""Cancelling training between two operations: the compiled kernels and the torch network
stop when the trainer's token is raised, and a cancelled iteration leaves no trace — the
weights, gradients, optimizer state, batch-norm statistics and batch order are bit for bit
those of before it, and the next iteration is the one an uncancelled run would make."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import torch

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.presets import load_preset
from laegna_gui.engine import network as network_module
from laegna_gui.engine.cancel import CancelToken, TrainingCancelled
from laegna_gui.engine.network import dense
from laegna_gui.engine.trainer import COMPILED, TORCH, Trainer

ADAM = dict(optimizer="adam", learning_rate=0.01)


def state_of(trainer: Trainer) -> dict[str, np.ndarray]:
    """Everything an iteration may change, as copies."""
    flat, schedule = trainer.flat, trainer.schedule
    return {"params": flat.params.copy(), "grads": flat.grads.copy(), "moment1": flat.moment1.copy(),
            "moment2": flat.moment2.copy(), "stats": flat.stats.copy(), "steps": flat.steps.copy(),
            "mu_products": flat.mu_products.copy(), "order": schedule.order.copy(),
            "counters": np.array([trainer.step_count, schedule.epoch, schedule.cursor])}


def assert_same_state(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def make_trainer(builders, engine: str, graph=None, samples: int = 200, **training) -> Trainer:
    graph = graph or builders.sequential(builders.dense(16), builders.act("tanh"), builders.dense(1),
                                         builders.act("sigmoid"))
    dataset = DatasetSettings(name="circle", samples=samples, noise=0.1, test_fraction=0.5)
    trainer = Trainer(builders.project(graph, dataset, **{**ADAM, **training}))
    trainer.engine_choice = engine
    assert trainer.engine_name == (COMPILED if engine == "compiled" else TORCH)
    return trainer


@pytest.mark.parametrize("engine", ["compiled", "torch"])
@pytest.mark.parametrize("call", ["run", "step"])
def test_a_raised_token_stops_an_iteration_before_it_changes_anything(builders, bn_dropout_graph, engine, call):
    trainer = make_trainer(builders, engine, bn_dropout_graph, batch_size=30)
    twin = make_trainer(builders, engine, bn_dropout_graph, batch_size=30)
    for t in (trainer, twin):
        t.run(4)  # part way through an epoch, with gradients and moments that are not zero
    before = state_of(trainer)
    trainer.cancel.request()
    with pytest.raises(TrainingCancelled):
        trainer.run(3) if call == "run" else trainer.step()
    assert_same_state(state_of(trainer), before)
    trainer.cancel.acknowledge()
    for t in (trainer, twin):  # the next iteration is the one an uncancelled run makes
        t.run(1) if call == "run" else t.step()
    assert_same_state(state_of(trainer), state_of(twin))


def test_the_step_kernel_stops_too(builders, bn_dropout_graph):
    trainer = make_trainer(builders, "compiled", bn_dropout_graph, batch_size=30)
    trainer.run(4)
    before = state_of(trainer)
    trainer.cancel.request()
    with pytest.raises(TrainingCancelled):
        trainer._compiled_step(trainer.schedule.order[:30].copy())  # what Step runs after measuring
    assert_same_state(state_of(trainer), before)


def test_the_kernels_stop_mid_run_keeping_every_finished_step(builders):
    """Cancelled from another thread while the kernel trains (without the GIL): the
    iterations it finished are kept, the one it was in leaves nothing."""
    graph = builders.sequential(builders.dense(96), builders.act("relu"), builders.dense(96),
                                builders.act("relu"), builders.dense(1), builders.act("sigmoid"))
    trainer = make_trainer(builders, "compiled", graph, samples=1000, batch_size=200)
    trainer.run(1)  # makes the compiled engine, whose `result` reports progress from inside the kernel
    progress = trainer._compiled.result
    outcome: list[BaseException] = []

    def train() -> None:
        try:
            trainer.run(10**9)  # hours: only the cancel ends it
        except BaseException as exc:  # noqa: BLE001 (handed to the test's thread)
            outcome.append(exc)

    thread = threading.Thread(target=train)
    thread.start()
    deadline = time.perf_counter() + 60
    while progress[0] < 2 and time.perf_counter() < deadline:  # two iterations done in there
        pass
    trainer.cancel.request()
    thread.join(60)
    assert not thread.is_alive() and len(outcome) == 1 and isinstance(outcome[0], TrainingCancelled)
    done = trainer.step_count
    assert done >= 3
    twin = make_trainer(builders, "compiled", graph, samples=1000, batch_size=200)
    twin.run(done)
    assert_same_state(state_of(trainer), state_of(twin))
    trainer.cancel.acknowledge()
    trainer.run(2)
    twin.run(2)
    assert_same_state(state_of(trainer), state_of(twin))


@pytest.mark.parametrize("where", ["forward", "backward"])
def test_torch_stops_between_nodes_and_restores_the_gradients(builders, bn_dropout_graph, monkeypatch, where):
    monkeypatch.setattr(network_module, "WATCH_MACS", 0)  # small as it is, watch this batch's backward too
    trainer = make_trainer(builders, "torch", bn_dropout_graph, batch_size=30)
    twin = make_trainer(builders, "torch", bn_dropout_graph, batch_size=30)
    for t in (trainer, twin):
        t.run(3)
    before = state_of(trainer)
    layer = trainer.network.layer("dense2")
    request = lambda *_: trainer.cancel.request()  # noqa: E731
    # inside the iteration: after the last dense layer's forward, or as backward computes
    # its weight gradient (then written into the gradients before the next look stops it)
    hook = layer.register_forward_hook(request) if where == "forward" else layer.weight.register_hook(request)
    flat, seen = trainer.flat, []
    restore = flat.restore_gradients
    monkeypatch.setattr(flat, "restore_gradients", lambda: (seen.append(flat.grads.copy()), restore()))
    with pytest.raises(TrainingCancelled):
        trainer.run(1)
    hook.remove()
    assert len(seen) == 1 and not np.array_equal(seen[0], before["grads"])  # they had been overwritten…
    assert_same_state(state_of(trainer), before)  # …and are as they were
    trainer.cancel.acknowledge()
    trainer.run(2)
    twin.run(2)
    assert_same_state(state_of(trainer), state_of(twin))


class CancelAfter(CancelToken):
    """Raised by itself at its `checks`-th look."""

    def __init__(self, checks: int) -> None:
        super().__init__()
        self.looks, self.checks = 0, checks

    def check(self) -> None:
        self.looks += 1
        if self.looks >= self.checks:
            self.request()
        super().check()


def test_a_big_dense_product_runs_in_row_chunks_and_can_stop_between_them(monkeypatch):
    monkeypatch.setattr(network_module, "CHUNK_MACS", 8 * 5 * 3)  # chunks of 8 rows for a 5 → 3 layer
    layer = torch.nn.Linear(5, 3)
    x = torch.randn(30, 5, requires_grad=True)
    expected = layer(x)
    grads = torch.autograd.grad(expected.square().sum(), (x, layer.weight, layer.bias))
    out = dense(layer, x, CancelToken())
    torch.testing.assert_close(out, expected)
    for got, want in zip(torch.autograd.grad(out.square().sum(), (x, layer.weight, layer.bias)), grads):
        torch.testing.assert_close(got, want)
    token = CancelAfter(checks=3)
    with pytest.raises(TrainingCancelled):
        dense(layer, x, token)
    assert token.looks == 3  # it stopped at the third of four chunks


def test_evaluation_and_snapshots_stop_too(builders, monkeypatch):
    trainer = make_trainer(builders, "torch", samples=400, batch_size=10)
    trainer.cancel.request()
    for measure in (trainer.evaluate, trainer.snapshot, lambda: trainer.predict(np.zeros((4, 2), np.float32))):
        with pytest.raises(TrainingCancelled):
            measure()
    trainer.cancel.acknowledge()
    monkeypatch.setattr(network_module, "CHUNK_MACS", 1)  # every row its own chunk
    trainer.network.cancel = token = CancelAfter(checks=50)
    with pytest.raises(TrainingCancelled):
        trainer.evaluate()  # stopped inside the first dense layer's product, row 46 or so
    assert token.looks == 50
    trainer.network.cancel = trainer.cancel
    assert trainer.evaluate() == trainer.evaluate()  # and it measures as ever when not cancelled


def test_a_reset_keeps_the_token():
    trainer = Trainer(load_preset("xor"))
    token = trainer.cancel
    trainer.reset()
    assert trainer.cancel is token and trainer.network.cancel is token


def test_the_token_stays_raised_until_every_request_is_acknowledged():
    token = CancelToken()
    token.request()
    token.request()
    token.acknowledge()
    assert token.requested
    with pytest.raises(TrainingCancelled):
        token.check()
    token.acknowledge()
    assert not token.requested
    token.acknowledge()  # one too many does not leave a debt
    token.request()
    assert token.requested
    token.acknowledge()
    token.check()
