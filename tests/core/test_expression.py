"""The safe expression language: what it computes, and how it refuses what it cannot read."""

from __future__ import annotations

import ast
import inspect
import math

import numpy as np
import pytest

from laegna_gui.core import expression, expression_nodes
from laegna_gui.core.errors import ExpressionError, LaegnaError
from laegna_gui.core.expression import MAX_DEPTH, parse_expression
from laegna_gui.core.limits import MAX_EXPRESSION_CHARS


def value(text: str, **values):
    return parse_expression(text).evaluate(values)


@pytest.mark.parametrize("text, expected", [
    ("1 + 2 * 3", 7), ("(1 + 2) * 3", 9), ("2 - 3 - 4", -5), ("12 / 4 / 3", 1), ("-2^2", -4), ("2^3^2", 512),
    ("2 ** -1", 0.5), ("-(-3)", 3), ("+4", 4), ("2·3 × 4", 24), ("8 ÷ 2 − 1", 3), ("1.5e2 + .5", 150.5),
    ("2 * 3 ^ 2", 18), ("-3 ^ 2 + 1", -8), ("(2 + 3) ^ 2", 25), ("2 ^ (1 + 1) * 3", 12),
])
def test_arithmetic_follows_the_usual_precedence(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("sin(pi / 2)", 1.0), ("cos(0)", 1.0), ("tan(0)", 0.0), ("exp(1)", math.e), ("log(e ^ 2)", 2.0),
    ("sqrt(16)", 4.0), ("abs(-3)", 3.0), ("tanh(0)", 0.0), ("sigmoid(0)", 0.5), ("sigmoid(-800)", 0.0),
    ("min(3, 1, 2)", 1.0), ("max(3, 1, 2)", 3.0), ("max(min(1, 2), sqrt(9))", 3.0),
])
def test_functions_and_constants(text, expected):
    assert float(value(text)) == pytest.approx(expected)


@pytest.mark.parametrize("text, expected", [
    ("1 < 2", True), ("2 <= 1", False), ("3 >= 3", True), ("3 == 3", True), ("3 != 3", False),
    ("1 < 2 < 3", True), ("1 < 3 < 2", False), ("3 ≥ 2 ≥ 2", True), ("1 ≠ 2", True),
    ("1 < 2 and 2 < 1", False), ("1 < 2 or 2 < 1", True), ("not 1 > 2", True), ("not not 0", False),
    ("1 > 2 or 2 > 1 and 3 > 4", False),  # `and` binds tighter than `or`
    ("(1 > 2 or 2 > 1) and 3 > 2", True), ("1 + 1 == 2", True),  # arithmetic before comparison
    ("(1 < 2) + (2 < 3)", 2),  # true counts as 1 in arithmetic
])
def test_comparisons_and_logic(text, expected):
    assert value(text) == expected


def test_names_take_numbers_or_whole_arrays():
    x1, x2 = np.array([1.0, -2.0, 0.5]), np.array([2.0, 2.0, -1.0])
    np.testing.assert_array_equal(value("x1·x2 > 0", x1=x1, x2=x2), [True, False, False])
    np.testing.assert_allclose(value("sin(3·x1) + x2^2", x1=x1, x2=x2), np.sin(3 * x1) + x2 ** 2)
    np.testing.assert_array_equal(value("max(x1, x2, 0)", x1=x1, x2=x2), [2.0, 2.0, 0.5])
    np.testing.assert_array_equal(value("x1 > 0 and not x2 < 0", x1=x1, x2=x2), [True, False, False])


def test_a_lesson_goal_over_named_numbers():
    goal = parse_expression("test_accuracy >= 0.95 and loss < 0.1", names={"test_accuracy", "loss"})
    assert goal.names == {"test_accuracy", "loss"} and goal.is_condition
    assert goal.evaluate({"test_accuracy": 0.97, "loss": 0.05})
    assert not goal.evaluate({"test_accuracy": 0.9, "loss": 0.05})
    with pytest.raises(ExpressionError, match="no value for 'loss'"):
        goal.evaluate({"test_accuracy": 0.97})
    assert not parse_expression("loss * 2", names={"loss"}).is_condition


def test_overflow_and_undefined_values_give_inf_and_nan_at_once():
    assert value("10**10**10") == math.inf  # floats: no huge integer is ever built
    assert value("2^2^2^2^2^2") == math.inf
    assert value("1 / 0") == math.inf and math.isnan(value("log(-1)")) and math.isnan(value("0 / 0"))
    assert value("1e999") == math.inf


@pytest.mark.parametrize("text, message", [
    ("x1 *", "position 5: expected a number, a name or '(' after '*'"),
    ("x1 * )", "position 6: expected a number, a name or '(' after '*', found ')'"),
    ("(x1 + 1", "position 8: expected ')' to close the '(' at position 1"),
    ("x1 + 1)", "position 7: this ')' closes no '('"),
    ("2x1", "position 2: expected an operator or the end after '2', found 'x1' (write '*' to multiply)"),
    ("x1 x2", "position 4: expected an operator or the end after 'x1', found 'x2'"),
    ("x1 = 2", "position 4: '=' does not compare: write '==' to test equality"),
    ("x1 $ 2", "position 4: unexpected character '$'"),
    ("x4 + 1", "position 1: unknown name 'x4'; use x1, x2, pi, e"),
    ("1 + foo(2)", "position 5: unknown function 'foo'; the functions are sin, cos"),
    ("x1(2)", "position 3: 'x1' is not a function; write x1*(…) to multiply"),
    ("sin 2", "position 5: 'sin' is a function: write sin(…)"),
    ("sin(1, 2)", "position 1: sin takes 1 argument, got 2"),
    ("1 + min(1)", "position 5: min takes at least 2 arguments, got 1"),
    ("", "position 1: the expression is empty"),
    ("   ", "position 4: the expression is empty"),
    ("1 +* 2", "position 4: expected a number, a name or '(' after '+', found '*'"),
    ("not", "position 4: expected a number, a name or '(' after 'not'"),
])
def test_mistakes_name_their_position_and_what_was_expected(text, message):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, names={"x1", "x2"})
    assert str(info.value).startswith(message)
    assert isinstance(info.value, LaegnaError)
    assert info.value.position == int(message.split(":")[0].split()[1])


@pytest.mark.parametrize("text", [
    "x1.__class__", "().__class__.__bases__", "__import__('os')", "x1.real", "[x1]", "{1: 2}", "lambda: 1",
    "x1 if 1 else 2", "'text'", "open('f')", "x1; 1", "a[0]", "globals()",
])
def test_nothing_reaches_python(text):
    with pytest.raises(ExpressionError):
        parse_expression(text, names={"x1"}).evaluate({"x1": 1.0})


def test_dunder_names_are_plain_unknown_names():
    with pytest.raises(ExpressionError, match="unknown name '__class__'"):
        parse_expression("__class__ + 1", names={"x1"})
    with pytest.raises(ExpressionError, match="no value for '__builtins__'"):
        parse_expression("__builtins__").evaluate({})


def test_the_parser_uses_no_eval_and_no_attribute_lookup_by_name():
    for module in (expression, expression_nodes):
        tree = ast.parse(inspect.getsource(module))
        called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        assert not called & {"eval", "exec", "compile", "getattr", "__import__", "globals", "vars"}


def test_length_and_depth_are_bounded():
    with pytest.raises(ExpressionError, match=f"the limit is {MAX_EXPRESSION_CHARS}"):
        parse_expression("1+" * 300 + "1")
    assert value("+".join(["1"] * 250)) == 250  # a long flat sum is fine
    deep = "(" * (MAX_DEPTH - 1) + "1" + ")" * (MAX_DEPTH - 1)
    assert value(deep) == 1
    for text in ("(" * 200 + "1" + ")" * 200, "-" * 300 + "1", "not " * 100 + "1", "2^" * 200 + "2",
                 "sin(" * 90 + "1" + ")" * 90):
        with pytest.raises(ExpressionError, match="nests too deeply"):
            parse_expression(text)


@pytest.mark.parametrize(("text", "values", "expected"), [
    ('optimizer == "adam"', {"optimizer": "adam"}, True),
    ("optimizer == 'adam'", {"optimizer": "sgd"}, False),
    ('optimizer != "adam" and loss < 1', {"optimizer": "sgd", "loss": 0.5}, True),
    ('optimizer == "1"', {"optimizer": 1.0}, False),  # a number never equals a text
    ('"adam" == optimizer or clipping_on', {"optimizer": "nadam", "clipping_on": True}, True),
])
def test_texts_compare_by_equality_only(text, values, expected):
    assert bool(parse_expression(text).evaluate(values)) is expected


@pytest.mark.parametrize(("text", "position"), [('"a" + 1', 1), ('loss > "a"', 8), ('not "a"', 5),
                                                ('"unclosed', 1), ('min("a", 1) < 2', 5)])
def test_a_text_anywhere_but_beside_an_equality_is_refused_where_it_stands(text, position):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert info.value.position == position and ("==" in str(info.value) or "quote" in str(info.value))


def test_a_named_text_used_as_a_number_is_refused_when_evaluated():
    with pytest.raises(ExpressionError, match="'sgd' is not a number"):
        parse_expression("optimizer + 1").evaluate({"optimizer": "sgd"})
