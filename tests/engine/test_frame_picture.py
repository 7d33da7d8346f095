"""A recorded moment drawn again from its weights alone (engine/frame_picture.py): the same
picture the live snapshot of that moment had, the slope of the whole loss there, and the live
trainer — weights, optimizer state, batch order — untouched."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from laegna_gui.core.errors import LaegnaError
from laegna_gui.engine.cancel import TrainingCancelled
from laegna_gui.engine.frame_picture import frame_picture
from laegna_gui.engine.random_search import NO_GRADIENTS
from laegna_gui.engine.snapshot import Metrics, Snapshot


def bare(snapshot: Snapshot) -> Snapshot:
    """`snapshot` as a reopened recording keeps it: weights and the four numbers."""
    m = snapshot.metrics
    return Snapshot(snapshot.step, snapshot.epoch, Metrics(m.train_loss, m.test_loss, m.train_accuracy,
                                                           m.test_accuracy), dict(snapshot.weights))


def trainer_state(trainer) -> dict[str, np.ndarray]:
    """Everything a picture must leave alone: weights, flat buffers (optimizer moments and
    step counts included), counters and the batch order."""
    flat = trainer.flat
    return {"rows": flat.rows.copy(), "stats": flat.stats.copy(), "steps": flat.steps.copy(),
            "mu": flat.mu_products.copy(), "order": trainer.schedule.order.copy(),
            "counters": np.array([trainer.step_count, trainer.epoch, trainer.schedule.cursor]),
            **{k: v.copy() for k, v in trainer.weights().items()}}


def assert_same(before: dict[str, np.ndarray], after: dict[str, np.ndarray]) -> None:
    assert before.keys() == after.keys()
    for name in before:
        np.testing.assert_array_equal(after[name], before[name], err_msg=name)


def test_a_moment_drawn_from_its_weights_has_the_picture_it_had_live(builders):
    trainer = builders.trainer("dying-relu")  # ReLU units: dead fractions to compare too
    trainer.run(20)
    live = trainer.snapshot()
    trainer.run(200)  # training went on: the trainer is elsewhere now
    before = trainer_state(trainer)
    drawn = frame_picture(trainer, bare(live))
    assert_same(before, trainer_state(trainer))
    assert (drawn.step, drawn.epoch, drawn.weights) == (live.step, live.epoch, live.weights)
    np.testing.assert_array_equal(drawn.probes.boundary, live.probes.boundary)
    assert drawn.probes.neuron_maps.keys() == live.probes.neuron_maps.keys()
    for node, maps in live.probes.neuron_maps.items():
        np.testing.assert_array_equal(drawn.probes.neuron_maps[node], maps, err_msg=node)
    assert drawn.probes.extent == live.probes.extent and drawn.probes.dead_fraction == live.probes.dead_fraction
    assert drawn.probes.dead_fraction  # the preset has ReLU layers
    np.testing.assert_array_equal(drawn.metrics.train_answers, live.metrics.train_answers)
    np.testing.assert_array_equal(drawn.metrics.test_answers, live.metrics.test_answers)
    assert drawn.metrics.train_loss == live.metrics.train_loss  # the recorded numbers stay
    assert not drawn.metrics.train_answers.flags.writeable


def test_the_boundary_is_the_networks_answer_over_the_plane(builders):
    trainer = builders.trainer("xor")
    trainer.run(100)
    moment = bare(trainer.snapshot())
    trainer.run(100)
    drawn = frame_picture(trainer, moment)
    again = builders.trainer(replace(builders.preset("xor"), weights=dict(moment.weights)))
    n = drawn.probes.boundary.shape[0]
    x0, x1, y0, y1 = drawn.probes.extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, n, dtype=np.float32), np.linspace(y0, y1, n, dtype=np.float32))
    expected = again.predict(np.stack([gx.ravel(), gy.ravel()], axis=1))[:, 0].reshape(n, n)
    np.testing.assert_allclose(drawn.probes.boundary, np.clip(expected, 0, 1), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("regularization", ["none", "l2"])
def test_its_gradients_are_the_full_batch_slope_at_its_weights(builders, regularization):
    """A full-batch Step's gradient is taken at the weights before it: the same slope."""
    trainer = builders.trainer("xor", batch_size=0, regularization=regularization, reg_rate=0.01)
    trainer.run(30)
    report = trainer.step()
    moment = Snapshot(report.step - 1, 0, Metrics(1.0, 1.0, None, None), report.weights_before)
    drawn = frame_picture(trainer, moment)
    assert drawn.gradients.keys() == report.gradients.keys()
    for name, gradient in report.gradients.items():
        np.testing.assert_allclose(drawn.gradients[name], gradient, rtol=1e-4, atol=1e-7, err_msg=name)
    norms = drawn.probes.layer_gradient_norms
    assert set(norms) == {"dense1", "dense2"} and all(v > 0 for v in norms.values())


def test_random_search_draws_no_gradients(builders):
    trainer = builders.trainer("xor", optimizer="random_search")
    drawn = frame_picture(trainer, bare(trainer.snapshot()))
    assert drawn.gradients == {} and drawn.probes.layer_gradient_norms == {}
    assert drawn.probes.gradient_warning == NO_GRADIENTS and drawn.probes.boundary is not None


def test_weights_of_another_network_are_refused(builders):
    trainer = builders.trainer("xor")
    moment = bare(trainer.snapshot())
    wider = {**moment.weights, "dense1.weight": np.zeros((9, 2), dtype=np.float32)}
    with pytest.raises(LaegnaError, match="dense1.weight"):
        frame_picture(trainer, replace(moment, weights=wider))
    fewer = {k: v for k, v in moment.weights.items() if k != "dense2.bias"}
    with pytest.raises(LaegnaError, match="dense2.bias"):
        frame_picture(trainer, replace(moment, weights=fewer))


def test_an_interrupt_cancels_the_drawing_and_leaves_the_trainer_as_it_was(builders):
    trainer = builders.trainer("xor")
    trainer.run(10)
    moment = bare(trainer.snapshot())
    before = trainer_state(trainer)
    trainer.cancel.request()
    with pytest.raises(TrainingCancelled):
        frame_picture(trainer, moment)
    trainer.cancel.acknowledge()
    assert_same(before, trainer_state(trainer))
    assert frame_picture(trainer, moment).probes is not None
