"""Reading a CSV file of numbers block by block, so a long read reports progress and can stop.

`iter_read_csv` is a generator: it yields the fraction of the file read so far after each
block of rows and returns the CsvTable at the end. A caller that stops iterating (a Cancel
button) stops the work there. Every error names the file's line number ("row N", counting
blank lines too) and, where there is one, the column at fault.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from laegna_gui.core.errors import DatasetError
from laegna_gui.core.limits import FLOAT32_MAX, MAX_COLUMNS, MAX_CSV_BYTES, MAX_NAME_CHARS, MAX_SAMPLES
from laegna_gui.core.regular_file import NotAFileError, open_regular
from laegna_gui.core.unique_names import unique_names

BLOCK_ROWS = 1000  # rows converted at once; also how often progress is reported and Cancel is seen
NOT_UTF8 = "the file is not UTF-8 text; save it as UTF-8 CSV and try again"
BYTE_ORDER_MARKS = (b"\xff\xfe", b"\xfe\xff")

Reading = Generator[float, None, "CsvTable"]


@dataclass(frozen=True)
class CsvTable:
    """A numeric table read from CSV: column names and a float matrix."""

    columns: tuple[str, ...]
    values: np.ndarray


def _not_a_number(cell: str, row: int, column: str) -> DatasetError:
    hint = next((f" (columns must be separated by commas, not {sep!r})" for sep in (";", "\t") if sep in cell), "")
    return DatasetError(f"row {row}, column {column!r}: {cell.strip()!r} is not a number{hint}")


def _number(cell: str, row: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise _not_a_number(cell, row, column) from None
    if not math.isfinite(value):
        raise DatasetError(f"row {row}, column {column!r}: {cell.strip()!r} is not a finite number")
    if abs(value) > FLOAT32_MAX:  # training uses float32: this would be infinite
        raise DatasetError(f"row {row}, column {column!r}: {cell.strip()!r} is too large; "
                           f"numbers must lie within ±{FLOAT32_MAX:.4g}")
    return value


def _is_header(cells: list[str]) -> bool:
    try:
        [float(cell) for cell in cells]
    except ValueError:
        return True
    return False


class _TableBuilder:
    """Collects rows, converts them to floats a block at a time and checks their shape."""

    def __init__(self) -> None:
        self.columns: tuple[str, ...] | None = None
        self.has_header = False
        self.blocks: list[np.ndarray] = []
        self.pending: list[list[str]] = []
        self.pending_rows: list[int] = []
        self.count = 0

    def add(self, row: int, cells: list[str]) -> None:
        if self.columns is None:
            self._first_row(row, cells)
            if self.has_header:
                return
        if len(cells) != len(self.columns):
            first = "the header" if self.has_header else "the first row"
            raise DatasetError(f"row {row} has {len(cells)} values but {first} has {len(self.columns)}")
        self.count += 1
        if self.count > MAX_SAMPLES:
            raise DatasetError(f"row {row}: the file has more than {MAX_SAMPLES:,} data rows; "
                               f"at most {MAX_SAMPLES:,} are supported")
        self.pending.append(cells)
        self.pending_rows.append(row)

    def _first_row(self, row: int, cells: list[str]) -> None:
        if len(cells) > MAX_COLUMNS:
            raise DatasetError(f"the file has {len(cells)} columns; at most {MAX_COLUMNS} are supported")
        self.has_header = _is_header(cells)
        names = cells if self.has_header else [""] * len(cells)
        # columns are chosen by name, so a repeated name gets a number: a, a (2), a (3)
        self.columns = tuple(unique_names([name.strip() or f"col{i + 1}" for i, name in enumerate(names)]))
        long = next((i for i, name in enumerate(self.columns) if len(name) > MAX_NAME_CHARS), None)
        if long is not None:
            raise DatasetError(f"row {row}: the name of column {long + 1} has {len(self.columns[long]):,} "
                               f"characters; at most {MAX_NAME_CHARS} are supported, so shorten it")

    def flush(self) -> None:
        """Convert the pending rows; numpy does it fast, plain float() finds the culprit."""
        if not self.pending:
            return
        try:
            block = np.array(self.pending, dtype=float)
        except ValueError:
            block = np.array([[_number(cell, row, self.columns[c]) for c, cell in enumerate(cells)]
                              for cells, row in zip(self.pending, self.pending_rows)])
        with np.errstate(invalid="ignore"):
            unfit = ~(np.abs(block) <= FLOAT32_MAX)  # NaN, infinite, or too large for float32
        if unfit.any():
            r, c = np.argwhere(unfit)[0]
            _number(self.pending[r][c], self.pending_rows[r], self.columns[c])  # raises with the place
        self.blocks.append(block)
        self.pending, self.pending_rows = [], []

    def table(self) -> CsvTable:
        self.flush()
        if self.columns is None:
            raise DatasetError("the file has no data rows")
        if not self.count:
            raise DatasetError("the file has a header but no data rows")
        if self.count < 2:
            raise DatasetError("the file has only one data row; training needs at least 2")
        return CsvTable(self.columns, np.concatenate(self.blocks))


def parse_lines(lines: Iterable[str], progress: Callable[[], float] = lambda: 0.0) -> Reading:
    """Parse CSV lines (terminators kept, as from a file opened with newline='').
    Yields `progress()` after each block of rows; returns the CsvTable."""
    reader = csv.reader(lines)
    builder = _TableBuilder()
    row = 0
    try:
        for cells in reader:
            row, start = reader.line_num, row + 1  # a quoted field may span lines: name its first
            if any(cell.strip() for cell in cells):
                builder.add(start, cells)
            if len(builder.pending) >= BLOCK_ROWS:
                builder.flush()
                yield progress()
    except csv.Error as exc:
        raise DatasetError(f"row {row + 1}: this is not readable CSV ({exc})") from None
    return builder.table()


def _checked(lines: Iterable[str]) -> Iterable[str]:
    for number, line in enumerate(lines, 1):
        if "\x00" in line:  # valid UTF-8 with NUL bytes: a binary file, or UTF-16 without its mark
            raise DatasetError(f"{NOT_UTF8} (row {number} holds binary zero bytes)")
        yield line


def iter_read_csv(path: str | Path) -> Reading:
    """Read a CSV file block by block: yields the fraction read, returns the CsvTable."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise DatasetError(f"the file is {size / 2**20:.0f} MB; at most {MAX_CSV_BYTES // 2**20} MB can be "
                               "imported: keep fewer rows or columns")
        with open_regular(path) as raw:  # a folder, pipe or device (/dev/zero) is refused
            # UTF-16 only with its byte-order mark: without one, Latin-1 bytes would "decode" as nonsense
            encoding = "utf-16" if raw.read(2) in BYTE_ORDER_MARKS else "utf-8-sig"
            raw.seek(0)
            text = io.TextIOWrapper(raw, encoding=encoding, newline="")
            table = yield from parse_lines(_checked(text), lambda: min(1.0, raw.tell() / max(size, 1)))
    except UnicodeError:
        raise DatasetError(NOT_UTF8) from None
    except NotAFileError as exc:
        raise DatasetError(f"{exc}; choose a .csv file") from None
    except OSError as exc:
        raise DatasetError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    return table


def finish(reading: Reading) -> CsvTable:
    """Run a reading generator to its end and return its table."""
    while True:
        try:
            next(reading)
        except StopIteration as done:
            return done.value


def parse_csv(text: str) -> CsvTable:
    """Parse CSV text into numbers; every error names the row and column at fault."""
    return finish(parse_lines(io.StringIO(text, newline="")))


def read_csv(path: str | Path) -> CsvTable:
    return finish(iter_read_csv(path))
