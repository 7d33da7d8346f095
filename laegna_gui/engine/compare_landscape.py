"""Every run of a race on one loss landscape: a plane through the start the runs share, the
training loss over it, and each run's path projected onto it (engine/compare.py calls
`race_landscape` on the race's thread when the training is done).

The plane. Its centre is the shared start (the first run's initial weights). Its two
directions are orthonormal in weight space — every tensor a project file stores, batch-norm
statistics too, flattened — so α and β are distances in weight space, and lengths and angles
on the picture are true ones. They are the two principal directions (one SVD) of where the
runs ended: each run's move start → end, scaled to length 1 first so that a run that moved
little counts as much as one that moved far. Why the ends and not every point of every path:
with two runs this plane holds both ends exactly (two vectors span it), so the loss under
each end marker is the loss that run ended with, and with more runs it comes as close to all
the ends as a plane can; the principal plane of all path points leans towards the run that
moved farthest and leaves the others' ends off it, where the colour under them would not be
their loss. With two runs, direction 1 is what their moves share and direction 2 what tells
them apart. When the ends span less than a plane (one run, or runs that went along one
line), the second direction is the paths' largest move sideways from the first; when they
went straight, too, a random direction at right angles to it.

The heights are engine/landscape.py's (`plane_losses`): the training loss without
regularization, in eval mode — what `train_loss` reports — so each end sits on the colour
of its final train loss. Paths between the start and the ends may leave the plane;
`off_plane` says how far, for each run.

Which runs. A run is on the plane when its weights have the names and shapes of the first
run's, it started from the same weights, and its network computes the same loss of them (no
other activation or loss). The others are left out, each with a note that says why.

Pictures of it (the Compare window, the CLI's PNG) colour the loss on `LossScale` and say
what `notes_text` says under it.

The grid, GRID × GRID, is a square around every path with a margin: the picture keeps true
lengths and angles, and a square fills it (a race that went along one line shows the valley
walls beside it). For the presets its 961 losses take a fraction of a second;
`should_stop()` is asked before each row of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from laegna_gui.engine.landscape import Landscape, _frozen, plane_losses  # its frozen arrays, made alike
from laegna_gui.engine.run_result import RunResult, WeightPath, unflatten

GRID = 31  # losses per side
MARGIN = 0.15  # of the paths' longer extent, on every side
SAME_LINE = 1e-4  # a direction this much weaker than the first (relative singular value) adds nothing
CLIP_FACTOR = 100.0  # a picture's scale ends at most this many times the median loss (a blown-up corner)
OFF_PLANE_SHOWN = 0.05  # a path that strays less than this fraction off the plane goes unmentioned
NAMED_STRAYS = 3  # more paths off the plane are summed up in one sentence
FUNCTION_KEYS = ("activation", "loss")  # settings that change the loss as a function of the weights
SHARED = ("direction 1: what the runs' moves share", "direction 2: what tells them apart")
ALONG = "direction 1: start → end"
SIDEWAYS = "direction 2: the largest move sideways"
ACROSS = "direction 2: a random direction across"


@dataclass(frozen=True)
class RaceLandscape:
    """`landscape` is None when there is no plane (`notes` say why). Run `runs[i]` of the race
    went along `paths[i]`: (α, β) at each step `steps[i]` its path kept; at most `off_plane[i]`
    of its distance from the start lies off the plane. `notes` name the runs left out."""

    landscape: Landscape | None
    runs: tuple[int, ...]
    paths: tuple[np.ndarray, ...]
    steps: tuple[np.ndarray, ...]
    off_plane: tuple[float, ...]
    notes: tuple[str, ...]


def race_landscape(runs: tuple[RunResult, ...], paths: tuple[WeightPath | None, ...], trainer,
                   should_stop: Callable[[], bool] | None = None, n: int = GRID) -> RaceLandscape | None:
    """Every fitting run's path on one plane and the loss over it (see the module); None if
    `should_stop()` said so. `trainer` is the first run's (its weights are left as they were)."""
    members, notes = _members(runs, paths)
    if not members:
        return RaceLandscape(None, (), (), (), (), notes)
    start = paths[members[0]].values[0].astype(np.float64)
    moves = [paths[i].values.astype(np.float64) - start for i in members]
    plane = _plane(moves)
    if plane is None:
        return RaceLandscape(None, (), (), (), (), notes + ("No run moved from the start: there is no plane to show.",))
    basis, labels = plane
    coords = [np.linalg.lstsq(basis, move.T, rcond=None)[0].T for move in moves]
    alphas, betas = _axes(np.concatenate(coords), n)
    layout = paths[members[0]].layout
    center = paths[members[0]].at(0)
    d1, d2 = unflatten(layout, basis[:, 0]), unflatten(layout, basis[:, 1])
    losses = plane_losses(trainer, center, d1, d2, alphas, betas, should_stop=should_stop)
    if losses is None:
        return None
    landscape = Landscape(_frozen(alphas), _frozen(betas), _frozen(losses), "race", labels,
                          {k: _frozen(v.copy()) for k, v in center.items()},
                          tuple({k: _frozen(v.copy()) for k, v in d.items()} for d in (d1, d2)))
    return RaceLandscape(landscape, tuple(members), tuple(_frozen(c) for c in coords),
                         tuple(paths[i].steps for i in members),
                         tuple(_off_plane(move, basis, c) for move, c in zip(moves, coords)), notes)


class LossScale:
    """loss → log10, clipped, and → 0…1 on it: from the lowest loss of the grid and of the
    runs' ends up to at most CLIP_FACTOR × the median, so a blown-up corner does not wash out
    the rest."""

    def __init__(self, land: RaceLandscape, runs: tuple[RunResult, ...]) -> None:
        values = np.concatenate([land.landscape.losses.ravel(), end_losses(land, runs)])
        values = values[np.isfinite(values) & (values > 0)]
        if not values.size:  # a loss of exactly 0 everywhere
            values = np.ones(1)
        lo = float(values.min())
        hi = min(float(values.max()), CLIP_FACTOR * float(np.median(values)))
        self.lo, self.hi = float(np.log10(lo)), float(np.log10(max(hi, lo * 1.0001)))

    def log(self, loss) -> np.ndarray:
        loss = np.asarray(loss, dtype=np.float64)
        return np.clip(np.log10(np.where(loss > 0, loss, 10.0 ** self.lo)), self.lo, self.hi)

    def unit(self, loss) -> np.ndarray:
        return (self.log(loss) - self.lo) / (self.hi - self.lo)


def end_losses(land: RaceLandscape, runs: tuple[RunResult, ...]) -> np.ndarray:
    """The train loss each run on the plane ended with."""
    return np.array([runs[i].metrics.train_loss for i in land.runs], dtype=np.float64)


def notes_text(land: RaceLandscape, runs: tuple[RunResult, ...]) -> str:
    """The runs left out, and how far the others stray off the plane, one sentence a line."""
    strays = [(off, runs[i].label) for i, off in zip(land.runs, land.off_plane) if off >= OFF_PLANE_SHOWN]
    lines = list(land.notes)
    if 0 < len(strays) <= NAMED_STRAYS:
        lines.append("Off the plane, of how far each run went: "
                     f"{', '.join(f'{name} up to {off:.0%}' for off, name in strays)}.")
    elif strays:
        off, name = max(strays)
        lines.append(f"{len(strays)} paths leave the plane, by up to {off:.0%} of how far the run went ({name}).")
    return "\n".join(lines)


def _members(runs: tuple[RunResult, ...], paths: tuple[WeightPath | None, ...]) -> tuple[list[int], tuple[str, ...]]:
    """The runs that share the first run's plane, and a note on each of the others."""
    first = paths[0] if paths else None
    if first is None:
        return [], ("The networks are too large to keep the runs' paths.",) if paths else ()
    members, notes = [], []
    for i, (run, path) in enumerate(zip(runs, paths)):
        why = _left_out(run, path, runs[0], first)
        if why:
            notes.append(f"{run.label} {why}, so it has no place on this plane.")
        else:
            members.append(i)
    return members, tuple(notes)


def _left_out(run: RunResult, path: WeightPath | None, first_run: RunResult, first: WeightPath) -> str:
    if path is None:
        return "has too many weights to keep its path"
    if path.layout != first.layout:
        return "has other weight shapes"
    if not np.array_equal(path.values[0], first.values[0]):
        return "started from other weights"
    own, theirs = run.setting, first_run.setting
    other = [k for k in sorted(own.keys() | theirs.keys())
             if k.split(".")[0] in FUNCTION_KEYS and own.get(k) != theirs.get(k)]
    return f"has another {other[0]}: the plane's losses are not its own" if other else ""


def _plane(moves: list[np.ndarray]) -> tuple[np.ndarray, tuple[str, str]] | None:
    """(P, 2) orthonormal directions and their labels; None when nothing moved."""
    ends = [move[-1] / np.linalg.norm(move[-1]) for move in moves if np.linalg.norm(move[-1]) > 0]
    found = _principal(np.array(ends)) if ends else []
    if not found:
        return None
    if len(found) >= 2:
        d1, d2 = found[:2]
        labels = SHARED
    else:
        d1 = found[0]
        rest = np.concatenate(moves)
        rest = rest - np.outer(rest @ d1, d1)
        sideways = _principal(rest, np.abs(np.concatenate(moves) @ d1).max())
        d2 = sideways[0] if sideways else _across(d1)
        labels = (ALONG, SIDEWAYS if sideways else ACROSS)
    ends = np.array([move[-1] for move in moves])
    d1 = d1 if (ends @ d1).sum() >= 0 else -d1  # the runs go to the right…
    d2 = d2 if (ends[0] @ d2) >= 0 else -d2  # …and the first one up
    return np.stack([d1, d2], axis=1), labels


def _principal(rows: np.ndarray, scale: float | None = None) -> list[np.ndarray]:
    """The rows' principal directions (through 0) stronger than SAME_LINE of `scale` (default:
    the strongest)."""
    _, strengths, directions = np.linalg.svd(rows, full_matrices=False)
    top = strengths[0] if scale is None else scale
    return [d for d, s in zip(directions, strengths) if top > 0 and s > SAME_LINE * top]


def _across(d1: np.ndarray) -> np.ndarray:
    """A random unit direction at right angles to `d1` (seeded: the same race, the same plane)."""
    r = np.random.default_rng(0).standard_normal(d1.shape)
    r -= (r @ d1) * d1
    return r / np.linalg.norm(r)


def _axes(points: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """α and β of the grid: a square around the points, MARGIN wider on every side."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    longer = float((hi - lo).max())
    half = (0.5 + MARGIN) * longer
    middle = (lo + hi) / 2
    return (np.linspace(middle[0] - half, middle[0] + half, n), np.linspace(middle[1] - half, middle[1] + half, n))


def _off_plane(move: np.ndarray, basis: np.ndarray, coords: np.ndarray) -> float:
    """The largest distance of a path point from the plane, over the largest from the start."""
    far = float(np.linalg.norm(move, axis=1).max())
    return float(np.linalg.norm(move - coords @ basis.T, axis=1).max()) / far if far > 0 else 0.0
