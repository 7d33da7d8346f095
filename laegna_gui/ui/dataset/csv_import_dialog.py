"""Import a CSV file as the project's dataset: read it off the GUI thread, preview it, choose
the feature and target columns and the task, and apply it as one undoable change."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from laegna_gui.core.csv_reader import CsvTable
from laegna_gui.core.custom_data import check_choice, table_to_settings
from laegna_gui.core.datasets import DatasetSettings, make_dataset
from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.validate import DataSpec, analyse
from laegna_gui.ui.look import style
from laegna_gui.ui.dataset.csv_columns import CsvColumnChooser
from laegna_gui.ui.dataset.csv_loader import CsvLoader
from laegna_gui.ui.dataset.csv_preview import PREVIEW_ROWS, CsvPreviewModel
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.naming import name_parts
from laegna_gui.ui.document.paths import settings

CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
FOLDER_KEY = "csv/last_folder"
WELCOME = "Choose a CSV file of numbers: one row per point, one column per value (a header row is optional)."
CHOOSE_TIP = "Pick a CSV file of numbers: one row per point, one column per value; a header row is optional."


def ask_csv_path(parent: QWidget, folder: str) -> str:
    """The file dialog (tests replace this module-level hook); '' when the user cancels."""
    return QFileDialog.getOpenFileName(parent, "Import CSV", folder, CSV_FILTER)[0]


def last_folder() -> str:
    return str(settings().value(FOLDER_KEY, str(Path.home())))


def remember_folder(path: str | Path) -> None:
    settings().setValue(FOLDER_KEY, str(Path(path).resolve().parent))


class CsvImportDialog(QDialog):
    """File ▸ Import CSV…. `ask_path` is an attribute so tests can replace the file dialog."""

    loading_finished = Signal()  # after a read ends in any way: loaded, failed or cancelled

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("csvImportDialog")
        self.setWindowTitle("Import CSV")
        self.document = document
        self.table: CsvTable | None = None
        self.loader: CsvLoader | None = None
        self.path: Path | None = None
        self.ask_path = lambda: ask_csv_path(self, last_folder())
        self._build()
        self._connect()
        self._show_table(None)
        self._say(WELCOME)
        name_parts(self)
        self.resize(720, 560)

    # --- building ------------------------------------------------------------
    def _build(self) -> None:
        self.file_label = QLabel("No file chosen", objectName="csvFileLabel")
        self.choose = QPushButton("Choose file…", objectName="csvChooseButton", toolTip=CHOOSE_TIP)
        self.progress = QProgressBar(objectName="csvProgress", minimum=0, maximum=1000, textVisible=False)
        self.cancel_load = QPushButton("Cancel", objectName="csvCancelLoad", toolTip="Stop reading the file.")
        self.model = CsvPreviewModel(self)
        self.preview = QTableView(objectName="csvPreview")
        self.preview.setModel(self.model)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setDefaultSectionSize(22)
        self.caption = QLabel(objectName="csvCaption")
        style.set_role(self.caption, "muted")
        self.columns = CsvColumnChooser(round(self.document.project.dataset.test_fraction * 100))
        self.message = QLabel(objectName="csvMessage", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        objectName="csvButtons")
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("csvOk")
        self.ok.setText("Import")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("csvCancel")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_load)
        column = QVBoxLayout(self)
        column.addLayout(file_row)
        column.addLayout(progress_row)
        column.addWidget(self.preview, 1)
        for widget in (self.caption, self.columns, self.message, self.buttons):
            column.addWidget(widget)

    def _connect(self) -> None:
        self.choose.clicked.connect(self.choose_file)
        self.cancel_load.clicked.connect(self.cancel_loading)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.columns.choice_changed.connect(self._update_choice)

    # --- reading a file ------------------------------------------------------
    def choose_file(self) -> None:
        path = self.ask_path()
        if path:
            remember_folder(path)
            self.load(path)

    def load(self, path: str | Path) -> None:
        """Start reading `path` in the background (a read still running is stopped first)."""
        self._drop_loader()
        self.path = Path(path)
        self.file_label.setText(self.path.name)
        self.file_label.setToolTip(str(self.path))
        self._show_table(None)
        self.loader = CsvLoader(self.path, self)
        self.loader.progressed.connect(lambda f: self.progress.setValue(round(f * 1000)))
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.loader.cancelled.connect(self._cancelled)
        self.loader.finished.connect(self._finished)
        self._set_loading(True)
        self._say(f"Reading {self.path.name}…")
        self.loader.start()

    def cancel_loading(self) -> None:
        """Cancel: the reader stops after its current block and says so (`loading_finished`)."""
        if self.loader is not None and self.loader.is_running():
            self.loader.cancel()
            self._say(f"Stopping the reading of {self.path.name}…")

    def _drop_loader(self) -> None:
        """Stop a read at once, and forget it: none of its late signals may reach this dialog."""
        loader = self.loader
        if loader is not None:
            for signal in (loader.progressed, loader.loaded, loader.failed, loader.cancelled, loader.finished):
                signal.disconnect()
            loader.cancel(wait=True)
            loader.deleteLater()
            self.loader = None

    def _set_loading(self, loading: bool) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(loading)
        self.cancel_load.setVisible(loading)

    def _loaded(self, table: CsvTable) -> None:
        self._show_table(table)
        self._update_choice()

    def _failed(self, message: str) -> None:
        self._say(f"{self.path.name} cannot be imported: {message}. Fix the file or choose another one.", error=True)

    def _cancelled(self) -> None:
        self._say(f"Reading {self.path.name} was cancelled; choose a file to try again.")

    def _finished(self) -> None:
        self._set_loading(False)
        self.loader = None
        self.loading_finished.emit()

    # --- choosing columns ----------------------------------------------------
    def _show_table(self, table: CsvTable | None) -> None:
        self.table = table
        self.model.set_table(table)
        self.caption.setText(self._caption(table))
        self.ok.setEnabled(False)
        self.columns.set_table(table)

    @staticmethod
    def _caption(table: CsvTable | None) -> str:
        if table is None:
            return ""
        rows, columns = len(table.values), len(table.columns)
        shown = f"the first {PREVIEW_ROWS} of " if rows > PREVIEW_ROWS else ""
        return (f"Showing {shown}{rows:,} rows · {columns} columns. "
                "Blue columns are features, the orange one is the target.")

    def _update_choice(self) -> None:
        """Say what is wrong with the current choice (and keep Import off), or what it will make."""
        if self.table is None:
            return
        cols = self.columns
        features, target, task = cols.chosen_features(), cols.chosen_target(), cols.chosen_task()
        self.model.set_roles(features, target)
        try:
            n_outputs = check_choice(self.table, features, target, task)
        except LaegnaError as exc:
            text = str(exc)
            hint = " Choose Regression or another target." if "class labels" in text else ""
            self._say(f"{text[0].upper()}{text[1:]}.{hint}", error=True)
            self.ok.setEnabled(False)
            return
        self._say(self._summary(len(features), target, task, n_outputs))
        self.ok.setEnabled(True)

    def _summary(self, n_features: int, target: str, task: str, n_outputs: int) -> str:
        rows = len(self.table.values)
        n_test = min(rows - 1, round(rows * self.columns.test_fraction()))
        what = f"{n_outputs} classes" if task == "classification" else "a number"
        text = (f"{n_features} feature{'s' * (n_features != 1)} → {target!r} ({what}) · "
                f"{rows - n_test:,} training points, {n_test:,} test points.")
        project = self.document.project
        try:  # importing is allowed either way; say now if the network will need an edit
            analyse(project.graph, DataSpec(n_features, task, n_outputs), project.training.loss)
        except LaegnaError as exc:
            text += f" The current network will then need a change: {exc}"
        return text

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        style.set_role(self.message, "error" if error else "muted")
        self.message.setProperty("error", error)

    # --- the result ----------------------------------------------------------
    def chosen_settings(self) -> DatasetSettings:
        """The custom dataset the current choice makes; raises a LaegnaError if it cannot."""
        if self.table is None:
            raise LaegnaError("choose a CSV file first")
        cols = self.columns
        settings = table_to_settings(self.table, cols.chosen_features(), cols.chosen_target(),
                                     cols.chosen_task(), cols.test_fraction())
        make_dataset(settings, self.document.project.seed)  # the same checks training will make
        return settings

    def accept(self) -> None:
        try:
            chosen = self.chosen_settings()
        except LaegnaError as exc:
            self._say(f"Cannot import: {exc}", error=True)
            return
        stack = self.document.undo_stack
        stack.beginMacro(f"Import {self.path.name}")  # one undo step, named after the file
        self.document.set_dataset(chosen)
        stack.endMacro()
        super().accept()

    def done(self, result: int) -> None:
        self._drop_loader()  # no reading thread outlives the dialog
        super().done(result)


def open_csv_import(document: Document, parent: QWidget | None = None) -> CsvImportDialog | None:
    """File ▸ Import CSV…: ask for a file, then show the dialog reading it (None if none was chosen)."""
    path = ask_csv_path(parent, last_folder())
    if not path:
        return None
    dialog = CsvImportDialog(document, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    remember_folder(path)
    dialog.open()  # window-modal, without a nested event loop
    dialog.load(path)
    return dialog
