"""Pictures of a comparison or a sweep as PNG bytes, drawn with numpy and Pillow — no window.

`race_png`: the runs' test-loss curves overlaid on a log scale (train loss thinner and
fainter), a legend, under them every run's path on one loss landscape (when the race has
one: engine/compare_landscape.py), and below each run's decision boundary (or, for 1-D
data, the curve it fits) side by side. `sweep_png`: the grid of small boundaries, one per cell,
labelled with its test loss; the best cell is framed. Everything is drawn at twice the size
and scaled down, which smooths the lines. The data colours are the app's (ui/look/style.py:
orange negative or class 0, blue positive or class 1, …), faded half way to white under the
points, as the boundary view draws them.
"""

from __future__ import annotations

import io
import math
import textwrap

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from laegna_gui.core.datasets import Dataset
from laegna_gui.engine.compare import Race, Sweep
from laegna_gui.engine.compare_landscape import LossScale, end_losses, notes_text
from laegna_gui.engine.run_result import RunResult, caption_lines, scores

SCALE = 2  # drawn at twice the size, then scaled down (Pillow draws lines without smoothing)
NEGATIVE, POSITIVE, NEUTRAL = (245, 147, 34), (8, 119, 189), (232, 234, 235)
CLASS_COLORS = [NEGATIVE, POSITIVE, (44, 160, 44), (148, 103, 189), (140, 86, 75), (227, 119, 194),
                (127, 127, 127), (188, 189, 34), (23, 190, 207), (214, 39, 40)]
# one per run (MAX_RUNS), in the order the Compare window gives them (ui/compare/loss_curves.run_colour)
RUN_COLORS = [(8, 119, 189), (44, 160, 44), (148, 103, 189), (140, 86, 75), (227, 119, 194), (127, 127, 127),
              (188, 189, 34), (23, 190, 207), (214, 39, 40), (245, 147, 34)]
INK, MUTED, GRID, WHITE = (31, 41, 51), (86, 96, 107), (227, 230, 234), (255, 255, 255)
WIDTH = 1200
PLOT_HEIGHT = 440
LEGEND = 300  # the width right of the curves, for their legend
TILE = 200  # a boundary below the curves
CELL = 180  # a boundary of a sweep
ROOM = 64  # under it, for its three caption lines
POINTS_SHOWN = 400  # data points drawn on a boundary (a sample of larger sets)
LANDSCAPE = 300  # the side of the loss landscape under the curves
LANDSCAPE_KEY = ("The training loss over the plane through the shared start that best holds where the runs "
                 "ended (log scale: blue low, orange high), each run's path projected onto it. Square: the "
                 "start; ring: where a run ended, filled with the loss it reached. Both axes are distances "
                 "in weight space.")


def race_png(race: Race, title: str) -> bytes:
    pictures = [run for run in race.runs if run.probes is not None]
    per_row = min(5, max(1, len(pictures)))
    tile = min(TILE, (WIDTH - 40) // per_row - 20)
    rows = math.ceil(len(pictures) / per_row)
    land = race.landscape if race.landscape is not None and race.landscape.landscape is not None else None
    below = 110 + PLOT_HEIGHT
    canvas = _Canvas(WIDTH, below + (LANDSCAPE + 70 if land else 0) + rows * (tile + 70) + 60)
    canvas.text((20, 14), title, 22)
    _curves(canvas, race, (70, 60, WIDTH - LEGEND, 60 + PLOT_HEIGHT))
    if land:
        _landscape(canvas, race, (70, below))
    top = below + (LANDSCAPE + 70 if land else 0)
    for i, run in enumerate(pictures):
        x, y = 20 + (i % per_row) * (tile + 20), top + (i // per_row) * (tile + 70)
        canvas.paste(_boundary(run, race.data, tile), (x, y))
        canvas.box((x, y + tile + 8, x + 12, y + tile + 20), RUN_COLORS[race.runs.index(run)])
        used = canvas.wrapped((x + 18, y + tile + 4), run.label, tile - 18, 13)
        canvas.text((x + 18, y + tile + 4 + used * 18), scores(run), 13, MUTED)
    canvas.wrapped((20, canvas.height - 50), race.verdict, WIDTH - 40, 15)
    return canvas.png()


def sweep_png(sweep: Sweep, title: str) -> bytes:
    rows, columns = sweep.rows, sweep.columns
    left, top = 150, 90
    canvas = _Canvas(max(WIDTH // 2, left + len(columns) * (CELL + 16) + 20), top + len(rows) * (CELL + ROOM) + 70)
    canvas.text((20, 14), title, 22)
    canvas.text((left, 46), columns[0].key, 15, MUTED)
    canvas.text((20, 46), rows[0].key, 15, MUTED)
    best = _best(sweep.race.runs)
    for j, column in enumerate(columns):
        canvas.text((left + j * (CELL + 16), top - 22), _value(column), 15)
    for i, row in enumerate(rows):
        y = top + i * (CELL + ROOM)
        canvas.text((20, y + CELL // 2 - 10), _value(row), 15)
        for j in range(len(columns)):
            x, run = left + j * (CELL + 16), sweep.cell(i, j)
            canvas.paste(_boundary(run, sweep.race.data, CELL), (x, y))
            if run is best:
                canvas.frame((x - 4, y - 4, x + CELL + 4, y + CELL + 4), INK, 3)
            for k, line in enumerate(caption_lines(run)):  # what the frame goes by is written too
                canvas.text((x, y + CELL + 6 + 17 * k), line, 13, INK if run is best else MUTED)
    canvas.wrapped((20, canvas.height - 50), sweep.race.verdict, canvas.width - 40, 15)
    return canvas.png()


def _value(change) -> str:
    return str(change).split("=", 1)[1]


def _best(runs: tuple[RunResult, ...]) -> RunResult | None:
    ranked = [run for run in runs if run.best is not None]
    return min(ranked, key=lambda run: run.best[1]) if ranked else None


def _fit(text: str, width: int, size: int) -> str:
    """`text`, cut with … to about `width` pixels."""
    chars = max(4, int(width / (0.55 * size)))
    return text if len(text) <= chars else text[:chars - 1] + "…"


# --- the loss curves -------------------------------------------------------------------------
def _curves(canvas: "_Canvas", race: Race, box: tuple[int, int, int, int]) -> None:
    """Test loss (thick) and train loss (thin, faint) of every run, log scale where it can be."""
    x0, y0, x1, y1 = box
    values = np.concatenate([run.curve[:, 1:].ravel() for run in race.runs])
    values = values[np.isfinite(values)]
    log = values.size > 0 and values.min() > 0
    lo, hi = _y_range(values, log)
    steps = max(race.steps, 1)

    def place(step: np.ndarray, loss: np.ndarray) -> list[tuple[float, float]]:
        v = np.log10(loss) if log else loss
        ys = y1 - (np.clip(v, lo, hi) - lo) / (hi - lo) * (y1 - y0)
        return list(zip(x0 + step / steps * (x1 - x0), ys))

    _axes(canvas, box, lo, hi, log, steps)
    legend = y0 + 6
    for i, run in enumerate(race.runs):
        good = np.all(np.isfinite(run.curve[:, 1:]), axis=1)
        colour = RUN_COLORS[i % len(RUN_COLORS)]
        canvas.line(place(run.curve[good, 0], run.curve[good, 1]), _faint(colour), 1)
        canvas.line(place(run.curve[good, 0], run.curve[good, 2]), colour, 3)
        if run.diverged is not None:  # a cross on the top edge where it stopped
            x = x0 + run.diverged / steps * (x1 - x0)
            canvas.line([(x - 6, y0 - 6), (x + 6, y0 + 6)], colour, 3)
            canvas.line([(x - 6, y0 + 6), (x + 6, y0 - 6)], colour, 3)
        canvas.box((x1 + 20, legend + 4, x1 + 40, legend + 16), colour)
        name = run.label + (f" (diverged at step {run.diverged}, marked x)" if run.diverged is not None else "")
        legend += 18 * canvas.wrapped((x1 + 46, legend), name, LEGEND - 60, 13) + 8
    canvas.text((x1 + 20, legend + 10), "thick: test loss", 13, MUTED)
    canvas.text((x1 + 20, legend + 28), "thin: train loss", 13, MUTED)


def _y_range(values: np.ndarray, log: bool) -> tuple[float, float]:
    if values.size == 0:
        return 0.0, 1.0
    if log:
        lo, hi = float(np.log10(values.min())), float(np.log10(values.max()))
        pad = max(0.05 * (hi - lo), 0.02)
        return lo - pad, hi + pad
    lo, hi = float(values.min()), float(values.max())
    return (lo, hi) if hi > lo else (lo - 1.0, hi + 1.0)


def _axes(canvas: "_Canvas", box, lo: float, hi: float, log: bool, steps: int) -> None:
    x0, y0, x1, y1 = box
    for v in _log_ticks(lo, hi) if log else np.linspace(lo, hi, 5):
        y = y1 - (v - lo) / (hi - lo) * (y1 - y0)
        canvas.line([(x0, y), (x1, y)], GRID, 1)
        canvas.text((8, y - 8), f"{10 ** v:g}" if log else f"{v:.3g}", 12, MUTED)
    for s in np.linspace(0, steps, 6):
        x = x0 + s / steps * (x1 - x0)
        canvas.text((x - 14, y1 + 6), f"{int(round(s)):,}", 12, MUTED)
    canvas.frame((x0, y0, x1, y1), MUTED, 1)
    canvas.text((x1 + 28, y1 + 6), "step", 12, MUTED)
    canvas.text((x0, y0 - 18), "loss" + (" (log scale)" if log else ""), 12, MUTED)


def _log_ticks(lo: float, hi: float) -> list[float]:
    """log10 of the round losses (1, 2, 5 × a power of ten) between 10**lo and 10**hi; powers only
    when those are many."""
    ticks = [math.log10(m * 10.0 ** e) for e in range(math.floor(lo), math.ceil(hi) + 1) for m in (1, 2, 5)]
    inside = [t for t in ticks if lo <= t <= hi]
    if len(inside) < 3:  # less than a decade: the steps between too
        inside = [math.log10(m * 10.0 ** e) for e in range(math.floor(lo), math.ceil(hi) + 1)
                  for m in (1, 1.5, 2, 3, 4, 5, 7) if lo <= math.log10(m * 10.0 ** e) <= hi]
    return inside if len(inside) <= 8 else [t for t in inside if float(t).is_integer()]


def _faint(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(int(c + (255 - c) * 0.55) for c in colour)


# --- the landscape ---------------------------------------------------------------------------
def _landscape(canvas: "_Canvas", race: Race, at: tuple[int, int]) -> None:
    """The loss over the plane, faded as a boundary is, with every path on it, a colour bar
    and what the Compare window says under it."""
    land, (x0, y0) = race.landscape, at
    grid, scale = land.landscape, LossScale(race.landscape, race.runs)
    colours = _loss_colours(scale.unit(grid.losses.T[::-1]))  # rows: β from the top down
    canvas.paste(Image.fromarray(colours, "RGB").resize((LANDSCAPE * SCALE,) * 2, Image.BILINEAR), (x0, y0))
    a, b = grid.alphas, grid.betas

    def place(alpha, beta) -> tuple[float, float]:
        return (x0 + (alpha - a[0]) / (a[-1] - a[0]) * LANDSCAPE, y0 + (b[-1] - beta) / (b[-1] - b[0]) * LANDSCAPE)

    for i, path in zip(land.runs, land.paths):
        points = [place(alpha, beta) for alpha, beta in path]
        canvas.line(points, WHITE, 6)
        canvas.line(points, RUN_COLORS[i % len(RUN_COLORS)], 3)
    canvas.box((place(0, 0)[0] - 6, place(0, 0)[1] - 6, place(0, 0)[0] + 6, place(0, 0)[1] + 6), INK)
    canvas.box((place(0, 0)[0] - 4, place(0, 0)[1] - 4, place(0, 0)[0] + 4, place(0, 0)[1] + 4), WHITE)
    for i, path, loss in zip(land.runs, land.paths, end_losses(land, race.runs)):
        fill = tuple(int(c) for c in _loss_colours(scale.unit(np.array([loss])))[0])
        canvas.ring(place(*path[-1]), 8, RUN_COLORS[i % len(RUN_COLORS)], fill, 3)
    canvas.frame((x0, y0, x0 + LANDSCAPE, y0 + LANDSCAPE), MUTED, 1)
    canvas.text((x0, y0 + LANDSCAPE + 6), "→ " + grid.labels[0], 13, MUTED)
    canvas.text((x0, y0 - 20), "↑ " + grid.labels[1], 13, MUTED)
    _loss_bar(canvas, scale, (x0 + LANDSCAPE + 20, y0))
    text_x = x0 + LANDSCAPE + 110
    used = canvas.wrapped((text_x, y0), LANDSCAPE_KEY, WIDTH - text_x - 20, 14, MUTED, lines=6)
    canvas.wrapped((text_x, y0 + used * 19 + 16), notes_text(land, race.runs).replace("\n", " "),
                   WIDTH - text_x - 20, 14, INK, lines=6)


def _loss_colours(unit: np.ndarray) -> np.ndarray:
    """uint8 RGB of losses placed 0…1 on their scale: blue low, orange high, faded half way to white."""
    colours = _diverging(1.0 - 2.0 * unit)
    return np.rint(colours + (255 - colours) * 0.5).astype(np.uint8)


def _loss_bar(canvas: "_Canvas", scale: LossScale, at: tuple[int, int]) -> None:
    """The scale as a vertical strip, low at the bottom, with round losses beside it."""
    x, y = at
    strip = _loss_colours(np.linspace(1.0, 0.0, LANDSCAPE * SCALE))[:, None, :].repeat(16 * SCALE, axis=1)
    canvas.paste(Image.fromarray(np.ascontiguousarray(strip), "RGB"), (x, y))
    canvas.frame((x, y, x + 16, y + LANDSCAPE), MUTED, 1)
    for v in _log_ticks(scale.lo, scale.hi):
        ty = y + (scale.hi - v) / (scale.hi - scale.lo) * LANDSCAPE
        canvas.line([(x + 16, ty), (x + 21, ty)], MUTED, 1)
        canvas.text((x + 24, ty - 8), f"{10 ** v:g}", 12, MUTED)


# --- a boundary ------------------------------------------------------------------------------
def _boundary(run: RunResult, data: Dataset, size: int) -> Image.Image:
    """The network's answer over the input plane with the test points on it (2-D data), or
    the curve it fits through them (1-D); a blank tile for other data."""
    big = size * SCALE
    if run.probes is None:
        return Image.new("RGB", (big, big), NEUTRAL)
    if run.probes.boundary is None:
        return _fitted_curve(run, data, big)
    colours = _background(run.probes.boundary, data)
    image = Image.fromarray(np.ascontiguousarray(colours[::-1]), "RGB").resize((big, big), Image.BILINEAR)
    draw = ImageDraw.Draw(image)
    x_min, x_max, y_min, y_max = run.probes.extent
    for (x, y), colour in _points(data):
        px, py = (x - x_min) / (x_max - x_min) * big, (y_max - y) / (y_max - y_min) * big
        draw.ellipse((px - 5, py - 5, px + 5, py + 5), fill=colour, outline=WHITE, width=2)
    return image


def _background(boundary: np.ndarray, data: Dataset) -> np.ndarray:
    """(ny, nx, 3) uint8: the data colours of the answer, faded half way to white."""
    if data.task == "classification":
        if boundary.ndim == 2:  # P(class 1)
            colours = _diverging(2 * boundary - 1)
        else:
            k = boundary.shape[2]
            picked = np.array(CLASS_COLORS, dtype=np.float64)[np.argmax(boundary, axis=2) % len(CLASS_COLORS)]
            sure = ((boundary.max(axis=2) - 1 / k) / (1 - 1 / k))[..., None]
            colours = np.array(NEUTRAL) + (picked - NEUTRAL) * sure
    else:
        values = boundary if boundary.ndim == 2 else boundary[..., 0]
        colours = _diverging(values / _target_scale(data))
    return np.rint(colours + (255 - colours) * 0.5).astype(np.uint8)


def _diverging(t: np.ndarray) -> np.ndarray:
    t = np.clip(np.nan_to_num(t), -1, 1)[..., None]
    end = np.where(t >= 0, np.array(POSITIVE, dtype=np.float64), np.array(NEGATIVE, dtype=np.float64))
    return np.array(NEUTRAL) + (end - NEUTRAL) * np.abs(t)


def _target_scale(data: Dataset) -> float:
    scale = float(np.abs(data.y_train[:, 0]).max()) if len(data.y_train) else 1.0
    return scale if scale > 0 else 1.0


def _points(data: Dataset):
    """(x, y) and colour of up to POINTS_SHOWN test points."""
    x, y = data.x_test, data.y_test
    keep = np.linspace(0, len(x) - 1, min(len(x), POINTS_SHOWN)).astype(int) if len(x) else []
    for i in keep:
        if data.task == "classification":
            colour = CLASS_COLORS[int(y[i]) % len(CLASS_COLORS)]
        else:
            colour = tuple(int(c) for c in _diverging(np.array(y[i][0] / _target_scale(data))))
        yield (float(x[i, 0]), float(x[i, 1])), colour


def _fitted_curve(run: RunResult, data: Dataset, big: int) -> Image.Image:
    image = Image.new("RGB", (big, big), WHITE)
    draw = ImageDraw.Draw(image)
    targets = data.y_test[:, 0] if data.task == "regression" else data.y_test.astype(np.float64)
    lo, hi = (float(targets.min()), float(targets.max())) if len(targets) else (-1.0, 1.0)
    lo, hi = (lo - 1, hi + 1) if hi <= lo else (lo - 0.25 * (hi - lo), hi + 0.25 * (hi - lo))
    xs, ys = run.probes.curve_x, np.clip(run.probes.curve_y[:, 0], lo, hi)  # a wild fit runs along the edge
    x_min, x_max = run.probes.extent[:2]

    def at(x, y):
        return (x - x_min) / (x_max - x_min) * big, (hi - y) / (hi - lo) * big

    for x, t in zip(data.x_test[:POINTS_SHOWN, 0], targets[:POINTS_SHOWN]):
        px, py = at(float(x), float(t))
        draw.ellipse((px - 4, py - 4, px + 4, py + 4), fill=_faint(POSITIVE))
    good = np.isfinite(ys)
    draw.line([at(float(x), float(y)) for x, y in zip(xs[good], ys[good])], fill=NEGATIVE, width=2 * SCALE)
    draw.rectangle((0, 0, big - 1, big - 1), outline=GRID, width=SCALE)
    return image


# --- drawing ---------------------------------------------------------------------------------
class _Canvas:
    """A white picture drawn at SCALE× and given as PNG bytes at its own size."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.image = Image.new("RGB", (width * SCALE, height * SCALE), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    def text(self, at, text: str, size: int, colour=INK) -> None:
        plain = text.translate(_PLAIN)
        self.draw.text((at[0] * SCALE, at[1] * SCALE), plain, fill=colour, font=_font(size * SCALE))

    def wrapped(self, at, text: str, width: int, size: int, colour=INK, lines: int = 2) -> int:
        """`text` in up to `lines` lines of about `width` pixels (the last cut with …); returns the lines used."""
        wrapped = textwrap.wrap(text, max(8, int(width / (0.52 * size))))
        if len(wrapped) > lines:
            wrapped = wrapped[:lines]
            wrapped[-1] = _fit(wrapped[-1] + " …", width, size)
        for i, line in enumerate(wrapped):
            self.text((at[0], at[1] + i * (size + 5)), line, size, colour)
        return len(wrapped)

    def line(self, points, colour, width: int) -> None:
        if len(points) > 1:
            self.draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=colour, width=width * SCALE,
                           joint="curve")

    def ring(self, at, radius: float, colour, fill, width: int) -> None:
        x, y, r = at[0] * SCALE, at[1] * SCALE, radius * SCALE
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=fill, outline=colour, width=width * SCALE)

    def box(self, rect, colour) -> None:
        self.draw.rectangle([v * SCALE for v in rect], fill=colour)

    def frame(self, rect, colour, width: int) -> None:
        self.draw.rectangle([v * SCALE for v in rect], outline=colour, width=width * SCALE)

    def paste(self, image: Image.Image, at) -> None:
        self.image.paste(image, (at[0] * SCALE, at[1] * SCALE))

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.resize((self.width, self.height), Image.LANCZOS).save(out, format="PNG")
        return out.getvalue()


_FONTS: dict[int, ImageFont.ImageFont] = {}
# the font Pillow carries has no glyph for these
_PLAIN = str.maketrans({"×": "x", "—": "-", "→": "->", "↑": "^"})


def _font(size: int):
    if size not in _FONTS:
        _FONTS[size] = ImageFont.load_default(size=size)
    return _FONTS[size]
