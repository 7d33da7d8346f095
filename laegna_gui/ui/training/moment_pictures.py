"""Which recorded moment the worker draws again, and what its answer changes. Qt-free.

A moment reopened from a file has only its weights; when such a moment is put on show, the
worker is asked to draw its picture from them (TrainingWorker.draw_frame). One request is
out at a time: while the user scrubs, the moments passed over are not drawn, and when an
answer comes the moment on show then is asked for next (the latest wins). A request is known
by (generation, the frame's arrival): an answer for another generation, or for a frame the
recording no longer keeps, changes nothing. A moment that could not be drawn is not asked for
again in that recording."""

from __future__ import annotations

from collections.abc import Callable

from laegna_gui.engine.recording import Frame, Recording
from laegna_gui.engine.snapshot import Snapshot

Key = tuple[int, int]  # (generation, arrival)


class MomentPictures:
    """`ask(key, snapshot)` sends one request to the worker."""

    def __init__(self, ask: Callable[[Key, Snapshot], None]) -> None:
        self._ask = ask
        self.asked: Key | None = None  # the request the worker is drawing
        self._undrawable: set[Key] = set()

    def want(self, generation: int, frame: Frame | None) -> None:
        """The moment on show is `frame`: ask for its picture if it has none, unless another
        is being drawn (then it is asked for after) or it could not be drawn."""
        if self.drawing(generation, frame) and self.asked is None:
            self.asked = (generation, frame.arrival)
            self._ask(self.asked, frame.snapshot)

    def drawing(self, generation: int, frame: Frame | None) -> bool:
        """`frame` has no picture yet, and it is being (or will be) drawn."""
        return (frame is not None and frame.snapshot.probes is None
                and (generation, frame.arrival) not in self._undrawable)

    def arrived(self, key: Key, snapshot: Snapshot | None, generation: int, recording: Recording) -> Frame | None:
        """The worker's answer for `key`: the frame given its picture, or None when it changed
        nothing (another generation's, a frame gone, drawn already, or not drawable)."""
        if key == self.asked:
            self.asked = None
        if key[0] != generation:
            return None
        if snapshot is None:
            self._undrawable.add(key)
            return None
        frame = recording.frame_of(key[1])
        if frame is None or frame.snapshot.probes is not None or frame.step != snapshot.step:
            return None
        return recording.picture(frame, snapshot)

    def interrupted(self) -> None:
        """The worker was interrupted: a request out is cancelled and will not be answered."""
        self.asked = None

    def forget(self) -> None:
        """A new recording: nothing of the old one is drawn or refused any more."""
        self.asked = None
        self._undrawable.clear()
