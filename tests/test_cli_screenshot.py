"""`laegna-gui screenshot` without OpenGL (the offscreen test run): a 3-D view is refused
with exit status 2, one `error:` line and no file; the network view still renders."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from laegna_gui.cli import main
from laegna_gui.core.presets import load_preset
from laegna_gui.ui.export.screenshot import FLAT_VIEWS
from laegna_gui.ui.view_names import VIEWS

VIEWS_3D = ("transform-lab", "layer-space", "landscape", "affine-fit")


@pytest.fixture(autouse=True)
def _switch_interval_kept():
    """The command sets the interpreter's thread switch interval for its window: not for the tests after."""
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


@pytest.mark.parametrize("view", VIEWS_3D)
def test_a_3d_view_without_opengl_is_refused_in_one_line_and_writes_nothing(tmp_path, capsys, view):
    out = tmp_path / "shot.png"
    assert main(["screenshot", "xor", "--view", view, "--out", str(out)]) == 2
    assert QGuiApplication.platformName() == "offscreen"  # the run this test is for: no OpenGL
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), captured.err
    assert f"the {view} view is 3-D and needs OpenGL" in lines[0] and "Xvfb" in lines[0]
    assert captured.out == "" and not out.exists()


def test_the_refusal_is_the_only_line_the_process_writes(tmp_path):
    """Qt's own warnings go past Python's stderr: only a real process shows all of it."""
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "laegna_gui", "screenshot", "--view", "landscape",
                           "--out", str(out)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("error: the landscape view is 3-D"), lines
    assert done.stdout == "" and not out.exists()


def test_the_network_view_still_renders_offscreen(tmp_path):
    """In a child process: the command ends its event loop with QApplication.quit(), and
    pyqtgraph stops its views for good when the application quits. The picture is written
    like every other output: through a link, replacing the file it points to, whole."""
    real, out = tmp_path / "real.png", tmp_path / "shot.png"
    real.write_bytes(b"an older picture")
    out.symlink_to(real.name)
    done = subprocess.run([sys.executable, "-m", "laegna_gui", "screenshot", "xor", "--view", "network",
                           "--size", "900x600", "--out", str(out)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(f"{out} (") and "error" not in done.stderr
    assert out.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["real.png", "shot.png"]
    image = QImage(str(real))
    assert (image.width(), image.height()) == (900, 600)
    assert len({image.pixel(x, y) for x in range(0, 900, 30) for y in range(0, 600, 30)}) > 5


def test_the_views_refused_without_opengl_are_exactly_the_tabs_with_a_3d_scene(qtbot):
    from laegna_gui.ui.main_window import MainWindow
    from laegna_gui.ui.space3d.gl import GLPanel

    window = MainWindow(load_preset("xor"), remember_layout=False)
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(window)
    scenes = {name: bool(window.tabs.widget(i).findChildren(GLPanel)) for i, name in enumerate(VIEWS)}
    assert scenes == {name: name not in FLAT_VIEWS for name in VIEWS}
    assert {name for name, scene in scenes.items() if scene} == set(VIEWS_3D)


# --- with OpenGL (marked `gl`: test_gl_session.py runs these on Xvfb) ---------------------
@pytest.mark.gl
@pytest.mark.parametrize("target, view", [("xor", "transform-lab"), ("xor", "landscape"),
                                          ("xor", "layer-space"), ("affine3d", "affine-fit")])
def test_with_opengl_each_3d_view_is_captured(tmp_path, target, view):
    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "laegna_gui", "screenshot", target, "--view", view,
                           "--steps", "200", "--size", "1200x800", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "xcb"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(f"{out} (after 200 iterations")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)


@pytest.mark.gl
def test_the_screenshot_grab_holds_the_3d_scene(qtbot):
    """What the command saves (`grab_with_gl`) shows the scene where the GL view is: far
    more than its plain background (the lab's cube, its axes and their labels)."""
    from laegna_gui.ui.main_window import MainWindow
    from laegna_gui.ui.export.screenshot import grab_with_gl
    from laegna_gui.ui.space3d.gl import GLPanel

    window = MainWindow(load_preset("xor"), remember_layout=False)
    window.files.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(window)
    window.move(0, 0)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()  # its first layout waits for a zero-time timer: let it run
    window.tabs.show_view("transform-lab")
    panel = window.tabs.current_view().findChild(GLPanel)
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.isVisible())
    qtbot.waitExposed(panel.view)
    corner, size = panel.view.mapTo(window, QPoint(0, 0)), panel.view.size()
    scene = grab_with_gl(window).copy(corner.x(), corner.y(), size.width(), size.height()).toImage()
    rgb = np.asarray([[scene.pixelColor(x, y).getRgb()[:3] for x in range(0, size.width(), 4)]
                      for y in range(0, size.height(), 4)], dtype=int)
    background = np.array([247, 248, 250])  # the views' light background (GLPanel)
    assert np.mean(np.abs(rgb - background).sum(axis=2) > 30) > 0.02
