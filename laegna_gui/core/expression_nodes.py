"""The pieces a parsed expression is made of, each evaluating itself with numpy.

Values are float64 arrays (or 0-d arrays for single numbers) so one expression serves a
whole dataset at once and a lesson goal over a few named numbers alike. Arithmetic reads
true/false as 1/0, logic reads any non-zero number as true, as Python does. Overflow gives
inf and an undefined value NaN, never an exception or a hang: 10^10^10 is inf at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from laegna_gui.core.errors import ExpressionError

Values = Mapping[str, "float | np.ndarray"]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(x / 2))  # the logistic function without exp overflow


def _smallest(*args: np.ndarray) -> np.ndarray:
    return np.minimum.reduce(np.broadcast_arrays(*args))


def _largest(*args: np.ndarray) -> np.ndarray:
    return np.maximum.reduce(np.broadcast_arrays(*args))


@dataclass(frozen=True)
class Function:
    """A function an expression may call, and how many arguments it takes (None: any more)."""

    apply: Callable[..., np.ndarray]
    least: int = 1
    most: int | None = 1


FUNCTIONS: dict[str, Function] = {
    "sin": Function(np.sin), "cos": Function(np.cos), "tan": Function(np.tan),
    "exp": Function(np.exp), "log": Function(np.log), "sqrt": Function(np.sqrt),
    "abs": Function(np.abs), "tanh": Function(np.tanh), "sigmoid": Function(_sigmoid),
    "min": Function(_smallest, 2, None), "max": Function(_largest, 2, None),
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "^": np.power}
COMPARISONS = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal,
               "==": np.equal, "!=": np.not_equal}


def as_number(value: object) -> np.ndarray:
    if is_text(value):
        raise ExpressionError(f"the text {str(value)!r} is not a number; text can only be compared with == or !=")
    return np.asarray(value, dtype=np.float64)


def is_text(value: object) -> bool:
    return isinstance(value, str) or isinstance(value, np.ndarray) and value.dtype.kind in "US"


def as_truth(value: object) -> np.ndarray:
    return np.asarray(value).astype(bool)


class Node:
    """One part of an expression."""

    def evaluate(self, values: Values) -> np.ndarray:
        raise NotImplementedError


@dataclass(frozen=True)
class Number(Node):
    value: float

    def evaluate(self, values: Values) -> np.ndarray:
        return as_number(self.value)


@dataclass(frozen=True)
class Name(Node):
    name: str

    def evaluate(self, values: Values) -> np.ndarray:
        if self.name not in values:
            raise ExpressionError(f"no value for {self.name!r}")
        value = values[self.name]
        return np.asarray(value) if isinstance(value, str) else as_number(value)


@dataclass(frozen=True)
class Text(Node):
    """A quoted text, such as "adam": only ever compared with == or != (a lesson's goal on a
    setting's name)."""

    value: str
    position: int = field(default=0, compare=False)

    def evaluate(self, values: Values) -> np.ndarray:
        return np.asarray(self.value)


@dataclass(frozen=True)
class Call(Node):
    function: str
    args: tuple[Node, ...]

    def evaluate(self, values: Values) -> np.ndarray:
        return FUNCTIONS[self.function].apply(*(as_number(a.evaluate(values)) for a in self.args))


@dataclass(frozen=True)
class Negative(Node):
    operand: Node

    def evaluate(self, values: Values) -> np.ndarray:
        return -as_number(self.operand.evaluate(values))


@dataclass(frozen=True)
class Arithmetic(Node):
    operator: str
    left: Node
    right: Node

    def evaluate(self, values: Values) -> np.ndarray:
        left, right = as_number(self.left.evaluate(values)), as_number(self.right.evaluate(values))
        return ARITHMETIC[self.operator](left, right)


@dataclass(frozen=True)
class Comparison(Node):
    """a < b <= c means a < b and b <= c, as in Python and in maths."""

    operators: tuple[str, ...]
    operands: tuple[Node, ...]

    def evaluate(self, values: Values) -> np.ndarray:
        sides = [o.evaluate(values) for o in self.operands]
        result = np.asarray(True)
        for operator, left, right in zip(self.operators, sides, sides[1:]):
            result = np.logical_and(result, _compare(operator, left, right))
        return result


def _compare(operator: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Numbers by value; a text equals only the same text (never a number)."""
    if not (is_text(left) or is_text(right)):
        return COMPARISONS[operator](as_number(left), as_number(right))
    if operator not in ("==", "!="):
        raise ExpressionError(f"text can only be compared with == or !=, not {operator}")
    same = is_text(left) and is_text(right) and str(left) == str(right)
    return np.asarray(same == (operator == "=="))


@dataclass(frozen=True)
class Logic(Node):
    """`and` / `or` over all operands (no short cut: every side is a whole array)."""

    operator: str
    operands: tuple[Node, ...]

    def evaluate(self, values: Values) -> np.ndarray:
        combine = np.logical_and if self.operator == "and" else np.logical_or
        sides = [as_truth(o.evaluate(values)) for o in self.operands]
        return combine.reduce(np.broadcast_arrays(*sides))


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def evaluate(self, values: Values) -> np.ndarray:
        return np.logical_not(as_truth(self.operand.evaluate(values)))


CONDITIONS = (Comparison, Logic, Not)  # nodes whose value is true/false


def misplaced_text(node: Node) -> Text | None:
    """The first text that is not a side of an == or != comparison (which is all text may be)."""
    if isinstance(node, Text):
        return node
    if isinstance(node, Comparison) and set(node.operators) <= {"==", "!="}:
        children = [o for o in node.operands if not isinstance(o, Text)]
    else:
        children = _children(node)
    for child in children:
        found = misplaced_text(child)
        if found is not None:
            return found
    return None


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (Negative, Not)):
        return (node.operand,)
    if isinstance(node, Arithmetic):
        return node.left, node.right
    if isinstance(node, Call):
        return node.args
    return node.operands if isinstance(node, (Comparison, Logic)) else ()
