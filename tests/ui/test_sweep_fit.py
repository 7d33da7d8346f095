"""The Sweep window on a 1280×800 screen (issue 18): grids up to 5×5 fit with nothing to
scroll and no label cut off, in both themes, the cells sized from the screen (larger on a
larger screen); and the framed cell is the one the verdict names, whose label shows the
lowest test loss it reached — the number the frame and the verdict go by — besides the
test loss at the end."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QMainWindow

from laegna_gui.core.presets import load_preset
from laegna_gui.core.variations import parse_axis
from laegna_gui.engine.compare import Sweep, sweep
from laegna_gui.ui.compare import result_window
from laegna_gui.ui.compare.sweep_window import SweepWindow
from laegna_gui.ui.look.theme import apply_theme

LAPTOP = QRect(0, 0, 1280, 770)  # a 1280×800 screen's free area under a panel
LARGE = QRect(0, 0, 1920, 1050)
STEPS = 40
LEARNING_RATES = "learning_rate=0.003,0.01,0.03,0.1,0.3"
BATCH_SIZES = "batch_size=1,2,4,8,16"  # each size adds a line of notes under the grid: the tallest
LOWEST = re.compile(r"lowest (\S+) at step (\d+)")


@pytest.fixture(autouse=True)
def _light_afterwards():
    yield
    apply_theme("light")  # the theme belongs to the whole application


def _sweep(side: int) -> Sweep:
    project = load_preset("xor")
    rows = parse_axis(LEARNING_RATES, project, "--vary")[:side]
    columns = parse_axis(BATCH_SIZES, project, "--vary")[:side]
    return sweep(project, rows, columns, STEPS, probes=True)


def _open(qtbot, monkeypatch, result: Sweep, screen: QRect = LAPTOP, theme: str = "light") -> SweepWindow:
    monkeypatch.setattr(result_window, "free_area", lambda _widget: screen)
    apply_theme(theme)
    main = QMainWindow()
    qtbot.addWidget(main)
    shown = SweepWindow(main, load_preset("xor"), result, "Sweep: learning_rate × batch_size")
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _scrolls(shown: SweepWindow) -> list[str]:
    return [f"{area.objectName()} {name}" for area in shown.findChildren(QAbstractScrollArea)
            if area.objectName() == "sweepWindowScroll"
            for name, bar in (("vertical", area.verticalScrollBar()), ("horizontal", area.horizontalScrollBar()))
            if bar.maximum() > 0]


def _cut(label: QLabel) -> bool:
    """Cut off or clipped: its text needs more room than it has, or part of it is out of view."""
    if label.wordWrap():
        short = label.heightForWidth(label.width()) > label.height()
    else:
        need = label.minimumSizeHint()
        short = need.width() > label.width() or need.height() > label.height()
    return short or label.visibleRegion() != QRegion(label.rect())


def _assert_fits(shown: SweepWindow, screen: QRect) -> None:
    assert not _scrolls(shown)
    assert shown.width() <= screen.width() and shown.height() <= screen.height()
    cut = [label.text() for label in shown.findChildren(QLabel) if label.isVisible() and label.text() and _cut(label)]
    assert not cut, cut


def _cell(shown: SweepWindow) -> int:
    sizes = {picture.pages.width() for picture in shown.pictures.values()}
    assert len(sizes) == 1 and all(p.pages.height() == p.pages.width() for p in shown.pictures.values())
    return sizes.pop()


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("side", [3, 4, 5])
def test_a_grid_up_to_five_by_five_fits_a_1280_by_800_screen(qtbot, monkeypatch, side, theme):
    shown = _open(qtbot, monkeypatch, _sweep(side), theme=theme)
    assert len(shown.pictures) == side * side
    qtbot.waitUntil(lambda: _assert_fits(shown, LAPTOP))
    assert all(picture.isVisible() for picture in shown.pictures.values())
    assert _cell(shown) >= {3: 120, 4: 80, 5: 56}[side]  # the room goes to the pictures


def test_the_cells_are_sized_from_the_screen_and_the_grid(qtbot, monkeypatch):
    result = _sweep(5)
    laptop = _cell(_open(qtbot, monkeypatch, result))
    large = _open(qtbot, monkeypatch, result, LARGE)
    qtbot.waitUntil(lambda: _assert_fits(large, LARGE))
    assert _cell(large) > laptop + 40
    assert _cell(_open(qtbot, monkeypatch, _sweep(3))) > laptop + 40


def _lowest(text: str) -> tuple[float, int]:
    value, step = LOWEST.search(text).groups()
    return float(value), int(step)


def _dipped(result: Sweep, index: int) -> Sweep:
    """`result` with run `index` reaching, half way, a test loss below any other run's —
    though it ends no better than it did (so the lowest reached and the lowest at the end
    name different runs)."""
    runs = list(result.race.runs)
    curve = runs[index].curve.copy()
    middle = len(curve) // 2
    curve[middle, 2] = min(run.metrics.test_loss for run in runs) / 3
    runs[index] = replace(runs[index], curve=curve)
    return replace(result, race=replace(result.race, runs=tuple(runs)))


def test_the_framed_cell_is_the_one_whose_label_and_the_verdict_say_is_best(qtbot, monkeypatch):
    plain = _sweep(3)
    final_best = min(range(9), key=lambda i: plain.race.runs[i].metrics.test_loss)
    dipper = (final_best + 4) % 9
    result = _dipped(plain, dipper)
    shown = _open(qtbot, monkeypatch, result)
    marked = [key for key, picture in shown.pictures.items() if picture.property("best")]
    assert marked == [divmod(dipper, 3)]
    picture = shown.pictures[marked[0]]
    run = result.race.runs[dipper]
    value, step = _lowest(picture.caption.text())
    assert (f"{value:.3g}", step) == (f"{run.best[1]:.3g}", run.best[0])
    assert value == min(_lowest(p.caption.text())[0] for p in shown.pictures.values())
    verdict = result.race.verdict
    assert verdict.startswith(f"{run.label} reached the lowest test loss ({value:.3g} at step {step})"), verdict
    # the test loss at the end, what the picture shows, is there too, and is not the lowest at the end
    assert picture.caption.text().startswith(f"test loss {run.metrics.test_loss:.3g}")
    assert run.metrics.test_loss > result.race.runs[final_best].metrics.test_loss
    assert picture.caption.property("role") is None  # its label in the text colour, the others muted
    assert all(p.caption.property("role") == "muted" for key, p in shown.pictures.items() if key != marked[0])


def test_a_diverged_run_says_so_on_a_line_of_its_own(qtbot, monkeypatch):
    result = _sweep(3)
    runs = list(result.race.runs)
    runs[0] = replace(runs[0], diverged=17)
    shown = _open(qtbot, monkeypatch, replace(result, race=replace(result.race, runs=tuple(runs))))
    assert shown.pictures[(0, 0)].caption.text().splitlines()[2] == "diverged at step 17"
    qtbot.waitUntil(lambda: _assert_fits(shown, LAPTOP))
    assert np.isfinite(_lowest(shown.pictures[(0, 0)].caption.text())[0])
