"""The side docks: block palette, node inspector and dataset panel, and where the window puts them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QTreeWidget,
    QWidget,
)

from laegna_gui.core.datasets import DatasetSettings, make_dataset
from laegna_gui.core.graph import Graph
from laegna_gui.core.project import Project
from laegna_gui.ui.document.commands import RemoveNodeCommand, SetParamsCommand
from laegna_gui.ui.dataset.dataset_panel import DatasetPanel
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.editor.inspector import InspectorWidget
from laegna_gui.ui.document.mime import NODE_MIME, read_node_mime
from laegna_gui.ui.editor.palette import PaletteWidget

INTERACTIVE = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QAbstractSlider)


def _xor_graph() -> Graph:
    g = Graph()
    g.add_node("input", node_id="input1")
    g.add_node("dense", {"units": 4}, node_id="dense1")
    g.add_node("activation", {"function": "tanh"}, node_id="act1")
    g.add_node("dense", {"units": 2}, node_id="dense2")
    g.add_node("output", node_id="output1")
    for src, dst in (("input1", "dense1"), ("dense1", "act1"), ("act1", "dense2"), ("dense2", "output1")):
        g.add_edge(src, dst)
    return g


@pytest.fixture
def document(qtbot):
    return Document(Project(graph=_xor_graph(), dataset=DatasetSettings("xor", samples=120, test_fraction=0.25)))


@pytest.fixture
def palette(qtbot):
    widget = PaletteWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def inspector(qtbot, document):
    widget = InspectorWidget(document)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def panel(qtbot, document):
    widget = DatasetPanel(document)
    qtbot.addWidget(widget)
    return widget


def _visible_titles(palette: PaletteWidget) -> list[str]:
    return [item.text(0) for item in palette.block_items(visible_only=True)]


# --- palette -------------------------------------------------------------------
def test_palette_groups_hold_the_expected_blocks(palette):
    groups = palette.group_items()
    assert list(groups) == ["Data", "Layers", "Activations", "Merge"]
    children = {name: [g.child(i).text(0) for i in range(g.childCount())] for name, g in groups.items()}
    assert children == {
        "Data": ["Input", "Output"],
        "Layers": ["Dense", "Batch norm", "Dropout"],
        "Activations": ["ReLU", "Leaky ReLU", "Sigmoid", "Tanh", "Softmax", "Linear", "Step"],
        "Merge": ["Add", "Concat"],
    }
    assert palette.findChild(QTreeWidget, "paletteTree") is palette.tree
    assert palette.findChild(QLineEdit, "paletteSearch").placeholderText() == "Search layers…"


def test_search_filters_blocks_and_hides_empty_groups(palette):
    palette.search.setText("relu")
    assert _visible_titles(palette) == ["ReLU", "Leaky ReLU"]
    hidden = {name for name, g in palette.group_items().items() if g.isHidden()}
    assert hidden == {"Data", "Layers", "Merge"}
    palette.search.setText("zzqx-nothing")
    assert _visible_titles(palette) == []
    assert all(g.isHidden() for g in palette.group_items().values())
    assert not palette.empty_label.isHidden()
    palette.search.clear()
    assert len(_visible_titles(palette)) == 14
    assert palette.empty_label.isHidden()


def test_search_also_matches_the_explanation(palette):
    palette.search.setText("PERCEPTRON")  # only in the step block's explanation
    assert _visible_titles(palette) == ["Step"]


def test_mime_for_carries_type_and_preset_params(palette):
    by_title = {item.text(0): item for item in palette.block_items()}
    leaky = palette.mime_for(by_title["Leaky ReLU"])
    assert leaky.hasFormat(NODE_MIME)
    assert read_node_mime(leaky) == ("activation", {"function": "leaky_relu"})
    assert read_node_mime(palette.mime_for(by_title["Dense"])) == ("dense", {})
    # The tree's own drag data is the same, so a real drag and a test drop agree.
    assert read_node_mime(palette.tree.mimeData([by_title["Concat"]])) == ("concat", {})
    assert palette.mime_for(palette.group_items()["Data"]) is None


def test_every_block_explains_itself(palette):
    tips = [item.toolTip(0) for item in palette.block_items()]
    assert len(tips) == 14
    assert all(tip.strip().endswith(".") and len(tip) > 30 for tip in tips)
    assert "die" in {item.text(0): item for item in palette.block_items()}["ReLU"].toolTip(0)


def test_double_click_and_enter_activate_a_block(palette, qtbot):
    palette.resize(260, 600)
    palette.show()
    qtbot.waitExposed(palette)
    item = next(i for i in palette.block_items() if i.text(0) == "Sigmoid")
    palette.tree.scrollToItem(item)
    rect = palette.tree.visualItemRect(item)
    viewport = palette.tree.viewport()
    # A real double-click starts with a press; QTest's mouseDClick sends only the second half.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(palette.block_activated) as blocker:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["activation", {"function": "sigmoid"}]
    palette.search.setText("dropout")
    with qtbot.waitSignal(palette.block_activated) as blocker:
        qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert blocker.args == ["dropout", {}]


# --- inspector -----------------------------------------------------------------
def test_inspector_builds_a_form_from_the_schema(inspector):
    inspector.set_node("dense1")
    units = inspector.findChild(QSpinBox, "param_units")
    assert (units.minimum(), units.maximum(), units.value()) == (1, 1024, 4)
    assert inspector.findChild(QCheckBox, "param_bias").isChecked()
    assert inspector.findChild(QComboBox, "param_init").currentData() == "xavier"
    assert units.toolTip() == "How many neurons (outputs) the layer has."
    assert inspector.title.text() == "Dense"
    assert inspector.width_label.text() == "Output: 4 values"
    assert inspector.params_label.text().startswith("Parameters: 12")
    inspector.set_node("act1")
    assert inspector.findChild(QSpinBox, "param_units") is None
    assert isinstance(inspector.findChild(QDoubleSpinBox, "param_slope"), QDoubleSpinBox)
    assert not inspector.findChild(QDoubleSpinBox, "param_slope").isEnabled()  # only for leaky ReLU
    inspector.set_node("input1")
    features = inspector.findChild(QListWidget, "param_features")
    checked = [features.item(i).text() for i in range(features.count())
               if features.item(i).checkState() == Qt.CheckState.Checked]
    assert checked == ["x1", "x2"]


def test_an_edit_is_one_undoable_command_and_undo_refreshes_the_editor(inspector, document):
    inspector.set_node("dense1")
    units = inspector.findChild(QSpinBox, "param_units")
    units.setValue(6)
    assert document.undo_stack.count() == 1
    assert document.graph.node("dense1").params["units"] == 6
    assert inspector.width_label.text() == "Output: 6 values"
    document.undo_stack.undo()
    assert document.graph.node("dense1").params["units"] == 4
    assert units.value() == 4
    assert document.undo_stack.count() == 1  # refreshing the editor pushed nothing
    assert document.undo_stack.index() == 0


def test_choice_and_bool_edits_change_the_graph(inspector, document):
    inspector.set_node("act1")
    function = inspector.findChild(QComboBox, "param_function")
    function.setCurrentIndex(function.findData("leaky_relu"))
    assert document.graph.node("act1").params["function"] == "leaky_relu"
    assert inspector.findChild(QDoubleSpinBox, "param_slope").isEnabled()
    inspector.set_node("dense1")
    inspector.findChild(QCheckBox, "param_bias").setChecked(False)
    assert document.graph.node("dense1").params["bias"] is False
    assert inspector.params_label.text().startswith("Parameters: 8")
    assert document.undo_stack.count() == 2


def test_an_invalid_edit_pushes_nothing_and_says_why(inspector, document):
    inspector.set_node("input1")
    features = inspector.findChild(QListWidget, "param_features")
    features.item(0).setCheckState(Qt.CheckState.Unchecked)  # x1 off: fine
    assert document.graph.node("input1").params["features"] == ("x2",)
    features.item(1).setCheckState(Qt.CheckState.Unchecked)  # the last one: refused
    assert document.undo_stack.count() == 1
    assert document.graph.node("input1").params["features"] == ("x2",)
    assert features.item(1).checkState() == Qt.CheckState.Checked  # put back
    error = inspector.findChild(QLabel, "inspectorError")
    assert not error.isHidden() and "at least one" in error.text()


def test_removing_the_shown_node_clears_the_inspector(inspector, document):
    inspector.set_node("dense2")
    document.push(RemoveNodeCommand(document.graph, "dense2"))
    assert inspector.node_id is None
    assert inspector.findChild(QSpinBox, "param_units") is None
    assert not inspector.hint.isHidden()
    assert inspector.hint.text() == "Select a layer on the canvas to edit it."


def test_empty_inspector_shows_the_network_total(inspector, document):
    assert inspector.node_id is None
    assert inspector.total.text() == "Network: 22 trainable parameters"  # (2·4+4) + (4·2+2)
    document.load(Project())
    assert "Finish wiring" in inspector.total.text()


def test_project_replaced_clears_and_follows_the_new_graph(inspector, document):
    inspector.set_node("dense1")
    document.load(Project(graph=_xor_graph()))
    assert inspector.node_id is None
    inspector.set_node("dense1")
    document.graph.set_params("dense1", {"units": 9})  # an edit of the new graph reaches the form
    assert inspector.findChild(QSpinBox, "param_units").value() == 9


# --- dataset panel -------------------------------------------------------------
def test_dataset_change_goes_through_the_document_and_undoes(panel, document):
    combo = panel.findChild(QComboBox, "datasetCombo")
    assert combo.currentData() == "xor"
    combo.setCurrentIndex(combo.findData("spiral"))
    assert document.project.dataset.name == "spiral"
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.project.dataset.name == "xor"
    assert combo.currentData() == "xor"
    assert document.undo_stack.count() == 1


def test_combo_lists_every_generator_with_its_help(panel):
    combo = panel.findChild(QComboBox, "datasetCombo")
    names = [combo.itemData(i) for i in range(combo.count())]
    assert "custom" not in names and {"xor", "spiral", "sine", "affine3d"} <= set(names)
    tips = [combo.itemData(i, Qt.ItemDataRole.ToolTipRole) for i in range(combo.count())]
    assert all(tips)


def test_preview_shows_the_training_points(panel, document):
    train, test = panel.preview.train_item, panel.preview.test_item
    assert len(train.data) == 90 and len(test.data) == 30  # 120 samples, 25 % test
    samples = panel.findChild(QSpinBox, "samplesSpin")
    samples.setValue(300)
    assert document.project.dataset.samples == 300
    assert len(train.data) == 225 and len(test.data) == 75
    panel.findChild(QAbstractSlider, "testSplit").setValue(50)
    assert document.project.dataset.test_fraction == 0.5
    assert len(train.data) == 150
    assert panel.preview.train_item is train  # items are updated, never re-created


def test_regression_preview_plots_x_against_y(panel, document):
    document.set_dataset(DatasetSettings("sine", samples=40, noise=0.0, test_fraction=0.5))
    data = make_dataset(document.project.dataset, document.project.seed)
    xs, ys = panel.preview.train_item.getData()
    assert len(xs) == 20
    assert xs == pytest.approx(data.x_train[:, 0]) and ys == pytest.approx(data.y_train[:, 0])


def test_variants_follow_the_dataset(panel, document):
    variant = panel.findChild(QComboBox, "variantCombo")
    combo = panel.findChild(QComboBox, "datasetCombo")
    for name, offered in (("xor", ["cloud", "corners", "playground"]), ("circle", ["laegna", "playground"]),
                          ("and", ["cloud", "corners"]), ("sine", []), ("or", ["cloud", "corners"])):
        combo.setCurrentIndex(combo.findData(name))
        assert document.project.dataset.name == name
        assert variant.isEnabled() is bool(offered), name
        assert [variant.itemData(i) for i in range(variant.count())] == (offered or [None])
    variant.setCurrentIndex(variant.findData("corners"))
    assert document.project.dataset.options["variant"] == "corners"
    assert len(panel.preview.train_item.data) == 4
    assert not panel.findChild(QSpinBox, "samplesSpin").isEnabled()


def test_seed_is_an_undoable_document_change(panel, document):
    before = panel.preview.train_item.getData()[0].copy()
    panel.findChild(QSpinBox, "seedSpin").setValue(7)
    assert document.project.seed == 7
    assert panel.preview.train_item.getData()[0] != pytest.approx(before)
    document.undo_stack.undo()
    assert document.project.seed == 0
    assert panel.findChild(QSpinBox, "seedSpin").value() == 0


def test_generation_error_is_shown_not_raised(panel, document):
    broken = DatasetSettings("custom", samples=2, test_fraction=0.5, points={"task": "classification",
                             "n_outputs": 2, "x": [[0, 0]], "y": [0, 1]})
    document.set_dataset(broken)
    error = panel.findChild(QLabel, "datasetError")
    assert not error.isHidden() and "Cannot make this dataset" in error.text()
    assert len(panel.preview.train_item.data) == 0


def test_custom_entry_appears_only_with_custom_points(panel, document):
    combo = panel.findChild(QComboBox, "datasetCombo")
    points = {"task": "classification", "n_outputs": 2, "x": [[0, 0], [1, 1], [0, 1], [1, 0]], "y": [0, 1, 0, 1]}
    document.set_dataset(DatasetSettings("custom", samples=4, noise=0.0, test_fraction=0.25, points=points))
    assert combo.currentData() == "custom"
    combo.setCurrentIndex(combo.findData("moons"))
    assert document.project.dataset.name == "moons"
    combo.setCurrentIndex(combo.findData("custom"))  # the project's points can be chosen again
    assert document.project.dataset.points == points
    document.load(Project())
    assert combo.findData("custom") == -1


def test_panel_follows_outside_changes(panel, document):
    document.set_dataset(replace(document.project.dataset, noise=0.35, test_fraction=0.4))
    assert panel.findChild(QDoubleSpinBox, "noiseSpin").value() == pytest.approx(0.35)
    assert panel.findChild(QAbstractSlider, "testSplit").value() == 40
    assert document.undo_stack.count() == 1  # refreshing the controls pushed nothing


def test_the_preview_is_a_pad_that_opens_only_while_drawing(panel, qtbot):
    """The window's output view shows the data; the panel's plot is only the pad to draw on."""
    panel.resize(300, 700)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.preview.isHidden() and panel.import_button.isVisible()
    qtbot.mouseClick(panel.drawing.toggle, Qt.MouseButton.LeftButton)
    assert panel.preview.isVisible() and panel.import_button.isHidden()
    (x0, x1), (y0, y1) = panel.preview.getViewBox().viewRange()  # fitted to the data, though it was hidden
    xs, ys = panel.preview.train_item.getData()
    assert x0 < xs.min() < xs.max() < x1 and y0 < ys.min() < ys.max() < y1
    assert (x1 - x0) < 3 * (xs.max() - xs.min())  # with room to draw around it, not lost in the middle
    qtbot.mouseClick(panel.drawing.toggle, Qt.MouseButton.LeftButton)
    assert panel.preview.isHidden() and panel.import_button.isVisible()


def test_the_window_reads_left_to_right(window):
    """Blocks and data on the left, the network in the middle, the output on the right, the
    training controls and live tabs along the bottom."""
    area = {name: window.dockWidgetArea(window.findChild(QDockWidget, f"dock{name}"))
            for name in ("Layers", "Dataset", "Inspector", "Output", "Training")}
    Area = Qt.DockWidgetArea
    assert area == {"Layers": Area.LeftDockWidgetArea, "Dataset": Area.LeftDockWidgetArea,
                    "Inspector": Area.LeftDockWidgetArea, "Output": Area.RightDockWidgetArea,
                    "Training": Area.BottomDockWidgetArea}
    output = window.findChild(QDockWidget, "dockOutput")
    assert output.isAncestorOf(window.training.boundary) and output.isVisible()
    inspector = window.findChild(QDockWidget, "dockInspector")
    assert window.tabifiedDockWidgets(window.findChild(QDockWidget, "dockDataset")) == [inspector]
    window.canvas.node_selected.emit("input1")  # selecting a layer brings its inspector forward
    assert not inspector.visibleRegion().isEmpty()


# --- all three -----------------------------------------------------------------
@pytest.mark.parametrize("make", ["palette", "inspector", "panel"])
def test_every_interactive_widget_has_an_object_name(make, request):
    widget: QWidget = request.getfixturevalue(make)
    if make == "inspector":
        widget.set_node("input1")  # the richest form: a list of checkable features
    found = [w for w in widget.findChildren(QWidget) if isinstance(w, INTERACTIVE)]
    assert found
    assert [type(w).__name__ for w in found if not w.objectName()] == []


def test_every_control_has_a_tooltip(panel, inspector):
    inspector.set_node("dense1")
    controls = [panel.findChild(QWidget, n) for n in
                ("datasetCombo", "variantCombo", "samplesSpin", "noiseSpin", "testSplit", "seedSpin",
                 "datasetPreview")]
    controls += [inspector.findChild(QWidget, f"param_{n}") for n in ("units", "bias", "init")]
    assert all(c is not None and c.toolTip() for c in controls)


def test_a_deleted_inspector_stops_following_the_model(qtbot, document):
    import shiboken6

    inspector = InspectorWidget(document)
    inspector.set_node("dense1")
    shiboken6.delete(inspector)
    document.push(SetParamsCommand(document.graph, "dense1", {"units": 5}))  # must not reach the dead form
    document.push(RemoveNodeCommand(document.graph, "dense1"))
    assert document.graph.nodes.get("dense1") is None


def test_inspector_copes_with_an_unfinished_network(qtbot):
    g = Graph()
    g.add_node("input", node_id="input1")
    g.add_node("activation", node_id="act1")  # not fed by anything yet
    g.add_node("dense", {"units": 3}, node_id="dense1")
    g.add_edge("act1", "dense1")
    inspector = InspectorWidget(Document(Project(graph=g)))
    qtbot.addWidget(inspector)
    inspector.set_node("dense1")
    assert inspector.width_label.text() == "Output: 3 values"
    assert inspector.params_label.text() == "Parameters: not known until it is wired"
    inspector.set_node("act1")
    assert inspector.width_label.text() == "Output: not known until it is wired to the input"


def test_a_big_dataset_is_thinned_in_the_plot_and_says_so(panel, document):
    document.set_dataset(DatasetSettings("spiral", samples=20_000, test_fraction=0.5))
    assert len(panel.preview.train_item.data) == 5000
    assert "10,000 training points" in panel.counts.text() and "plot shows 5,000" in panel.counts.text()
