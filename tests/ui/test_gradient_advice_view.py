"""The Gradients tab of the real window gives the advice that fits the cause: dead ReLU units on
`dying-relu`, squashing sigmoids on `vanishing` (issue 17, item 3)."""

from __future__ import annotations

from window_helpers import open_window
from laegna_gui.ui.training.live_state import Kind

WAIT = 20_000
SUGGESTS_RELU = ("Try ReLU", "use ReLU", "Use ReLU")


def gradients_tab_after(qtbot, preset: str, steps: int):
    win = open_window(qtbot, preset)
    ctl, panel = win.training.controller, win.training
    qtbot.waitUntil(lambda: ctl.state.kind is not Kind.NO_STEP_YET, timeout=WAIT)
    panel.tabs.setCurrentWidget(panel.gradients)
    with qtbot.waitSignal(ctl.steps_finished, timeout=WAIT):
        ctl.run_steps(steps)
    qtbot.waitUntil(lambda: ctl.latest.step == steps and not ctl.views.busy, timeout=WAIT)
    warning = panel.gradients.warning
    assert warning.isVisible() and warning.text() == ctl.latest.probes.gradient_warning
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.gradients)) == "Gradients ⚠"
    return warning.text()


def test_dying_relu_is_told_its_units_are_dead_and_not_to_use_relu(qtbot):
    text = gradients_tab_after(qtbot, "dying-relu", 40)
    assert text.startswith("Vanishing gradients: ") and " of 16 ReLU units are dead (never active on the data)" in text
    assert text.endswith(": lower the learning rate, use leaky ReLU or He initialisation.")
    assert not any(s in text for s in SUGGESTS_RELU), text


def test_vanishing_sigmoids_are_told_to_use_relu(qtbot):
    text = gradients_tab_after(qtbot, "vanishing", 1)
    assert "the slopes of 8 sigmoid layers" in text and text.endswith("Use ReLU, fewer layers or batch norm.")
    assert "dead" not in text
