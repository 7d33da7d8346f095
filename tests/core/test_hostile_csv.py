"""Hostile CSV files: each is refused with one DatasetError naming what is wrong (and, for a
bad cell, its row and column); arbitrary text never raises anything else."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laegna_gui.core.csv_reader import parse_csv, read_csv
from laegna_gui.core.errors import DatasetError

HOSTILE_CSV = {
    "empty": (b"", "no data rows"),
    "header only": (b"x,y,label\n", "no data rows"),
    "ragged row": (b"x,y,label\n1,2,0\n3,4\n", "row 3"),
    "text in a number column": (b"x,y,label\n1,2,0\n3,abc,1\n", "row 3, column 'y'"),
    "infinity": (b"x,y,label\n1,inf,0\n3,4,1\n", "not a finite number"),
    "latin-1": ("x,y,étiquette\n1,2,0\n".encode("latin-1"), "UTF-8"),
    "utf-16 without its mark": ("x,y\n1,2\n".encode("utf-16-le"), "UTF-8"),
    "binary": (bytes(range(256)) * 40, "UTF-8"),
    "zip archive": (b"PK\x03\x04" + bytes(500), "UTF-8"),
    "one enormous line": (b"1," * 3_000_000, "column"),
}


@pytest.mark.parametrize("name", list(HOSTILE_CSV))
def test_each_hostile_csv_is_refused_with_one_clear_message(tmp_path, name):
    raw, phrase = HOSTILE_CSV[name]
    path = tmp_path / "data.csv"
    path.write_bytes(raw)
    with pytest.raises(DatasetError) as refused:
        read_csv(path)
    message = str(refused.value)
    assert phrase in message and "\n" not in message and len(message) < 400, message


@pytest.mark.parametrize("make, kind", [
    (lambda p: p.mkdir(), "a folder"),
    (lambda p: os.mkfifo(p), "a pipe"),  # opening a pipe would wait for a writer for ever
    (lambda p: os.symlink("/dev/zero", p), "a device or socket"),  # reading it would never end
])
def test_paths_that_are_not_files_are_refused_without_reading(tmp_path, make, kind):
    path = tmp_path / "data.csv"
    make(path)
    with pytest.raises(DatasetError, match=f"data.csv is {kind}, not a regular file; choose a .csv file"):
        read_csv(path)


@given(st.text(max_size=300))
def test_arbitrary_text_is_a_table_or_a_dataset_error(text):
    try:
        table = parse_csv(text)
    except DatasetError as exc:
        assert str(exc)
    else:
        assert table.values.shape == (len(table.values), len(table.columns))


@given(st.lists(st.lists(st.one_of(st.floats(allow_nan=True), st.integers(), st.text(max_size=4)),
                         min_size=1, max_size=5), min_size=1, max_size=20))
def test_arbitrary_cells_are_a_table_or_a_dataset_error(rows):
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows)
    try:
        table = parse_csv(text)
    except DatasetError as exc:
        assert str(exc)
    else:
        assert len(table.columns) == len(rows[0])
