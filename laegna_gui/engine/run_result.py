"""A finished run of a race, the path its weights took, its fingerprint and the verdict on
several (engine/compare.py)."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from laegna_gui.core.variations import Change, label
from laegna_gui.engine.probes import Probes
from laegna_gui.engine.snapshot import Metrics

SAME_WITHIN = 1.05  # test losses closer than this ratio are "about the same"


@dataclass(frozen=True)
class RunResult:
    """One finished run. `curve`: (steps, train loss, test loss) at each evaluated step;
    `metrics`: measured at the end on every point; `probes`: what the network does on the
    input plane (or line) at the end, when asked for."""

    changes: tuple[Change, ...]
    initial_weights_sha256: str
    fresh_layers: tuple[str, ...]
    notes: tuple[str, ...]
    steps: int
    metrics: Metrics
    curve: np.ndarray
    diverged: int | None
    probes: Probes | None

    @property
    def label(self) -> str:
        return label(self.changes)

    @property
    def setting(self) -> dict:
        return {change.key: change.value for change in self.changes}

    @property
    def best(self) -> tuple[int, float] | None:
        """(step, test loss) of the lowest finite test loss evaluated; None if there was none."""
        finite = np.isfinite(self.curve[:, 2])
        if not finite.any():
            return None
        i = int(np.argmin(np.where(finite, self.curve[:, 2], np.inf)))
        return int(self.curve[i, 0]), float(self.curve[i, 2])


@dataclass(frozen=True)
class WeightPath:
    """A run's weights at some of its evaluated steps, flat: `values[i]` holds every tensor of
    `names` (C order, float32, one after the other) at `steps[i]`. The first row is the start,
    the last the end; `at(i)` gives a row back as named arrays."""

    names: tuple[str, ...]
    shapes: tuple[tuple[int, ...], ...]
    steps: np.ndarray
    values: np.ndarray

    @property
    def layout(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return tuple(zip(self.names, self.shapes))

    def at(self, row: int) -> dict[str, np.ndarray]:
        return unflatten(self.layout, self.values[row])


def flatten(weights: dict[str, np.ndarray]) -> np.ndarray:
    """Every tensor of `weights`, in their order, as one float32 vector."""
    return np.concatenate([np.ravel(v) for v in weights.values()] or [np.zeros(0)]).astype(np.float32)


def unflatten(layout: tuple[tuple[str, tuple[int, ...]], ...], vector: np.ndarray) -> dict[str, np.ndarray]:
    """`flatten` undone: named arrays of the layout's shapes (views of `vector`)."""
    out, start = {}, 0
    for name, shape in layout:
        size = math.prod(shape)
        out[name] = vector[start:start + size].reshape(shape)
        start += size
    return out


def final_scores(run: RunResult) -> str:
    """'test loss 0.0685, 100%': measured at the end, on the weights its picture shows."""
    text = f"test loss {run.metrics.test_loss:.3g}"
    if run.metrics.test_accuracy is not None:
        text += f", {run.metrics.test_accuracy:.0%}"
    return text


def scores(run: RunResult) -> str:
    """The final scores (and where it diverged): what a run's picture is labelled with."""
    return final_scores(run) + (f" (diverged at step {run.diverged})" if run.diverged is not None else "")


def caption_lines(run: RunResult) -> list[str]:
    """A sweep cell's caption: the scores at the end, the lowest test loss reached and when
    (what the verdict and the best cell's frame go by), and where it diverged."""
    lowest = f"lowest {run.best[1]:.3g} at step {run.best[0]}" if run.best else "no finite test loss"
    return [final_scores(run), lowest, *([f"diverged at step {run.diverged}"] if run.diverged is not None else [])]


def weights_sha256(weights: dict[str, np.ndarray]) -> str:
    """A fingerprint of weights: sha256 over, for each name in sorted order, the name in
    UTF-8, a NUL byte, then the values as little-endian float32 in C order."""
    digest = hashlib.sha256()
    for name in sorted(weights):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(np.ascontiguousarray(weights[name], dtype="<f4").tobytes())
    return digest.hexdigest()


def verdict(runs: tuple[RunResult, ...]) -> str:
    """Which run reached the lowest test loss, when, and by how much; and which diverged."""
    failed = [f"{run.label} at step {run.diverged}" for run in runs if run.diverged is not None]
    return _ranking(runs) + (f"; diverged: {', '.join(failed)}" if failed else "")


def _ranking(runs: tuple[RunResult, ...]) -> str:
    ranked = sorted((r for r in runs if r.best is not None), key=lambda r: r.best[1])
    if not ranked:
        return "no run reached a finite test loss"
    first = ranked[0]
    (step, loss), name = first.best, first.label
    if len(runs) == 1:
        return f"{name} reached a test loss of {_loss(loss)} at step {step}"
    head = f"{name} reached the {'lower' if len(runs) == 2 else 'lowest'} test loss ({_loss(loss)} at step {step})"
    if len(ranked) == 1:
        return f"{head}; no other run reached a finite test loss"
    second = ranked[1]
    (other_step, other), other_name = second.best, second.label
    if other <= loss * SAME_WITHIN:
        return (f"{name} and {other_name} reached about the same test loss "
                f"({_loss(loss)} at step {step}, {_loss(other)} at step {other_step})")
    times = other / loss if loss > 0 else math.inf
    ratio = f"{times:.1f}× lower than" if times < 10 else f"{times:.0f}× lower than" if times < math.inf else "below"
    nearest = "the next best, " if len(runs) > 2 else ""
    return f"{head} — {ratio} {other_name} ({nearest}{_loss(other)} at step {other_step})"


def _loss(value: float) -> str:
    return f"{value:.3g}"
