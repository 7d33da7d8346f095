"""How long the window takes to answer Close (or Pause, Reset, File > New) while a
full-batch step of the largest network Laegna allows runs: two dense layers of 1,024 units,
100,000 points, batch size 0 (every training point in one iteration).

    OMP_NUM_THREADS=1 QT_QPA_PLATFORM=offscreen python tools/measure_close_latency.py \
        [--action close|pause|reset|new] [offsets…]

For each offset (seconds after Play, default 1 4 8) a fresh window starts training and the
action is taken that long into the first step. The script prints how long it took to be
answered: `close()` returned; the window heard that training stopped; a snapshot of the
reset network arrived; the new project's first snapshot arrived.
A measurement, not a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import gc
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from laegna_gui.core.custom_data import points_to_settings  # noqa: E402
from laegna_gui.core.graph import Graph  # noqa: E402
from laegna_gui.core.project import Project  # noqa: E402
from laegna_gui.core.training_settings import TrainingSettings  # noqa: E402

POINTS = 100_000
UNITS = 1024


def largest_project() -> Project:
    graph = Graph()
    ids = [graph.add_node("input", {"features": ["x1", "x2"]}).id]
    for type_name, params in (("dense", {"units": UNITS}), ("activation", {"function": "relu"}),
                              ("dense", {"units": UNITS}), ("activation", {"function": "relu"}),
                              ("dense", {"units": 1}), ("activation", {"function": "sigmoid"})):
        ids.append(graph.add_node(type_name, params).id)
    ids.append(graph.add_node("output").id)
    for src, dst in zip(ids, ids[1:]):
        graph.add_edge(src, dst)
    x = np.random.default_rng(0).uniform(-1, 1, (POINTS, 2))
    y = (np.hypot(x[:, 0], x[:, 1]) < 0.6).astype(int)
    points = {"task": "classification", "n_outputs": 2, "feature_names": ["x1", "x2"],
              "x": x.tolist(), "y": y.tolist()}
    training = TrainingSettings(batch_size=0, optimizer="adam", learning_rate=0.001)
    return Project(graph, points_to_settings(points, 0.1), training, seed=0)


def wait_until(condition, seconds: float) -> bool:
    end = time.perf_counter() + seconds
    loop = QEventLoop()
    while not condition() and time.perf_counter() < end:
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return condition()


def wait(seconds: float) -> None:
    wait_until(lambda: False, seconds)


def act(window, action: str) -> None:
    """Take the action and wait until the window has answered it."""
    ctl = window.training.controller
    if action == "close":
        window.close()
    elif action == "pause":
        ctl.pause()
        wait_until(lambda: not ctl.running, 300)
    elif action == "reset":
        arrived = []
        ctl.snapshot_changed.connect(arrived.append)
        ctl.reset()
        wait_until(lambda: bool(arrived) and arrived[-1].step == 0, 300)
    else:
        old = ctl.latest
        window.files.new()
        wait_until(lambda: ctl.latest is not None and ctl.latest.weights.keys() != old.weights.keys(), 300)


def one_trial(project: Project, offset: float, action: str) -> float:
    from laegna_gui.ui.main_window import MainWindow

    window = MainWindow(project, remember_layout=False)
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.show()
    ctl = window.training.controller
    start = time.perf_counter()
    if not wait_until(lambda: ctl.latest is not None, 300):
        raise SystemExit("no first snapshot after 300 s")
    print(f"  first snapshot after {time.perf_counter() - start:.1f} s "
          f"({ctl.latest.engine})", flush=True)
    wait(2.0)  # the worker's warm-up (engine choice) runs after the first frame
    ctl.play()
    if not wait_until(lambda: ctl.running, 300):
        raise SystemExit("training did not start")
    wait(offset)
    start = time.perf_counter()
    act(window, action)
    latency = time.perf_counter() - start
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()
    return latency


def main(argv: list[str]) -> None:
    action = "close"
    if "--action" in argv:
        at = argv.index("--action")
        action, argv = argv[at + 1], argv[:at] + argv[at + 2:]
    offsets = [float(a) for a in argv] or [1.0, 4.0, 8.0]
    app = QApplication.instance() or QApplication([])
    project = largest_project()
    for offset in offsets:
        latency = one_trial(project, offset, action)
        print(f"{action} {offset:.1f} s into training: answered after {latency:.2f} s", flush=True)
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1:])
