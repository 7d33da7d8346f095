"""CSV import and datasets stored as points inside a project."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from laegna_gui.core import csv_reader
from laegna_gui.core.custom_data import (
    CsvTable,
    check_choice,
    guess_task,
    parse_csv,
    points_to_settings,
    read_csv,
    stable_split,
    table_to_settings,
)
from laegna_gui.core.datasets import DatasetSettings, dataset_spec, make_dataset
from laegna_gui.core.errors import DatasetError

CSV = "x, y ,label\n0.5,1,3\n-1,2e-1,7\n\n2,0,3\n"


def test_parse_csv_with_a_header():
    table = parse_csv(CSV)
    assert table.columns == ("x", "y", "label")
    np.testing.assert_array_equal(table.values, [[0.5, 1, 3], [-1, 0.2, 7], [2, 0, 3]])


def test_parse_csv_without_a_header_names_columns():
    table = parse_csv("1,2\n3,4\n")
    assert table.columns == ("col1", "col2")
    np.testing.assert_array_equal(table.values, [[1, 2], [3, 4]])


def test_blank_header_cells_get_column_names():
    assert parse_csv("a,,\n1,2,3\n4,5,6\n").columns == ("a", "col2", "col3")


def test_utf8_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffa,b\r\n1,2\r\n3,4\r\n".encode("utf-8"))
    assert read_csv(path).columns == ("a", "b")


@pytest.mark.parametrize("text, phrase", [
    ("a,b,c\n1,2,3\n4,5\n", "row 3 has 2 values but the header has 3"),
    ("a,b,c\n1,2,3\n4,5,6,7\n", "row 3 has 4 values but the header has 3"),
    ("a,b\n1,2\n3,four\n", "row 3, column 'b': 'four' is not a number"),
    ("1,2\n3,x\n", "row 2, column 'col2': 'x' is not a number"),
    ("", "the file has no data rows"),
    ("\n , \n\n", "the file has no data rows"),
    ("a,b,c\n", "the file has a header but no data rows"),
    ("a,b\n1,2\n", "the file has only one data row; training needs at least 2"),
    ("a,b\n1,inf\n", "row 2, column 'b': 'inf' is not a finite number"),
    ("a,b\n1,2\nnan,2\n", "row 3, column 'a': 'nan' is not a finite number"),
    (",".join(f"c{i}" for i in range(65)) + "\n", "the file has 65 columns; at most 64"),
])
def test_parse_csv_errors_name_the_row_and_column(text, phrase):
    with pytest.raises(DatasetError) as info:
        parse_csv(text)
    assert phrase in str(info.value)


def test_table_to_settings_for_classification_remaps_labels():
    settings = table_to_settings(parse_csv(CSV), ["x", "y"], "label", "classification", test_fraction=0.5)
    assert settings.name == "custom" and settings.test_fraction == 0.5
    assert settings.samples == 4  # three points, but a project file needs samples >= 4; the points count
    points = settings.points
    assert points["task"] == "classification" and points["n_outputs"] == 2
    assert points["feature_names"] == ["x", "y"]
    assert points["x"].dtype == np.float32 and points["y"].dtype == np.int32
    assert not points["x"].flags.writeable and not points["y"].flags.writeable  # shared, so never changed
    np.testing.assert_array_equal(points["x"], np.float32([[0.5, 1.0], [-1.0, 0.2], [2.0, 0.0]]))
    assert points["y"].tolist() == [0, 1, 0]  # labels 3, 7, 3 → 0, 1, 0


def test_classification_counts_every_distinct_label():
    table = CsvTable(("f", "t"), np.array([[0, 5], [1, -2], [2, 9], [3, 5]], dtype=float))
    settings = table_to_settings(table, ["f"], "t", "classification")
    assert settings.points["y"].tolist() == [1, 0, 2, 1] and settings.points["n_outputs"] == 3
    single = table_to_settings(CsvTable(("f", "t"), np.array([[0, 1], [1, 1]], dtype=float)),
                               ["f"], "t", "classification")
    assert single.points["n_outputs"] == 2  # a one-class table still gets two outputs


def test_table_to_settings_for_regression():
    settings = table_to_settings(parse_csv(CSV), ["label"], "y", "regression")
    points = settings.points
    assert (points["task"], points["n_outputs"], points["feature_names"]) == ("regression", 1, ["label"])
    assert points["x"].tolist() == [[3.0], [7.0], [3.0]]
    assert points["y"].dtype == np.float32 and points["y"].tolist() == np.float32([1.0, 0.2, 0.0]).tolist()
    assert settings.test_fraction == 0.3


@pytest.mark.parametrize("features, target, task, phrase", [
    (["x", "z"], "label", "classification", "no column named 'z'"),
    (["x"], "target", "classification", "no column named 'target'"),
    ([], "label", "classification", "choose at least one feature column"),
    (["x", "label"], "label", "classification", "a target that is not a feature"),
    (["x"], "y", "classification", "column 'y' needs whole-number class labels"),
    (["x"], "y", "clustering", "task must be classification or regression, not 'clustering'"),
])
def test_table_to_settings_refusals(features, target, task, phrase):
    with pytest.raises(DatasetError) as info:
        table_to_settings(parse_csv(CSV), features, target, task)
    assert phrase in str(info.value)


def test_too_many_classes_are_refused():
    table = CsvTable(("f", "t"), np.array([[i, i] for i in range(11)], dtype=float))
    with pytest.raises(DatasetError, match="at most 10"):
        table_to_settings(table, ["f"], "t", "classification")


def test_custom_dataset_round_trip_through_make_dataset():
    rows = "\n".join(f"{i / 10},{i % 3},{i % 2}" for i in range(20))
    settings = table_to_settings(parse_csv("a,b,cls\n" + rows), ["a", "b"], "cls", "classification", 0.25)
    data = make_dataset(DatasetSettings(name="custom", points=settings.points, test_fraction=0.25), seed=2)
    assert data.task == "classification" and data.n_outputs == 2 and data.feature_names == ("a", "b")
    assert len(data.x_train) == 15 and len(data.x_test) == 5
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    assert dataset_spec(settings) == data.spec
    pairs = sorted(map(tuple, np.column_stack([np.concatenate([data.x_train, data.x_test]),
                                               np.concatenate([data.y_train, data.y_test])]).tolist()))
    expected = sorted((np.float32(i / 10).item(), float(i % 3), float(i % 2)) for i in range(20))
    assert pairs == expected  # every row kept, with its own label
    again = make_dataset(DatasetSettings(name="custom", points=settings.points, test_fraction=0.25), seed=2)
    np.testing.assert_array_equal(again.x_test, data.x_test)


def test_custom_regression_targets_are_columns():
    points = {"task": "regression", "n_outputs": 1, "x": [[0.0], [1.0], [2.0], [3.0]], "y": [1, 2, 3, 4]}
    data = make_dataset(DatasetSettings(name="custom", points=points, test_fraction=0.5))
    assert data.y_train.shape == (2, 1) and data.y_train.dtype == np.float32
    assert data.feature_names == ("x1",)


@pytest.mark.parametrize("points, phrase", [
    (None, "incomplete or not numbers"),
    ({"task": "regression", "n_outputs": 1, "x": [[0], ["a"]], "y": [1, 2]}, "incomplete or not numbers"),
    ({"task": "regression", "n_outputs": 1, "x": [[0]], "y": [1]}, "at least 2 points"),
    ({"task": "regression", "n_outputs": 1, "x": [[0], [1]], "y": [1]}, "a y value for each"),
    ({"task": "classification", "n_outputs": 2, "x": [[0], [1]], "y": [0, 2]}, "outside 0…1"),
])
def test_bad_stored_points_raise_dataset_error(points, phrase):
    with pytest.raises(DatasetError) as info:
        make_dataset(DatasetSettings(name="custom", points=points))
    assert phrase in str(info.value)


def test_read_csv_from_a_file(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(CSV, encoding="utf-8")
    table = read_csv(str(path))
    assert table.columns == ("x", "y", "label") and table.values.shape == (3, 3)


def test_read_csv_accepts_utf16_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("a,b\n1,2\n3,4\n".encode("utf-16"))
    assert read_csv(path).columns == ("a", "b")


@pytest.mark.parametrize("raw", [
    bytes(range(128, 256)),
    b"\x00\x01\x02\xff\xfe\xfd\x80",
    "café,b\n1,2\n3,45\n".encode("latin-1"),  # an even number of bytes: not UTF-16 either
    "größe;wert\n1;2\n".encode("cp1252"),
])
def test_read_csv_refuses_non_utf8_bytes_clearly(tmp_path, raw):
    path = tmp_path / "garbage.csv"
    path.write_bytes(raw)
    with pytest.raises(DatasetError, match="the file is not UTF-8 text; save it as UTF-8 CSV"):
        read_csv(path)


def test_read_csv_of_a_missing_file(tmp_path):
    with pytest.raises(DatasetError, match="cannot read nothing.csv"):
        read_csv(tmp_path / "nothing.csv")


# --- block-by-block reading, line numbers, guessing the task -----------------------------


@pytest.mark.parametrize("text, phrase", [
    ("a,b\n\n\n1,2\n\n3,x\n", "row 6, column 'b': 'x' is not a number"),   # blank lines count
    ("\n\na,b,c\n1,2,3\n\n4,5\n", "row 6 has 2 values but the header has 3"),
    ("1,2,3\n4,5\n", "row 2 has 2 values but the first row has 3"),
    ('a,b\n"\n1",3\n4,oops\n', "row 4, column 'b': 'oops' is not a number"),  # a quoted line break
    ("a;b\n1;2\n", "'1;2' is not a number (columns must be separated by commas, not ';')"),
])
def test_errors_name_the_files_own_line_numbers(text, phrase):
    with pytest.raises(DatasetError) as info:
        parse_csv(text)
    assert phrase in str(info.value)


def test_a_bad_cell_deep_in_a_block_is_found_with_its_line():
    rows = [f"{i},{i % 2}" for i in range(2500)]
    rows[1777] = "1777,maybe"
    with pytest.raises(DatasetError, match=r"row 1780, column 'cls': 'maybe' is not a number"):
        parse_csv("x,cls\n\n" + "\n".join(rows))  # header, blank line, then rows[i] on line i + 3


def test_repeated_column_names_get_numbers():
    assert parse_csv("a,a,b,a\n1,2,3,4\n5,6,7,8\n").columns == ("a", "a (2)", "b", "a (3)")


def test_too_many_rows_stop_early(monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_SAMPLES", 5)
    with pytest.raises(DatasetError, match=r"row 7: the file has more than 5 data rows"):
        parse_csv("a\n" + "1\n" * 50)


def test_a_huge_field_is_refused_clearly():
    with pytest.raises(DatasetError, match=r"row 2: this is not readable CSV \(field larger than field limit"):
        parse_csv("a\n" + "1" * 200_000 + "\n")


def test_reading_a_file_yields_progress_then_the_table(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("x,y\n" + "".join(f"{i},{i % 3}\n" for i in range(5500)), encoding="utf-8")
    reading = csv_reader.iter_read_csv(path)
    fractions = []
    while True:
        try:
            fractions.append(next(reading))
        except StopIteration as done:
            table = done.value
            break
    assert len(fractions) == 5  # one per block of 1,000 rows
    assert fractions == sorted(fractions) and 0 < fractions[0] and fractions[-1] <= 1
    assert table.values.shape == (5500, 2) and table.values[-1].tolist() == [5499, 5499 % 3]


def _open_handles(path) -> int:
    fds = Path("/proc/self/fd")  # Linux: every open file of this process
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == str(path.resolve()))


def test_stopping_a_reading_closes_the_file(tmp_path):
    path = tmp_path / "many.csv"
    path.write_text("x\n" + "1\n" * 5000, encoding="utf-8")
    reading = csv_reader.iter_read_csv(path)
    next(reading)
    assert _open_handles(path) == 1
    reading.close()  # what Cancel does
    assert _open_handles(path) == 0
    with pytest.raises(StopIteration):
        next(reading)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_reader, "MAX_CSV_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("a\n" + "1\n" * 100, encoding="utf-8")
    with pytest.raises(DatasetError, match="at most 0 MB can be imported: keep fewer rows or columns"):
        read_csv(path)


def test_zero_bytes_in_utf8_text_are_refused(tmp_path):
    path = tmp_path / "zeros.csv"
    path.write_bytes(b"a,b\n1,2\n3\x00,4\n")
    with pytest.raises(DatasetError, match=r"not UTF-8 text.*row 3 holds binary zero bytes"):
        read_csv(path)


@pytest.mark.parametrize("values, task", [
    ([0, 1, 1, 0, 2, 2], "classification"),
    ([3, 7, 3, 7], "classification"),
    ([0.5, 1, 2, 3], "regression"),             # not whole numbers
    (list(range(30)), "regression"),             # too many distinct values
    ([1, 2, 3, 4], "regression"),                # every row its own value: a measurement, not a label
])
def test_guess_task_from_the_target(values, task):
    table = CsvTable(("f", "t"), np.column_stack([np.arange(len(values)), values]).astype(float))
    assert guess_task(table, "t") == task


def test_check_choice_returns_the_outputs_needed():
    table = parse_csv(CSV)
    assert check_choice(table, ["x", "y"], "label", "classification") == 2
    assert check_choice(table, ["x"], "y", "regression") == 1
    with pytest.raises(DatasetError, match="at least 2 data rows"):
        check_choice(CsvTable(("a", "b"), np.array([[1.0, 2.0]])), ["a"], "b", "regression")


def test_points_to_settings_keeps_samples_valid_for_a_project_file():
    points = {"task": "regression", "n_outputs": 1, "x": [[0.0]] * 2, "y": [0.0, 1.0]}
    assert points_to_settings(points, 0.2).samples == 4
    many = {**points, "x": [[0.0]] * 40, "y": [0.0] * 40}
    assert points_to_settings(many, 0.2).samples == 40


def test_adding_a_point_moves_at_most_one_other_between_train_and_test():
    x = np.arange(40, dtype=float)[:, None]
    _, _, before, _ = stable_split(x, x[:, 0], 0.3, seed=5)
    _, _, after, _ = stable_split(np.vstack([x, [[40.0]]]), np.arange(41.0), 0.3, seed=5)
    assert len(set(before[:, 0]) ^ set(after[:, 0])) <= 2
