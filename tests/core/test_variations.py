"""`KEY=V1,V2` settings of a comparison: typed, checked against the project, applied to a copy."""

from __future__ import annotations

import pytest

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.presets import load_preset
from laegna_gui.core.variations import Change, apply, combinations, parse_axis


@pytest.fixture
def circle():
    return load_preset("circle")


def test_values_are_typed_by_the_setting_they_change(circle):
    assert parse_axis("learning_rate=0.03, 0.3", circle, "--vary") == (Change("learning_rate", 0.03),
                                                                       Change("learning_rate", 0.3))
    assert parse_axis("batch_size=25", circle, "--vary") == (Change("batch_size", 25),)
    assert parse_axis("clip=on,false", circle, "--vary") == (Change("clip", True), Change("clip", False))
    assert parse_axis("width.dense1=8", circle, "--vary") == (Change("width.dense1", 8),)
    assert [str(c) for c in parse_axis("optimizer=sgd,adam", circle, "--vary")] == ["optimizer=sgd", "optimizer=adam"]


def test_network_keys_change_the_hidden_nodes_only(circle):
    wide = apply(circle, (Change("width", 8),))
    assert [wide.graph.node(n).params["units"] for n in ("dense1", "dense2", "dense3")] == [8, 8, 1]
    relu = apply(circle, (Change("activation", "relu"),))
    assert [relu.graph.node(f"activation{i}").params["function"] for i in (1, 2, 3)] == ["relu", "relu", "tanh"]
    he = apply(circle, (Change("init", "he"),))
    assert {he.graph.node(f"dense{i}").params["init"] for i in (1, 2, 3)} == {"he"}
    assert circle.graph.node("dense1").params["units"] == 4  # the project itself is unchanged


def test_training_settings_and_seed_are_applied(circle):
    changed = apply(circle, (Change("learning_rate", 0.3), Change("optimizer", "adam"), Change("seed", 9)))
    assert (changed.training.learning_rate, changed.training.optimizer, changed.seed) == (0.3, "adam", 9)
    assert changed.weights is None


@pytest.mark.parametrize("text, message", [
    ("lr=0.3", "unknown setting 'lr'; valid keys: loss, optimizer, learning_rate, momentum, batch_size, "
               "regularization, reg_rate, clip, clip_norm, seed, activation, width, init, activation.NODE "
               "(activation1, activation2, activation3), width.NODE (dense1, dense2, dense3), init.NODE"),
    ("learning_rate=fast", "learning_rate: expected a number, got 'fast'"),
    ("learning_rate=500", "learning_rate: 500.0 is outside 1e-07…100"),
    ("learning_rate=nan", "learning_rate: nan is not a finite number"),
    ("batch_size=2.5", "batch_size: expected a whole number, got '2.5'"),
    ("optimizer=adamw", "optimizer: 'adamw' is not one of sgd, momentum"),
    ("clip=maybe", "clip: expected true or false, got 'maybe'"),
    ("width=0", "width: 0 is outside 1…1024"),
    ("activation=swish", "activation: expected one of relu, leaky_relu"),
    ("width.activation1=3", "width.activation1: 'activation1' is not a dense node of this network; "
                            "width.NODE takes dense1, dense2, dense3"),
    ("seed=-1", "seed: -1 is outside 0…4,294,967,295"),
    ("loss=bce", "loss=bce: "),  # the network is checked against the loss too
    ("learning_rate=0.3,0.3", "--vary learning_rate lists 0.3 twice"),
    ("learning_rate=0.3,", "--vary learning_rate: a value is empty"),
    ("learning_rate", "--vary 'learning_rate': expected KEY=VALUE[,VALUE…]"),
])
def test_bad_settings_are_refused_with_a_message_that_says_why(circle, text, message):
    with pytest.raises(LaegnaError) as caught:
        parse_axis(text, circle, "--vary")
    assert message in str(caught.value)


def test_combinations_are_every_pair_and_a_key_may_come_once(circle):
    rates, optimizers = parse_axis("learning_rate=0.03,0.3", circle, "-v"), parse_axis("optimizer=sgd,adam", circle, "-v")
    runs = combinations([rates, optimizers], "--vary")
    assert [tuple(str(c) for c in run) for run in runs] == [
        ("learning_rate=0.03", "optimizer=sgd"), ("learning_rate=0.03", "optimizer=adam"),
        ("learning_rate=0.3", "optimizer=sgd"), ("learning_rate=0.3", "optimizer=adam")]
    with pytest.raises(LaegnaError, match="--vary learning_rate is given twice"):
        combinations([rates, rates], "--vary")
