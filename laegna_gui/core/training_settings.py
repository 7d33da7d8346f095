"""Hyper-parameters of training, as plain data shared by the engine, the UI and files."""

from __future__ import annotations

from dataclasses import dataclass, fields

RANDOM_SEARCH = "random_search"  # the optimizer that uses no gradients (engine/random_search.py)
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam", "nadam", RANDOM_SEARCH)
REGULARIZATIONS = ("none", "l1", "l2")


@dataclass(frozen=True)
class TrainingSettings:
    """How the network learns. `batch_size` 0 means the whole training set at once;
    `momentum` is used by momentum, nesterov (velocity) and rmsprop (averaging). For
    random search, which uses no gradients, `learning_rate` is the size of its random
    nudges (their standard deviation) and clipping does not apply."""

    loss: str = "mse"
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.9
    batch_size: int = 10
    regularization: str = "none"
    reg_rate: float = 0.0
    clip: bool = False
    clip_norm: float = 1.0

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
