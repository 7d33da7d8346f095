"""`signals_blocked`: a programmatic change is not announced, and the widget speaks again
after the block, also when the block raises (hand-paired blockSignals left it silent)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QSpinBox

from laegna_gui.ui.signals import signals_blocked


def test_changes_inside_are_silent_and_signals_come_back_after_a_raise(qtbot):
    spin, combo = QSpinBox(), QComboBox()
    qtbot.addWidget(spin)
    qtbot.addWidget(combo)
    combo.addItems(["a", "b"])
    heard = []
    spin.valueChanged.connect(heard.append)
    combo.currentIndexChanged.connect(heard.append)
    with pytest.raises(RuntimeError), signals_blocked(spin, combo):
        spin.setValue(5)
        combo.setCurrentIndex(1)
        raise RuntimeError("in the middle of a refresh")
    assert heard == [] and not spin.signalsBlocked() and not combo.signalsBlocked()
    spin.setValue(6)
    assert heard == [6]


def test_a_widget_already_blocked_stays_blocked(qtbot):
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.blockSignals(True)
    with signals_blocked(spin):
        spin.setValue(3)
    assert spin.signalsBlocked()
