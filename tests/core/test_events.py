"""The tiny synchronous event system."""

from __future__ import annotations

from laegna_gui.core.events import Event, EventGroup


def test_emit_calls_connected_callbacks_in_order_with_arguments():
    event = Event("changed")
    calls = []
    event.connect(lambda *args: calls.append(("first", args)))
    event.connect(lambda *args: calls.append(("second", args)))
    event.emit(1, "two")
    assert calls == [("first", (1, "two")), ("second", (1, "two"))]


def test_emit_without_callbacks_does_nothing():
    Event("quiet").emit(1, 2, 3)  # must not raise


def test_connecting_twice_calls_once():
    event = Event("changed")
    calls = []

    def callback(value):
        calls.append(value)

    event.connect(callback)
    event.connect(callback)
    event.emit("x")
    assert calls == ["x"]


def test_disconnect_stops_calls_and_unknown_disconnect_is_harmless():
    event = Event("changed")
    calls = []

    def callback(value):
        calls.append(value)

    event.connect(callback)
    event.emit(1)
    event.disconnect(callback)
    event.disconnect(callback)  # already gone: no error
    event.disconnect(lambda v: None)  # never connected: no error
    event.emit(2)
    assert calls == [1]


def test_connect_again_after_disconnect_works():
    event = Event("changed")
    calls = []

    def callback(value):
        calls.append(value)

    event.connect(callback)
    event.disconnect(callback)
    event.connect(callback)
    event.emit(3)
    assert calls == [3]


def test_callback_may_disconnect_itself_during_emit_without_skipping_others():
    event = Event("changed")
    calls = []

    def once(value):
        calls.append(("once", value))
        event.disconnect(once)

    event.connect(once)
    event.connect(lambda value: calls.append(("always", value)))
    event.emit(1)
    event.emit(2)
    assert calls == [("once", 1), ("always", 1), ("always", 2)]


def test_event_group_exposes_named_independent_events():
    group = EventGroup("opened", "closed")
    assert [e.name for e in group.all()] == ["opened", "closed"]
    assert isinstance(group.opened, Event) and group.opened is not group.closed
    calls = []
    group.opened.connect(calls.append)
    group.closed.emit("ignored")
    group.opened.emit("seen")
    assert calls == ["seen"]
