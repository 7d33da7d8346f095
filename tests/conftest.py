"""Test-wide settings: no screen needed, no user files touched, no threads leaked."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Settings, recent files and recovery files go to a fresh folder per test."""
    data = tmp_path_factory.mktemp("laegna-data")
    monkeypatch.setenv("LAEGNA_DATA_DIR", str(data))
    return data
