"""The Step view checks backprop with finite differences (issue 17, "the seeds' ideas"): the
numerical slope of each weight and bias of the layer, beside ∂L/∂W, with what it means — computed
off the GUI thread, and never shown for a step or layer that is no longer on show."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from PySide6.QtCore import QCoreApplication

from window_helpers import open_window
from laegna_gui.engine.finite_differences import short
from laegna_gui.ui.training.live_state import Kind

WAIT = 20_000


def stepped_window(qtbot):
    win = open_window(qtbot, "xor")
    ctl, view = win.training.controller, win.training.step_view
    qtbot.waitUntil(lambda: ctl.state.kind is not Kind.NO_STEP_YET, timeout=WAIT)
    win.training.tabs.setCurrentWidget(view)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    qtbot.waitUntil(lambda: view.report is ctl.latest.report is not None and not ctl.views.busy, timeout=WAIT)
    return win, ctl, view


def xor_gradient(report) -> dict[str, np.ndarray]:
    """The xor preset's batch loss written out in float64 (dense → tanh → dense → log loss on the
    logit), differentiated by torch at the weights the step started from."""
    w = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in report.weights_before.items()}
    x = torch.tensor(report.batch.x, dtype=torch.float64)
    logit = torch.tanh(x @ w["dense1.weight"].T + w["dense1.bias"]) @ w["dense2.weight"].T + w["dense2.bias"]
    target = torch.tensor(report.batch.y, dtype=torch.float64)[:, None]
    F.binary_cross_entropy_with_logits(logit, target).backward()
    return {k: t.grad.numpy() for k, t in w.items()}


def check(qtbot, view) -> None:
    with qtbot.waitSignal(view.slopes.checker.checked, timeout=WAIT):
        view.slopes.button.click()
        assert view.slopes.result.text().startswith("Checking 12 slopes with finite differences")
        assert view.slopes.check is None  # the answer comes later, from another thread
    qtbot.waitUntil(lambda: view.slopes.shown, timeout=WAIT)


def test_the_numerical_slopes_shown_match_a_float64_gradient_and_say_backprop_is_right(qtbot):
    win, ctl, view = stepped_window(qtbot)
    report = ctl.latest.report
    assert view.slopes.button.text() == "Check with finite differences" and not view.slopes.shown
    check(qtbot, view)
    exact = xor_gradient(report)
    panel = view.slopes.plot
    np.testing.assert_allclose(panel.image.image, exact["dense1.weight"], rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(panel.bias_image.image.ravel(), exact["dense1.bias"], rtol=1e-6, atol=1e-10)
    # beside ∂L/∂W: the third of five panels
    assert view.columns == 5 and view.canvas.ci.items[panel.view][0] == (1, 2)
    titles = [view.canvas.ci.items[t][0][1] for t in (view.titles[1], view.slopes.title)]
    assert titles == [1, 2]
    # the lines under the panels say what the numbers shown say
    shown = np.concatenate([panel.image.image.ravel(), panel.bias_image.image.ravel()])
    backprop = np.concatenate([report.gradients["dense1.weight"].ravel(), report.gradients["dense1.bias"]])
    largest = np.abs(np.concatenate([shown, backprop])).max()
    difference = np.abs(shown - backprop).max()
    assert difference / largest < 1e-5
    text = view.slopes.result.text()
    assert f"max |numerical − backprop| {short(difference)}, relative {short(difference / largest)}" in text
    assert f"Backprop's slopes agree with the numerical ones to {short(difference / largest)}: backprop is right." \
        in text
    # a cell's tooltip has both values
    description = panel.image.describe(1, 0)
    assert description.startswith(f"row 2, column 1 — backprop {float(report.gradients['dense1.weight'][1, 0]):.9g}")


def test_another_step_or_layer_takes_the_check_away_and_a_late_result_is_dropped(qtbot):
    win, ctl, view = stepped_window(qtbot)
    check(qtbot, view)
    old = view.slopes.check
    view.set_layer("dense2")  # another layer: the check was of dense1
    assert not view.slopes.shown and not view.slopes.result.isVisible() and view.columns == 4
    view.slopes._checked(old)  # a result that comes late, for dense1
    assert not view.slopes.shown
    view.slopes.button.click()
    view.set_layer("dense1")  # before its result: it is cancelled, or dropped when it comes
    view.slopes.checker.pool.waitForDone()
    QCoreApplication.processEvents()
    assert not view.slopes.shown and not view.slopes.result.isVisible()

    check(qtbot, view)
    with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
        ctl.step()
    qtbot.waitUntil(lambda: view.report is ctl.latest.report and not ctl.views.busy, timeout=WAIT)
    assert not view.slopes.shown and view.slopes.button.isEnabled()
    view.slopes._checked(old)  # for step 1, now that step 2 is on show
    assert not view.slopes.shown
