"""The lesson presets teach what their descriptions promise, measured with the real Trainer."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from laegna_gui.core.errors import TrainingDiverged
from laegna_gui.core.presets import load_preset
from laegna_gui.engine.probes import EXPLODING_NORM, VANISHING_RATIO
from laegna_gui.engine.trainer import Trainer

LESSONS = ("dying-relu", "vanishing", "exploding", "overfit")


def with_training(project, **changes):
    return replace(project, training=replace(project.training, **changes))


def dense_order(trainer: Trainer, norms: dict[str, float]) -> list[str]:
    return [n for n in trainer.analysis.order if n in norms]


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_presets_are_valid_projects(name):
    project = load_preset(name)
    project.analyse()  # raises on an invalid graph
    assert project.description and project.weights is None and project.seed == 0


def test_dying_relu_a_high_rate_kills_the_units_a_lower_one_keeps_them():
    project = load_preset("dying-relu")
    assert project.training.optimizer == "sgd" and project.training.learning_rate == 3.0
    high = Trainer(project)
    high.run(200)
    dead = high.snapshot().probes.dead_fraction
    assert set(dead) == {"activation1", "activation2"}
    assert max(dead.values()) >= 0.5, dead  # in fact every hidden unit: 1.0 and 1.0
    stuck = high.evaluate()
    assert stuck.test_accuracy < 0.6 and stuck.train_loss > 0.6  # a coin toss (log 2 = 0.69)

    low = Trainer(with_training(project, learning_rate=project.training.learning_rate / 10))
    low.run(200)
    alive = low.snapshot().probes.dead_fraction
    assert max(alive.values()) < 0.5, alive
    assert low.evaluate().test_accuracy >= 0.9

    leaky = project.copy()  # the other fix the description names: leaky ReLU, slope 0.1, clipped
    for node in ("activation1", "activation2"):
        leaky.graph.set_params(node, {"function": "leaky_relu", "slope": 0.1})
    # log loss from the logits keeps a confidently wrong point's full slope, so at rate 3 the
    # leaky network overshoots without clipping; with it, it learns the circle
    recovered = Trainer(with_training(leaky, clip=True, clip_norm=1.0))
    recovered.run(1500)
    assert recovered.evaluate().test_accuracy >= 0.9


def test_vanishing_the_first_layer_gets_almost_no_gradient():
    project = load_preset("vanishing")
    trainer = Trainer(project)
    dense = [n for n in trainer.analysis.order if trainer.graph.node(n).type == "dense"]
    assert len(dense) == 9
    trainer.step()
    first = trainer.snapshot().probes  # what the gradient view shows after one step
    assert dense_order(trainer, first.layer_gradient_norms) == dense
    norms = first.layer_gradient_norms
    assert norms[dense[0]] / norms[dense[-1]] < VANISHING_RATIO, norms
    assert first.gradient_warning.startswith("Vanishing gradients"), first.gradient_warning
    warned, ratios = 0, []
    for _ in range(40):  # mini-batches are noisy: the warning holds on most steps
        report = trainer.step()
        probes = trainer.probes(report.gradients)
        norms = probes.layer_gradient_norms
        ratios.append(norms[dense[0]] / norms[dense[-1]])
        warned += probes.gradient_warning.startswith("Vanishing gradients")
    assert sorted(ratios)[len(ratios) // 2] < VANISHING_RATIO, ratios
    assert max(ratios) < 1e-2, ratios
    assert warned >= 0.75 * len(ratios), (warned, ratios)
    trainer.run(259)
    assert trainer.evaluate().test_accuracy < 0.6  # 300 steps and still a coin toss


def test_vanishing_leaky_relu_in_the_hidden_layers_learns():
    project = load_preset("vanishing").copy()
    hidden = [n for n in project.graph.topological_order()
              if project.graph.node(n).type == "activation"][:-1]
    assert len(hidden) == 8
    for node in hidden:
        project.graph.set_params(node, {"function": "leaky_relu", "slope": 0.1})
    trainer = Trainer(project)
    report = trainer.step()
    assert not trainer.probes(report.gradients).gradient_warning
    trainer.run(1499)
    assert trainer.evaluate().test_accuracy >= 0.9


def test_exploding_diverges_without_clipping_and_trains_with_it():
    project = load_preset("exploding")
    assert project.training.clip is False and project.training.clip_norm == 1.0
    trainer = Trainer(project)
    exploded = False
    with pytest.raises(TrainingDiverged):
        for _ in range(50):
            report = trainer.step()
            warning = trainer.probes(report.gradients).gradient_warning
            exploded |= warning.startswith("Exploding gradients")
    assert exploded and trainer.step_count < 20

    clipped = Trainer(with_training(project, clip=True))
    norms = []
    for _ in range(20):
        report = clipped.step()
        norms.append(report.gradient_norm)
        assert math.isfinite(report.loss_after)
    assert max(norms) < EXPLODING_NORM and any(r > 1.0 for r in norms)  # clipping does work
    loss = clipped.run(1480)
    metrics = clipped.evaluate()
    assert math.isfinite(loss) and clipped.step_count == 1500
    assert metrics.test_loss < 0.02, metrics  # the sine preset's own bar for a fit


def test_overfit_the_train_test_gap_opens():
    project = load_preset("overfit")
    trainer = Trainer(project)
    assert len(trainer.data.x_train) == 30 and len(trainer.data.x_test) == 30
    trainer.run(10)
    early = trainer.evaluate()
    trainer.run(190)
    late = trainer.evaluate()
    assert late.train_loss < 0.05 and late.train_accuracy == 1.0
    assert late.test_loss > 2 * late.train_loss and late.test_loss > 1.0
    assert late.train_accuracy > late.test_accuracy + 0.15
    assert late.train_loss < early.train_loss and late.test_loss > early.test_loss  # diverging curves


def test_clipping_visibly_caps_the_gradient_norms_the_views_plot():
    from dataclasses import replace

    from laegna_gui.core.presets import load_preset
    from laegna_gui.engine.trainer import Trainer

    project = load_preset("exploding")
    project.training = replace(project.training, clip=True, clip_norm=1.0)
    trainer = Trainer(project)
    trainer.run(20)
    norms = trainer.snapshot().probes.layer_gradient_norms
    assert sum(v * v for v in norms.values()) ** 0.5 <= 1.0 + 1e-4
    unclipped = Trainer(load_preset("exploding"))
    unclipped.run(4)
    raw = unclipped.snapshot().probes.layer_gradient_norms
    assert sum(v * v for v in raw.values()) ** 0.5 > 1.0
