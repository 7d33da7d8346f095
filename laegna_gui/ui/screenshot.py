"""Render the main window with a project loaded into a PNG, without a person at the screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer

from laegna_gui.ui.app import load_start_project, make_application

SETTLE_MS = 150  # let the first layout and paint happen before grabbing


def take_screenshot(target: str | None, out: str | Path, size: tuple[int, int] = (1400, 860),
                    steps: int = 0) -> tuple[Path, str]:
    """With `steps`, the window trains that many iterations first (through the real
    worker thread), so the live views show a trained state. Returns the file and a line
    describing the state it shows."""
    project, path = load_start_project(target)
    app = make_application()
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(project, path, remember_layout=False)
    window.move(0, 0)
    window.resize(*size)
    window.show()
    out = Path(out)
    saved: list[bool] = []
    state: list[str] = []

    def grab() -> None:
        if saved:
            return
        saved.append(window.grab().save(str(out)))
        latest = window.training.controller.latest
        if latest is not None:
            m = latest.metrics
            accuracy = "" if m.test_accuracy is None else f", test accuracy {m.test_accuracy:.3f}"
            state.append(f"after {latest.step} iterations: test loss {m.test_loss:.4g}{accuracy}")
        window.document.undo_stack.setClean()
        window.close()
        app.quit()

    # steps_finished comes after the first snapshot (and after `steps` iterations, if any)
    window.training.controller.steps_finished.connect(lambda: QTimer.singleShot(SETTLE_MS, grab))
    window.training.controller.run_steps(steps)
    app.exec()
    if not saved or not saved[0]:
        raise OSError(f"could not write {out}")
    return out, state[0] if state else "the network is not valid, so nothing was trained"
