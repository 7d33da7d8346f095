"""TensorFlow Playground's squared error ("half_mse") and initialisation ("playground")
against a hand port of its src/nn.ts: one batch from the same weights moves them as the
playground would, on both engines and in the exported script.

nn.ts scores a point with Errors.SQUARE, ½(o − t)², whose derivative o − t `backProp`
adds up over the batch; `updateWeights` divides the sums by the number of points (the
batch) and steps by the learning rate; playground.ts `getLoss` shows the mean of ½(o − t)²
over a set. New links start at `Math.random() − 0.5`, nodes with bias 0.1."""

from __future__ import annotations

import numpy as np
import pytest
from export_helpers import act, dense, import_script, run_main, sequential, write_script

from laegna_gui.core.datasets import DatasetSettings
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project import Project
from laegna_gui.core.training_settings import TrainingSettings
from laegna_gui.engine.compiled import schedule
from laegna_gui.engine.compiled.engine import numba_error
from laegna_gui.engine.trainer import Trainer

ENGINES = ["torch", pytest.param("compiled", marks=pytest.mark.skipif(bool(numba_error()), reason="no numba"))]
LAYERS = ("dense1", "dense2", "dense3")


class PlaygroundPort:
    """nn.ts for a network of tanh layers, in float64: `w[l][i, j]` is the weight of the link
    from node j of layer l to node i of layer l + 1, `b[l][i]` that node's bias."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.w = [weights[f"{n}.weight"].astype(np.float64) for n in LAYERS]
        self.b = [weights[f"{n}.bias"].astype(np.float64) for n in LAYERS]
        self.acc_w = [np.zeros_like(w) for w in self.w]  # Link.accErrorDer
        self.acc_b = [np.zeros_like(b) for b in self.b]  # Node.accInputDer
        self.count = 0  # numAccumulatedDers: the same for every node and link here

    def forward_prop(self, point: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(each layer's outputs, each layer's total inputs): Node.updateOutput, layer by layer."""
        outputs, totals = [point.astype(np.float64)], []
        for w, b in zip(self.w, self.b):
            totals.append(b + w @ outputs[-1])  # bias + Σ link.weight · link.source.output
            outputs.append(np.tanh(totals[-1]))  # Activations.TANH
        return outputs, totals

    def back_prop(self, point: np.ndarray, target: float) -> None:
        outputs, totals = self.forward_prop(point)
        output_der = outputs[-1] - target  # Errors.SQUARE.der
        for layer in range(len(self.w) - 1, -1, -1):
            input_der = output_der * (1 - np.tanh(totals[layer]) ** 2)  # TANH.der(totalInput)
            self.acc_b[layer] += input_der
            self.acc_w[layer] += np.outer(input_der, outputs[layer])  # inputDer · source.output
            if layer > 0:
                output_der = self.w[layer].T @ input_der  # Σ output.weight · output.dest.inputDer
        self.count += 1

    def update_weights(self, learning_rate: float) -> None:
        """updateWeights with no regularization."""
        for layer in range(len(self.w)):
            self.b[layer] -= learning_rate * self.acc_b[layer] / self.count
            self.w[layer] -= (learning_rate / self.count) * self.acc_w[layer]
        self.acc_w = [np.zeros_like(w) for w in self.w]
        self.acc_b = [np.zeros_like(b) for b in self.b]
        self.count = 0

    def get_loss(self, x: np.ndarray, labels: np.ndarray) -> float:
        """playground.ts getLoss: the mean over the points of Errors.SQUARE.error."""
        return float(np.mean([0.5 * (self.forward_prop(p)[0][-1][0] - t) ** 2 for p, t in zip(x, labels)]))

    def weights(self) -> dict[str, np.ndarray]:
        return {**{f"{n}.weight": w for n, w in zip(LAYERS, self.w)},
                **{f"{n}.bias": b for n, b in zip(LAYERS, self.b)}}


def playground_project(loss: str = "half_mse", learning_rate: float = 0.03, batch_size: int = 10) -> Project:
    """The playground's default network, 2-4-2-1 tanh with tanh at the output (its labels,
    like Laegna's targets for a tanh output, are −1/+1), on its circle data."""
    graph = sequential(dense(4, init="playground"), act("tanh"), dense(2, init="playground"), act("tanh"),
                       dense(1, init="playground"), act("tanh"))
    return Project(graph, DatasetSettings("circle", 200, 0.0, 0.5),
                   TrainingSettings(loss=loss, optimizer="sgd", learning_rate=learning_rate, batch_size=batch_size,
                                    regularization="none", reg_rate=0.0, clip=False), seed=3)


def next_batch(trainer: Trainer) -> np.ndarray:
    """The indices the trainer's next Step will train on (read from its schedule)."""
    plan = trainer.schedule
    order = plan.order if plan.cursor < plan.n else schedule.epoch_order(plan.n, plan.seed, plan.epoch)
    start = plan.cursor if plan.cursor < plan.n else 0
    return order[start:start + trainer.batch_size].copy()


def playground_update(trainer: Trainer, batch: np.ndarray) -> tuple[dict[str, np.ndarray], float]:
    """What the port's oneStep does to the trainer's current weights with this batch, and the
    loss it shows before."""
    port = PlaygroundPort(trainer.weights())
    before = {k: v.copy() for k, v in port.weights().items()}
    targets = np.where(trainer.data.y_train == 1, 1.0, -1.0)
    loss = port.get_loss(trainer.data.x_train, targets)
    for i in batch:
        port.back_prop(trainer.data.x_train[i], targets[i])
    port.update_weights(trainer.settings.learning_rate)
    return {k: v - before[k] for k, v in port.weights().items()}, loss


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("batch_size", [10, 1, 0])
def test_one_batch_moves_the_weights_as_the_playground_does(engine, batch_size):
    trainer = Trainer(playground_project(batch_size=batch_size))
    trainer.engine_choice = engine
    trainer.run(5)  # somewhere past the first batch, so the weights are not the initial ones
    batch = next_batch(trainer)
    expected, shown_loss = playground_update(trainer, batch)
    assert trainer.evaluate().train_loss == pytest.approx(shown_loss, rel=1e-5)  # the loss the playground shows
    report = trainer.step()
    assert trainer.engine_name.startswith(engine) and report.batch_size == len(batch)
    for name, update in expected.items():
        assert np.abs(update).max() > 1e-5, name  # the case moves every layer
        # (float32 weights of about 0.5 round their change by up to 3e-8)
        np.testing.assert_allclose(report.updates[name], update, rtol=1e-4, atol=3e-8, err_msg=name)


def test_laegnas_mse_takes_twice_the_playgrounds_step():
    trainer = Trainer(playground_project(loss="mse"))
    batch = next_batch(trainer)
    expected, shown_loss = playground_update(trainer, batch)
    assert trainer.evaluate().train_loss == pytest.approx(2 * shown_loss, rel=1e-5)
    report = trainer.step()
    for name, update in expected.items():
        np.testing.assert_allclose(report.updates[name], 2 * update, rtol=1e-4, atol=6e-8, err_msg=name)


def test_the_playground_initialisation_is_uniform_in_half_a_unit_with_biases_0_1():
    graph = sequential(dense(64, init="playground"), act("tanh"), dense(1, init="playground"), act("tanh"))
    project = Project(graph, DatasetSettings("circle", 100, 0.0, 0.5), TrainingSettings(), seed=11)
    weights = Trainer(project).weights()
    for name in ("dense1.bias", "dense2.bias"):
        assert np.all(weights[name] == np.float32(0.1)), name
    drawn = np.concatenate([weights["dense1.weight"].ravel(), weights["dense2.weight"].ravel()])
    assert drawn.min() >= -0.5 and drawn.max() <= 0.5
    assert drawn.min() < -0.45 and drawn.max() > 0.45 and abs(drawn.mean()) < 0.1  # spread over all of it
    assert len(np.unique(drawn)) == len(drawn)


def test_the_exported_script_starts_and_trains_as_the_app(tmp_path, monkeypatch, capsys):
    project, steps = playground_project(), 60
    module = import_script(write_script(project, steps, tmp_path))
    trainer = Trainer(project)
    initial = {name: tensor.numpy() for name, tensor in module.Network().state_dict().items()}
    for name, value in trainer.weights().items():
        np.testing.assert_array_equal(initial[name], value, err_msg=name)
    trainer.run(steps)
    reported, metrics = run_main(module, monkeypatch, capsys), trainer.evaluate()
    assert reported["train_loss"] == pytest.approx(metrics.train_loss, rel=1e-5, abs=1e-7)
    assert reported["test_loss"] == pytest.approx(metrics.test_loss, rel=1e-5, abs=1e-7)
    assert reported["train_accuracy"] == metrics.train_accuracy


@pytest.mark.parametrize("engine", ENGINES)
def test_the_circle_preset_is_the_playgrounds_default_and_runs_its_loss_curve(engine):
    """`circle` claims to be TensorFlow Playground's default: its data, loss, initialisation and
    updates are the playground's, so 30 steps follow the port's loss curve step for step."""
    project = load_preset("circle")
    assert project.dataset.options == {"variant": "playground"} and project.dataset.samples == 500
    assert (project.training.loss, project.training.optimizer, project.training.learning_rate,
            project.training.batch_size) == ("half_mse", "sgd", 0.03, 10)
    assert {project.graph.node(n).params["init"] for n in LAYERS} == {"playground"}
    trainer = Trainer(project)
    trainer.engine_choice = engine
    port = PlaygroundPort(trainer.weights())
    targets = np.where(trainer.data.y_train == 1, 1.0, -1.0)
    for _ in range(30):
        batch = next_batch(trainer)
        assert trainer.evaluate().train_loss == pytest.approx(port.get_loss(trainer.data.x_train, targets), rel=1e-4)
        trainer.step()
        for i in batch:
            port.back_prop(trainer.data.x_train[i], targets[i])
        port.update_weights(0.03)
    for name, value in port.weights().items():
        np.testing.assert_allclose(trainer.weights()[name], value, rtol=1e-4, atol=1e-6, err_msg=name)
