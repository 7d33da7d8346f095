"""The compiled engine against torch: the same trajectories, for every part of the canvas's
language, from the same weights and batches; the engine choice; divergence; the GIL."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.core.errors import TrainingDiverged
from laegna_gui.engine.trainer import COMPILED, TORCH, Trainer

PLAIN_SGD = dict(optimizer="sgd", regularization="none", reg_rate=0.0, clip=False)
STEPS = 200


def twins(project) -> tuple[Trainer, Trainer]:
    """Two trainers from one project: one forced onto each engine."""
    compiled, reference = Trainer(project), Trainer(project)
    compiled.engine_choice, reference.engine_choice = "compiled", "torch"
    assert (compiled.engine_name, reference.engine_name) == (COMPILED, TORCH)
    return compiled, reference


def assert_same(a: Trainer, b: Trainer, rtol: float = 2e-4, atol: float = 2e-5) -> None:
    assert (a.step_count, a.epoch, a.schedule.cursor) == (b.step_count, b.epoch, b.schedule.cursor)
    np.testing.assert_array_equal(a.schedule.order, b.schedule.order)
    wa, wb = a.weights(), b.weights()
    assert wa.keys() == wb.keys()
    for name in wa:
        np.testing.assert_allclose(wa[name], wb[name], rtol=rtol, atol=atol, err_msg=name)
    ma, mb = a.evaluate(), b.evaluate()
    assert ma.train_loss == pytest.approx(mb.train_loss, rel=rtol, abs=atol)
    assert ma.test_loss == pytest.approx(mb.test_loss, rel=rtol, abs=atol)


def trajectories_match(project, rtol: float = 2e-4, atol: float = 2e-5) -> None:
    """STEPS iterations in chunks that do not line up with epochs, compared along the way."""
    compiled, reference = twins(project)
    for n in (1, 37, STEPS - 38):
        lc, lr = compiled.run(n), reference.run(n)
        assert lc == pytest.approx(lr, rel=10 * rtol, abs=10 * atol)
        assert_same(compiled, reference, rtol, atol)
    assert compiled.step_count == STEPS
    # a Step on either engine continues from the same state (shared memory, one schedule)
    rc, rr = compiled.step(), reference.step()
    assert rc.loss_before == pytest.approx(rr.loss_before, rel=rtol, abs=atol)
    assert rc.gradient_norm == pytest.approx(rr.gradient_norm, rel=1e-3, abs=atol)
    for name, grad in rr.gradients.items():
        np.testing.assert_allclose(rc.gradients[name], grad, rtol=1e-3, atol=atol, err_msg=name)
    assert_same(compiled, reference, rtol, atol)


def chain(b, hidden, function, last="tanh", **dense):
    layers = []
    for units in hidden:
        layers += [b.dense(units, **dense), b.act(function, slope=0.05)]
    return b.sequential(*layers, b.dense(1, **dense), b.act(last))


# --- every activation, loss, optimizer, regularizer, clipping and batch size --------------
@pytest.mark.parametrize("function", ["linear", "tanh", "relu", "leaky_relu", "sigmoid"])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop", "adam", "nadam"])
def test_activations_times_optimizers(builders, function, optimizer):
    lr = 0.003 if optimizer in ("rmsprop", "adam", "nadam") else 0.03
    trajectories_match(builders.project(chain(builders, [6, 4], function), "circle",
                                        optimizer=optimizer, learning_rate=lr, momentum=0.8))


@pytest.mark.parametrize("loss, last, width", [
    ("mse", "tanh", 1), ("half_mse", "tanh", 1), ("mae", "linear", 1), ("bce", "sigmoid", 1),
    ("hinge", "linear", 1), ("mse", "sigmoid", 2), ("half_mse", "sigmoid", 2), ("cross_entropy", "softmax", 2),
    ("cross_entropy", "linear", 2), ("hinge", "linear", 2),
])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_every_loss(builders, loss, last, width, optimizer):
    graph = builders.sequential(builders.dense(5), builders.act("tanh"), builders.dense(width),
                                builders.act(last))
    trajectories_match(builders.project(graph, "xor", loss=loss, optimizer=optimizer,
                                        learning_rate=0.05 if optimizer == "sgd" else 0.01))


@pytest.mark.parametrize("loss, last, width", [("bce", "sigmoid", 1), ("cross_entropy", "softmax", 2)])
def test_losses_from_logits_past_where_the_squashing_saturates(builders, loss, last, width):
    """A rate so high that logits pass ±17, where a float32 sigmoid is exactly 0 or 1 and
    only the loss computed from the logits still has a slope. (A linear model: with hidden
    units, so high a rate makes the path chaotic, and float32 rounding alone parts them.)"""
    graph = builders.sequential(builders.dense(width), builders.act(last))
    project = builders.project(graph, "gauss", loss=loss, optimizer="sgd", learning_rate=20.0, batch_size=10)
    compiled, _ = twins(project)
    compiled.run(40)
    assert compiled.network.scored(compiled.x_train)[1].abs().max() > 17
    trajectories_match(project)


def test_log_loss_with_a_dropout_after_the_sigmoid(builders):
    """No logits to read there: the loss reads the dropped-out probability, clamped."""
    graph = builders.sequential(builders.dense(5), builders.act("tanh"), builders.dense(1),
                                builders.act("sigmoid"), ("dropout", {"p": 0.3}))
    trajectories_match(builders.project(graph, "xor", loss="bce", optimizer="sgd", learning_rate=0.1))


@pytest.mark.parametrize("regularization, rate", [("l1", 0.003), ("l2", 0.01)])
@pytest.mark.parametrize("optimizer", ["sgd", "nesterov", "nadam"])
def test_regularization(builders, regularization, rate, optimizer):
    trajectories_match(builders.project(chain(builders, [5, 3], "sigmoid"), "xor", optimizer=optimizer,
                                        regularization=regularization, reg_rate=rate, learning_rate=0.05))


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_clipping_by_global_norm(builders, optimizer):
    project = builders.project(chain(builders, [8, 8], "relu", last="linear", init="normal"), "circle",
                               optimizer=optimizer, learning_rate=0.05, clip=True, clip_norm=0.5)
    compiled, _ = twins(project)
    report = compiled.step()
    assert report.clipped and report.gradient_norm > 0.5  # the case is one where clipping acts
    trajectories_match(project)


@pytest.mark.parametrize("batch_size", [1, 7, 0])
def test_online_mini_and_full_batch(builders, batch_size):
    trajectories_match(builders.project(chain(builders, [4], "tanh"), "xor", batch_size=batch_size,
                                        optimizer="momentum", learning_rate=0.02))


def test_step_activation_with_its_straight_through_slope(builders):
    trajectories_match(builders.preset("perceptron-xor"), rtol=0, atol=0)


def test_input_features_and_no_bias(builders):
    graph = builders.sequential(builders.dense(4, bias=False), builders.act("tanh"), builders.dense(1),
                                builders.act("tanh"), features=("x1", "x2", "x1*x2", "sin_x1", "x2^2"))
    trajectories_match(builders.project(graph, "xor", optimizer="rmsprop", learning_rate=0.01))


# --- blocks and mixed graphs -----------------------------------------------------------------
def test_batch_norm_train_and_eval(builders):
    # no bias before batch norm: its true gradient is 0, and Adam would amplify rounding noise
    graph = builders.sequential(builders.dense(8, bias=False), ("batch_norm", {}), builders.act("relu"),
                                builders.dense(1), builders.act("sigmoid"))
    # 100 points in batches of 11: the epoch's last lone point is skipped, as batch norm needs 2
    project = builders.project(graph, "xor", loss="bce", optimizer="adam", learning_rate=0.01, batch_size=11)
    trajectories_match(project)
    compiled, reference = twins(project)
    compiled.run(50), reference.run(50)
    stats = {k: v for k, v in compiled.weights().items() if "running" in k}
    assert stats and all(np.abs(v).sum() > 0 for v in stats.values())  # the statistics moved


def test_dropout_draws_the_same_mask_in_both_engines(builders, bn_dropout_graph):
    project = builders.project(bn_dropout_graph, "xor", loss="bce", optimizer="sgd", learning_rate=0.1)
    trajectories_match(project)


def test_residual_add_and_concat(builders):
    nodes = {"input1": ("input", {"features": ["x1", "x2"]}),
             "dense1": ("dense", {"units": 4}), "act1": ("activation", {"function": "tanh"}),
             "dense2": ("dense", {"units": 4}), "act2": ("activation", {"function": "relu"}),
             "add1": ("add", {}), "concat1": ("concat", {}),
             "dense3": ("dense", {"units": 1}), "act3": ("activation", {"function": "sigmoid"}),
             "output1": ("output", {})}
    graph = builders.graph(nodes, "input1>dense1>act1>dense2>act2>add1>concat1>dense3>act3>output1",
                           "act1>add1", "input1>concat1")
    trajectories_match(builders.project(graph, "xor", loss="bce", optimizer="nesterov", learning_rate=0.05))


def test_softmax_over_three_classes_with_cross_entropy(builders):
    trajectories_match(builders.preset("spiral3", learning_rate=0.003), rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("name", ["xor", "circle", "sine", "affine3d", "and", "vanishing", "dying-relu",
                                  "line", "spiral"])
def test_presets(builders, name):
    trajectories_match(builders.preset(name))


# --- engine choice -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["xor", "circle", "spiral3", "sine", "affine3d", "perceptron-xor"])
def test_small_networks_train_compiled(builders, name):
    trainer = builders.trainer(name)
    assert trainer.engine_name == COMPILED, trainer.engine_reason


def test_very_wide_layers_with_big_batches_train_with_torch(builders):
    graph = chain(builders, [512, 512], "relu")
    trainer = Trainer(builders.project(graph, "circle", batch_size=256, optimizer="adam"))
    assert trainer.engine_name == TORCH and "torch" in trainer.engine_reason


def test_steered_batches_train_with_torch(builders):
    trainer = builders.trainer("xor")
    builders.record_batches(trainer)
    assert trainer.engine_name == TORCH and "by hand" in trainer.engine_reason


def test_engines_can_take_turns(builders):
    """Switching engines between iterations changes nothing: both use the same state."""
    project = builders.preset("xor")  # Adam: its moments and step count must carry over
    mixed, reference = twins(project)
    for turn in range(6):
        mixed.engine_choice = "torch" if turn % 2 else "compiled"
        mixed.run(13), reference.run(13)
    assert_same(mixed, reference)


def test_a_new_optimizer_kind_starts_fresh_in_both_engines(builders):
    compiled, reference = twins(builders.preset("xor"))
    compiled.run(20), reference.run(20)
    for t in (compiled, reference):
        t.set_settings(replace(t.settings, optimizer="nadam"))
    compiled.run(30), reference.run(30)
    assert_same(compiled, reference)


# --- divergence ------------------------------------------------------------------------------
@pytest.mark.parametrize("what, preset, settings", [
    ("loss", "line", dict(learning_rate=100.0)),
    ("loss", "exploding", {}),
])
def test_divergence_stops_before_the_bad_step_like_torch(builders, what, preset, settings):
    compiled, reference = twins(builders.preset(preset, **settings))
    with pytest.raises(TrainingDiverged) as compiled_error:
        compiled.run(500)
    with pytest.raises(TrainingDiverged) as reference_error:
        reference.run(500)
    assert str(compiled_error.value) == str(reference_error.value)
    assert f"the {what} became" in str(compiled_error.value)
    assert compiled.step_count == reference.step_count > 0
    assert all(np.isfinite(v).all() for v in compiled.weights().values())
    assert_same(compiled, reference)


def test_diverged_weights_are_rolled_back_and_the_optimizer_restarts(builders):
    compiled, _ = twins(builders.preset("line", optimizer="momentum", learning_rate=1e37))
    before = {k: v.copy() for k, v in compiled.weights().items()}
    with pytest.raises(TrainingDiverged, match="weights|gradient|loss"):
        compiled.run(50)
    if compiled.step_count == 0:
        assert all(np.array_equal(before[k], v) for k, v in compiled.weights().items())
    assert np.all(compiled.flat.moment1 == 0) or compiled.step_count > 0


# --- the window never waits for it -----------------------------------------------------------
def test_the_kernel_does_not_hold_the_gil(builders):
    trainer = builders.trainer("circle")
    trainer.run(10)  # compiled or loaded before the measurement
    start = time.perf_counter()
    trainer.run(20000)
    steps = int(0.5 / ((time.perf_counter() - start) / 20000))
    worker = threading.Thread(target=trainer.run, args=(steps,))
    count = 0
    worker.start()
    while worker.is_alive():
        count += 1
    worker.join()
    assert trainer.step_count == 20010 + steps
    assert count > 100_000, count


def test_a_replaced_tensor_is_bound_to_the_shared_buffers_again(builders):
    compiled, reference = twins(builders.preset("xor"))
    compiled.run(10), reference.run(10)
    for trainer in (compiled, reference):  # e.g. code that assigns instead of writing in place
        layer = trainer.network.layer("dense1")
        layer.bias.data = layer.bias.detach().clone() + 0.5
    compiled.run(20), reference.run(20)
    assert_same(compiled, reference)
    assert compiled.flat.still_bound()
    np.testing.assert_array_equal(compiled.network.layer("dense1").bias.detach().numpy(),
                                  compiled.weights()["dense1.bias"])
