"""Test-wide settings: no screen needed, no user files touched, no threads leaked."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402


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
