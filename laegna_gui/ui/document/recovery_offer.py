"""At start-up: offering back the unsaved work of crashed windows, one question each."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMessageBox

from laegna_gui.ui.document.recovery_files import FoundRecoveries, Recovery


def offer_recoveries(window, found: FoundRecoveries) -> list:
    """Offer each crashed window's unsaved work back, one question each; restored work opens
    in `window` if it shows no file yet, else in a window of its own (returned, to keep).
    Unreadable recovery files are reported once, with where they were kept."""
    if found.set_aside:
        report_set_aside(window, found.set_aside)
    opened, free = [], window if window.document.path is None else None
    for number, recovery in enumerate(found.recoveries, start=1):
        if not ask_to_restore(window, recovery, number, len(found.recoveries)):
            recovery.discard()
            continue
        target = free if free is not None else _new_window(window, len(opened) + 1)
        free = None
        restore(target, recovery)
        if target is not window:
            opened.append(target)
    return opened


def ask_to_restore(parent, recovery: Recovery, number: int = 1, total: int = 1) -> bool:
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovery.saved_at))
    source = recovery.original_path.name if recovery.original_path else recovery.project.name
    title = "Restore unsaved work?" + (f" ({number} of {total})" if total > 1 else "")
    answer = QMessageBox.question(
        parent, title,
        f"Laegna closed unexpectedly. Unsaved work on {source} from {when} was recovered.\n\n"
        "Restore it? If you choose No, it is deleted.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes


def restore(window, recovery: Recovery) -> None:
    """Open the recovered work as unsaved work; the window now owns its recovery file."""
    window.document.load(recovery.project, recovery.original_path, modified=True)
    window.autosaver.adopt(recovery)


def report_set_aside(parent, paths: tuple[Path, ...]) -> None:
    """One message for all recovery files that could not be read, naming where they are."""
    listed = "\n".join(str(p) for p in paths)
    QMessageBox.warning(
        parent, "Unreadable recovered work",
        f"Laegna found unsaved work from an earlier run that it cannot read, so it is not offered "
        f"for restoring. It was kept, renamed, as:\n\n{listed}\n\n"
        "Open it with File → Open to check what it holds, or delete it.")


def _new_window(beside, number: int):
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow()
    window.move(beside.pos() + QPoint(40 * number, 40 * number))
    window.show()
    return window
