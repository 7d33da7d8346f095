"""Opening the real main window in a test: a preset, no saved layout, no autosave, and
"discard" as the answer to any save question when the test closes it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from laegna_gui.core.presets import load_preset


def open_window(qtbot, preset: str = "xor"):
    from laegna_gui.ui.main_window import MainWindow

    win = MainWindow(load_preset(preset), remember_layout=False, autosave=False)
    win.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


WAIT = 20_000  # ms: only a failing wait takes this long


def training_window(qtbot, preset: str = "xor"):
    """The window with its first numbers in, and its training controller."""
    win = open_window(qtbot, preset)
    ctl = win.training.controller
    qtbot.waitUntil(lambda: ctl.latest is not None, timeout=WAIT)
    return win, ctl


def drawn(qtbot, ctl) -> None:
    """Every part of the latest state is drawn."""
    qtbot.waitUntil(lambda: not ctl.views.busy, timeout=WAIT)


def step(qtbot, ctl, n: int = 1) -> None:
    """`n` Steps, each waited for, then everything drawn."""
    for _ in range(n):
        with qtbot.waitSignal(ctl.snapshot_changed, timeout=WAIT):
            ctl.step()
    drawn(qtbot, ctl)


def link_colours(browser) -> set[str]:
    """The colours a text browser's links are drawn in."""
    colours, block = set(), browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor():
                colours.add(fmt.foreground().color().name())
            it += 1
        block = block.next()
    return colours


def shown_at(qtbot, widget, width: int, height: int, exposed: bool = False):
    """`widget` shown at width × height, closed with the test (and on screen, when `exposed`)."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    if exposed:
        qtbot.waitExposed(widget)
    return widget
