"""The main window: builds the views and wires them to the document. No logic of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea, QDockWidget, QMainWindow, QMenu, QScrollArea, QStyle, QVBoxLayout, QWidget,
)

from laegna_gui.core.layout import layered_layout
from laegna_gui.core.project import Project
from laegna_gui.ui.document import clipboard
from laegna_gui.ui.actions import build_actions
from laegna_gui.ui.document.autosave import Autosaver
from laegna_gui.ui.canvas.view import GraphView
from laegna_gui.ui.central_tabs import CentralTabs
from laegna_gui.ui.compare import experiment
from laegna_gui.ui.document.commands import MoveNodesCommand
from laegna_gui.ui.dataset.dataset_panel import DatasetPanel
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.export.animation_dialog import export_animation
from laegna_gui.ui.export.export_menu import install_export_menu
from laegna_gui.ui.document.file_controller import FileController
from laegna_gui.ui.help.window import open_topic, show_about
from laegna_gui.ui.lessons import menu as lessons
from laegna_gui.ui.editor.inspector import InspectorWidget
from laegna_gui.ui.lessons import classroom
from laegna_gui.ui.naming import name_parts
from laegna_gui.ui.editor.palette import PaletteWidget
from laegna_gui.ui.document.paths import data_dir, settings
from laegna_gui.ui.editor.preset_dialog import PresetDialog
from laegna_gui.ui.status import AutosaveLabel, ValidityLabel
from laegna_gui.ui.look.theme import install_theme_menu, restore_theme
from laegna_gui.ui.training.engine_label import EngineLabel
from laegna_gui.ui.training.panel import TrainingPanel
from laegna_gui.ui.export.view_export_menu import install_view_export_menu


LAYOUT_VERSION = 2  # 2: output dock beside the canvas, dataset under the palette


def _margined(view: QWidget) -> QWidget:
    """A plot that reaches the window's edge looks cut off: give it a margin."""
    holder = QWidget(objectName=f"{view.objectName()}Holder")
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(2, 0, 6, 2)
    layout.addWidget(view)
    return holder


def _wanted_height(dock: QDockWidget, content: QWidget) -> int:
    """The dock's height with `content` (in it, or in a scroll area in it) whole at its present width."""
    holder = content.parentWidget()
    shown = holder.height() if isinstance(holder.parentWidget(), QAbstractScrollArea) else content.height()
    whole = content.heightForWidth(content.width()) if content.hasHeightForWidth() else content.sizeHint().height()
    return dock.height() - shown + max(whole, content.minimumSizeHint().height())


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
        self.setCentralWidget(_stacked(self.training.banner, self.tabs))
        self._build_docks()
        self.files = FileController(self.document, self)
        self.files.before_save = self.training.store_weights
        self.autosaver = Autosaver(self.document, data_dir() if autosave else None)
        self.actions = build_actions(self, self._handlers())
        self.theme_menu = install_theme_menu(self)
        self.export_menu = install_export_menu(self, self.document, self.training.controller)
        self.view_export_menu = install_view_export_menu(self)
        classroom.install_classroom_menu(self, self.findChild(QMenu, "menuLessons"))
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

    def _build_docks(self) -> None:
        """Left to right as the data flows: the blocks and the data, the network, the output.
        The training controls and live tabs run along the bottom, under the canvas and the output;
        the left column runs the full height. Dataset and inspector share the lower left as tabs."""
        left, right, bottom = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                               Qt.DockWidgetArea.BottomDockWidgetArea)
        self._docks = {
            "layers": self._add_dock("Layers", self.palette, left),
            "dataset": self._add_dock("Dataset", self.dataset_panel, left, True),
            "inspector": self._add_dock("Inspector", self.inspector, left, True),
            "output": self._add_dock("Output", _margined(self.training.boundary), right),
            "training": self._add_dock("Training", self.training, bottom),
        }
        self._inspector_dock = self._docks["inspector"]
        self.setCorner(Qt.Corner.BottomLeftCorner, left)
        self.setCorner(Qt.Corner.BottomRightCorner, bottom)
        self.tabifyDockWidget(self._docks["dataset"], self._inspector_dock)
        self._docks["dataset"].raise_()
        self._first_sizes_pending = True
        self._output_stepped_aside = False

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
            "save": files.save, "save_as": files.save_as, "save_recording": files.set_save_recording,
            "quit": self.close,
            "undo": doc.undo_stack.undo, "redo": doc.undo_stack.redo,
            "cut": self.cut, "copy": lambda: clipboard.copy_nodes(doc, canvas.selected_node_ids()),
            "paste": lambda: canvas.insert_nodes(lambda: clipboard.paste(doc)),
            "duplicate": lambda: canvas.insert_nodes(lambda: clipboard.duplicate(doc, canvas.selected_node_ids())),
            "delete": canvas.delete_selection, "select_all": canvas.select_all,
            "zoom_in": canvas.zoom_in, "zoom_out": canvas.zoom_out, "fit": canvas.fit,
            "auto_layout": self.auto_layout, "export_animation": lambda: export_animation(self),
            "compare": lambda: experiment.open_compare(self), "sweep": lambda: experiment.open_sweep(self),
            "lessons": lambda: lessons.open_picker(self), "open_lesson": lambda: lessons.open_lesson_file(self),
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
        self.canvas.neuron_hovered.connect(self.training.boundary.show_neuron)  # the neuron large in the Output
        self.export_menu.exported.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.palette.block_activated.connect(self.add_block_at_centre)
        self.tabs.currentChanged.connect(lambda _i: self._output_aside(self.tabs.current_view() is self.tabs.lab))
        # drawing opens a pad under the dataset controls: the column makes room for it, and takes it back
        self.dataset_panel.drawing.drawing_changed.connect(lambda _on: self._fit_left_column_later())
        ctl = self.training.controller
        ctl.views.register(self.engine_label, at_once=True)
        # an edit that resets layers keeps the trained weights for its undo
        doc.weights_provider = lambda: ctl.latest.weights if ctl.latest is not None else None
        doc.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.actions["save_recording"].setChecked(self.files.save_recording)
        self.files.recent_changed.connect(self._fill_recent)
        self._fill_recent()
        classroom.follow_document(self)  # each project opens with the controls its classroom hides

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
        # a state saved by another layout version is refused whole, and the first-start layout is used
        if isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION):
            self._first_sizes_pending = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._first_sizes_pending:
            QTimer.singleShot(0, self, self._first_dock_sizes)  # once the dock layout exists

    def _first_dock_sizes(self) -> None:
        """First start: the controls get the height they need (the live tabs at least a third),
        the output a square beside the canvas, the dataset controls their whole height."""
        if not self._first_sizes_pending:
            return
        self._first_sizes_pending = False
        docks, width, column = self._docks, self.width(), self._column_height()
        left = min(300, max(230, int(width * 0.17)))
        self.resizeDocks([docks["layers"]], [left], Qt.Orientation.Horizontal)
        training = max(_wanted_height(docks["training"], self.training.controls), int(column * 0.36))
        self.resizeDocks([docks["training"]], [training], Qt.Orientation.Vertical)
        output = min(column - training, int((width - left) * 0.42))
        self.resizeDocks([docks["output"]], [output], Qt.Orientation.Horizontal)
        self._fit_left_column()
        QTimer.singleShot(0, self.canvas, self.canvas.fit)  # once the docks have their new sizes

    def _fit_left_column_later(self) -> None:
        QTimer.singleShot(0, self, self._fit_left_column)  # once the dataset panel has its new contents

    def _fit_left_column(self) -> None:
        """The palette as tall as its blocks, the dataset and inspector tabs the rest, yet the
        dataset controls (and the pad while drawing) always whole. Only in the column as first
        laid out: one the user rearranged is left alone."""
        layers, dataset = self._docks["layers"], self._docks["dataset"]
        if not (self._column_as_built() and dataset.isVisible()):
            return
        self.layout().activate()  # measure the docks as they are now, not as they were
        separator = self.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent, None, self)
        column = self._column_height() - separator
        tabs = column - layers.height() - dataset.height()  # the dataset and inspector tabs
        group = max(_wanted_height(dataset, self.dataset_panel) + tabs, column - _wanted_height(layers, self.palette))
        # sizes that add up to the column exactly, or Qt spreads the difference over both
        self.resizeDocks([layers, dataset], [column - group, group], Qt.Orientation.Vertical)

    def _output_aside(self, aside: bool) -> None:
        """The transform lab has nothing to show in the output view: the output steps aside
        for it, and comes back after (unless it was closed before)."""
        output = self._docks["output"]
        if aside and output.isVisible():
            output.hide()
            self._output_stepped_aside = True
        elif not aside and self._output_stepped_aside:
            output.show()
            self._output_stepped_aside = False

    def _column_as_built(self) -> bool:
        """Layers over dataset in the left column, the inspector tabbed with the dataset or closed."""
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        shown = {name for name, dock in self._docks.items()
                 if self.dockWidgetArea(dock) == left and not (dock.isFloating() or dock.isHidden())}
        tabbed = set(self.tabifiedDockWidgets(self._docks["dataset"]))
        return {"layers", "dataset"} <= shown <= {"layers", "dataset", "inspector"} and (
            tabbed == {self._inspector_dock} if "inspector" in shown else not tabbed)

    def _column_height(self) -> int:
        """The height between the menu bar and the status bar."""
        return self.height() - self.menuBar().height() - self.statusBar().height()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.files.confirm_discard():
            event.ignore()
            return
        self.training.shutdown()
        self.autosaver.close()
        if not self.remember_layout:
            event.accept()
            return
        self._output_aside(False)  # the next start opens on the network, with its output
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState(LAYOUT_VERSION))
        event.accept()


def _stacked(banner: QWidget, below: QWidget) -> QWidget:
    """The centre: the training banner (hidden until a run goes wrong) across the top of the tabs."""
    centre = QWidget(objectName="centre")
    layout = QVBoxLayout(centre)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(banner)
    layout.addWidget(below, 1)
    return centre
