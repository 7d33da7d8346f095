"""The status bar's note of which engine trains the network, and why."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.training.live_state import LiveState, Part


class EngineLabel(QLabel):
    """'Engine: compiled (numba)' — its tooltip says why that engine was chosen."""

    def __init__(self) -> None:
        super().__init__(objectName="engineLabel")
        self.setAccessibleName("Training engine")
        self.show_snapshot(None)

    def draw_parts(self, state: LiveState) -> list[Part]:
        """As a live view: the engine of the state's snapshot; it stays while a new one is awaited."""
        snapshot = state.snapshot
        if snapshot is None and state.valid:
            return []
        engine = snapshot.engine if snapshot is not None else ""
        return [] if self.text() == (f"Engine: {engine}" if engine else "") else [lambda: self.show_snapshot(snapshot)]

    def show_snapshot(self, snapshot: Snapshot | None) -> None:
        if snapshot is None or not snapshot.engine:
            self.setText("")
            self.setToolTip("")
            return
        self.setText(f"Engine: {snapshot.engine}")
        self.setToolTip(f"The engine that trains this network: {snapshot.engine_reason}. Both engines "
                        "compute the same numbers; the faster one for this network runs.")
