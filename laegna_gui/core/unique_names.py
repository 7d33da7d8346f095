"""Making a list of names distinct, for columns a user picks or a spreadsheet shows by name."""

from __future__ import annotations


def unique_names(names: list[str], repeat: str = "{name} ({n})") -> list[str]:
    """The names in order, a repeated one numbered from 2 with `repeat`: a, a (2), a (3)."""
    seen: set[str] = set()
    result = []
    for name in names:
        candidate, n = name, 2
        while candidate in seen:
            candidate, n = repeat.format(name=name, n=n), n + 1
        seen.add(candidate)
        result.append(candidate)
    return result
