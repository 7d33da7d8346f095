"""The numba fast path: who may use it, same numbers as torch, divergence, and the GIL."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np
import pytest
import torch

from laegna_gui.core.errors import TrainingDiverged
from laegna_gui.engine import fast_path
from laegna_gui.engine.fast_path import fast_path_reason
from laegna_gui.engine.trainer import Trainer


PLAIN_SGD = dict(optimizer="sgd", regularization="none", reg_rate=0.0, clip=False)

def test_numba_is_available_so_the_fast_path_can_run():
    assert fast_path._numba_error() == ""  # numba is a dependency: no silent fallback in the tests


def twins(project):
    """Two trainers from the same project: one on the fast path, one forced onto torch."""
    fast, slow = Trainer(project), Trainer(project)
    slow.use_fast_path = False
    assert fast.engine_name == "fast (numba)", fast.fast_reason
    assert slow.engine_name == "torch"
    return fast, slow


def assert_same(fast: Trainer, slow: Trainer) -> None:
    assert (fast.step_count, fast.epoch, fast._cursor) == (slow.step_count, slow.epoch, slow._cursor)
    assert torch.equal(fast._order, slow._order)
    assert torch.equal(fast._batch_rng.get_state(), slow._batch_rng.get_state())
    wf, ws = fast.weights(), slow.weights()
    assert wf.keys() == ws.keys()
    for name in wf:
        np.testing.assert_allclose(wf[name], ws[name], rtol=1e-4, atol=1e-5, err_msg=name)
    mf, ms = fast.evaluate(), slow.evaluate()
    assert mf.train_loss == pytest.approx(ms.train_loss, rel=1e-4, abs=1e-5)
    assert mf.test_loss == pytest.approx(ms.test_loss, rel=1e-4, abs=1e-5)
    if mf.train_accuracy is not None:
        assert abs(mf.train_accuracy - ms.train_accuracy) <= 0.01
        assert abs(mf.test_accuracy - ms.test_accuracy) <= 0.01


# --- eligibility --------------------------------------------------------------------
@pytest.mark.parametrize("name", ["circle", "xor", "spiral", "line", "vanishing", "dying-relu"])
def test_presets_with_plain_sgd_are_eligible(builders, name):
    trainer = builders.trainer(name, **PLAIN_SGD)
    assert fast_path_reason(trainer) == ""
    assert trainer.fast_reason == "" and trainer.engine_name == "fast (numba)"


def add_graph(b):
    nodes = {"input1": ("input", {"features": ["x1", "x2"]}),
             "dense1": ("dense", {"units": 3}), "dense2": ("dense", {"units": 3}),
             "add1": ("add", {}), "dense3": ("dense", {"units": 1}), "output1": ("output", {})}
    return b.graph(nodes, "input1>dense1>add1>dense3>output1", "input1>dense2>add1")


@pytest.mark.parametrize("case, words", [
    ("adam", "adam"),
    ("clip", "clipping"),
    ("batch_norm", "batch norm"),
    ("dropout", "dropout"),
    ("add", "add"),
    ("softmax", "softmax"),
    ("mae", "mae"),
])
def test_ineligible_cases_give_a_reason_and_use_torch(builders, case, words):
    b = builders
    sequential, dense, act = b.sequential, b.dense, b.act
    training = dict(PLAIN_SGD)
    graph = sequential(dense(4), act("tanh"), dense(1), act("tanh"))
    if case == "adam":
        training["optimizer"] = "adam"
    elif case == "clip":
        training["clip"] = True
    elif case == "batch_norm":
        graph = sequential(dense(4), ("batch_norm", {}), act("relu"), dense(1), act("tanh"))
    elif case == "dropout":
        graph = sequential(dense(4), act("relu"), ("dropout", {"p": 0.5}), dense(1), act("tanh"))
    elif case == "add":
        graph = add_graph(b)
    elif case == "softmax":
        graph = sequential(dense(4), act("tanh"), dense(2), act("softmax"))
        training["loss"] = "cross_entropy"
    elif case == "mae":
        training["loss"] = "mae"
    trainer = Trainer(b.project(graph, "circle", **training))
    reason = fast_path_reason(trainer)
    assert words in reason and reason == trainer.fast_reason
    assert trainer.engine_name == "torch"
    before = trainer.step_count
    trainer.run(3)  # the torch loop still trains it
    assert trainer.step_count == before + 3


def test_eligibility_follows_settings_changes(builders):
    trainer = builders.trainer("circle", **PLAIN_SGD)
    assert trainer.engine_name == "fast (numba)"
    trainer.set_settings(replace(trainer.settings, optimizer="adam"))
    assert "adam" in trainer.fast_reason and trainer.engine_name == "torch"
    trainer.set_settings(replace(trainer.settings, optimizer="sgd", regularization="l2", reg_rate=0.01))
    assert trainer.engine_name == "fast (numba)"


# --- the same numbers as torch ---------------------------------------------------------
def chain(b, hidden, function, bias=True, last="tanh"):
    layers = []
    for units in hidden:
        layers += [b.dense(units, bias=bias), b.act(function, slope=0.05)]
    return b.sequential(*layers, b.dense(1, bias=bias), b.act(last))


CASES = {
    "circle preset": lambda b: b.preset("circle", **PLAIN_SGD, batch_size=10, learning_rate=0.03),
    "8-8-8 tanh": lambda b: b.project(chain(b, [8, 8, 8], "tanh"), "circle", **PLAIN_SGD),
    "relu no bias": lambda b: b.project(chain(b, [6, 4], "relu", bias=False), "circle", **PLAIN_SGD),
    "leaky relu l2": lambda b: b.project(chain(b, [6], "leaky_relu"), "xor",
                                          **{**PLAIN_SGD, "regularization": "l2", "reg_rate": 0.01}),
    "sigmoid l1": lambda b: b.project(chain(b, [5, 3], "sigmoid"), "xor",
                                       **{**PLAIN_SGD, "regularization": "l1", "reg_rate": 0.003,
                                          "learning_rate": 0.3}),
    "linear, bce, odd batch": lambda b: b.project(chain(b, [3], "linear", last="sigmoid"), "circle",
                                                   **{**PLAIN_SGD, "loss": "bce", "batch_size": 7}),
    "xor preset bce": lambda b: b.preset("xor", **PLAIN_SGD),
    "features, full batch": lambda b: b.project(
        b.sequential(b.dense(4), b.act("tanh"), b.dense(1), b.act("tanh"), features=("x1", "x2", "x1*x2", "sin_x1")),
        "xor", **{**PLAIN_SGD, "batch_size": 0, "learning_rate": 0.1}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_fast_path_gives_the_same_numbers_as_torch(builders, case):
    fast, slow = twins(CASES[case](builders))
    for n in (1, 37, 262):  # 300 steps in chunks that do not line up with epochs
        lf, ls = fast.run(n), slow.run(n)
        assert lf == pytest.approx(ls, rel=1e-4, abs=1e-5)
    assert fast.step_count == 300
    assert_same(fast, slow)
    # torch steps afterwards see the weights the kernel wrote (shared memory)
    rf, rs = fast.step(), slow.step()
    assert rf.loss_before == pytest.approx(rs.loss_before, rel=1e-4, abs=1e-5)
    assert fast.snapshot().step == 301


def test_run_epochs_and_snapshots_with_the_last_gradients(builders):
    fast, slow = twins(builders.preset("circle", **PLAIN_SGD))
    fast.run(3), slow.run(3)
    assert fast.run_epochs(2) == pytest.approx(slow.run_epochs(2), rel=1e-4, abs=1e-5)
    assert_same(fast, slow)
    snap, ref = fast.snapshot(), slow.snapshot()  # p.grad = the last step's gradients
    assert snap.epoch == ref.epoch and snap.gradients.keys() == ref.gradients.keys() != set()
    for name, grad in ref.gradients.items():
        np.testing.assert_allclose(snap.gradients[name], grad, rtol=1e-3, atol=1e-5, err_msg=name)
    assert snap.probes.gradient_warning == ref.probes.gradient_warning


# --- divergence -------------------------------------------------------------------------
def test_divergence_stops_before_the_bad_step_like_torch(builders):
    fast, slow = twins(builders.preset("line", **PLAIN_SGD, learning_rate=100.0))
    with pytest.raises(TrainingDiverged) as fast_error:
        fast.run(500)
    with pytest.raises(TrainingDiverged) as slow_error:
        slow.run(500)
    assert str(fast_error.value) == str(slow_error.value)
    assert fast.step_count == slow.step_count > 0
    for name, value in fast.weights().items():
        assert np.isfinite(value).all()
    assert_same(fast, slow)


# --- the GIL -----------------------------------------------------------------------------
def test_the_kernel_does_not_hold_the_gil(builders):
    trainer = builders.trainer("circle", **PLAIN_SGD)
    trainer.run(10)  # compiled (or loaded from the cache) before timing
    start = time.perf_counter()
    trainer.run(20000)
    per_step = (time.perf_counter() - start) / 20000
    steps = int(0.5 / per_step)
    worker = threading.Thread(target=trainer.run, args=(steps,))
    count = 0
    worker.start()
    while worker.is_alive():
        count += 1
    worker.join()
    assert trainer.step_count == 20010 + steps
    assert count > 100_000, count
