"""Render the main window with a project loaded into a PNG, without a person at the screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from laegna_gui.ui.app import load_start_project, make_application

SETTLE_MS = 150  # let the first layout and paint happen before grabbing


def take_screenshot(target: str | None, out: str | Path, size: tuple[int, int] = (1400, 860)) -> Path:
    project, path = load_start_project(target)
    app = make_application()
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(project, path, remember_layout=False)
    window.move(0, 0)
    window.resize(*size)
    window.show()
    out = Path(out)
    saved: list[bool] = []

    def grab() -> None:
        saved.append(window.grab().save(str(out)))
        window.document.undo_stack.setClean()
        window.close()
        app.quit()

    QTimer.singleShot(SETTLE_MS, grab)
    app.exec()
    if not saved or not saved[0]:
        raise OSError(f"could not write {out}")
    return out
