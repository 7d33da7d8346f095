"""What keeps the window responsive while training plays: plots that follow their data
without a second paint, labels that do not lay the window out again, the canvas's cached
cards and batched lines, a drawing that is split over turns of the event loop, and a
worker that steps aside while a snapshot is drawn."""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
import pytest
from canvas_helpers import to_view
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QVBoxLayout, QWidget

from laegna_gui.core.history import History
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.canvas import GraphView
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.training import worker as worker_module
from laegna_gui.ui.training.views.curves_view import CurvesView
from laegna_gui.ui.training.views.gradients_view import GradientsView
from laegna_gui.ui.training.views.growing_plot import QuietAxis, finite_range, follow_plot
from laegna_gui.ui.training.views.live_text import LiveText
from laegna_gui.ui.training.worker import TrainingWorker

WAIT = 30_000  # only ever waited for in full when a test fails


class Counter(QObject):
    """Counts the events of one type that reach the watched objects."""

    def __init__(self, kind: QEvent.Type, *watched: QObject) -> None:
        super().__init__()
        self.kind, self.count = kind, 0
        for obj in watched:
            obj.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 — Qt override
        if event.type() == self.kind:
            self.count += 1
        return False


def settle(qtbot) -> None:
    """Let posted events, layouts and paints happen (a turn of the event loop or more)."""
    qtbot.wait(30)


def quiet(qtbot, kind: QEvent.Type, *watched: QObject) -> None:
    """Wait until no more events of `kind` come to `watched`. Handling one can bring the next
    a turn later (a layout that changes a size asks its window again; an update is painted at
    the window's next frame), and on a busy machine a fixed wait can end in between. Quiet:
    twice in a row, a turn of the event loop and then every posted event handled, and none
    of it reached them."""
    seen = Counter(kind, *watched)
    last, calm = [-1], [0]

    def settled() -> bool:
        QCoreApplication.sendPostedEvents()
        calm[0] = calm[0] + 1 if seen.count == last[0] else 0
        last[0] = seen.count
        return calm[0] >= 2

    qtbot.waitUntil(settled, timeout=WAIT)
    for obj in watched:
        obj.removeEventFilter(seen)


@pytest.fixture(scope="module")
def xor_run():
    """A trained xor network's snapshots, one history row each."""
    trainer = Trainer(load_preset("xor"))
    history, snapshots = History(), []
    for _ in range(12):
        trainer.run(25)
        snap = trainer.snapshot()
        snapshots.append(snap)
        history.append(snap.step, snap.metrics, {f"grad:{k}": v for k, v in snap.probes.layer_gradient_norms.items()})
    return history, snapshots


def growing(history: History, rows: int) -> History:
    """The first `rows` rows of `history`, as a history of their own."""
    part = History()
    for row in history.rows()[:rows]:
        metrics = type("M", (), {"train_loss": row["train_loss"], "test_loss": row["test_loss"],
                                 "train_accuracy": row["train_accuracy"], "test_accuracy": row["test_accuracy"]})
        part.append(int(row["step"]), metrics)
    return part


def shown(qtbot, widget, width: int = 440, height: int = 300):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# --- plots that follow their data --------------------------------------------------------
@pytest.mark.parametrize("log", [False, True])
def test_a_follow_plot_takes_the_range_pyqtgraph_itself_would(qtbot, log):
    x = np.arange(0.0, 400.0, 4.0)
    y = 0.7 * np.exp(-x / 120) + 0.02
    y[5] = np.nan  # a missing value is skipped by both
    ranges = []
    for plot in (pg.PlotWidget(), follow_plot()):
        shown(qtbot, plot)
        plot.setLogMode(y=log)
        plot.plot(x, y, pen=pg.mkPen("b", width=2), antialias=True)
        if hasattr(plot.getPlotItem().vb, "set_data_bounds"):
            plot.getPlotItem().vb.set_data_bounds(finite_range(x), finite_range(y, log=log))
        ranges.append(settled_view(qtbot, plot))
    # pyqtgraph pads by the view's size in pixels: the two views must be the same size
    assert ranges[0][0] == ranges[1][0]
    np.testing.assert_allclose(ranges[1][1], ranges[0][1], rtol=1e-9, atol=1e-12)


def settled_view(qtbot, plot) -> tuple:
    """(view box size, view range) once layout and auto-range have stopped changing."""
    vb = plot.getPlotItem().vb
    seen: list = []

    def stable() -> bool:
        seen.append(((vb.width(), vb.height()), np.array(vb.viewRange())))
        return len(seen) > 2 and seen[-1][0] == seen[-2][0] and np.array_equal(seen[-1][1], seen[-2][1])

    qtbot.waitUntil(stable, timeout=WAIT)
    return seen[-1]


def test_zooming_stops_following_and_auto_range_brings_it_back(qtbot):
    plot = shown(qtbot, follow_plot())
    vb = plot.getPlotItem().vb
    plot.plot([0, 10], [0, 1])
    vb.set_data_bounds((0.0, 10.0), (0.0, 1.0))
    assert vb.viewRange()[0][1] > 10.0
    vb.setRange(xRange=(2.0, 3.0), padding=0)  # what a zoom with the mouse does
    vb.set_data_bounds((0.0, 50.0), (0.0, 1.0))
    assert vb.viewRange()[0] == pytest.approx([2.0, 3.0])
    vb.enableAutoRange()  # pyqtgraph's "A" button: the range follows at the next paint
    qtbot.waitUntil(lambda: 50.0 <= vb.viewRange()[0][1] < 60.0, timeout=WAIT)


def test_a_growing_loss_curve_paints_each_plot_once_per_update(qtbot, xor_run):
    history, _ = xor_run
    view = shown(qtbot, CurvesView())
    view.show_history(growing(history, 3))
    viewports = [plot.viewport() for plot in (view.loss_plot, view.accuracy_plot)]
    quiet(qtbot, QEvent.Type.Paint, *viewports)  # the first picture is painted, whenever that is
    paints = [Counter(QEvent.Type.Paint, viewport) for viewport in viewports]
    updates = 0
    for rows in range(4, len(history.rows()) + 1):
        part = growing(history, rows)
        for step in view.history_parts(part):
            step()
            settle(qtbot)
        updates += 1
        quiet(qtbot, QEvent.Type.Paint, *viewports)  # painted, and nothing more to paint
        assert [counter.count for counter in paints] == [updates, updates]


def test_a_history_of_one_point_shows_the_first_step_not_a_milli_scale(qtbot, xor_run):
    history, _ = xor_run
    curves, gradients = shown(qtbot, CurvesView()), shown(qtbot, GradientsView())
    curves.show_history(growing(history, 1))  # one point: what every new window shows before training
    first = History()
    row = history.rows()[0]
    first.append(int(row["step"]), type("M", (), {k: row[k] for k in (
        "train_loss", "test_loss", "train_accuracy", "test_accuracy")}),
        {name: row[name] for name in row if name.startswith("grad:")})
    gradients.show_history(first)
    for plot in (curves.loss_plot, curves.accuracy_plot, gradients.grad_plot):
        low, high = plot.getPlotItem().vb.viewRange()[0]
        step = row["step"]  # one step wide from it, with a little padding
        assert low <= step < step + 1 <= high and low > step - 0.2 and high < step + 1.2
        assert "x0.001" not in plot.getPlotItem().getAxis("bottom").labelString()


def test_the_loss_and_accuracy_plots_are_updated_in_two_parts_and_end_aligned(qtbot, xor_run):
    history, _ = xor_run
    view = shown(qtbot, CurvesView())
    view.show_history(growing(history, 5))
    first, second = view.history_parts(history)
    first()
    steps = history.column("step")
    assert len(view.curves["train_loss"].getOriginalDataset()[0]) == len(steps)
    assert len(view.curves["train_accuracy"].getOriginalDataset()[0]) == 5  # not yet
    second()
    assert len(view.curves["train_accuracy"].getOriginalDataset()[0]) == len(steps)
    loss_x = view.loss_plot.getPlotItem().vb.viewRange()[0]
    assert view.accuracy_plot.getPlotItem().vb.viewRange()[0] == pytest.approx(loss_x)
    assert view.history_parts(history) == []  # drawn: nothing left to do


def test_a_dropped_second_part_is_drawn_next_time(qtbot, xor_run):
    history, _ = xor_run
    view = shown(qtbot, CurvesView())
    first, _second = view.history_parts(history)
    first()  # a newer snapshot replaced the rest of this drawing
    assert len(view.history_parts(history)) == 2
    view.show_history(history)
    assert len(view.curves["test_accuracy"].getOriginalDataset()[0]) == len(history.column("step"))


def test_gradient_curves_are_drawn_in_two_parts_as_well(qtbot, xor_run):
    history, _ = xor_run
    view = shown(qtbot, GradientsView())
    parts = view.history_parts(history)
    assert len(parts) == 2
    for part in parts:
        part()
    for name, curve in view.gradients.curves.items():
        np.testing.assert_array_equal(curve.getOriginalDataset()[1], history.column(name))
    assert view.history_parts(history) == []


def test_an_axis_keeps_its_label_while_its_range_moves_and_centres_a_new_one(qtbot):
    plot = shown(qtbot, pg.PlotWidget(axisItems={"bottom": QuietAxis(orientation="bottom")}))
    axis = plot.getAxis("bottom")
    axis.setLabel("step")
    settle(qtbot)
    typeset = []
    original = axis.label.setHtml
    axis.label.setHtml = lambda html: (typeset.append(html), original(html))
    for k in range(1, 6):
        axis.setRange(0.0, 100.0 * k)
        assert axis.picture is None  # the ticks are drawn again
    assert typeset == []
    axis.setLabel("iteration")
    assert typeset and "iteration" in typeset[-1]
    label = axis.label.boundingRect().width()
    assert axis.label.pos().x() == int(axis.size().width() / 2 - label / 2)


# --- text that changes without laying the window out ----------------------------------------
def test_a_live_text_repaints_without_asking_for_a_layout(qtbot):
    box = QWidget()
    layout = QVBoxLayout(box)
    text = LiveText("readout", "the latest values")
    layout.addWidget(text)
    layout.addStretch(1)
    shown(qtbot, box, 300, 120)
    text.setText("step 1 · train 0.5")
    quiet(qtbot, QEvent.Type.LayoutRequest, box)  # laid out for showing, whenever that is
    requests = Counter(QEvent.Type.LayoutRequest, box)
    for k in range(2, 12):
        text.setText(f"step {k} · train {0.5 / k:.3g}")
        settle(qtbot)
    quiet(qtbot, QEvent.Type.LayoutRequest, box)  # a request the last text made is counted too
    assert requests.count == 0 and text.text() == "step 11 · train 0.0455"
    one_line = text.height()
    text.setText("a much longer text that cannot fit on one line of three hundred pixels, so it wraps")
    quiet(qtbot, QEvent.Type.LayoutRequest, box)
    assert requests.count >= 1 and text.height() > one_line
    assert text.toolTip() == "the latest values" and text.objectName() == "readout"


def test_drawing_snapshots_does_not_lay_out_the_main_window(window, qtbot, xor_run):
    _, snapshots = xor_run
    panel = window.training
    qtbot.waitUntil(lambda: panel.controller.latest is not None, timeout=WAIT)

    def draw(snap) -> None:
        panel.controller._snapshot_arrived(snap)
        qtbot.waitUntil(lambda: not panel.controller.views.busy, timeout=WAIT)
        settle(qtbot)

    draw(snapshots[0])  # the first curves may show the accuracy plot: one layout, once
    quiet(qtbot, QEvent.Type.LayoutRequest, window)  # that layout may ask for another a turn later
    requests = Counter(QEvent.Type.LayoutRequest, window)
    for snap in snapshots[1:]:
        draw(snap)
    quiet(qtbot, QEvent.Type.LayoutRequest, window)  # one the last snapshot asked for is counted too
    assert requests.count == 0


# --- the canvas ----------------------------------------------------------------------------
@pytest.fixture
def canvas(qtbot, xor_run):
    owner = QObject()
    document = Document(parent=owner)
    document.load(load_preset("xor"))
    view = GraphView(document)
    document.setParent(view)
    shown(qtbot, view, 1000, 500)
    view.fit()
    view.show_snapshot(xor_run[1][-1])
    settle(qtbot)
    return view


def screen_colour(view: GraphView, scene_point: QPointF):
    return view.viewport().grab().toImage().pixelColor(to_view(view, scene_point))


def test_each_weight_line_is_on_screen_in_its_own_pen(canvas):
    group = canvas.graph_scene.live.wires[("input1", "dense1")]
    widest = max(group.lines, key=lambda line: line.pen().widthF())
    assert all(line.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents for line in group.lines)
    point = widest.path().pointAtPercent(0.5)
    on_screen, pen = screen_colour(canvas, widest.mapToScene(point)), widest.pen().color()
    assert max(abs(on_screen.red() - pen.red()), abs(on_screen.green() - pen.green()),
               abs(on_screen.blue() - pen.blue())) <= 40


def test_hovering_a_line_paints_it_with_its_halo_and_leaving_hands_it_back(canvas):
    group = canvas.graph_scene.live.wires[("input1", "dense1")]
    line = group.lines[0]
    line.hoverEnterEvent(None)
    assert line.hovered and not line.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    line.hoverLeaveEvent(None)
    assert not line.hovered and line.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def test_each_neuron_heatmap_is_on_screen(canvas):
    maps = canvas.graph_scene.live.neurons["dense1"]
    for item in maps.items:
        centre = item.mapToScene(QPointF(0.0, 0.0))
        on_screen = screen_colour(canvas, centre)
        image = item.image
        want = image.pixelColor(image.width() // 2, image.height() // 2)
        assert max(abs(on_screen.red() - want.red()), abs(on_screen.blue() - want.blue())) <= 40


def test_a_theme_switch_repaints_the_cached_node_cards(canvas, qtbot):
    item = canvas.graph_scene.nodes["dense1"]
    assert item.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    inside = item.mapToScene(item.layout.rect.topLeft() + QPointF(6.0, 6.0))
    try:
        light = screen_colour(canvas, inside)
        apply_theme("dark")
        settle(qtbot)
        dark = screen_colour(canvas, inside)
    finally:
        apply_theme("light")
    assert dark.lightness() < light.lightness() - 60  # the dark card, not the cached light one


def test_live_frames_do_not_draw_the_grid_again(qtbot, xor_run, monkeypatch):
    drawn = []
    original = GraphView.drawBackground
    monkeypatch.setattr(GraphView, "drawBackground", lambda self, p, r: (drawn.append(r), original(self, p, r)))
    owner = QObject()
    document = Document(parent=owner)
    document.load(load_preset("xor"))
    view = GraphView(document)
    document.setParent(view)
    shown(qtbot, view, 800, 400)
    assert view.cacheMode() & QGraphicsView.CacheModeFlag.CacheBackground
    quiet(qtbot, QEvent.Type.Paint, view.viewport())  # the first picture (and its grid) is painted
    before = len(drawn)
    assert before >= 1
    for snap in xor_run[1]:
        view.show_snapshot(snap)
        view.viewport().repaint()
    assert len(drawn) == before


# --- the worker steps aside while a snapshot is drawn ---------------------------------------
def test_a_paced_worker_waits_for_the_drawing_at_most_a_moment(monkeypatch):
    monkeypatch.setattr(worker_module, "FRAME_WAIT_SECONDS", 0.05)
    monkeypatch.setattr(worker_module, "SNAPSHOT_PERIOD", 60.0)  # the test sends the snapshots
    worker = TrainingWorker()
    worker.load(load_preset("xor"), False)
    worker.trainer.engine_choice = "torch"  # torch holds the GIL: it steps aside while the window draws
    worker.pace_frames(True)
    worker.play()
    worker.timer.stop()  # the test turns the loop by hand
    try:
        worker._emit_snapshot()
        assert worker.frame_pending
        before, start = worker.trainer.step_count, time.perf_counter()
        worker._run_chunk()  # nobody draws: it waits the whole moment, then trains on
        assert time.perf_counter() - start >= 0.045
        assert worker.trainer.step_count > before and not worker.frame_pending  # once per snapshot
        worker._emit_snapshot()
        worker.frame_drawn()
        assert not worker.frame_pending
        worker.trainer.engine_choice = "compiled"  # trains without the GIL: never waits
        worker._emit_snapshot()
        before = worker.trainer.step_count
        worker._run_chunk()
        assert worker.trainer.step_count > before and worker.frame_pending  # trained, did not wait
        worker.pace_frames(False)
        worker._emit_snapshot()
        assert not worker.frame_pending  # without pacing nothing is ever waited for
    finally:
        worker.pause()


def test_slow_snapshots_are_sent_less_often_rather_than_slowing_training(monkeypatch):
    monkeypatch.setattr(worker_module, "SNAPSHOT_PERIOD", 0.0)  # a snapshot due after every chunk…
    monkeypatch.setattr(worker_module, "SNAPSHOT_SHARE", 1e-9)  # …but each may cost only a sliver
    worker = TrainingWorker()
    worker.load(load_preset("xor"), False)
    sent: list[int] = []
    worker.snapshot_ready.connect(lambda snapshot: sent.append(snapshot.step))
    worker.play()
    worker.timer.stop()
    try:
        for _ in range(5):
            worker._run_chunk()
        assert len(sent) == 1  # the first one's cost pushed the next far away
        assert worker.trainer.step_count > sent[0]  # training went on
    finally:
        worker.pause()


def test_pacing_is_on_where_the_window_and_the_worker_share_cores(monkeypatch):
    for cores, expected in ((1, True), (2, True), (4, False), (16, False)):
        monkeypatch.setattr(worker_module.os, "sched_getaffinity", lambda _pid, n=cores: set(range(n)))
        assert worker_module.pacing_helps() is expected


def test_the_live_views_tell_the_worker_once_everything_is_drawn(window, qtbot, monkeypatch):
    ctl, worker = window.training.controller, window.training.controller.worker
    parts_left = []
    original = worker.frame_drawn
    monkeypatch.setattr(worker, "frame_drawn", lambda: (parts_left.append(ctl.views.busy), original()))
    # until the window has said it drew a snapshot, the worker cannot know it is slower than the
    # snapshots; a window that slow (a busy machine) then never finishes one before the next
    # replaces it. A Step is drawn and reported whatever the machine's speed.
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    qtbot.waitUntil(lambda: len(parts_left) >= 1, timeout=WAIT)
    ctl.play()
    qtbot.waitUntil(lambda: len(parts_left) >= 6, timeout=WAIT)
    ctl.pause()
    qtbot.waitUntil(lambda: not ctl.running, timeout=WAIT)
    assert set(parts_left) == {False}
    qtbot.waitUntil(lambda: not worker.frame_pending, timeout=WAIT)  # the last one is drawn too


def test_a_window_slower_than_the_snapshot_rate_never_gets_a_queue_of_snapshots(monkeypatch):
    monkeypatch.setattr(worker_module, "SNAPSHOT_PERIOD", 0.0)  # a snapshot is due after every chunk
    monkeypatch.setattr(worker_module, "SNAPSHOT_SHARE", 1e9)  # however long making one takes
    monkeypatch.setattr(worker_module, "MAX_UNDRAWN_SECONDS", 60.0)
    worker = TrainingWorker()
    worker.load(load_preset("xor"), False)
    sent: list[int] = []
    worker.snapshot_ready.connect(lambda snapshot: sent.append(snapshot.step))
    worker.play()
    worker.timer.stop()  # the test turns the loop by hand
    try:
        for _ in range(5):  # a window that never says it drew anything: no limit (tests, tools)
            worker._run_chunk()
        assert len(sent) == 5
        worker.frame_drawn()  # now the window reports its frames
        sent.clear()
        for _ in range(5):
            worker._run_chunk()
        assert len(sent) == 1  # one in flight; training goes on without sending more
        steps = worker.trainer.step_count
        worker.frame_drawn()
        worker._run_chunk()
        assert len(sent) == 2 and sent[-1] > steps - 1
        monkeypatch.setattr(worker_module, "MAX_UNDRAWN_SECONDS", 0.0)  # a window that stopped reporting
        worker._run_chunk()
        assert len(sent) == 3  # is not waited for for ever
    finally:
        worker.pause()


def test_a_new_trainer_warms_up_once_the_window_has_drawn_its_first_snapshot(monkeypatch):
    from laegna_gui.engine.trainer import Trainer

    calls = []
    monkeypatch.setattr(Trainer, "warm_up", lambda self: calls.append(self))
    worker = TrainingWorker()
    worker.load(load_preset("xor"), False)
    assert calls == []  # the first frame is not kept waiting by loading kernels
    worker.frame_drawn()
    assert calls == [worker.trainer]
    worker.frame_drawn()
    worker._warm_up()  # the fallback timer, firing later, does nothing more
    assert calls == [worker.trainer]
