"""Racing variations of one experiment: the same start, the same batches, one verdict.

`race(project, runs, steps)` makes one Trainer per run (a tuple of `Change`s, see
core/variations.py) and trains them in lockstep — `evaluation_every(steps)` steps each in
turn, every run measured at the same steps — so a run can be stopped (`cancel`) at any
moment with all of them equally far. `sweep` races a grid of two settings. `progress(done,
steps)`, if given, is called after each chunk (the window's progress bar).

The same start. The project as it is (its stored weights, or else its seed's) gives the
initial weights, and each run copies those of every layer whose tensors have the same names
and shapes and whose initialisation it does not change. A layer with another shape (a width
changes the next layer's inputs too) or another `init` starts from its own initialisation,
and the run says so (`RunResult.notes`); a run with another seed starts every layer from
that seed. Every run trains and is tested on the project's points (also with another seed),
so their losses are measured on the same data.

The same batches. Each epoch walks the shuffle `epoch_order(n, seed, epoch)`
(engine/compiled/schedule.py), which does not depend on the batch size: runs of one seed
visit the points in the same order, and with the same batch size they train on the same
batch at every step. Another batch size cuts that same order into other batches (with batch
norm an epoch may leave out its last point, so that no batch holds one point alone); another
seed shuffles differently.

Measuring. Every run is evaluated at the same EVALUATIONS + 1 evenly spaced steps on the
fixed sample of each split (`Trainer.evaluate(sample=True)`: every point of a split of up
to 4,096) and, at the end, on every point. `steps_to_best` is the evaluated step with the
lowest test loss. A run that diverges keeps the weights from before the step that failed
and stops there (`diverged`: that step); the others go on.

Paths. With `landscape` (by default whenever `probes` are asked for: the pictures go
together), each run also keeps its weights at the evaluated steps (`Race.paths`, flat
float32) and the race ends with every path on one loss landscape (engine/compare_landscape.py),
computed on the same thread and cancelled by the same token. A path keeps at most
PATH_FLOATS numbers (8 MB): all EVALUATIONS + 1 points of a network of up to ~41,000
weights, fewer, evenly thinned, of a larger one; a network of more than PATH_FLOATS / 2
weights keeps none (a landscape of it would take minutes anyway).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from laegna_gui.core.datasets import Dataset
from laegna_gui.core.errors import LaegnaError, TrainingDiverged
from laegna_gui.core.project import Project
from laegna_gui.core.variations import Change, apply, checked, combinations, label
from laegna_gui.engine.cancel import CancelToken, TrainingCancelled
from laegna_gui.engine.compare_landscape import RaceLandscape, race_landscape
from laegna_gui.engine.run_result import RunResult, WeightPath, flatten, verdict, weights_sha256
from laegna_gui.engine.snapshot import Metrics
from laegna_gui.engine.trainer import Trainer

EVALUATIONS = 50  # evaluated steps per run after step 0: a curve's points, at a few % of the training time
MAX_RUNS = 10  # runs of one comparison: each gets its own colour in the plot
MAX_SIDE = 5  # values per setting of a sweep: 5×5 small boundaries still read at a glance
PATH_FLOATS = 2**21  # numbers a run's path keeps at most (see the module)


@dataclass(frozen=True)
class Race:
    runs: tuple[RunResult, ...]
    steps: int
    data: Dataset
    weights: tuple[dict[str, np.ndarray], ...] = field(default=(), repr=False)  # each run's at the end
    paths: tuple[WeightPath | None, ...] = field(default=(), repr=False)  # each run's, with `landscape`
    landscape: RaceLandscape | None = field(default=None, repr=False)

    @property
    def verdict(self) -> str:
        return verdict(self.runs)


@dataclass(frozen=True)
class Sweep:
    """A race over every pair of a row value and a column value; `cell(i, j)`."""

    rows: tuple[Change, ...]
    columns: tuple[Change, ...]
    race: Race

    def cell(self, row: int, column: int) -> RunResult:
        return self.race.runs[row * len(self.columns) + column]


def evaluation_every(steps: int) -> int:
    return max(1, math.ceil(steps / EVALUATIONS))


def check_runs(runs: list[tuple[Change, ...]]) -> None:
    if len(runs) > MAX_RUNS:
        raise LaegnaError(f"a comparison races at most {MAX_RUNS} runs; these settings make {len(runs)} "
                          "(use sweep for a grid of two settings)")


def grid(rows: tuple[Change, ...], columns: tuple[Change, ...]) -> list[tuple[Change, ...]]:
    """The runs of a sweep, row by row; refuses more than MAX_SIDE values of a setting."""
    for axis in (rows, columns):
        if len(axis) > MAX_SIDE:
            raise LaegnaError(f"a sweep is at most {MAX_SIDE}×{MAX_SIDE}; {axis[0].key} has {len(axis)} values")
    return combinations([rows, columns], "--grid")


Progress = Callable[[int, int], None]


def sweep(project: Project, rows: tuple[Change, ...], columns: tuple[Change, ...], steps: int,
          cancel: CancelToken | None = None, probes: bool = False, progress: Progress | None = None) -> Sweep:
    return Sweep(rows, columns, race(project, grid(rows, columns), steps, cancel, probes, progress,
                                     landscape=False))


def race(project: Project, runs: list[tuple[Change, ...]], steps: int, cancel: CancelToken | None = None,
         probes: bool = False, progress: Progress | None = None, landscape: bool | None = None) -> Race:
    """Train every run `steps` steps in lockstep from the same start (see the module)."""
    if not runs:
        raise LaegnaError("nothing to race: give at least one setting to vary")
    cancel = cancel or CancelToken()
    keep_paths = probes if landscape is None else landscape
    lanes = start_lanes(project, runs, cancel, keep_paths)
    train_lanes(lanes, steps, progress)
    results = tuple(lane.result(probes) for lane in lanes)
    raced = Race(results, steps, lanes[0].trainer.data, tuple(lane.trainer.weights() for lane in lanes))
    if not keep_paths:
        return raced
    kept = tuple(lane.path() for lane in lanes)
    land = race_landscape(results, kept, lanes[0].trainer, should_stop=lambda: cancel.requested)
    if land is None:
        raise TrainingCancelled("cancelled")
    return replace(raced, paths=kept, landscape=land)


def train_lanes(lanes: list[Lane], steps: int, progress: Progress | None = None) -> None:
    """`steps` steps of every lane, a chunk of each in turn, measuring all at the same steps."""
    every = evaluation_every(steps)
    for lane in lanes:
        lane.measure(final=steps == 0)
    done = 0
    while done < steps:
        chunk = min(every, steps - done)
        done += chunk
        for lane in lanes:
            if lane.diverged is None:
                lane.advance(chunk)
                lane.measure(final=done == steps or lane.diverged is not None)
        if progress is not None:
            progress(done, steps)


def start_lanes(project: Project, runs: list[tuple[Change, ...]], cancel: CancelToken,
                paths: bool = False) -> list[Lane]:
    """A trainer per run, each from the project's initial weights where its shapes allow;
    with `paths`, each keeps its weights at the evaluated steps too."""
    base = Trainer(project, cancel=cancel)
    start = base.weights()
    return [_lane(project, changes, base, start, cancel, paths) for changes in runs]


def _lane(project: Project, changes: tuple[Change, ...], base: Trainer, start: dict, cancel: CancelToken,
          paths: bool) -> Lane:
    variant = checked(apply(project, changes), changes)
    other_init = {n for n, node in variant.graph.nodes.items()
                  if node.type == "dense" and node.params["init"] != project.graph.node(n).params["init"]}
    same_seed = variant.seed == project.seed
    keep = {k: v for k, v in start.items() if same_seed and _layer(k) not in other_init}
    try:
        trainer = Trainer(variant, base.data, keep=keep, cancel=cancel)
    except LaegnaError as exc:
        raise LaegnaError(f"{label(changes)}: {exc}") from None
    return Lane(changes, trainer, *_start_notes(trainer, base, start, changes, other_init, same_seed), paths)


def _start_notes(trainer: Trainer, base: Trainer, start: dict, changes: tuple[Change, ...], other_init: set[str],
                 same_seed: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the layers that start from their own initialisation, sentences saying why)."""
    weights = trainer.weights()
    layers = sorted({_layer(k) for k in weights})
    if not same_seed:
        return tuple(layers), ("every layer starts from this seed's initialisation, and the points come "
                               "in another order",)
    shaped = [n for n in layers if any(k not in start or start[k].shape != v.shape
                                       for k, v in weights.items() if _layer(k) == n)]
    inits = [n for n in layers if n in other_init and n not in shaped]
    notes = [_fresh(shaped, "another shape"), _fresh(inits, "another initialisation")]
    if trainer.batch_size != base.batch_size:
        notes.append(f"batch_size={trainer.settings.batch_size}: the same order of points, cut into other batches")
    return tuple(shaped + inits), tuple(note for note in notes if note)


def _fresh(layers: list[str], why: str) -> str:
    if not layers:
        return ""
    if len(layers) == 1:
        return f"{layers[0]} has {why}: it starts from its own initialisation"
    return f"{', '.join(layers[:-1])} and {layers[-1]} have {why}: they start from their own initialisation"


def _layer(name: str) -> str:
    return name.split(".")[0]


class Lane:
    """One run while it trains: its trainer and what was measured so far."""

    def __init__(self, changes: tuple[Change, ...], trainer: Trainer, fresh: tuple[str, ...],
                 notes: tuple[str, ...], paths: bool = False) -> None:
        self.changes, self.trainer, self.fresh, self.notes = changes, trainer, fresh, notes
        self.initial_weights = trainer.weights()
        self.diverged: int | None = None
        self.points: list[tuple[int, float, float]] = []
        self.metrics: Metrics | None = None
        self.path_every = _path_every(self.initial_weights) if paths else 0  # 0: no path
        self.path_steps: list[int] = []
        self.path_rows: list[np.ndarray] = []

    def advance(self, steps: int) -> None:
        try:
            self.trainer.run(steps)
        except TrainingDiverged:  # the weights from before the failed step are kept
            self.diverged = self.trainer.step_count + 1

    def measure(self, final: bool) -> None:
        """Evaluate now (on every point when `final`); a second measure at one step replaces the first."""
        metrics = self.trainer.evaluate(sample=not final)
        step = self.trainer.step_count
        if self.points and self.points[-1][0] == step:
            self.points.pop()
        self.points.append((step, metrics.train_loss, metrics.test_loss))
        if final:
            self.metrics = metrics
        if self.path_every and (final or (len(self.points) - 1) % self.path_every == 0):
            self._keep_weights(step)

    def _keep_weights(self, step: int) -> None:
        if self.path_steps and self.path_steps[-1] == step:
            self.path_steps.pop()
            self.path_rows.pop()
        self.path_steps.append(step)
        self.path_rows.append(flatten(self.trainer.weights()))

    def path(self) -> WeightPath | None:
        """The weights kept at the evaluated steps; None when the network is too large to keep them."""
        if not self.path_rows:
            return None
        names = tuple(self.initial_weights)
        shapes = tuple(self.initial_weights[name].shape for name in names)
        return WeightPath(names, shapes, np.array(self.path_steps, dtype=np.int64), np.stack(self.path_rows))

    def result(self, probes: bool) -> RunResult:
        wanted = probes and self.trainer.data.spec.n_inputs in (1, 2)
        return RunResult(self.changes, weights_sha256(self.initial_weights), self.fresh, self.notes,
                         self.trainer.step_count, self.metrics, np.array(self.points, dtype=np.float64),
                         self.diverged, self.trainer.probes({}) if wanted else None)


def _path_every(weights: dict[str, np.ndarray]) -> int:
    """Keep every how many-th evaluated point so that a path holds at most PATH_FLOATS numbers
    (the end is always kept too); 0 when not even the start and the end fit."""
    size = sum(v.size for v in weights.values())
    fits = PATH_FLOATS // max(size, 1)
    if fits < 2:
        return 0
    return math.ceil((EVALUATIONS + 1) / (fits - 1)) if fits <= EVALUATIONS + 1 else 1
