"""Parameter schemas: one description of each node parameter serves validation,
the project-file loader and the inspector UI."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from laegna_gui.core.errors import ParameterError


@dataclass(frozen=True)
class Param:
    """One parameter of a node type: its kind, default, bounds and a plain-words help line."""

    name: str
    kind: str  # "int", "float", "bool", "choice", "multi"
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    def check(self, value: Any, where: str) -> Any:
        """Return `value` normalised, or raise ParameterError naming `where`."""
        checker = getattr(self, f"_check_{self.kind}")
        return checker(value, where)

    def _check_int(self, value: Any, where: str) -> int:
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or isinstance(value, float) and not value.is_integer()):  # also refuses inf and nan
            raise ParameterError(f"{where}: expected a whole number, got {value!r}")
        return int(self._in_range(int(value), where))

    def _check_float(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
            raise ParameterError(f"{where}: expected a finite number, got {value!r}")
        return float(self._in_range(float(value), where))

    def _check_bool(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise ParameterError(f"{where}: expected true or false, got {value!r}")
        return value

    def _check_choice(self, value: Any, where: str) -> str:
        if value not in self.choices:
            raise ParameterError(f"{where}: expected one of {', '.join(self.choices)}, got {value!r}")
        return value

    def _check_multi(self, value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, (list, tuple)) or not value:
            raise ParameterError(f"{where}: expected a non-empty list of {', '.join(self.choices)}")
        for item in value:
            if item not in self.choices:
                raise ParameterError(f"{where}: unknown entry {item!r}; use {', '.join(self.choices)}")
        if len(set(value)) != len(value):
            raise ParameterError(f"{where}: an entry is listed twice")
        return tuple(value)

    def _in_range(self, value: float, where: str) -> float:
        if self.low is not None and value < self.low or self.high is not None and value > self.high:
            shown = f"{value:g}" if isinstance(value, float) else str(value)  # :g overflows on huge ints
            raise ParameterError(f"{where}: {shown} is outside {self.low:g}…{self.high:g}")
        return value


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float (JSON allows 400-digit integers)
        return False
