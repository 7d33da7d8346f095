"""Test-wide settings: no screen needed, no user files touched, no threads leaked."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, Qt  # noqa: E402

# Fuzzers: a few hundred examples each in CI; HYPOTHESIS_PROFILE=long for the longer run
# the README describes (5,000 each). No deadlines: CI machines vary.
settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("long", max_examples=5_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# as the app does: several 3-D views share one GL context (set before any QApplication exists)
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Settings, recent files and recovery files go to a fresh folder per test."""
    data = tmp_path_factory.mktemp("laegna-data")
    monkeypatch.setenv("LAEGNA_DATA_DIR", str(data))
    return data


@pytest.fixture(autouse=True)
def _no_thread_outlives_its_test():
    """Fail any test that leaves a training thread running (pytest-qt has closed the
    test's widgets by the time this runs)."""
    yield
    import sys

    worker = sys.modules.get("laegna_gui.ui.training.worker")
    if worker is not None:
        leaked = worker.WorkerThread.running()
        for thread in leaked:  # stop them so one leak does not cascade into later tests
            thread.quit()
            thread.wait(5000)
        assert not leaked, f"{len(leaked)} training thread(s) still running after the test"
    _collect_now()


def _collect_now() -> None:
    """Free what the test left in reference cycles here, between tests, with no thread
    training and no widget walk under way — not at a random allocation in the next test
    (a collection in the middle of a later window's start-up crashed CI once)."""
    app = QCoreApplication.instance()
    if app is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
    gc.collect()


def pytest_collection_modifyitems(config, items):
    """OpenGL tests need a real display: the offscreen run leaves them to test_gl_session.py,
    which runs them on Xvfb; the GL session runs only them."""
    gl_session = bool(os.environ.get("LAEGNA_GL_SESSION"))
    keep, drop = [], []
    for item in items:
        (keep if (item.get_closest_marker("gl") is not None) == gl_session else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def compiled_kernels_ready():
    """Compile the training kernels into the cache once, before any test: a window's worker
    would otherwise train with torch until a background process has compiled them."""
    from laegna_gui.engine.compiled import prepare

    prepare.ensure(block=True)
