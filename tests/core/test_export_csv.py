"""Loss history and dataset as CSV, and the atomic file writer they are saved with."""

from __future__ import annotations

import csv
import io
import os

import numpy as np
import pytest

from laegna_gui.core.atomic_file import write_atomic
from laegna_gui.core.datasets import DatasetSettings, make_dataset
from laegna_gui.core.custom_data import points_to_settings
from laegna_gui.core.export_csv import dataset_csv, history_csv
from laegna_gui.core.history import History


class _Metrics:
    def __init__(self, train_loss, test_loss, train_accuracy=None, test_accuracy=None):
        self.train_loss, self.test_loss = train_loss, test_loss
        self.train_accuracy, self.test_accuracy = train_accuracy, test_accuracy


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_history_has_one_row_per_recorded_point_with_epochs():
    history = History()
    for step, loss in ((0, 0.7), (10, 0.5), (20, 0.25)):
        history.append(step, _Metrics(loss, loss + 0.1, 0.5 + step / 100, 0.4 + step / 100),
                       {"grad:dense1": 1.0})
    text = history_csv(history, {0: 0, 10: 1, 20: 2})
    assert text.splitlines()[0] == "step,epoch,train_loss,test_loss,train_accuracy,test_accuracy"
    rows = _rows(text)
    assert [r["step"] for r in rows] == ["0", "10", "20"]
    assert [r["epoch"] for r in rows] == ["0", "1", "2"]
    assert [float(r["train_loss"]) for r in rows] == [0.7, 0.5, 0.25]
    assert float(rows[2]["test_loss"]) == 0.35
    assert float(rows[1]["test_accuracy"]) == 0.5


def test_regression_history_has_no_accuracy_columns_and_no_epoch_without_epochs():
    history = History()
    history.append(0, _Metrics(2.0, 2.5))
    history.append(5, _Metrics(1.0, float("nan")))
    text = history_csv(history)
    assert text.splitlines() == ["step,train_loss,test_loss", "0,2.0,2.5", "5,1.0,"]


def test_an_unknown_epoch_is_an_empty_cell():
    history = History()
    history.append(3, _Metrics(1.0, 1.0))
    assert _rows(history_csv(history, {}))[0]["epoch"] == ""


def test_dataset_lists_every_point_with_target_and_split():
    data = make_dataset(DatasetSettings("xor", 40, 0.1, 0.25), seed=3)
    rows = _rows(dataset_csv(data))
    assert list(rows[0]) == ["x1", "x2", "label", "split"]
    assert [r["split"] for r in rows] == ["train"] * 30 + ["test"] * 10
    x = np.array([[float(r["x1"]), float(r["x2"])] for r in rows], dtype=np.float32)
    np.testing.assert_array_equal(x, np.concatenate([data.x_train, data.x_test]))  # float32 exactly
    assert [int(r["label"]) for r in rows] == [*data.y_train, *data.y_test]


def test_regression_targets_get_one_column_each():
    data = make_dataset(DatasetSettings("affine3d", 20, 0.0, 0.5), seed=0)
    rows = _rows(dataset_csv(data))
    assert list(rows[0]) == ["x1", "x2", "x3", "y1", "y2", "y3", "split"]
    np.testing.assert_array_equal(np.array([[float(r[f"y{i}"]) for i in (1, 2, 3)] for r in rows[:10]],
                                           dtype=np.float32), data.y_train)


def test_custom_feature_names_are_kept_and_clashes_renamed():
    settings = points_to_settings({"task": "classification", "n_outputs": 2, "feature_names": ["label", "split"],
                                   "x": [[1, 2], [3, 4], [5, 6], [7, 8]], "y": [0, 1, 1, 0]}, 0.5)
    text = dataset_csv(make_dataset(settings, seed=0))
    assert text.splitlines()[0] == "label,split,label_2,split_2"
    assert len(_rows(text)) == 4


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failed_atomic_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def fail(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
