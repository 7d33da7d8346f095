"""The main window: builds the views and wires them to the document. No logic of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget

from laegna_gui.core.layout import layered_layout
from laegna_gui.core.project import Project
from laegna_gui.ui import clipboard
from laegna_gui.ui.actions import build_actions
from laegna_gui.ui.autosave import Autosaver
from laegna_gui.ui.canvas.view import GraphView
from laegna_gui.ui.central_tabs import CentralTabs
from laegna_gui.ui.commands import MoveNodesCommand
from laegna_gui.ui.dataset_panel import DatasetPanel
from laegna_gui.ui.document import Document
from laegna_gui.ui.export_menu import install_export_menu
from laegna_gui.ui.file_controller import FileController
from laegna_gui.ui.help import open_topic, show_about
from laegna_gui.ui.inspector import InspectorWidget
from laegna_gui.ui.naming import name_parts
from laegna_gui.ui.palette import PaletteWidget
from laegna_gui.ui.paths import data_dir, settings
from laegna_gui.ui.preset_dialog import PresetDialog
from laegna_gui.ui.status import AutosaveLabel, ValidityLabel
from laegna_gui.ui.theme import install_theme_menu, restore_theme
from laegna_gui.ui.training.engine_label import EngineLabel
from laegna_gui.ui.training.panel import TrainingPanel
from laegna_gui.ui.view_export_menu import install_view_export_menu


class MainWindow(QMainWindow):
    def __init__(self, project: Project | None = None, path: str | Path | None = None,
                 remember_layout: bool = True, autosave: bool = True) -> None:
        """`remember_layout=False` neither restores nor saves the window layout (screenshots);
        `autosave=False` keeps no recovery file and touches none (screenshots, benchmarks)."""
        super().__init__()
        self.remember_layout = remember_layout
        self.setObjectName("mainWindow")
        self.document = Document(parent=self)
        self.canvas = GraphView(self.document)
        self.palette = PaletteWidget()
        self.inspector = InspectorWidget(self.document)
        self.dataset_panel = DatasetPanel(self.document)
        self.training = TrainingPanel(self.document, self.canvas)
        self.tabs = CentralTabs(self.document, self.canvas, self.training.controller)
        self.setCentralWidget(self.tabs)
        layers = self._add_dock("Layers", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea)
        inspector = self._add_dock("Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea, True)
        dataset = self._add_dock("Dataset", self.dataset_panel, Qt.DockWidgetArea.RightDockWidgetArea, True)
        self._training_dock = self._add_dock("Training", self.training, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._side_docks = [inspector, dataset, layers]
        self._inspector_dock = inspector
        # the palette runs the full height; the training area spans the rest of the bottom.
        # Inspector and dataset share the right column as tabs; selecting a layer raises the inspector.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(dataset, inspector)
        dataset.raise_()
        self.files = FileController(self.document, self)
        self.files.before_save = self.training.store_weights
        self.autosaver = Autosaver(self.document, data_dir() if autosave else None)
        self.actions = build_actions(self, self._handlers())
        self.theme_menu = install_theme_menu(self)
        self.export_menu = install_export_menu(self, self.document, self.training.controller)
        self.view_export_menu = install_view_export_menu(self)
        self.validity = ValidityLabel(self.document)
        self.statusBar().addPermanentWidget(self.validity, 1)
        self.engine_label = EngineLabel()
        self.statusBar().addPermanentWidget(self.engine_label)
        self.autosave_label = AutosaveLabel(self.autosaver)
        self.statusBar().insertPermanentWidget(0, self.autosave_label)
        self._wire()
        self.document.load(project or Project(), path)
        name_parts(self)
        restore_theme()
        if remember_layout:
            self._restore_layout()
        else:
            self.resize(1400, 860)

    def _add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea,
                  scroll: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock{title}")
        if scroll:  # a small window scrolls the panel instead of refusing to shrink
            area_widget = QScrollArea(objectName=f"scroll{title}", widgetResizable=True)
            area_widget.setFrameShape(QScrollArea.Shape.NoFrame)
            area_widget.setWidget(widget)
            widget = area_widget
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _handlers(self) -> dict:
        canvas, files, doc = self.canvas, self.files, self.document
        return {
            "new": files.new, "open": files.open, "open_preset": self.choose_preset,
            "import_csv": self.dataset_panel.import_csv,
            "save": files.save, "save_as": files.save_as, "quit": self.close,
            "undo": doc.undo_stack.undo, "redo": doc.undo_stack.redo,
            "cut": self.cut, "copy": lambda: clipboard.copy_nodes(doc, canvas.selected_node_ids()),
            "paste": lambda: canvas.insert_nodes(lambda: clipboard.paste(doc)),
            "duplicate": lambda: canvas.insert_nodes(lambda: clipboard.duplicate(doc, canvas.selected_node_ids())),
            "delete": canvas.delete_selection, "select_all": canvas.select_all,
            "zoom_in": canvas.zoom_in, "zoom_out": canvas.zoom_out, "fit": canvas.fit,
            "auto_layout": self.auto_layout,
            "concepts": lambda: open_topic(self), "about": lambda: show_about(self),
        }

    def _wire(self) -> None:
        doc, stack = self.document, self.document.undo_stack
        stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)
        doc.modified_changed.connect(self.setWindowModified)
        doc.path_changed.connect(self._update_title)
        doc.project_replaced.connect(self._update_title)
        doc.project_replaced.connect(self.canvas.fit)
        self.canvas.node_selected.connect(self.inspector.set_node)
        self.canvas.node_selected.connect(lambda node: node and self._inspector_dock.raise_())
        self.canvas.message_shown.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.export_menu.exported.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.palette.block_activated.connect(self.add_block_at_centre)
        self.training.controller.snapshot_changed.connect(self.engine_label.show_snapshot)
        self.training.controller.snapshot_cleared.connect(lambda: self.engine_label.show_snapshot(None))
        self.files.recent_changed.connect(self._fill_recent)
        self._fill_recent()

    # --- verbs that need more than one view ---------------------------------
    def cut(self) -> None:
        if clipboard.copy_nodes(self.document, self.canvas.selected_node_ids()):
            self.canvas.delete_selection()

    def add_block_at_centre(self, type_name: str, params: dict) -> None:
        self.canvas.add_node_at(type_name, params, self.canvas.mapToScene(self.canvas.viewport().rect().center()))

    def auto_layout(self) -> None:
        graph = self.document.graph
        new = layered_layout(graph, self.canvas.node_heights())
        moves = {n: (graph.node(n).pos, p) for n, p in new.items() if graph.node(n).pos != p}
        if moves:
            self.document.push(MoveNodesCommand(graph, moves))
        self.canvas.fit()

    def choose_preset(self) -> None:
        dialog = PresetDialog(self)
        if dialog.exec() and dialog.chosen():
            self.files.open_preset(dialog.chosen())

    # --- window state --------------------------------------------------------
    def _update_title(self) -> None:
        path = self.document.path
        name = path.name if path else f"{self.document.project.name} (unsaved)"
        self.setWindowTitle(f"{name}[*] — Laegna")

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for file in self.files.recent_files():
            action = menu.addAction(Path(file).name)
            action.setToolTip(file)
            action.triggered.connect(lambda _=False, f=file: self.files.open(f))
        menu.setEnabled(bool(menu.actions()))

    def _restore_layout(self) -> None:
        store = settings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self.resize(1400, 860)  # first start, or a damaged settings file
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._side_docks and not (self.remember_layout and settings().contains("window/state")):
            QTimer.singleShot(0, self._first_dock_sizes)  # once the dock layout exists

    def _first_dock_sizes(self) -> None:
        """First start: a readable right column and a training area of about 40 % height."""
        (inspector, _dataset, layers), self._side_docks = self._side_docks, []
        self.resizeDocks([inspector, layers], [300, 190], Qt.Orientation.Horizontal)
        self.resizeDocks([self._training_dock], [max(300, int(self.height() * 0.4))], Qt.Orientation.Vertical)
        self.canvas.fit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.files.confirm_discard():
            event.ignore()
            return
        self.training.shutdown()
        self.autosaver.close()
        if not self.remember_layout:
            event.accept()
            return
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        event.accept()
