"""The live training views, fed with real snapshots from real (thread-less) trainers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QComboBox

from laegna_gui.core.formula import number
from laegna_gui.core.history import History
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.trainer import Trainer
from laegna_gui.ui.look import style
from laegna_gui.ui.training.views.boundary_view import BoundaryView
from laegna_gui.ui.training.views.curves_view import CurvesView
from laegna_gui.ui.training.views.formula_view import FormulaView
from laegna_gui.ui.training.views.gradients_view import GradientsView
from laegna_gui.ui.training.views.heatmap import compact
from laegna_gui.ui.look.colour_scale import lighten, rgb
from laegna_gui.ui.training.views.step_view import HINT, StepView
from laegna_gui.ui.training.views.weights_view import WeightsView


class Run:
    """A trainer after some steps, a history row every `every` steps, and its last snapshot."""

    def __init__(self, preset: str, steps: int, every: int = 25) -> None:
        self.trainer = Trainer(load_preset(preset))
        self.history = History()
        for _ in range(max(1, steps // every)):
            self.trainer.run(every)
            self.record(self.trainer.snapshot())
        self.snapshot = self.trainer.snapshot()

    def record(self, snap) -> None:
        extras = {f"grad:{k}": v for k, v in snap.probes.layer_gradient_norms.items()}
        extras.update({f"dead:{k}": v for k, v in snap.probes.dead_fraction.items()})
        self.history.append(snap.step, snap.metrics, extras)


@pytest.fixture(scope="module")
def xor() -> Run:
    return Run("xor", 300)


@pytest.fixture(scope="module")
def spiral3() -> Run:
    return Run("spiral3", 300)


@pytest.fixture(scope="module")
def sine() -> Run:
    return Run("sine", 200)


@pytest.fixture(scope="module")
def affine3d() -> Run:
    return Run("affine3d", 50)


def _bluish(color: QColor) -> bool:
    return color.blue() > color.red() + 40


def _orangeish(color: QColor) -> bool:
    return color.red() > color.blue() + 40


# --- decision boundary --------------------------------------------------------------------
def test_boundary_image_is_the_probe_boundary_over_the_probe_extent(shown, xor):
    view = shown(BoundaryView())
    view.set_data(xor.trainer.data)
    view.show_snapshot(xor.snapshot)
    probes = xor.snapshot.probes
    np.testing.assert_array_equal(view.image.image, probes.boundary)
    rect = view.image.mapRectToParent(view.image.boundingRect())
    x0, x1, y0, y1 = probes.extent
    corners = (rect.left(), rect.right(), rect.top(), rect.bottom())
    assert corners == pytest.approx((x0, x1, y0, y1), abs=1e-6)
    assert view.image.isVisible() and not view.curve.isVisible()


def test_boundary_paints_class_1_blue_and_class_0_orange(shown, xor):
    view = shown(BoundaryView())
    view.set_data(xor.trainer.data)
    view.show_snapshot(xor.snapshot)
    view.image.render()
    boundary = xor.snapshot.probes.boundary
    sure_1 = np.unravel_index(np.argmax(boundary), boundary.shape)
    sure_0 = np.unravel_index(np.argmin(boundary), boundary.shape)
    assert boundary[sure_1] > 0.95 and boundary[sure_0] < 0.05
    # row-major: pixel (column j, row i) is boundary[i, j]
    assert _bluish(view.image.qimage.pixelColor(int(sure_1[1]), int(sure_1[0])))
    assert _orangeish(view.image.qimage.pixelColor(int(sure_0[1]), int(sure_0[0])))


def test_discretize_snaps_two_classes_to_0_and_1_and_back(shown, xor):
    view = shown(BoundaryView())
    view.set_data(xor.trainer.data)
    view.show_snapshot(xor.snapshot)
    boundary = xor.snapshot.probes.boundary
    view.discretize.setChecked(True)
    assert set(np.unique(view.image.image)) == {0.0, 1.0}
    np.testing.assert_array_equal(view.image.image, boundary > 0.5)
    view.discretize.setChecked(False)
    np.testing.assert_array_equal(view.image.image, boundary)


def test_three_classes_blend_class_colours_and_discretize_to_them(shown, spiral3):
    view = shown(BoundaryView())
    view.set_data(spiral3.trainer.data)
    view.show_snapshot(spiral3.snapshot)
    probs = spiral3.snapshot.probes.boundary
    image = view.image.image
    assert image.shape == probs.shape[:2] + (3,)
    palette = np.array([lighten(rgb(style.class_color(k))) for k in range(3)])
    for k in range(3):
        i, j = np.unravel_index(np.argmax(probs[:, :, k]), probs.shape[:2])
        assert probs[i, j, k] > 0.9
        nearest = np.argmin(np.abs(palette - image[i, j].astype(float)).sum(axis=1))
        assert nearest == k
    view.discretize.setChecked(True)
    colours = {tuple(c) for c in view.image.image.reshape(-1, 3)}
    assert colours <= {tuple(np.rint(c).astype(int)) for c in palette}
    winners = np.argmax(probs, axis=2)
    np.testing.assert_array_equal(view.image.image, np.rint(palette[winners]).astype(np.ubyte))


def test_points_are_the_data_and_test_points_appear_only_when_asked(shown, xor):
    view = shown(BoundaryView())
    data = xor.trainer.data
    view.set_data(data)
    view.show_snapshot(xor.snapshot)
    train_x, train_y = view.train_points.getData()
    np.testing.assert_allclose(np.column_stack([train_x, train_y]), data.x_train[:, :2])
    assert len(view.test_points.getData()[0]) == len(data.x_test)
    assert not view.show_test.isChecked() and not view.test_points.isVisible()
    view.show_test.setChecked(True)
    assert view.test_points.isVisible()
    view.show_test.setChecked(False)
    assert not view.test_points.isVisible()


def test_one_input_regression_draws_the_fitted_curve_through_the_points(shown, sine):
    view = shown(BoundaryView())
    data = sine.trainer.data
    view.set_data(data)
    view.show_snapshot(sine.snapshot)
    probes = sine.snapshot.probes
    x, y = view.curve.getOriginalDataset()
    np.testing.assert_allclose(x, probes.curve_x)
    np.testing.assert_allclose(y, probes.curve_y[:, 0])
    assert view.curve.isVisible() and not view.image.isVisible()
    px, py = view.train_points.getData()
    expected = np.column_stack([data.x_train[:, 0], data.y_train[:, 0]])
    np.testing.assert_allclose(np.column_stack([px, py]), expected)
    assert view.discretize.isHidden() and not view.show_test.isHidden()


def test_three_inputs_have_no_plane_and_say_so(shown, affine3d):
    view = shown(BoundaryView())
    view.set_data(affine3d.trainer.data)
    view.show_snapshot(affine3d.snapshot)
    assert view.pages.currentWidget() is view.message
    assert view.message.text() == "No input plane for 3-D data — see the loss curves"
    assert view.show_test.isHidden() and view.discretize.isHidden()


def test_new_data_hides_the_old_picture_until_the_next_snapshot(shown, xor, sine):
    view = shown(BoundaryView())
    view.set_data(xor.trainer.data)
    view.show_snapshot(xor.snapshot)
    view.set_data(sine.trainer.data)
    assert not view.image.isVisible() and not view.curve.isVisible()
    view.set_data(None)
    assert len(view.train_points.getData()[0]) == 0


def test_a_snapshot_without_probes_keeps_the_picture(shown, xor):
    view = shown(BoundaryView())
    view.set_data(xor.trainer.data)
    view.show_snapshot(xor.snapshot)
    view.show_snapshot(xor.trainer.snapshot(with_probes=False))
    np.testing.assert_array_equal(view.image.image, xor.snapshot.probes.boundary)


# --- loss and accuracy curves -------------------------------------------------------------
def test_curves_are_the_history_columns(shown, xor):
    view = shown(CurvesView())
    view.show_history(xor.history)
    steps = xor.history.column("step")
    for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        x, y = view.curves[name].getOriginalDataset()
        np.testing.assert_array_equal(x, steps)
        np.testing.assert_array_equal(y, xor.history.column(name))
        assert view.curves[name].opts["autoDownsample"] and view.curves[name].opts["clipToView"]
    assert view.accuracy_plot.isVisible()
    last = len(steps) - 1
    assert view.readout.text() == (f"step {int(steps[last])} · train {xor.history.column('train_loss')[last]:.3g}"
                                   f" · test {xor.history.column('test_loss')[last]:.3g}")


def test_test_curve_is_dashed_orange_and_train_solid_blue(qtbot):
    view = CurvesView()
    qtbot.addWidget(view)
    train, test = view.curves["train_loss"].opts["pen"], view.curves["test_loss"].opts["pen"]
    assert train.color() == style.POSITIVE and test.color() == style.NEGATIVE
    assert test.style().name == "DashLine" and train.style().name == "SolidLine"


def test_regression_has_no_accuracy_plot(shown, sine):
    view = shown(CurvesView())
    view.show_history(sine.history)
    assert view.accuracy_plot.isHidden()


def test_log_scale_toggles_the_loss_axis_only(shown, xor):
    view = shown(CurvesView())
    view.show_history(xor.history)
    view.log_scale.setChecked(True)
    assert view.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert view.curves["train_loss"].opts["logMode"] == [False, True]
    assert view.curves["train_accuracy"].opts["logMode"] == [False, False]
    view.log_scale.setChecked(False)
    assert view.curves["test_loss"].opts["logMode"] == [False, False]


def test_the_values_under_the_cursor_are_read_out(shown, xor):
    view = shown(CurvesView())
    view.show_history(xor.history)
    steps = xor.history.column("step")
    vb = view.loss_plot.getPlotItem().vb
    view.loss_plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(steps[3] + 1, 0.2)))
    loss = xor.history.column
    assert view.readout.text() == \
        f"step {int(steps[3])} · train {loss('train_loss')[3]:.3g} · test {loss('test_loss')[3]:.3g}"
    assert view.cursors[0].value() == steps[3]
    vb = view.accuracy_plot.getPlotItem().vb
    view.accuracy_plot.scene().sigMouseMoved.emit(vb.mapViewToScene(QPointF(steps[5], 0.5)))
    accuracy = loss("train_accuracy")[5]
    assert view.readout.text() == (f"step {int(steps[5])} · accuracy: train {100 * accuracy:.1f} %"
                                   f" · test {100 * loss('test_accuracy')[5]:.1f} %")


def test_an_unchanged_history_is_not_redrawn_and_clear_empties(shown, xor):
    history = History()
    for row in xor.history.rows()[:3]:
        history.append(int(row["step"]), xor.snapshot.metrics)
    view = shown(CurvesView())
    view.show_history(history)
    view.curves["train_loss"].setData([0], [42.0])  # a redraw would overwrite this
    view.show_history(history)
    assert list(view.curves["train_loss"].getOriginalDataset()[1]) == [42.0]
    history.append(10_000, xor.snapshot.metrics)
    view.show_history(history)
    assert len(view.curves["train_loss"].getOriginalDataset()[1]) == 4
    view.clear()
    x, _ = view.curves["train_loss"].getOriginalDataset()
    assert x is None or len(x) == 0
    assert view.readout.text() == ""


# --- weights ------------------------------------------------------------------------------
def test_weight_heatmaps_are_the_snapshot_weights_on_one_symmetric_scale(shown, xor):
    view = shown(WeightsView())
    view.show_snapshot(xor.snapshot)
    weights = xor.snapshot.weights
    assert list(view.layers) == ["dense1", "dense2"]
    peak = max(float(np.abs(w).max()) for w in weights.values())
    for node in ("dense1", "dense2"):
        plots = view.layers[node]
        np.testing.assert_array_equal(plots.weight.image.image, weights[f"{node}.weight"])
        np.testing.assert_array_equal(plots.bias.image.image[:, 0], weights[f"{node}.bias"])
        assert tuple(plots.weight.image.levels) == pytest.approx((-peak, peak))
    assert view.layers["dense1"].title.text == "dense1: W (4×2), b"
    assert view.layers["dense2"].title.text == "dense2: W (1×4), b"
    assert view.scale.high.text() == f"+{peak:.3g}"


def test_weight_heatmaps_print_the_numbers_of_small_matrices(shown, xor):
    view = shown(WeightsView(), 500, 320)
    view.show_snapshot(xor.snapshot)
    plot = view.layers["dense1"].weight
    assert plot.numbers_visible
    expected = [compact(v) for v in xor.snapshot.weights["dense1.weight"].ravel()]
    assert plot.numbers() == expected


def test_weight_items_are_rebuilt_only_when_the_layers_change(shown, xor, spiral3):
    view = shown(WeightsView())
    view.show_snapshot(xor.snapshot)
    first = view.layers["dense1"].weight
    xor.trainer.run(5)
    later = xor.trainer.snapshot()
    view.show_snapshot(later)
    assert view.layers["dense1"].weight is first
    np.testing.assert_array_equal(first.image.image, later.weights["dense1.weight"])
    view.show_snapshot(spiral3.snapshot)
    assert list(view.layers) == ["dense1", "dense2", "dense3"]
    assert view.layers["dense1"].weight is not first
    assert view.layers["dense2"].weight.image.image.shape == (32, 32)


def test_a_narrow_weights_view_puts_one_layer_per_row(shown, spiral3):
    view = shown(WeightsView(), 240, 300)
    view.show_snapshot(spiral3.snapshot)
    grid = view.canvas.ci.items
    assert [grid[p.weight.view][0] for p in view.layers.values()] == [(1, 0), (3, 0), (5, 0)]
    view.resize(460, 300)
    assert [grid[p.weight.view][0] for p in view.layers.values()] == [(1, 0), (1, 2), (1, 4)]
    dense3 = view.layers["dense3"].weight.image.image
    np.testing.assert_array_equal(dense3, spiral3.snapshot.weights["dense3.weight"])


# --- gradients ----------------------------------------------------------------------------
def test_gradient_curves_are_the_history_columns_on_a_log_axis(shown, spiral3):
    view = shown(GradientsView())
    view.show_history(spiral3.history)
    assert list(view.gradients.curves) == ["grad:dense1", "grad:dense2", "grad:dense3"]
    for name, curve in view.gradients.curves.items():
        np.testing.assert_array_equal(curve.getOriginalDataset()[1], spiral3.history.column(name))
        assert curve.opts["logMode"] == [False, True]
    assert "dense3" in view.legend.text()


def test_dead_relu_fractions_are_plotted_and_summarised(shown, spiral3, xor):
    view = shown(GradientsView())
    view.show_history(spiral3.history)
    assert view.dead_plot.isVisible()
    for name, curve in view.dead.curves.items():
        np.testing.assert_array_equal(curve.getOriginalDataset()[1], spiral3.history.column(name))
    last = spiral3.history.column("dead:activation1")[-1]
    assert f"activation1 {100 * last:.0f} %" in view.dead_summary.text()
    view.show_history(xor.history)  # tanh only: nothing can die
    assert view.dead_plot.isHidden() and "No ReLU" in view.dead_summary.text()
    assert list(view.gradients.curves) == ["grad:dense1", "grad:dense2"]


def test_the_gradient_warning_shows_only_when_there_is_one(shown, xor):
    trainer = Trainer(load_preset("line"))
    trainer.set_weight("dense1.weight", (0, 0), 1e4)  # a huge weight: a huge gradient
    exploding = trainer.snapshot(report=trainer.step())
    assert exploding.probes.gradient_warning.startswith("Exploding")
    view = shown(GradientsView())
    view.show_snapshot(xor.snapshot)
    assert view.warning.isHidden()
    view.show_snapshot(exploding)
    assert view.warning.isVisible() and view.warning.text() == exploding.probes.gradient_warning
    assert view.warning.property("role") == "alert"  # the style sheet's bold warning strip
    view.show_snapshot(trainer.snapshot(with_probes=False))
    assert view.warning.isVisible()
    view.show_snapshot(xor.snapshot)
    assert view.warning.isHidden()


# --- one step -----------------------------------------------------------------------------
@pytest.fixture
def stepped():
    trainer = Trainer(load_preset("xor"))
    trainer.run(50)
    report = trainer.step()
    return trainer, report, trainer.snapshot(report=report)


def _assert_panels(view: StepView, report, layer: str) -> None:
    name = f"{layer}.weight"
    parts = (report.weights_before, report.gradients, report.updates, report.weights_after)
    for plot, part in zip(view.plots, parts):
        np.testing.assert_array_equal(plot.image.image, part[name])


def test_the_step_view_hints_until_a_step_is_taken(shown, xor):
    view = shown(StepView())
    assert view.pages.currentWidget() is view.hint and view.hint.text() == HINT
    view.show_snapshot(xor.snapshot)  # free running: no report
    assert view.pages.currentWidget() is view.hint


def test_the_step_view_shows_before_gradient_update_after(shown, stepped):
    trainer, report, snap = stepped
    view = shown(StepView())
    view.show_snapshot(snap)
    assert view.layer == "dense1" and view.layer_combo.currentText() == "dense1"
    _assert_panels(view, report, "dense1")
    titles = [t.text.split("<br>")[0] for t in view.titles]
    assert titles == ["W before", "∂L/∂W", "update applied", "W after"]
    assert view.loss.text() == (f"loss on this batch: {report.loss_before:.4f} → {report.loss_after:.4f} "
                                f"(batch of {report.batch_size} points)")
    np.testing.assert_allclose(report.weights_before["dense1.weight"] + report.updates["dense1.weight"],
                               report.weights_after["dense1.weight"], atol=1e-6)


def test_each_panel_has_its_own_symmetric_scale_and_small_ones_print_numbers(shown, stepped):
    _, report, snap = stepped
    view = shown(StepView(), 500, 320)
    view.show_snapshot(snap)
    for plot, part in zip(view.plots, (report.weights_before, report.gradients)):
        peak = float(np.abs(part["dense1.weight"]).max())
        assert tuple(plot.image.levels) == pytest.approx((-peak, peak))
    assert view.plots[0].numbers_visible
    assert view.plots[0].numbers() == \
        [compact(v) for v in report.weights_before["dense1.weight"].ravel()]


def test_the_layer_can_be_chosen(shown, stepped):
    _, report, snap = stepped
    view = shown(StepView())
    view.show_snapshot(snap)
    view.set_layer("dense2")
    _assert_panels(view, report, "dense2")
    view.set_layer("activation1")  # not a dense layer: the choice stays
    assert view.layer == "dense2"
    view.set_layer(None)
    assert view.layer == "dense1"
    view.layer_combo.setCurrentIndex(1)
    view.layer_combo.activated.emit(1)
    assert view.layer == "dense2"
    _assert_panels(view, report, "dense2")


def test_a_later_snapshot_without_a_report_keeps_the_last_step(shown, stepped):
    trainer, report, snap = stepped
    view = shown(StepView())
    view.show_snapshot(snap)
    trainer.run(3)
    view.show_snapshot(trainer.snapshot())
    _assert_panels(view, report, "dense1")


def test_a_clipped_step_says_so(shown):
    trainer = Trainer(load_preset("xor"))
    trainer.set_settings(replace(trainer.settings, clip=True, clip_norm=1e-6))
    report = trainer.step()
    assert report.clipped
    view = shown(StepView())
    view.show_snapshot(trainer.snapshot(report=report))
    assert view.loss.text().endswith(f"gradient norm {report.gradient_norm:.3g} was clipped")


def test_a_narrow_step_view_stacks_the_panels_two_by_two(shown, stepped):
    _, report, snap = stepped
    view = shown(StepView(), 240, 300)
    view.show_snapshot(snap)
    grid = view.canvas.ci.items
    assert view.columns == 2
    assert [grid[p.view][0] for p in view.plots] == [(1, 0), (1, 1), (3, 0), (3, 1)]
    view.resize(460, 300)
    assert view.columns == 4
    assert [grid[p.view][0] for p in view.plots] == [(1, 0), (1, 1), (1, 2), (1, 3)]
    _assert_panels(view, report, "dense1")


def test_big_matrices_print_no_numbers(shown, spiral3):
    report = spiral3.trainer.step()
    view = shown(StepView())
    view.show_snapshot(spiral3.trainer.snapshot(report=report))
    assert view.plots[0].image.image.shape == (32, 2) and not view.plots[0].numbers()


# --- formula ------------------------------------------------------------------------------
def test_the_formula_of_xor_with_its_numbers(shown, xor):
    view = shown(FormulaView())
    view.show_snapshot(xor.snapshot, xor.trainer.graph)
    lines = view.plain_text().splitlines()
    assert lines[0] == "o = σ(W₂·tanh(W₁·x + b₁) + b₂)"
    w1, b2 = xor.snapshot.weights["dense1.weight"], xor.snapshot.weights["dense2.bias"]
    assert lines[1].startswith("W₁ = [[") and number(w1[0, 0]) in lines[1] and number(w1[0, 1]) in lines[1]
    assert f"b₂ = [{number(b2[0])}]" in lines
    assert view.text.textInteractionFlags() & view.text.textInteractionFlags().TextSelectableByMouse


def test_the_formula_names_big_layers_instead_of_listing_them(shown, spiral3):
    view = shown(FormulaView())
    view.show_snapshot(spiral3.snapshot, spiral3.trainer.graph)
    text = view.plain_text()
    assert text.startswith("o = softmax(W₃·ReLU(W₂·ReLU(W₁·x + b₁) + b₂) + b₃)")
    assert "W₂ (32×32)" in text and "[[" not in text


def test_the_formula_remembers_the_graph_and_follows_new_weights(shown, xor):
    view = shown(FormulaView())
    view.show_snapshot(None, xor.trainer.graph)
    assert view.plain_text().splitlines()[0] == "o = σ(W₂·tanh(W₁·x + b₁) + b₂)"
    assert "W₁ = " not in view.plain_text()
    view.show_snapshot(xor.snapshot)
    assert "W₁ = [[" in view.plain_text()


def test_an_unwired_graph_has_no_formula_but_a_hint(shown):
    graph = load_preset("xor").graph
    graph.remove_edge("activation2", "output1")
    view = shown(FormulaView())
    view.show_snapshot(None, graph)
    assert "Wire the input through to the output" in view.plain_text()


# --- every view ---------------------------------------------------------------------------
@pytest.mark.parametrize("view_class, name", [
    (BoundaryView, "boundaryView"), (CurvesView, "curvesView"), (WeightsView, "weightsView"),
    (GradientsView, "gradientsView"), (StepView, "stepView"), (FormulaView, "formulaView"),
])
def test_every_view_and_control_is_named_and_explained(qtbot, view_class, name):
    view = view_class()
    qtbot.addWidget(view)
    assert view.objectName() == name
    for control in view.findChildren(QAbstractButton) + view.findChildren(QComboBox):
        assert control.objectName() and control.toolTip(), control


def test_compact_numbers_fit_in_a_cell():
    assert [compact(v) for v in (0, 0.524, -1.1, 12.34, 250.0, 0.0004, -0.00031, float("nan"))] == \
        ["0", "0.52", "-1.10", "12.3", "250", "4e-4", "-3e-4", "nan"]
