"""The counters (iteration, epoch, losses, accuracy) as a live view: what they say in each
state of training."""

from __future__ import annotations

from laegna_gui.ui.training.controls import TrainingControls
from laegna_gui.ui.training.live_state import Kind, LiveState, Part


def diverged_note(state: LiveState) -> str:
    step = state.snapshot.step if state.snapshot is not None else 0
    return (f"Training diverged at step {state.diverged_at:,}: these are the numbers of the weights "
            f"kept from step {step:,}, just before it. Lower the learning rate or press Reset.")


class CountersView:
    """Draws the training controls' counters; the controls themselves stay a settings editor."""

    def __init__(self, controls: TrainingControls) -> None:
        self.controls = controls

    def draw_parts(self, state: LiveState) -> list[Part]:
        return [lambda: self._draw(state)]

    def _draw(self, state: LiveState) -> None:
        show = self.controls.show_snapshot
        if state.kind is Kind.INVALID:
            show(None, state.invalid_text)
        elif state.kind is Kind.NO_STEP_YET:
            show(None, "The new network's first numbers are on their way.")
        elif state.kind is Kind.DIVERGED:
            show(state.snapshot, diverged_note(state), kept=True)
        else:
            show(state.snapshot)
