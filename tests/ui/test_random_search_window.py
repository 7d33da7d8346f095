"""Random search chosen in the real window: Step trains with it, the counters advance, and the
Step and Gradients views say that it uses no gradients (issue 17)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from window_helpers import open_window

from laegna_gui.engine.random_search import NO_GRADIENTS

WAIT = 20_000


def test_choosing_random_search_and_stepping_shows_that_it_uses_no_gradients(qtbot):
    win = open_window(qtbot, "xor")
    panel, ctl, controls = win.training, win.training.controller, win.training.controls
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    combo = controls.editors["optimizer"]
    combo.setCurrentIndex(combo.findData("random_search"))
    tip = combo.itemData(combo.currentIndex(), Qt.ItemDataRole.ToolTipRole)
    assert combo.currentText() == "Random search" and "no gradients" in tip
    assert win.document.project.training.optimizer == "random_search"
    assert not controls.editors["momentum"].isEnabled() and not controls.editors["clip"].isEnabled()
    panel.tabs.setCurrentWidget(panel.gradients)
    for step in (1, 2, 3):
        with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT) as blocker:
            controls.step_button.click()
        snapshot = blocker.args[0]
        report = snapshot.report
        assert snapshot.step == step and report.step == step and snapshot.engine == "torch"
        assert report.gradients == {} and snapshot.gradients == {} and report.nudge_kept is not None
        changed = any(update.any() for update in report.updates.values())
        assert changed == report.nudge_kept
        if not report.nudge_kept:
            for name, w in report.weights_after.items():
                np.testing.assert_array_equal(w, report.weights_before[name])
        qtbot.waitUntil(lambda: controls.counters["iteration"].text() == f"{step}", timeout=WAIT)
    qtbot.waitUntil(lambda: panel.step_view.report is report and not ctl.views.busy, timeout=WAIT)
    assert "random search uses no gradients" in panel.step_view.loss.text()
    warning = panel.gradients.warning
    assert warning.isVisible() and warning.text() == NO_GRADIENTS
    # a choice, not trouble: a muted note, and no ⚠ on the tab
    assert warning.property("role") == "muted"
    assert panel.tabs.tabText(panel.tabs.indexOf(panel.gradients)) == "Gradients"
    assert ctl.latest.engine_reason == "random search runs on torch"
    assert ctl.history.column("step")[-1] == 3
