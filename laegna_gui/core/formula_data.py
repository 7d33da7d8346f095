"""The dataset you type as a formula: "label = x1·x2 > 0" makes two classes, "y = sin(3·x1)"
a number to predict, over points drawn uniformly from [−1, 1]² (a cube when x3 appears).

As in the other toy sets, noise jitters the points after they are labelled (classes) or
the targets (regression). A label that is a number rather than a comparison counts as
class 1 where it is above 0, as TensorFlow Playground reads the sign of its labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from laegna_gui.core.datasets import Generator
from laegna_gui.core.errors import DatasetError, ExpressionError
from laegna_gui.core.expression import Expression, parse_expression
from laegna_gui.core.limits import FLOAT32_MAX, MAX_EXPRESSION_CHARS

DEFAULT_FORMULA = "label = x1·x2 > 0"
INPUTS = ("x1", "x2", "x3")
TASKS = {"label": "classification", "y": "regression"}
_HEAD = re.compile(r"\s*([A-Za-z_]\w*)\s*=(?!=)")


@dataclass(frozen=True)
class Formula:
    """A parsed formula: what it predicts and the expression that gives it."""

    task: str
    expression: Expression

    @property
    def n_inputs(self) -> int:
        return 3 if "x3" in self.expression.names else 2

    def targets(self, x: np.ndarray) -> np.ndarray:
        """Classes (int64, shape (n,)) or targets (float64, shape (n, 1)) for the points x."""
        values = self.expression.evaluate(dict(zip(INPUTS, x.T)))
        values = np.broadcast_to(values, (len(x),))
        if self.task == "classification":
            return (values if self.expression.is_condition else values > 0).astype(np.int64)
        _check_finite(values, x)
        return values.astype(np.float64)[:, None]


def _check_finite(values: np.ndarray, x: np.ndarray) -> None:
    bad = np.flatnonzero(~(np.abs(values) < FLOAT32_MAX))  # NaN fails every comparison
    if len(bad):
        where = ", ".join(f"{name} = {v:.3g}" for name, v in zip(INPUTS, x[bad[0]]))
        raise DatasetError(f"the formula has no usable value at {where} (it gives {values[bad[0]]:g}); "
                           "keep y finite over [−1, 1]")


@lru_cache(maxsize=64)
def parse_formula(text: str) -> Formula:
    """Read "label = …" or "y = …"; positions in a mistake count from the start of `text`."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"the formula is {len(text):,} characters long; the limit is {MAX_EXPRESSION_CHARS}")
    head = _HEAD.match(text)
    if head is None or head.group(1).lower() not in TASKS:
        raise ExpressionError("start with 'label =' (two classes) or 'y =' (a number to predict)", 1)
    expression = parse_expression(text[head.end():], INPUTS, offset=head.end())
    return Formula(TASKS[head.group(1).lower()], expression)


def formula_generator(text: str) -> Generator:
    """The formula as one of the toy generators, so make_dataset draws and splits it as usual."""
    formula = parse_formula(text)
    classifies = formula.task == "classification"

    def make(rng: np.random.Generator, n: int, noise: float, **_: Any) -> tuple[np.ndarray, np.ndarray]:
        x = rng.uniform(-1, 1, (n, formula.n_inputs))
        y = formula.targets(x)
        if classifies:
            return x + rng.normal(0, noise, x.shape), y
        return x, y + rng.normal(0, noise, y.shape)

    return Generator(make, formula.task, formula.n_inputs, 2 if classifies else 1, f"Your formula: {text}")
