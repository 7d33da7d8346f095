"""Random search, the optimizer without gradients: a nudge to every weight, kept only when the
batch loss falls. Checked step by step from the reports, against its own noise, across runs,
engines, files and the exported script."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch
from export_helpers import import_script, write_script

from laegna_gui.core.project_file import dumps_project, loads_project
from laegna_gui.engine.cancel import TrainingCancelled
from laegna_gui.engine.export_script import ScriptParts
from laegna_gui.engine.optimizers import RandomSearch, nudge_noise
from laegna_gui.engine.random_search import NO_GRADIENTS
from laegna_gui.engine.trainer import TORCH, Trainer

SEARCH = dict(optimizer="random_search", regularization="none", reg_rate=0.0, clip=False)


def search_trainer(builders, name: str = "xor", **training) -> Trainer:
    return builders.trainer(name, **{**SEARCH, **training})


def bitwise(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def penalised(report, rate: float) -> tuple[float, float]:
    """Loss + L1 penalty before and after a step, in float32 as the trainer sums them."""
    def total(loss: float, weights: dict[str, np.ndarray]) -> float:
        dense = [torch.tensor(w) for name, w in weights.items() if name.endswith(".weight") and w.ndim == 2]
        return (torch.tensor(loss, dtype=torch.float32) + rate * sum(w.abs().sum() for w in dense)).item()

    return total(report.loss_before, report.weights_before), total(report.loss_after, report.weights_after)


def check_reports(trainer: Trainer, steps: int, rate: float = 0.0) -> tuple[int, int]:
    """Step and check every report; returns (kept, undone)."""
    kept = undone = 0
    for _ in range(steps):
        report = trainer.step()
        assert report.gradients == {} and report.gradient_norm == 0.0 and not report.clipped
        for name, update in report.updates.items():
            np.testing.assert_array_equal(update, report.weights_after[name] - report.weights_before[name])
        if report.nudge_kept:
            kept += 1
            before, after = penalised(report, rate)
            assert after < before, f"step {report.step} kept a nudge that did not lower the loss"
            assert any(u.any() for u in report.updates.values())
        else:
            undone += 1
            assert report.loss_after == report.loss_before
            for name, w in report.weights_after.items():
                assert bitwise(w, report.weights_before[name]), name
                assert not report.updates[name].any()
    return kept, undone


def test_no_step_keeps_a_nudge_that_does_not_lower_the_batch_loss(builders):
    kept, undone = check_reports(search_trainer(builders, learning_rate=0.05), 150)
    assert kept > 10 and undone > 10  # both happen: the check saw each kind many times


def test_with_batch_norm_and_dropout_the_reported_losses_are_the_ones_compared(builders, bn_dropout_graph):
    """Eval mode: dropout off, batch norm on its running statistics, which nothing changes."""
    trainer = Trainer(builders.project(bn_dropout_graph, "circle", **SEARCH, learning_rate=0.05, batch_size=16))
    stats = trainer.flat.stats.copy()
    kept, undone = check_reports(trainer, 60)
    assert kept > 0 and undone > 0
    np.testing.assert_array_equal(trainer.flat.stats, stats)


def test_the_penalty_is_part_of_the_loss_compared(builders):
    trainer = search_trainer(builders, learning_rate=0.05, regularization="l1", reg_rate=0.1)
    reports = []
    trainer_step = trainer.step
    trainer.step = lambda: reports.append(trainer_step()) or reports[-1]
    kept, undone = check_reports(trainer, 120, rate=0.1)
    assert kept > 0 and undone > 0
    # some nudges were kept for shrinking the weights while the batch's own loss rose
    assert any(r.nudge_kept and r.loss_after > r.loss_before for r in reports)


def test_a_kept_nudge_is_the_learning_rate_times_the_seeds_gaussian_numbers(builders):
    trainer = search_trainer(builders, learning_rate=0.07)
    order = list(trainer.network.named_trainables())
    for _ in range(40):
        step = trainer.step_count
        report = trainer.step()
        if not report.nudge_kept:
            continue
        noise = nudge_noise(trainer.seed, step, sum(report.weights_before[n].size for n in order))
        start = 0
        for name in order:
            before = report.weights_before[name]
            nudge = (0.07 * noise[start:start + before.size]).astype(np.float32).reshape(before.shape)
            assert bitwise(report.weights_after[name], before + nudge), name
            start += before.size
        return
    pytest.fail("no nudge was kept in 40 steps")


def test_the_nudges_are_standard_normal_and_differ_from_step_to_step():
    z = nudge_noise(7, 3, 200_000)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    assert abs(np.mean(np.abs(z) < 1) - 0.6827) < 0.005  # the share within one standard deviation
    assert np.all(np.isfinite(z))
    assert bitwise(z, nudge_noise(7, 3, 200_000))
    assert abs(np.corrcoef(z[:1000], nudge_noise(7, 4, 1000))[0, 1]) < 0.15
    assert abs(np.corrcoef(z[:1000], nudge_noise(8, 3, 1000))[0, 1]) < 0.15


def test_over_a_few_hundred_steps_it_lowers_the_xor_training_loss(builders):
    trainer = search_trainer(builders, learning_rate=0.1, batch_size=10)
    start = trainer.evaluate().train_loss
    trainer.run(400)
    assert trainer.step_count == 400 and trainer.epoch == 40  # 100 points in batches of 10
    assert trainer.evaluate().train_loss < 0.8 * start


def test_the_same_seed_gives_the_same_run_and_another_seed_another(builders):
    def weights(seed: int) -> dict[str, np.ndarray]:
        trainer = Trainer(builders.preset("xor", seed=seed, **SEARCH))
        trainer.run(60)
        for _ in range(5):
            trainer.step()
        return trainer.weights()

    first, again, other = weights(3), weights(3), weights(4)
    assert all(bitwise(first[n], again[n]) for n in first)
    assert not all(bitwise(first[n], other[n]) for n in first)


def test_reset_replays_the_same_nudges(builders):
    trainer = search_trainer(builders)
    trainer.run(30)
    trained = trainer.weights()
    trainer.reset()
    trainer.run(30)
    assert all(bitwise(w, trained[n]) for n, w in trainer.weights().items())


def test_it_trains_on_torch_and_says_why(builders):
    trainer = search_trainer(builders)
    assert trainer.engine_name == TORCH and trainer.engine_reason == "random search runs on torch"
    trainer.engine_choice = "compiled"  # even where the compiled engine is asked for
    assert trainer.engine_name == TORCH and trainer.engine_reason == "random search runs on torch"
    trainer.run(5)
    assert trainer.snapshot(with_probes=False).engine_reason == "random search runs on torch"
    trainer.set_settings(replace(trainer.settings, optimizer="sgd"))
    assert trainer.engine_reason != "random search runs on torch"


def test_snapshots_show_no_gradients_and_say_why(builders):
    trainer = builders.trainer("xor", optimizer="sgd")
    trainer.run(5)  # gradients that are not zero, which must not be shown as random search's
    assert trainer.snapshot().gradients
    trainer.set_settings(replace(trainer.settings, **SEARCH))
    trainer.step()
    snapshot = trainer.snapshot()
    assert snapshot.gradients == {} and snapshot.probes.layer_gradient_norms == {}
    assert snapshot.probes.gradient_warning == NO_GRADIENTS
    assert "Random search uses no gradients" in NO_GRADIENTS
    assert not trainer.flat.grads.any()


def test_switching_between_random_search_and_adam_keeps_training(builders):
    trainer = builders.trainer("xor", optimizer="adam", learning_rate=0.02)
    trainer.run(20)
    trainer.set_settings(replace(trainer.settings, optimizer="random_search"))
    trainer.run(20)
    trainer.set_settings(replace(trainer.settings, optimizer="adam"))
    report = trainer.step()
    assert trainer.step_count == 41 and report.gradients and report.nudge_kept is None


def test_a_cancelled_try_leaves_the_weights_and_batches_as_they_were(builders):
    """Cancelled while measuring the nudged weights: the nudge is undone."""
    trainer, twin = search_trainer(builders), search_trainer(builders)
    for t in (trainer, twin):
        t.run(7)
    params, cursor = trainer.flat.params.copy(), trainer.schedule.cursor
    calls = []

    def penalty():  # the loss before the nudge is measured: ask to cancel the rest
        calls.append(1)
        trainer.cancel.request()
        return 0.0

    trainer._penalty = penalty
    with pytest.raises(TrainingCancelled):
        trainer.step()
    assert calls == [1]
    np.testing.assert_array_equal(trainer.flat.params, params)
    assert (trainer.step_count, trainer.schedule.cursor) == (7, cursor)
    trainer.cancel.acknowledge()
    del trainer._penalty
    for t in (trainer, twin):
        t.run(3)
    assert bitwise(trainer.flat.params, twin.flat.params)


def test_the_optimizer_alone_never_lets_the_loss_rise():
    """On a bumpy function of three numbers, with big nudges: the loss only ever falls."""
    w = torch.nn.Parameter(torch.tensor([1.5, -2.0, 0.5]))
    optimizer = RandomSearch([w], lr=0.8, seed=11)

    def loss() -> float:
        return float((w * w).sum() + torch.sin(5 * w).sum())  # (called with gradients off)

    with torch.no_grad():
        losses = [loss()]
    for step in range(300):
        kept_before = w.detach().clone()
        before, kept = optimizer.step(loss, step)
        assert before == losses[-1]
        with torch.no_grad():
            losses.append(loss())
        assert (losses[-1] < before) if kept else bitwise(w.detach().numpy(), kept_before.numpy())
    assert losses[-1] < losses[0] - 1


def test_the_choice_survives_a_project_file(builders):
    project = builders.preset("xor", **SEARCH, learning_rate=0.2)
    loaded = loads_project(dumps_project(project))
    assert loaded.training.optimizer == "random_search" and loaded.training.learning_rate == 0.2


@pytest.mark.parametrize("graph", ["preset", "batch norm and dropout"])
def test_the_exported_script_keeps_exactly_the_nudges_the_app_keeps(builders, bn_dropout_graph, graph, tmp_path):
    if graph == "preset":
        project = builders.preset("xor", **{**SEARCH, "regularization": "l2", "reg_rate": 0.003})
    else:
        project = builders.project(bn_dropout_graph, "circle", seed=5, **SEARCH, learning_rate=0.05, batch_size=16)
    module = import_script(write_script(project, 10, tmp_path))
    assert bitwise(module.nudge_noise(project.seed, 12, 333), nudge_noise(project.seed, 12, 333))
    trainer = Trainer(project)
    trainer.run(150)
    model = module.Network()
    module.train(model, *(torch.as_tensor(a) for a in module.make_data()[:2]), 150)
    state = model.state_dict()
    for name, key in ScriptParts(project).network.state_names().items():
        assert bitwise(state[key].numpy(), trainer.weights()[name]), name
