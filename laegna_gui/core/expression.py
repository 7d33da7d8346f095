"""A small, safe expression language, read by recursive descent into expression_nodes.

Formulas come from a text box or a project file, so they are never handed to Python's
eval: an expression can only do what its grammar spells out — numbers, named values,
quoted texts (compared with == or != only), + − * / ^ (also ·, ×, ÷, **), comparisons (chained as in maths), and/or/not, and the
functions in FUNCTIONS. A mistake raises ExpressionError naming its position (counted
from 1) and what was expected there. Length and nesting are bounded, so no text can
exhaust the parser's stack.

    parse_expression("label_rate >= 0.95 and loss < 0.1", names={"label_rate", "loss"})

Precedence, loosest first: or, and, not, comparisons, + −, * /, unary −, ^ (right to left,
so −2^2 is −4 and 2^3^2 is 512).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from laegna_gui.core.errors import ExpressionError
from laegna_gui.core.expression_nodes import (
    COMPARISONS,
    CONDITIONS,
    CONSTANTS,
    FUNCTIONS,
    Arithmetic,
    Call,
    Comparison,
    Logic,
    Name,
    Negative,
    Node,
    Not,
    Number,
    Text,
    Values,
    misplaced_text,
)
from laegna_gui.core.limits import MAX_EXPRESSION_CHARS

MAX_DEPTH = 30  # brackets, unary signs and `not`s inside one another
KEYWORDS = ("and", "or", "not")
_SYMBOLS = {"·": "*", "×": "*", "−": "-", "÷": "/", "**": "^", "≥": ">=", "≤": "<=", "≠": "!="}
_TOKEN = re.compile(r"""
    (?P<number> (?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)? )
  | (?P<name>   [A-Za-z_][A-Za-z0-9_]* )
  | (?P<string> "[^"\n]*" | '[^'\n]*' )
  | (?P<symbol> \*\*|>=|<=|==|!=|[-+*/^(),<>=·×−÷≥≤≠] )
""", re.VERBOSE)
OPERAND = "a number, a name or '('"


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, string, keyword, symbol or end
    text: str  # as typed, for messages
    value: str  # symbols in their plain spelling ('·' → '*')
    position: int  # 1-based


@dataclass(frozen=True)
class Expression:
    """A parsed expression: evaluate it with a value (or an array) for each name it uses."""

    text: str
    root: Node
    names: frozenset[str]

    @property
    def is_condition(self) -> bool:
        """True when the value is true/false (a comparison or logic), not a number."""
        return isinstance(self.root, CONDITIONS)

    def evaluate(self, values: Values) -> np.ndarray:
        with np.errstate(all="ignore"):  # overflow is inf, log(−1) is NaN: the caller decides
            try:
                return self.root.evaluate(values)
            except ValueError as exc:  # arrays of different lengths
                raise ExpressionError(f"the values do not fit together: {exc}") from None


def parse_expression(text: str, names: Collection[str] | None = None, offset: int = 0) -> Expression:
    """Read `text`. With `names`, any other name is a mistake found now, with its position;
    without, every name is accepted and must be given a value when evaluating. `offset`
    counts the characters before `text` in what the user typed, for the positions."""
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"the expression is {len(text):,} characters long; "
                              f"the limit is {MAX_EXPRESSION_CHARS}")
    parser = _Parser(tokenize(text, offset), names)
    root = parser.whole()
    text_node = misplaced_text(root)
    if text_node is not None:
        raise ExpressionError("a text in quotes can only be compared with == or != (as in optimizer == \"adam\")",
                              text_node.position)
    return Expression(text, root, frozenset(parser.used))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    tokens, at = [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return [*tokens, Token("end", "", "", offset + at + 1)]
        match = _TOKEN.match(text, at)
        if match is None:
            what = "a text without its closing quote" if text[at] in "\"'" else f"unexpected character {text[at]!r}"
            raise ExpressionError(what, offset + at + 1)
        kind, word = match.lastgroup, match.group()
        if kind == "name" and word in KEYWORDS:
            kind = "keyword"
        tokens.append(Token(kind, word, _SYMBOLS.get(word, word), offset + at + 1))
        at = match.end()


class _Parser:
    """One method per precedence level; each reads its level and returns the node."""

    def __init__(self, tokens: list[Token], names: Collection[str] | None) -> None:
        self.tokens, self.at, self.depth = tokens, 0, 0
        self.names, self.used = names, set()

    # --- reading tokens ----------------------------------------------------------
    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def _take(self) -> Token:
        token = self.token
        self.at += 1
        return token

    def _is(self, *values: str) -> bool:
        return self.token.kind in ("symbol", "keyword") and self.token.value in values

    def _fail(self, problem: str, token: Token | None = None) -> ExpressionError:
        return ExpressionError(problem, (token or self.token).position)

    @contextmanager
    def _nested(self) -> Iterator[None]:
        if self.depth >= MAX_DEPTH:
            raise self._fail(f"the expression nests too deeply (more than {MAX_DEPTH} levels)")
        self.depth += 1
        yield
        self.depth -= 1

    # --- the grammar, loosest level first ---------------------------------------
    def whole(self) -> Node:
        if self.token.kind == "end":
            raise self._fail("the expression is empty")
        node = self._or()
        if self.token.kind != "end":
            raise self._fail(self._no_operator())
        return node

    def _or(self) -> Node:
        return self._logic("or", self._and)

    def _and(self) -> Node:
        return self._logic("and", self._not)

    def _logic(self, word: str, operand: Callable[[], Node]) -> Node:
        operands = [operand()]
        while self._is(word):
            self._take()
            operands.append(operand())
        return operands[0] if len(operands) == 1 else Logic(word, tuple(operands))

    def _not(self) -> Node:
        if not self._is("not"):
            return self._comparison()
        self._take()
        with self._nested():
            return Not(self._not())

    def _comparison(self) -> Node:
        operands, operators = [self._sum()], []
        while self._is(*COMPARISONS) or self._is("="):
            if self._is("="):
                raise self._fail("'=' does not compare: write '==' to test equality")
            operators.append(self._take().value)
            operands.append(self._sum())
        return operands[0] if not operators else Comparison(tuple(operators), tuple(operands))

    def _sum(self) -> Node:
        return self._binary(("+", "-"), self._term)

    def _term(self) -> Node:
        return self._binary(("*", "/"), self._unary)

    def _binary(self, operators: tuple[str, ...], operand: Callable[[], Node]) -> Node:
        node = operand()
        while self._is(*operators):
            node = Arithmetic(self._take().value, node, operand())
        return node

    def _unary(self) -> Node:
        with self._nested():
            if self._is("-", "+"):
                sign = self._take().value
                operand = self._unary()
                return Negative(operand) if sign == "-" else operand
            return self._power()

    def _power(self) -> Node:
        base = self._atom()
        if not self._is("^"):
            return base
        self._take()
        return Arithmetic("^", base, self._unary())  # right to left: 2^3^2 = 2^(3^2)

    def _atom(self) -> Node:
        token = self.token
        if token.kind == "number":
            self._take()
            return Number(float(token.text))
        if token.kind == "string":
            self._take()
            return Text(token.text[1:-1], token.position)
        if token.kind == "name":
            self._take()
            return self._call(token) if token.text in FUNCTIONS else self._name(token)
        if self._is("("):
            self._take()
            node = self._or()
            self._close(token)
            return node
        raise self._fail(self._no_operand())

    def _name(self, token: Token) -> Node:
        if self._is("("):
            if token.text in CONSTANTS or self.names is not None and token.text in self.names:
                raise self._fail(f"{token.text!r} is not a function; write {token.text}*(…) to multiply")
            raise self._fail(f"unknown function {token.text!r}; the functions are {', '.join(FUNCTIONS)}", token)
        if token.text in CONSTANTS:
            return Number(CONSTANTS[token.text])
        if self.names is not None and token.text not in self.names:
            known = ", ".join([*sorted(self.names), *CONSTANTS])
            raise self._fail(f"unknown name {token.text!r}; use {known}", token)
        self.used.add(token.text)
        return Name(token.text)

    def _call(self, name: Token) -> Node:
        if not self._is("("):
            raise self._fail(f"{name.text!r} is a function: write {name.text}(…)")
        opening = self._take()
        args = [self._or()]
        while self._is(","):
            self._take()
            args.append(self._or())
        self._close(opening)
        function = FUNCTIONS[name.text]
        if not function.least <= len(args) <= (function.most or len(args)):
            wanted = f"at least {function.least}" if function.most is None else str(function.least)
            plural = "" if wanted == "1" else "s"
            raise self._fail(f"{name.text} takes {wanted} argument{plural}, got {len(args)}", name)
        return Call(name.text, tuple(args))

    def _close(self, opening: Token) -> None:
        if not self._is(")"):
            raise self._fail(f"expected ')' to close the '(' at position {opening.position}"
                             + self._found())
        self._take()

    # --- messages ------------------------------------------------------------------
    def _previous(self) -> str:
        return self.tokens[self.at - 1].text if self.at else ""

    def _found(self) -> str:
        return "" if self.token.kind == "end" else f", found {self.token.text!r}"

    def _no_operand(self) -> str:
        after = f" after {self._previous()!r}" if self.at else ""
        return f"expected {OPERAND}{after}" + self._found()

    def _no_operator(self) -> str:
        if self._is(")"):
            return "this ')' closes no '('"
        hint = " (write '*' to multiply)" if self.token.kind in ("number", "name") or self._is("(") else ""
        return f"expected an operator or the end after {self._previous()!r}, found {self.token.text!r}{hint}"
