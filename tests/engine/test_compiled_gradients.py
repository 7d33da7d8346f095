"""The compiled engine's backward pass against float64 finite differences, op by op; its
random draws against the shared schedule's; and compiling without a cache folder."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from laegna_gui.engine.compiled import schedule
from laegna_gui.engine.network import GraphNetwork
from laegna_gui.engine.trainer import Trainer

H = 1e-6


def finite_difference_gradients(trainer: Trainer, batch: torch.Tensor, step: int) -> dict[str, np.ndarray]:
    """d loss / d parameter by central differences on a float64 copy of the network."""
    network = GraphNetwork(trainer.graph, trainer.analysis, trainer.data.spec, trainer.seed).double()
    network.load_weights(trainer.weights())
    network.train()
    network.set_step(step)
    x, y = trainer.x_train[batch].double(), trainer.y_train[batch]
    y = y if y.dtype == torch.long else y.double()

    def loss() -> float:
        with torch.no_grad():
            return trainer.objective.loss_of(network, x, y).item()

    result = {}
    for name, p in network.named_trainables().items():
        grad = np.zeros(p.shape)
        flat = p.data.view(-1)
        for i in range(flat.numel()):
            keep = flat[i].item()
            flat[i] = keep + H
            up = loss()
            flat[i] = keep - H
            down = loss()
            flat[i] = keep
            grad.reshape(-1)[i] = (up - down) / (2 * H)
        result[name] = grad
    return result


def compiled_gradients(trainer: Trainer) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], torch.Tensor, int]:
    """One compiled Step with learning rate 0: its gradients, the finite differences at the
    same weights, batch and dropout mask."""
    step = trainer.step_count
    plan = trainer.schedule
    order = plan.order if plan.cursor < plan.n else schedule.epoch_order(plan.n, plan.seed, plan.epoch)
    start = plan.cursor if plan.cursor < plan.n else 0
    batch = order[start:start + trainer.batch_size].copy()  # the batch the Step will draw
    expected = finite_difference_gradients(trainer, torch.from_numpy(batch), step)
    report = trainer.step()
    return report.gradients, expected, batch, step


def chain(b, *layers, width=1, last="sigmoid"):
    return b.sequential(b.dense(5), *layers, b.dense(width), b.act(last))


OPS = {
    "tanh": lambda b: chain(b, b.act("tanh")),
    "relu": lambda b: chain(b, b.act("relu")),
    "leaky relu": lambda b: chain(b, b.act("leaky_relu", slope=0.2)),
    "sigmoid": lambda b: chain(b, b.act("sigmoid")),
    "linear": lambda b: chain(b, b.act("linear")),
    "softmax inside": lambda b: chain(b, b.act("softmax")),
    "batch norm": lambda b: chain(b, ("batch_norm", {}), b.act("tanh")),
    "dropout": lambda b: chain(b, b.act("tanh"), ("dropout", {"p": 0.4})),
    "add": lambda b: b.graph({"input1": ("input", {"features": ["x1", "x2"]}), "d1": ("dense", {"units": 3}),
                              "d2": ("dense", {"units": 3}), "t": ("activation", {"function": "tanh"}),
                              "add1": ("add", {}), "d3": ("dense", {"units": 1}),
                              "s": ("activation", {"function": "sigmoid"}), "output1": ("output", {})},
                             "input1>d1>t>add1>d3>s>output1", "input1>d2>add1"),
    "concat": lambda b: b.graph({"input1": ("input", {"features": ["x1", "x2"]}), "d1": ("dense", {"units": 3}),
                                 "t": ("activation", {"function": "tanh"}), "cat": ("concat", {}),
                                 "d3": ("dense", {"units": 1}), "s": ("activation", {"function": "sigmoid"}),
                                 "output1": ("output", {})},
                                "input1>d1>t>cat>d3>s>output1", "input1>cat"),
}


@pytest.mark.parametrize("op", list(OPS))
def test_every_operation_backward_matches_finite_differences(builders, op):
    project = builders.project(OPS[op](builders), "xor", loss="mse", optimizer="sgd", learning_rate=0.0,
                               batch_size=8)
    trainer = Trainer(project)
    trainer.engine_choice = "compiled"
    trainer.run(3)  # away from the initial weights (and their symmetric zeros)
    got, expected, _, _ = compiled_gradients(trainer)
    assert got.keys() == expected.keys()
    for name in expected:
        np.testing.assert_allclose(got[name], expected[name], rtol=2e-3, atol=2e-6, err_msg=name)


@pytest.mark.parametrize("loss, last, width", [
    ("mse", "tanh", 1), ("mae", "linear", 1), ("bce", "sigmoid", 1), ("hinge", "linear", 1),
    ("cross_entropy", "softmax", 3), ("cross_entropy", "linear", 3), ("hinge", "linear", 3),
    ("mse", "linear", 3),
])
def test_every_loss_backward_matches_finite_differences(builders, loss, last, width):
    graph = builders.sequential(builders.dense(4), builders.act("tanh"), builders.dense(width), builders.act(last))
    project = builders.project(graph, "spiral3" if width == 3 else "xor", loss=loss, optimizer="sgd",
                               learning_rate=0.0, batch_size=6)
    trainer = Trainer(project)
    trainer.engine_choice = "compiled"
    got, expected, _, _ = compiled_gradients(trainer)
    for name in expected:
        np.testing.assert_allclose(got[name], expected[name], rtol=2e-3, atol=2e-6, err_msg=name)


# --- the shared random draws -------------------------------------------------------------------
@pytest.mark.parametrize("n, seed, epoch", [(1, 0, 0), (2, 7, 3), (250, 0, 0), (250, 0, 1), (997, 4294967295, 12)])
def test_compiled_shuffle_is_the_schedule_shuffle(n, seed, epoch):
    from laegna_gui.engine.compiled.rng import epoch_order_into

    order = np.zeros(n, dtype=np.int64)
    epoch_order_into(order, seed, epoch)
    expected = schedule.epoch_order(n, seed, epoch)
    np.testing.assert_array_equal(order, expected)
    assert sorted(expected.tolist()) == list(range(n))


def test_shuffles_differ_between_epochs_and_seeds():
    a, b, c = (schedule.epoch_order(100, s, e) for s, e in ((0, 0), (0, 1), (1, 0)))
    assert not np.array_equal(a, b) and not np.array_equal(a, c)


def test_compiled_dropout_draws_are_the_schedule_draws():
    from laegna_gui.engine.compiled.rng import dropout_key, uniform

    seed, step, salt, rows, width, p = 3, 41, 5, 6, 7, 0.3
    key = dropout_key(seed, step, salt)
    got = np.array([[uniform(key, r * width + c) >= p for c in range(width)] for r in range(rows)])
    expected = schedule.dropout_keep(seed, step, salt, rows, width, p)
    np.testing.assert_array_equal(got, expected)
    assert 0.5 < schedule.dropout_keep(1, 2, 3, 100, 100, p).mean() < 0.9  # about 1 − p are kept


# --- no cache folder ---------------------------------------------------------------------------
def run_with_cache_home(script: str, cache_home) -> None:
    """Run `script` in a fresh interpreter whose user cache folder is `cache_home`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def test_the_kernels_compile_in_memory_without_a_writable_cache(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")  # a cache home that is a file: nothing can be created under it
    script = ("from laegna_gui.engine.compiled import jit; assert not jit.CACHE\n"
              "from laegna_gui.core.presets import load_preset\n"
              "from laegna_gui.engine.trainer import Trainer, COMPILED\n"
              "t = Trainer(load_preset('and')); assert t.engine_name == COMPILED\n"
              "t.run(20); assert t.step_count == 20\n")
    run_with_cache_home(script, blocked)


def test_the_window_trains_with_torch_while_a_fresh_install_compiles_the_kernels(tmp_path):
    """A first start: the kernels are prepared in another process (the window's thread is
    never held up by numba); torch trains meanwhile, then the compiled engine takes over.
    The other process here copies this session's compiled kernels into the new cache
    instead of compiling them again (compiling from nothing is the test above)."""
    from laegna_gui.engine.compiled.cache import cache_folder

    go = tmp_path / "go"  # the stand-in waits for it: the script first checks what happens meanwhile
    stand_in = ("import os, shutil, sys, time\n"
                "while not os.path.exists(sys.argv[3]): time.sleep(0.01)\n"
                "shutil.copytree(sys.argv[1], sys.argv[2], dirs_exist_ok=True)\n"
                "open(sys.argv[2] + '/ready', 'w').close()\n")
    script = (
        "import sys, time\n"
        "from laegna_gui.engine.compiled import prepare\n"
        "from laegna_gui.engine.compiled.cache import cache_folder\n"
        f"prepare._command = lambda: [sys.executable, '-c', {stand_in!r}, {str(cache_folder())!r},"
        f" str(cache_folder()), {str(go)!r}]\n"
        "from laegna_gui.core.presets import load_preset\n"
        "from laegna_gui.engine.trainer import Trainer, COMPILED, TORCH\n"
        "t = Trainer(load_preset('xor')); t.wait_for_kernels = False\n"
        "assert t.engine_name == TORCH and 'prepared' in t.engine_reason, t.engine_reason\n"
        "t.warm_up(); assert prepare.preparing()\n"
        "t.run(5); assert t.step_count == 5 and not prepare.loaded()  # torch trained\n"
        "assert 'numba' not in sys.modules and prepare.preparing()  # nothing of numba here yet\n"
        f"open({str(go)!r}, 'w').close()\n"
        "deadline = time.monotonic() + 300\n"
        "while not prepare.ensure(block=False):\n"
        "    assert time.monotonic() < deadline\n"
        "    t.run(1)\n"
        "assert t.engine_name == COMPILED, t.engine_reason\n"
        "steps = t.step_count; t.run(100); assert t.step_count == steps + 100\n")
    run_with_cache_home(script, tmp_path)
    assert list(tmp_path.glob("laegna/numba-*/ready"))  # the next start loads them at once
    assert cache_folder().exists()  # (this session's own cache is untouched)
