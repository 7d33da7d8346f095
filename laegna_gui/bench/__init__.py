"""`laegna-gui bench`: measure training speed, GUI responsiveness and start-up on this machine.

Headless (this module, no Qt): the engine (`Trainer.run`) and a plain PyTorch loop of the
same shape, both at batch 10 on the circle preset's data, for [4, 2] and [8, 8, 8].
Live (`laegna_gui.bench.live`): the real window, playing, with a 5 ms GUI timer
recording the raw intervals between its ticks. Start-up: a fresh interpreter opening
the window. No number here is asserted anywhere; `met` only compares with the targets.
"""

from __future__ import annotations

import math
import time

from laegna_gui.core.graph import Graph
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project

SHAPES = {"4_2": (4, 2), "8_8_8": (8, 8, 8)}
BATCH = 10
WARMUP_STEPS = 300

# key → (comparison, target). ">=": at least, "<=": at most.
TARGETS: dict[str, tuple[str, float]] = {
    "engine_examples_per_s_4_2": (">=", 930_000),
    "engine_examples_per_s_8_8_8": (">=", 182_000),
    "speedup_vs_torch_4_2": (">=", 35),
    "speedup_vs_torch_8_8_8": (">=", 9),
    "live_epochs_per_s_4_2": (">=", 570),
    "live_epochs_per_s_8_8_8": (">=", 180),
    "live_fps": (">=", 30),
    "gui_gap_p99_ms": ("<=", 25),
    "gui_gap_max_ms": ("<=", 100),
    "step_to_view_ms": ("<=", 50),
    "startup_s": ("<=", 3),
}


def bench_project(hidden: tuple[int, ...]) -> Project:
    """The circle preset (TensorFlow Playground's default) with these tanh hidden layers,
    output dense 1 + tanh; data, loss (mse), optimizer (sgd 0.03) and batch 10 unchanged."""
    base = load_preset("circle")
    source = base.graph
    inputs = source.nodes_of_type("input")[0]
    graph = Graph()
    previous = graph.add_node("input", dict(inputs.params), (0.0, 0.0)).id
    layers = [("dense", {"units": u}) for u in (*hidden, 1)]
    chain: list[tuple[str, dict]] = []
    for layer in layers:
        chain += [layer, ("activation", {"function": "tanh"})]
    for i, (kind, params) in enumerate([*chain, ("output", {})], start=1):
        node = graph.add_node(kind, params, (i * 200.0, 0.0))
        graph.add_edge(previous, node.id)
        previous = node.id
    project = base.copy()
    project.graph, project.weights = graph, None
    project.name = "bench " + "-".join(map(str, hidden))
    return project


def _timed(run_chunk, seconds: float) -> tuple[int, float]:
    """Call run_chunk(k) (returns the steps done) for about `seconds`; (steps, elapsed)."""
    k, steps = 50, 0
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        steps += run_chunk(k)
        now = time.perf_counter()
        if now - start >= seconds:
            return steps, now - start
        k = max(10, min(100_000, int(k * 0.05 / max(now - t0, 1e-6))))  # ~50 ms chunks


def bench_engine(project: Project, seconds: float) -> tuple[float, str]:
    """Examples per second of `Trainer.run` at batch 10, and the engine's name."""
    from laegna_gui.engine.trainer import Trainer

    trainer = Trainer(project)
    trainer.run(WARMUP_STEPS)  # also triggers any JIT compile
    steps, elapsed = _timed(lambda k: (trainer.run(k), k)[1], seconds)
    return steps * BATCH / elapsed, str(getattr(trainer, "engine_name", "torch"))


def bench_torch_loop(project: Project, seconds: float) -> float:
    """Examples per second of a plain PyTorch loop (nn.Sequential, SGD, MSELoss) of the
    same shape on the same data, one intra-op thread, batch 10, reshuffled each epoch."""
    import torch
    from torch import nn

    from laegna_gui.engine.trainer import Trainer

    torch.set_num_threads(1)
    trainer = Trainer(project)  # only for the data, encoded exactly as the engine sees it
    x, y = trainer.x_train.float(), trainer.y_train.float().reshape(len(trainer.x_train), -1)
    widths = [x.shape[1]] + [n.params["units"] for n in project.graph.nodes_of_type("dense")]
    layers: list[nn.Module] = []
    for a, b in zip(widths, widths[1:]):
        layers += [nn.Linear(a, b), nn.Tanh()]
    model = nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=project.training.learning_rate)
    loss_fn = nn.MSELoss()
    n = len(x)
    generator = torch.Generator().manual_seed(project.seed)
    state = {"order": torch.randperm(n, generator=generator), "cursor": 0}

    def run(k: int) -> int:
        for _ in range(k):
            if state["cursor"] >= n:
                state["order"], state["cursor"] = torch.randperm(n, generator=generator), 0
            batch = state["order"][state["cursor"]:state["cursor"] + BATCH]
            state["cursor"] += BATCH
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        return k

    run(WARMUP_STEPS)
    steps, elapsed = _timed(run, seconds)
    return steps * BATCH / elapsed


def run_headless(seconds: float) -> dict:
    result: dict = {}
    for suffix, hidden in SHAPES.items():
        project = bench_project(hidden)
        engine, name = bench_engine(project, seconds)
        loop = bench_torch_loop(project, seconds)
        result[f"engine_examples_per_s_{suffix}"] = engine
        result[f"torch_loop_examples_per_s_{suffix}"] = loop
        result[f"speedup_vs_torch_{suffix}"] = engine / loop
        result[f"engine_{suffix}"] = name
    return result


def run_all(seconds: float, display: bool = False) -> dict:
    """Every measurement; the dict `--json` prints."""
    from laegna_gui.bench.live import measure_startup, run_live

    result = {"seconds_per_measurement": seconds}
    # the window first: the plain PyTorch loop of the headless part leaves torch's thread
    # pool spinning for a while, which would steal the GUI thread's core
    result.update(run_live(seconds, display))
    result.update(run_headless(seconds))
    result["startup_s"] = measure_startup()
    result["engine"] = result["engine_4_2"]
    result["targets"] = {key: target for key, (_op, target) in TARGETS.items()}
    result["met"] = {key: met(key, result.get(key)) for key in TARGETS}
    return result


def met(key: str, value) -> bool:
    op, target = TARGETS[key]
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    return value >= target if op == ">=" else value <= target


def format_table(result: dict) -> str:
    lines = [f"engine: {result['engine_4_2']} ([4, 2]), {result['engine_8_8_8']} ([8, 8, 8]); "
             f"{result['seconds_per_measurement']:g} s per measurement", ""]
    lines.append(f"{'measure':32s} {'value':>14s}  {'target':>12s}  ")
    for key, value in result.items():
        if key in ("targets", "met", "engine", "engine_4_2", "engine_8_8_8", "seconds_per_measurement"):
            continue
        text = f"{value:14,.1f}" if isinstance(value, float) else f"{value!s:>14s}"
        if key in TARGETS:
            op, target = TARGETS[key]
            mark = "met" if result["met"][key] else "MISSED"
            lines.append(f"{key:32s} {text}  {op} {target:<9,g}  {mark}")
        else:
            lines.append(f"{key:32s} {text}")
    return "\n".join(lines)
