"""A tiny synchronous event system, so views can follow the model without Qt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """One kind of change. Views `connect` a callback; the model `emit`s."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)


class EventGroup:
    """Named events, accessed as attributes: `graph.events.node_added.connect(f)`."""

    def __init__(self, *names: str) -> None:
        self._names = names
        for name in names:
            setattr(self, name, Event(name))

    def all(self) -> list[Event]:
        return [getattr(self, name) for name in self._names]
