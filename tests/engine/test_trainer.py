"""The Trainer: exact updates, regularization, clipping, batches, settings, divergence, files."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from laegna_gui.core.errors import GraphError, LossMismatchError
from laegna_gui.core.project_file import load_project, save_project
from laegna_gui.core.training_settings import OPTIMIZERS
from laegna_gui.engine.network import GraphNetwork
from laegna_gui.engine.trainer import Trainer


def test_one_sgd_step_moves_every_weight_by_minus_lr_times_gradient(builders, xor_trainer):
    report = xor_trainer.step()
    lr = xor_trainer.settings.learning_rate
    assert report.step == 1 and report.batch_size == 10 and not report.clipped
    assert set(report.gradients) == set(report.weights_before) == set(report.weights_after)
    for name, grad in report.gradients.items():
        before, after = report.weights_before[name], report.weights_after[name]
        assert np.abs(grad).max() > 0, name
        np.testing.assert_allclose(report.updates[name], -lr * grad, rtol=1e-5, atol=1e-7, err_msg=name)
        np.testing.assert_allclose(after, before - lr * grad, rtol=1e-6, atol=1e-7, err_msg=name)
        assert np.array_equal(report.updates[name], after - before)
        assert np.array_equal(after, xor_trainer.weights()[name])
    assert report.gradient_norm == pytest.approx(builders.grad_norm(report.gradients), rel=1e-5)
    assert report.loss_after < report.loss_before


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_regularization_adds_its_slope_to_dense_weights_only(builders, kind):
    rate = 0.1
    plain, reg = builders.trainer("xor", **builders.plain_sgd), builders.trainer("xor", **builders.plain_sgd)
    plain.run(5), reg.run(5)  # twins; now the biases are not zero either
    reg.set_settings(replace(reg.settings, regularization=kind, reg_rate=rate))
    plain, reg = plain.step(), reg.step()
    for name, grad in reg.gradients.items():
        w = reg.weights_before[name]
        assert np.array_equal(w, plain.weights_before[name])
        expected = np.zeros_like(w)
        if name.endswith(".weight"):
            expected = rate * (w if kind == "l2" else np.sign(w))
        np.testing.assert_allclose(grad - plain.gradients[name], expected, rtol=1e-5, atol=1e-6, err_msg=name)
    assert reg.loss_before == plain.loss_before  # reported losses exclude the penalty


def test_clipping_limits_the_applied_gradient(builders):
    raw = builders.trainer("xor", **builders.plain_sgd).step()
    limit = raw.gradient_norm / 4
    clipped = builders.trainer("xor", **{**builders.plain_sgd, "clip": True, "clip_norm": limit}).step()
    assert clipped.clipped and clipped.gradient_norm == pytest.approx(raw.gradient_norm)
    assert builders.grad_norm(clipped.gradients) <= limit * (1 + 1e-5)
    assert builders.grad_norm(clipped.gradients) == pytest.approx(limit, rel=1e-4)
    for name, grad in raw.gradients.items():  # same direction, scaled down
        scaled = grad * limit / raw.gradient_norm
        np.testing.assert_allclose(clipped.gradients[name], scaled, rtol=1e-4, atol=1e-8)
    off = builders.trainer("xor", **{**builders.plain_sgd, "clip": False, "clip_norm": limit}).step()
    assert not off.clipped
    assert builders.grad_norm(off.gradients) == pytest.approx(raw.gradient_norm, rel=1e-5)
    roomy = builders.trainer("xor", **{**builders.plain_sgd, "clip": True, "clip_norm": 1e6}).step()
    assert not roomy.clipped


def test_minibatches_make_epochs(builders, xor_trainer):
    assert len(xor_trainer.x_train) == 100 and xor_trainer.steps_per_epoch == 10
    seen = builders.record_batches(xor_trainer)
    for i in range(1, 11):
        xor_trainer.run(1)
        assert xor_trainer.epoch == (1 if i == 10 else 0), i
    assert [len(b) for b in seen] == [10] * 10
    assert np.array_equal(np.sort(torch.cat(seen).numpy()), np.arange(100))  # each point once
    xor_trainer.run(10)
    assert xor_trainer.epoch == 2
    assert np.array_equal(np.sort(torch.cat(seen[10:]).numpy()), np.arange(100))
    assert not torch.equal(torch.cat(seen[:10]), torch.cat(seen[10:]))  # reshuffled


@pytest.mark.parametrize("size,steps,lengths", [(0, 1, [100]), (1, 100, [1] * 100), (7, 15, [7] * 14 + [2])])
def test_batch_size_full_online_and_ragged(builders, size, steps, lengths):
    trainer = builders.trainer("xor", batch_size=size)
    assert trainer.steps_per_epoch == steps
    seen = builders.record_batches(trainer)
    trainer.run_epochs(1)
    assert trainer.epoch == 1 and trainer.step_count == steps
    assert [len(b) for b in seen] == lengths
    assert np.array_equal(np.sort(torch.cat(seen).numpy()), np.arange(100))


def test_run_epochs_completes_exactly_two_epochs(xor_trainer):
    xor_trainer.run_epochs(2)
    assert (xor_trainer.epoch, xor_trainer.step_count) == (2, 20)
    xor_trainer.run(3)  # partly into the third epoch
    xor_trainer.run_epochs(2)
    assert (xor_trainer.epoch, xor_trainer.step_count) == (4, 40)


def test_same_seed_same_weights_other_seed_differs(builders):
    a, b, c = (builders.trainer(builders.preset("xor", seed=s)) for s in (3, 3, 4))
    for t in (a, b, c):
        t.run(60)
    for name, w in a.weights().items():
        assert np.array_equal(w, b.weights()[name]), name
    assert a.evaluate() == b.evaluate()
    assert any(not np.array_equal(w, c.weights()[k]) for k, w in a.weights().items())
    spec, analysis = a.data.spec, a.analysis  # the seed alone picks the initial weights
    first, again, other = (GraphNetwork(a.graph, analysis, spec, s).weights() for s in (3, 3, 4))
    assert all(np.array_equal(w, again[k]) for k, w in first.items())
    assert not np.array_equal(first["dense1.weight"], other["dense1.weight"])


def test_new_learning_rate_applies_at_the_next_step(xor_trainer):
    xor_trainer.step()
    optimizer = xor_trainer.optimizer
    xor_trainer.set_settings(replace(xor_trainer.settings, learning_rate=0.001))
    assert xor_trainer.optimizer is optimizer  # same kind: state kept
    report = xor_trainer.step()
    for name, grad in report.gradients.items():
        np.testing.assert_allclose(report.updates[name], -0.001 * grad, rtol=1e-4, atol=1e-7, err_msg=name)


def test_switching_optimizer_keeps_weights(xor_trainer):
    xor_trainer.run(5)
    before = xor_trainer.weights()
    xor_trainer.set_settings(replace(xor_trainer.settings, optimizer="adam"))
    assert isinstance(xor_trainer.optimizer, torch.optim.Adam)
    for name, w in xor_trainer.weights().items():
        assert np.array_equal(w, before[name])
    report = xor_trainer.step()
    assert any(np.abs(u).max() > 0 for u in report.updates.values())


@pytest.mark.parametrize("loss", ["cross_entropy", "hinge", "nonsense"])
def test_unfit_loss_is_refused_and_old_settings_stay(xor_trainer, loss):
    old, objective = xor_trainer.settings, xor_trainer.objective
    with pytest.raises(LossMismatchError):
        xor_trainer.set_settings(replace(old, loss=loss, learning_rate=0.5))
    assert xor_trainer.settings is old and xor_trainer.objective is objective
    assert xor_trainer.step().loss_before >= 0


@pytest.mark.parametrize("case", ["line", "batch_norm"])
def test_divergence_keeps_the_last_good_weights(builders, case):
    if case == "line":
        trainer = builders.trainer("line", learning_rate=100.0)
    else:  # batch-norm statistics are part of the weights and must be rolled back too
        graph = builders.sequential(builders.dense(8), builders.act("relu"), builders.dense(8),
                                    ("batch_norm", {}), builders.dense(1))
        trainer = Trainer(builders.project(graph, loss="mse", learning_rate=100.0, **builders.plain_sgd))
    error, before = builders.diverge(trainer)
    assert "lower the learning rate" in str(error).lower() and "(now 100)" in str(error)
    for name, w in trainer.weights().items():
        assert np.isfinite(w).all() and np.array_equal(w, before[name]), name


@pytest.mark.parametrize("with_batch_norm", [False, True])
def test_a_huge_weight_diverges_at_once(builders, bn_dropout_graph, with_batch_norm):
    graph = bn_dropout_graph if with_batch_norm else builders.sequential(builders.dense(8), builders.dense(1))
    trainer = Trainer(builders.project(graph, loss="mse", **builders.plain_sgd))
    weights = {k: v.copy() for k, v in trainer.weights().items()}
    weights["dense1.weight"][:] = 3e38  # inf where x1 + x2 > 1.2, then inf - inf = NaN
    trainer.network.load_weights(weights)
    error, before = builders.diverge(trainer, limit=1)
    assert "step 1: the loss became NaN" in str(error)
    for name, w in trainer.weights().items():  # batch-norm statistics included
        assert np.array_equal(w, before[name]), name


@pytest.mark.parametrize("graph", ["preset", "batch_norm"])
def test_saved_weights_reload_to_identical_predictions(builders, bn_dropout_graph, tmp_path, graph):
    project = builders.preset("xor")
    if graph == "batch_norm":  # running statistics travel with the weights
        project = builders.project(bn_dropout_graph, loss="bce", optimizer="adam", learning_rate=0.01)
    trainer = Trainer(project)
    trainer.run(300)
    project.weights = trainer.weights()
    save_project(project, tmp_path / "xor.laegna")
    again = Trainer(load_project(tmp_path / "xor.laegna"))
    grid = np.stack(np.meshgrid(np.linspace(-0.5, 1.5, 30), np.linspace(-0.5, 1.5, 30)), -1).reshape(-1, 2)
    assert np.array_equal(trainer.predict(grid), again.predict(grid))
    assert trainer.evaluate() == again.evaluate()


def test_batch_norm_and_dropout_train_and_evaluate_deterministically(builders, bn_dropout_graph):
    trainer = Trainer(builders.project(bn_dropout_graph, loss="bce", optimizer="adam", learning_rate=0.01))
    start = trainer.evaluate().train_loss
    trainer.run(150)
    first, second = trainer.evaluate(), trainer.evaluate()
    assert first == second and first.train_loss < start
    grid = np.random.default_rng(0).uniform(-1, 2, (50, 2))
    assert np.array_equal(trainer.predict(grid), trainer.predict(grid))
    trainer.network.train()  # dropout really is active while training, a new mask each step
    x = torch.as_tensor(grid, dtype=torch.float32)
    trainer.network.set_step(7)
    seventh = trainer.network(x)
    assert torch.equal(seventh, trainer.network(x)) and not torch.equal(seventh, torch.as_tensor(trainer.predict(grid)))
    trainer.network.set_step(8)
    assert not torch.equal(seventh, trainer.network(x))


def test_batch_norm_refuses_single_point_batches(builders, bn_dropout_graph):
    project = builders.project(bn_dropout_graph, loss="bce", batch_size=1)
    with pytest.raises(GraphError, match="batch norm needs batches of 2 or more"):
        Trainer(project)
    trainer = Trainer(replace(project, training=replace(project.training, batch_size=4)))
    with pytest.raises(GraphError, match="raise the batch size"):
        trainer.set_settings(replace(trainer.settings, batch_size=1))
    assert trainer.settings.batch_size == 4


def test_derived_input_features(builders):
    graph = builders.sequential(builders.dense(3), builders.act("tanh"), builders.dense(1),
                                builders.act("sigmoid"), features=("x1", "x2", "x1*x2"))
    trainer = Trainer(builders.project(graph, loss="bce"))
    assert trainer.analysis.widths["input1"] == 3 and trainer.weights()["dense1.weight"].shape == (3, 3)
    x = torch.tensor([[2.0, 3.0], [-0.5, 4.0], [0.0, 1.5]])
    np.testing.assert_array_equal(trainer.network.layer("input1")(x).numpy(),
                                  [[2, 3, 6], [-0.5, 4, -2], [0, 1.5, 0]])
    trainer.run(20)


def test_snapshots_and_reports_are_frozen_copies(xor_trainer):
    report = xor_trainer.step()
    xor_trainer.run(3)
    snap = xor_trainer.snapshot()
    assert (snap.step, snap.epoch) == (4, 0) and snap.gradients
    kept_w = {k: v.copy() for k, v in snap.weights.items()}
    kept_g = {k: v.copy() for k, v in snap.gradients.items()}
    arrays = [*snap.weights.values(), *snap.gradients.values(), *report.weights_before.values(),
              *report.updates.values(), *report.gradients.values(), *report.weights_after.values()]
    for array in arrays:
        assert isinstance(array, np.ndarray)
        with pytest.raises(ValueError):
            array[(0,) * array.ndim] = 1.0
    xor_trainer.run(20)
    now = xor_trainer.snapshot()
    for name, w in snap.weights.items():
        assert np.array_equal(w, kept_w[name]) and not np.array_equal(w, now.weights[name])
    for name, g in snap.gradients.items():
        assert np.array_equal(g, kept_g[name]) and not np.array_equal(g, now.gradients[name])


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_lowers_the_xor_loss(builders, optimizer):
    trainer = builders.trainer("xor", optimizer=optimizer)
    start = trainer.evaluate().train_loss
    trainer.run(200)
    assert trainer.evaluate().train_loss < start


def test_nesterov_without_momentum_is_plain_sgd(builders):
    nesterov = builders.trainer("xor", optimizer="nesterov", momentum=0.0).step()
    sgd = builders.trainer("xor", optimizer="sgd").step()
    for name, w in sgd.weights_after.items():
        np.testing.assert_allclose(nesterov.weights_after[name], w, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("node_id", ["forward", "training", "keys", "update", "eval", "type"])
def test_node_ids_that_are_torch_attribute_names_train_and_keep_their_weight_names(node_id):
    from laegna_gui.core.graph import Graph
    from laegna_gui.core.presets import load_preset

    project = load_preset("xor")
    old = project.graph
    dense = old.nodes_of_type("dense")[0].id
    graph = Graph()
    for node in old.nodes.values():
        graph.add_node(node.type, dict(node.params), node.pos, node_id=node_id if node.id == dense else node.id)
    for src, dst in old.edges:
        graph.add_edge(node_id if src == dense else src, node_id if dst == dense else dst)
    project.graph = graph
    trainer = Trainer(project)
    assert f"{node_id}.weight" in trainer.network.named_state()
    trainer.run(20)
    assert trainer.step_count == 20
