"""Plot ranges that grow in steps while training plays: a range that changed on every snapshot
made pyqtgraph's axes work out their ticks again 30 times a second. The ranges change a few
times per run, always show all the data, re-fit at once after a reset, and are not squashed by
a diverging run's huge values."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.core.history import History
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.snapshot import Metrics
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.training.views.boundary_view import BoundaryView
from laegna_gui.ui.training.views.curves_view import CurvesView
from laegna_gui.ui.training.views.gradients_view import GradientsView
from laegna_gui.ui.training.views.growing_plot import plot_range
from laegna_gui.ui.training.views.stepped_range import StepAxis, ValueAxis, nice_ceil

SNAPSHOTS, EVERY = 300, 25  # ten seconds of playing, a snapshot every 25 steps
MAX_CHANGES = 20  # a few per tenfold of steps: the exact fit changed the range 300 times


def metrics(step: int) -> Metrics:
    """A run that learns: the training loss falls, the test loss falls and then rises a little."""
    fall = math.exp(-step / 1500)
    return Metrics(0.7 * fall + 0.01 + 0.005 * math.sin(step), 0.7 * fall + 0.05 + step / 1e5,
                   min(1.0, 0.5 + step / 5000), min(0.95, 0.5 + step / 8000))


def grow(history: History, snapshots: int = SNAPSHOTS):
    """Append a row per snapshot; yields after each one, so a view can be fed each version."""
    for i in range(snapshots):
        step = i * EVERY
        history.append(step, metrics(step), {"grad:dense1": 3.0 * math.exp(-step / 900) + 1e-4,
                                             "grad:dense2": 0.5 + step / 4000})
        yield history


class Changes:
    """Counts the range changes of a plot's ViewBox."""

    def __init__(self, plot) -> None:
        self.count = 0
        self.vb = plot.getPlotItem().vb
        self.vb.sigRangeChanged.connect(self._changed)

    def _changed(self, *_args) -> None:
        self.count += 1


def assert_inside(plot, steps: np.ndarray, *columns: np.ndarray, log: bool = False) -> None:
    (x0, x1), (y0, y1) = plot.getPlotItem().vb.viewRange()
    values = np.concatenate(columns)
    values = np.log10(values) if log else values
    assert x0 <= steps.min() and steps.max() <= x1
    assert y0 <= values.min() and values.max() <= y1


# --- the loss and accuracy plots ------------------------------------------------------------
@pytest.mark.parametrize("log", [False, True])
def test_a_growing_run_changes_the_ranges_a_few_times_and_always_shows_all_of_it(shown, log):
    view = shown(CurvesView())
    view.log_scale.setChecked(log)
    loss, accuracy = Changes(view.loss_plot), Changes(view.accuracy_plot)
    for history in grow(History()):
        view.show_history(history)
        steps = history.column("step")
        assert_inside(view.loss_plot, steps, history.column("train_loss"), history.column("test_loss"), log=log)
        assert_inside(view.accuracy_plot, steps, history.column("train_accuracy"), history.column("test_accuracy"))
    assert 3 <= loss.count <= MAX_CHANGES and 3 <= accuracy.count <= MAX_CHANGES
    # the step axis ends on a round number of steps: the next 1, 2 or 5 × 10^k beyond the data
    last = (SNAPSHOTS - 1) * EVERY
    x0, x1 = loss.vb.viewRange()[0]
    assert last < x1 and x1 - x0 < 1.2 * 10_000


def test_a_reset_fits_the_range_to_the_new_short_history_at_once(shown):
    view = shown(CurvesView())
    history = History()
    for history in grow(history):
        view.show_history(history)
    (_, long_x), (long_low, long_high) = view.loss_plot.getPlotItem().vb.viewRange()
    history.append(0, Metrics(2.0, 2.1, 0.5, 0.5))  # Reset: the history starts again at step 0
    view.show_history(history)
    (x0, x1), (y0, y1) = view.loss_plot.getPlotItem().vb.viewRange()
    assert -0.2 < x0 <= 0 and 1 <= x1 < 1.2 < long_x  # one step wide, as every new run shows
    assert y0 <= 2.0 and 2.1 <= y1 and y1 - y0 < (long_high - long_low) / 2
    view.show_history(History())  # a new network: no rows at all, then its first row
    first = History()
    first.append(0, Metrics(0.3, 0.31, 0.5, 0.5))
    view.show_history(first)
    y0, y1 = view.loss_plot.getPlotItem().vb.viewRange()[1]
    assert y0 <= 0.3 and 0.31 <= y1 and y1 - y0 < 0.2


def test_a_history_that_shrank_to_a_small_part_of_the_range_is_fitted_again(shown):
    view = shown(CurvesView())
    history = History()
    for history in grow(history, 40):
        view.show_history(history)
    low, high = view.loss_plot.getPlotItem().vb.viewRange()[1]
    late = History()  # the same steps, but only values close together (say, a resumed run)
    for step in range(0, 40 * EVERY, EVERY):
        late.append(step, Metrics(0.1 + step / 1e5, 0.11, 0.9, 0.9))
    view.show_history(late)
    y0, y1 = view.loss_plot.getPlotItem().vb.viewRange()[1]
    assert y0 <= 0.1 and 0.11 <= y1 and (y1 - y0) < (high - low) / 3


def test_zooming_holds_while_data_arrives_and_auto_range_returns_to_the_stepped_range(shown, qtbot):
    view = shown(CurvesView())
    history = History()
    updates = grow(history)
    for _ in range(50):
        view.show_history(next(updates))
    vb = view.loss_plot.getPlotItem().vb
    vb.setRange(xRange=(100.0, 200.0), yRange=(0.2, 0.3), padding=0)  # what a zoom with the mouse does
    for history in updates:
        view.show_history(history)
    assert vb.viewRange()[0] == pytest.approx([100.0, 200.0])
    assert vb.viewRange()[1] == pytest.approx([0.2, 0.3])
    vb.enableAutoRange()  # pyqtgraph's "A" button: the range follows at the next paint
    qtbot.waitUntil(lambda: vb.viewRange()[0][1] > 7000)
    assert_inside(view.loss_plot, history.column("step"), history.column("train_loss"), history.column("test_loss"))
    assert vb.viewRange()[0][1] < 1.2 * 10_000


@pytest.mark.parametrize("log", [False, True])
def test_a_diverging_run_does_not_squash_the_loss_plot(shown, log):
    view = shown(CurvesView())
    view.log_scale.setChecked(log)
    history = History()
    for history in grow(history, 100):
        pass
    for k, loss in enumerate((1e12, 1e30, math.inf, math.nan, math.nan)):  # the learning rate was far too high
        history.append(100 * EVERY + k, Metrics(loss, loss, 0.5, 0.5))
    view.show_history(history)
    y0, y1 = view.loss_plot.getPlotItem().vb.viewRange()[1]
    healthy = history.column("test_loss")[:100]
    if log:
        assert y0 <= np.log10(healthy.min()) and np.log10(healthy.max()) <= y1 < 6
    else:
        assert y0 <= healthy.min() and healthy.max() <= y1 < 10


# --- the gradient plot ----------------------------------------------------------------------
def test_the_gradient_plot_changes_its_range_a_few_times_and_shows_all_of_it(shown):
    view = shown(GradientsView())
    changes = Changes(view.grad_plot)
    for history in grow(History()):
        view.show_history(history)
        grads = [history.column(name) for name in history.series_names("grad:")]
        assert_inside(view.grad_plot, history.column("step"), *grads, log=True)
    assert 3 <= changes.count <= MAX_CHANGES


# --- the fitted curve of 1-D regression -------------------------------------------------------
@pytest.fixture(scope="module")
def sine():
    trainer = Trainer(load_preset("sine"))
    trainer.run(50)
    return trainer


def test_a_moving_fitted_curve_changes_the_range_a_few_times_and_a_diverging_one_not_at_all(shown, sine):
    view = shown(BoundaryView())
    view.set_data(sine.data)
    snapshot = sine.snapshot()
    changes = Changes(view.plot)
    wave = np.sin(np.linspace(0, 2 * np.pi, len(snapshot.probes.curve_x)))[:, None]
    for k in range(SNAPSHOTS):  # the curve swings up and down, further and further at first
        curve_y = wave * 3 * (1 - math.exp(-k / 30)) * math.cos(k / 5)
        view.show_snapshot(replace(snapshot, probes=replace(snapshot.probes, curve_y=curve_y)))
        (x0, x1), (y0, y1) = view.plot.getPlotItem().vb.viewRange()
        assert y0 <= curve_y.min() and curve_y.max() <= y1
        assert x0 <= snapshot.probes.curve_x.min() and snapshot.probes.curve_x.max() <= x1
    assert changes.count <= MAX_CHANGES
    before, count = view.plot.getPlotItem().vb.viewRange(), changes.count
    exploded = wave * 1e30
    exploded[::7] = np.nan
    view.show_snapshot(replace(snapshot, probes=replace(snapshot.probes, curve_y=exploded)))
    assert changes.count == count and view.plot.getPlotItem().vb.viewRange() == before


# --- the steps themselves, without a display --------------------------------------------------
def test_round_numbers_are_one_two_or_five_times_a_power_of_ten():
    assert [nice_ceil(v) for v in (1, 2, 3, 25, 50, 51, 1000, 0.3, 7e-5)] == \
        pytest.approx([1, 2, 5, 50, 50, 100, 1000, 0.5, 1e-4])


def test_steps_run_to_the_next_round_number_and_one_point_shows_one_step():
    axis = StepAxis()
    assert axis.bounds((0.0, 0.0)) == (0.0, 1.0)
    assert axis.bounds((0.0, 30.0)) == (0.0, 50.0)
    assert axis.bounds((100.0, 1300.0)) == (100.0, 2100.0)
    assert axis.bounds(None) is None


def test_a_falling_value_moves_the_range_a_few_times_per_tenfold():
    axis = ValueAxis()
    shown, changes = None, 0
    for k in range(10_000):  # a loss falling from 0.7 towards 0.0007, one value per snapshot
        data = (0.7 * math.exp(-k / 1500), 0.7)
        now = axis.bounds(data)
        assert now[0] <= data[0] and data[1] <= now[1]
        assert now[0] >= 0  # a loss is never negative: no room below 0
        changes += now != shown
        shown = now
    assert changes <= MAX_CHANGES


def test_values_at_the_float_limit_get_their_own_range_and_no_error():
    axis = ValueAxis()
    assert axis.bounds((-1e308, 1e308)) == (-1e308, 1e308)
    assert axis.bounds((0.0, 1.0)) == pytest.approx((0.0, 1.1))  # a tiny part of that range: fitted again
    assert axis.bounds((-1e308, 1e308)) == (-1e308, 1e308)  # grown past the float limit


def test_a_log_range_is_whole_decades():
    axis = ValueAxis()
    assert axis.bounds((-2.3, -0.2), log=True) == (-3.0, 0.0)
    assert axis.bounds((-2.3, 0.0), log=True) == (-3.0, 1.0)
    assert axis.bounds((0.1, 0.4)) != (-3.0, 1.0)  # back to linear: fitted again


def test_plot_ranges_skip_missing_values_and_absurd_outliers_but_keep_big_real_ones():
    loss = np.concatenate([np.linspace(2.0, 0.05, 200), [np.nan, np.inf, -np.inf]])
    assert plot_range(loss) == pytest.approx((0.05, 2.0))
    assert plot_range(np.append(loss, 1e30)) == pytest.approx((0.05, 2.0))  # a diverging step
    assert plot_range(np.append(loss, 50.0)) == pytest.approx((0.05, 50.0))  # a big first loss is real
    dead = np.zeros(300)
    dead[[10, 20]] = 0.1
    assert plot_range(dead) == pytest.approx((0.0, 0.1))  # a rare dead unit is real too
    norms = np.geomspace(1e-3, 1.0, 200)
    assert plot_range(norms, np.array([1e40, 0.0, -1.0]), log=True) == pytest.approx((-3.0, 0.0))
    assert plot_range(norms, np.array([1e-9]), log=True) == pytest.approx((-9.0, 0.0))  # vanishing: real
    curve = np.full(200, 1e30)  # a diverging fit has more values than the data it fits
    assert plot_range(loss, curve, bulk=(loss,)) == pytest.approx((0.05, 2.0))
    assert plot_range(np.array([np.nan])) is None
