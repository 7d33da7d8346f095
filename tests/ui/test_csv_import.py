"""File ▸ Import CSV…: reading off the GUI thread, the preview, the column choices, bad files."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from laegna_gui.core.datasets import make_dataset
from laegna_gui.core.presets import load_preset
from laegna_gui.core.project_file import load_project
from laegna_gui.ui.dataset import csv_import_dialog
from laegna_gui.ui.dataset.csv_import_dialog import CsvImportDialog
from laegna_gui.ui.dataset.csv_loader import CsvLoader
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.document.paths import settings

IRIS = "length,width,species\n" + "".join(f"{1 + i % 3 + i / 100:.2f},{2 - i / 50:.2f},{i % 3}\n"
                                          for i in range(30))


@pytest.fixture
def document(qtbot):
    return Document(load_preset("xor"))


@pytest.fixture
def dialog(qtbot, document):
    widget = CsvImportDialog(document)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert CsvLoader.running() == [], "a CSV reading thread outlived its test"


def write(tmp_path, text: str | bytes, name: str = "data.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(qtbot, dialog: CsvImportDialog, path) -> None:
    with qtbot.waitSignal(dialog.loading_finished, timeout=20_000):
        dialog.load(path)


def feature_states(dialog: CsvImportDialog) -> dict[str, tuple[bool, bool]]:
    """column → (ticked, enabled) in the features list."""
    features = dialog.columns.features
    items = [features.item(i) for i in range(features.count())]
    return {item.text(): (item.checkState() == Qt.CheckState.Checked,
                          bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)) for item in items}


# --- a good file ------------------------------------------------------------------------
def test_a_good_file_shows_a_preview_and_sensible_choices(qtbot, dialog, tmp_path):
    load(qtbot, dialog, write(tmp_path, IRIS, "iris.csv"))
    model = dialog.preview.model()
    assert model.columnCount() == 3 and model.rowCount() == 30
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["length", "width", "species"]
    assert model.index(4, 1).data() == "1.92" and model.index(5, 2).data() == "2"
    assert dialog.columns.target.currentText() == "species"  # the last column
    assert feature_states(dialog) == {"length": (True, True), "width": (True, True), "species": (False, False)}
    assert dialog.columns.classification.isChecked()  # whole numbers 0, 1, 2
    assert "2 features → 'species' (3 classes)" in dialog.message.text()
    assert "The current network will then need a change" in dialog.message.text()  # XOR has 1 output
    assert dialog.message.property("error") is False and dialog.ok.isEnabled()
    assert "30 rows · 3 columns" in dialog.caption.text()
    assert dialog.progress.isHidden() and dialog.cancel_load.isHidden()


def test_import_is_one_undoable_change_that_survives_save_and_load(qtbot, dialog, document, tmp_path):
    load(qtbot, dialog, write(tmp_path, IRIS, "iris.csv"))
    dialog.columns.split.setValue(20)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == CsvImportDialog.DialogCode.Accepted
    dataset = document.project.dataset
    assert dataset.name == "custom" and dataset.test_fraction == 0.2
    assert dataset.points["feature_names"] == ["length", "width"] and dataset.points["n_outputs"] == 3
    assert dataset.points["y"].tolist() == [i % 3 for i in range(30)]
    assert dataset.points["x"][4].tolist() == [pytest.approx(2.04), pytest.approx(1.92)]
    assert document.undo_stack.count() == 1 and document.undo_stack.undoText() == "Import iris.csv"
    data = make_dataset(dataset, document.project.seed)
    assert (len(data.x_train), len(data.x_test)) == (24, 6)

    document.save(tmp_path / "imported.laegna")
    assert load_project(tmp_path / "imported.laegna").dataset == dataset

    document.undo_stack.undo()
    assert document.project.dataset.name == "xor" and document.project.dataset.points is None
    document.undo_stack.redo()
    assert document.project.dataset == dataset


def test_a_real_valued_target_is_guessed_as_regression_and_classification_is_refused(qtbot, dialog, tmp_path):
    text = "a,b,label,score\n" + "".join(f"{i},{i * 2},{i % 2},{i / 7:.3f}\n" for i in range(20))
    load(qtbot, dialog, write(tmp_path, text))
    assert dialog.columns.target.currentText() == "score" and dialog.columns.regression.isChecked()
    assert dialog.ok.isEnabled()
    dialog.columns.classification.setChecked(True)
    assert "Column 'score' needs whole-number class labels" in dialog.message.text()
    assert "Choose Regression or another target" in dialog.message.text()
    assert dialog.message.property("error") is True and not dialog.ok.isEnabled()
    dialog.columns.regression.setChecked(True)
    assert dialog.ok.isEnabled() and "'score' (a number)" in dialog.message.text()
    dialog.columns.target.setCurrentText("label")  # two classes: the XOR network fits as it is
    assert "'label' (2 classes)" in dialog.message.text() and "need a change" not in dialog.message.text()


def test_changing_the_target_swaps_it_with_the_features_and_guesses_the_task(qtbot, dialog, tmp_path):
    text = "a,b,label,score\n" + "".join(f"{i},{i * 2},{i % 2},{i / 7:.3f}\n" for i in range(20))
    load(qtbot, dialog, write(tmp_path, text))
    dialog.columns.features.item(1).setCheckState(Qt.CheckState.Unchecked)  # the user drops 'b'
    dialog.columns.target.setCurrentText("label")
    assert feature_states(dialog) == {"a": (True, True), "b": (False, True), "label": (False, False),
                                      "score": (True, True)}  # the old target is a feature again
    assert dialog.columns.classification.isChecked()
    assert dialog.columns.chosen_features() == ["a", "score"]
    assert dialog.preview.model().index(0, 2).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_no_feature_ticked_says_so_and_blocks_import(qtbot, dialog, document, tmp_path):
    load(qtbot, dialog, write(tmp_path, IRIS))
    for i in range(2):
        dialog.columns.features.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert "Choose at least one feature column" in dialog.message.text() and not dialog.ok.isEnabled()
    dialog.accept()  # even if forced: nothing happens, the dialog says why
    assert document.undo_stack.count() == 0 and dialog.isVisible()


# --- bad files ----------------------------------------------------------------------------
BAD_FILES = [
    ("ragged", "a,b,c\n1,2,3\n\n4,5\n", "row 4 has 2 values but the header has 3"),
    ("text in a number column", "x,y\n1,2\n3,abc\n", "row 3, column 'y': 'abc' is not a number"),
    ("empty", "", "the file has no data rows"),
    ("blank lines only", "\n\n  \n", "the file has no data rows"),
    ("header only", "x,y,label\n", "the file has a header but no data rows"),
    ("one row", "x,y\n1,2\n", "the file has only one data row; training needs at least 2"),
    ("binary garbage", bytes(range(256)) * 4, "the file is not UTF-8 text; save it as UTF-8 CSV"),
    ("latin-1", "größe,wert\n1,2\n3,4\n".encode("latin-1"), "the file is not UTF-8 text"),
    ("too many columns", ",".join(f"c{i}" for i in range(80)) + "\n" + ",".join("1" * 80) + "\n",
     "the file has 80 columns; at most 64 are supported"),
    ("semicolons", "a;b\n1;2\n", "columns must be separated by commas"),
    ("infinity", "a,b\n1,2\n3,inf\n", "row 3, column 'b': 'inf' is not a finite number"),
]


@pytest.mark.parametrize("text, phrase", [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_gets_one_clear_message_and_the_dialog_stays_usable(qtbot, dialog, document, tmp_path,
                                                                       text, phrase):
    load(qtbot, dialog, write(tmp_path, text, "bad.csv"))
    message = dialog.message.text()
    assert phrase.lower() in message.lower(), message
    assert message.startswith("bad.csv") and dialog.message.property("error") is True
    assert not dialog.ok.isEnabled() and not dialog.columns.features.isEnabled()
    assert dialog.preview.model().rowCount() == 0
    # pick another file: all is well again
    load(qtbot, dialog, write(tmp_path, IRIS, "good.csv"))
    assert dialog.ok.isEnabled() and dialog.preview.model().rowCount() == 30
    assert dialog.message.property("error") is False
    assert document.undo_stack.count() == 0


def test_a_missing_file_is_a_message_too(qtbot, dialog, tmp_path):
    load(qtbot, dialog, tmp_path / "gone.csv")
    assert "cannot read gone.csv" in dialog.message.text() and not dialog.ok.isEnabled()


# --- long reads: off the GUI thread, with progress and Cancel -----------------------------
def big_file(tmp_path, rows: int = 99_000):
    row = ",".join(f"{i * 0.123:.4f}" for i in range(40)) + ",1\n"
    header = ",".join(f"c{i}" for i in range(40)) + ",label\n"
    return write(tmp_path, header + row * rows, "big.csv")  # about 20 MB


def test_a_big_file_shows_progress_and_cancel_stops_the_reading(qtbot, dialog, document, tmp_path):
    path = big_file(tmp_path)
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    dialog.load(path)
    assert dialog.progress.isVisible() and dialog.cancel_load.isVisible()
    assert "Reading big.csv" in dialog.message.text()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=20_000)  # the window keeps running
    assert CsvLoader.running(), "the file is read on another thread"
    with qtbot.waitSignal(dialog.loading_finished, timeout=20_000):
        qtbot.mouseClick(dialog.cancel_load, Qt.MouseButton.LeftButton)
    assert 0 < max(seen) < 900, "stopped well before the end of the file"
    assert CsvLoader.running() == []
    assert "was cancelled" in dialog.message.text() and dialog.table is None
    assert not dialog.ok.isEnabled() and dialog.progress.isHidden()
    assert document.undo_stack.count() == 0


def test_progress_rises_until_the_table_arrives(qtbot, dialog, tmp_path):
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    load(qtbot, dialog, big_file(tmp_path, rows=6_000))
    rising = [v for v in seen if v > 0]
    assert len(rising) >= 5 and rising == sorted(rising)
    assert dialog.table.values.shape == (6_000, 41) and dialog.ok.isEnabled()


def test_closing_the_dialog_mid_read_stops_the_thread(qtbot, dialog, tmp_path):
    dialog.load(big_file(tmp_path))
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=20_000)
    dialog.reject()
    assert CsvLoader.running() == [] and not dialog.isVisible()


def test_choosing_another_file_mid_read_replaces_the_first(qtbot, dialog, tmp_path):
    dialog.load(big_file(tmp_path))
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=20_000)
    ends: list[str] = []
    dialog.loading_finished.connect(lambda: ends.append(dialog.message.text()))
    with qtbot.waitSignal(dialog.loading_finished, timeout=20_000):
        dialog.load(write(tmp_path, IRIS, "small.csv"))
    assert CsvLoader.running() == []
    # the first read's signals were queued before the second's: had any got through, they came first
    assert len(ends) == 1 and "'species' (3 classes)" in ends[0], ends
    assert dialog.table.values.shape == (30, 3) and dialog.file_label.text() == "small.csv"


# --- the way in: File menu and the dataset panel -------------------------------------------
def test_file_menu_import_asks_for_a_file_and_remembers_its_folder(qtbot, window, tmp_path, monkeypatch):
    path = write(tmp_path, IRIS, "iris.csv")
    asked: list[str] = []
    answers = [str(path), ""]  # a file the first time; the second time the user cancels
    monkeypatch.setattr(csv_import_dialog, "ask_csv_path", lambda parent, folder: asked.append(folder)
                        or answers.pop(0))
    window.actions["import_csv"].trigger()
    dialog = window.findChild(CsvImportDialog)
    with qtbot.waitSignal(dialog.loading_finished, timeout=20_000):
        pass
    assert dialog.isVisible() and dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert window.document.project.dataset.name == "custom"
    assert window.dataset_panel.combo.currentText() == "Custom (30 points)"
    assert settings().value("csv/last_folder") == str(tmp_path.resolve())
    window.actions["import_csv"].trigger()  # the next time starts in that folder
    assert asked[-1] == str(tmp_path.resolve())


def test_cancelling_the_file_chooser_opens_nothing(qtbot, window, monkeypatch):
    monkeypatch.setattr(csv_import_dialog, "ask_csv_path", lambda parent, folder: "")
    button = window.dataset_panel.findChild(QPushButton, "importCsvButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.findChild(CsvImportDialog) is None
    assert window.document.project.dataset.name == "xor" and window.document.undo_stack.count() == 0


def test_imported_points_are_the_files_rows(qtbot, dialog, document, tmp_path):
    rng = np.random.default_rng(1)
    values = np.column_stack([rng.normal(size=(50, 3)), rng.integers(0, 2, 50)])
    text = "p,q,r,cls\n" + "".join(",".join(f"{v:.6g}" for v in row) + "\n" for row in values)
    load(qtbot, dialog, write(tmp_path, text))
    dialog.accept()
    data = make_dataset(document.project.dataset, 0)
    rows = np.concatenate([data.x_train, data.x_test])

    def by_rows(a):
        return a[np.lexsort(a.T[::-1])]

    np.testing.assert_allclose(by_rows(rows), by_rows(values[:, :3].astype(np.float32)), atol=1e-5)


def test_an_internal_error_while_reading_is_shown_not_left_hanging(qtbot, dialog, tmp_path, monkeypatch):
    from laegna_gui.ui.dataset import csv_loader

    def broken(path):
        yield 0.5
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(csv_loader, "iter_read_csv", broken)
    load(qtbot, dialog, write(tmp_path, IRIS))
    assert "internal error (ZeroDivisionError: a bug)" in dialog.message.text()
    assert dialog.message.property("error") is True and not dialog.ok.isEnabled()


def test_every_interactive_part_of_the_dialog_has_an_object_name(qtbot, dialog, tmp_path):
    from PySide6.QtWidgets import QWidget

    from laegna_gui.ui.naming import INTERACTIVE

    load(qtbot, dialog, write(tmp_path, IRIS))
    found = [w for w in dialog.findChildren(QWidget) if isinstance(w, INTERACTIVE)]
    assert len(found) > 8
    assert [type(w).__name__ for w in found if not w.objectName()] == []
