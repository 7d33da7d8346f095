"""The concepts guide: its topics, the activation plots, the "?" buttons, F1 and the Help menu."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QUrl, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QApplication, QGraphicsView, QWidget,
)
from window_helpers import link_colours

from laegna_gui.core.nodes import ACTIVATIONS
from laegna_gui.ui.document.commands import AddNodeCommand
from laegna_gui.ui.help.window import ConceptsGuide, HelpButton, open_topic
from laegna_gui.ui.help.plots import X_RANGE, activation_curve
from laegna_gui.ui.help.topics import TOPICS, linked_topics, topic
from laegna_gui.ui.look.style import DARK, LIGHT
from laegna_gui.ui.look.theme import apply_theme
from laegna_gui.ui.training.controls import TrainingControls

# what the issue asks the guide to cover, as topic ids
REQUIRED = ("neuron", "perceptron", "activations", "losses", "gradient_descent", "backpropagation",
            "learning_rate", "optimizers", "batches", "overfitting", "exploding_vanishing", "clipping",
            "batch_norm", "affine", "tensors", "pca")
# words each page must use, so a page cannot drift off its subject
KEY_WORDS = {
    "neuron": ("weight", "bias", "units"), "perceptron": ("step", "XOR", "hidden layer"),
    "activations": ("sigmoid", "tanh", "ReLU", "softmax", "slope"), "losses": ("MSE", "cross-entropy", "hinge"),
    "gradient_descent": ("gradient", "derivative", "∂L/∂w"), "backpropagation": ("chain rule", "finite differences"),
    "learning_rate": ("too small", "too large", "NaN"), "optimizers": ("momentum", "velocity", "Adam"),
    "batches": ("batch size 1", "epoch", "full batch"), "overfitting": ("test set", "training set", "overfit"),
    "exploding_vanishing": ("vanishing", "exploding", "sigmoid"), "clipping": ("norm", "clip"),
    "batch_norm": ("mean 0", "scale", "shift"), "affine": ("rotate", "determinant", "4×4", "order matters"),
    "tensors": ("vector", "matrix", "batch × width", "broadcasting", "softmax", "Concat", "equal widths"),
    "pca": ("variance", "direction", "PC 1", "flattened away", "80 %", "NaN"),
}


@pytest.fixture
def guide(qtbot) -> ConceptsGuide:
    dialog = ConceptsGuide()
    qtbot.addWidget(dialog)
    return dialog


def _open_guide(window) -> ConceptsGuide | None:
    found = window.findChild(ConceptsGuide)
    return found if found is not None and found.isVisible() else None


# --- topics ------------------------------------------------------------------
@pytest.mark.parametrize("topic_id", REQUIRED)
def test_every_required_topic_has_a_real_page(guide, topic_id):
    shown = topic(topic_id)
    text = shown.text()
    assert text.startswith("# ") and len(text.split()) >= 120, f"{topic_id} is too thin"
    assert any(sign in text for sign in ("=", "←", "∝")), f"{topic_id} gives no formula"
    missing = [word for word in KEY_WORDS[topic_id] if word.lower() not in text.lower()]
    assert not missing, f"{topic_id} never mentions {missing}"
    guide.show_topic(topic_id)
    assert guide.current_topic() == topic_id
    assert guide.topics.currentItem().text() == shown.title
    assert shown.title.split(":")[0] in guide.page.toPlainText()


def test_every_page_is_listed_in_the_guide_and_opens_from_its_row(guide):
    from laegna_gui.core.resources import resource

    pages = {path.stem for path in resource("docs", "guide").glob("*.md")}
    listed = [guide.topics.item(row).data(Qt.ItemDataRole.UserRole) for row in range(guide.topics.count())]
    assert sorted(listed) == sorted(pages) == sorted(t.id for t in TOPICS)
    for row, topic_id in enumerate(listed):
        guide.topics.setCurrentRow(row)
        assert guide.current_topic() == topic_id
        assert guide.page.toPlainText().startswith(topic(topic_id).title.split(":")[0])


def test_the_new_pages_link_where_a_learner_goes_next():
    assert {"batches", "neuron", "activations"} <= set(linked_topics(topic("tensors").text()))
    assert {"affine", "learning_rate"} <= set(linked_topics(topic("pca").text()))


def test_links_between_pages_lead_to_real_topics(guide):
    ids = {t.id for t in TOPICS}
    links = {(t.id, target) for t in TOPICS for target in linked_topics(t.text())}
    assert links, "the pages should link to each other"
    assert all(target in ids for _, target in links), [link for link in links if link[1] not in ids]
    guide._link_clicked(QUrl("topic:learning_rate"))
    assert guide.current_topic() == "learning_rate"
    guide._link_clicked(QUrl("topic:no_such_page"))  # a broken link changes nothing
    assert guide.current_topic() == "learning_rate"


def test_an_unknown_topic_is_refused_with_the_known_ones_named(guide):
    with pytest.raises(KeyError, match="no help topic 'nope'.*learning_rate"):
        guide.show_topic("nope")
    with pytest.raises(KeyError, match="nope"):
        HelpButton("nope")


# --- activation plots --------------------------------------------------------
def test_the_activation_page_has_a_plot_of_f_and_its_slope_per_activation(guide, qtbot):
    guide.show()
    guide.show_topic("activations")
    assert guide.plots is not None and guide.plots.isVisible()
    assert set(guide.plots.plots) == set(ACTIVATIONS)
    for function, plot in guide.plots.plots.items():
        assert plot.isVisible() and plot.objectName() == f"activationPlot_{function}"
        f_item, df_item = guide.plots.curves[function]
        x, y = f_item.getData()
        expected_y, expected_slope = activation_curve(function, x)
        np.testing.assert_allclose(y, expected_y)
        np.testing.assert_allclose(df_item.getData()[1], expected_slope)
        assert x[0] == X_RANGE[0] and x[-1] == X_RANGE[1]
    guide.show_topic("losses")
    assert not guide.plots.isVisible()
    interactive = (QAbstractButton, QAbstractItemView, QAbstractSlider, QGraphicsView)
    assert all(w.objectName() for w in guide.findChildren(QWidget) if isinstance(w, interactive))


def _closed_forms(x: np.ndarray) -> dict[str, np.ndarray]:
    sigmoid = 1 / (1 + np.exp(-x))
    return {"relu": np.maximum(x, 0), "leaky_relu": np.where(x > 0, x, 0.01 * x), "sigmoid": sigmoid,
            "tanh": np.tanh(x), "softmax": sigmoid, "linear": x, "step": (x > 0).astype(float)}


@pytest.mark.parametrize("function", ACTIVATIONS)
def test_each_plotted_curve_is_the_function_and_the_slope_its_finite_difference(guide, function):
    guide.show_topic("activations")
    f_item, df_item = guide.plots.curves[function]
    x, y = f_item.getData()
    slope = df_item.getData()[1]
    np.testing.assert_allclose(y, _closed_forms(x)[function], atol=1e-9)
    differences = np.gradient(y, x)  # central differences of the plotted function
    away = np.abs(x) > 2 * (x[1] - x[0])  # not across the kink of ReLU or the jump of step
    if function == "step":
        # the true slope is 0 everywhere but the jump; training uses the straight-through
        # slope instead, and the plot shows what training uses
        np.testing.assert_allclose(differences[away], 0.0, atol=1e-12)
        np.testing.assert_allclose(slope, (np.abs(x) <= 1).astype(float))
    else:
        np.testing.assert_allclose(slope[away], differences[away], atol=2e-3)


# --- opening the guide -------------------------------------------------------
def test_f1_and_the_help_menu_open_the_guide_and_reuse_it(window, qtbot):
    assert window.actions["concepts"].shortcut().toString() == "F1"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.canvas, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: _open_guide(window) is not None)
    first = _open_guide(window)
    first.show_topic("clipping")
    first.close()
    window.actions["concepts"].trigger()
    assert _open_guide(window) is first and first.current_topic() == "clipping"  # where it was left
    assert open_topic(window.canvas, "batches") is first and first.current_topic() == "batches"


def _help_buttons(widget) -> list[HelpButton]:
    return [b for b in widget.findChildren(HelpButton) if not b.isHidden()]


def _click_each(window, qtbot, buttons) -> set[str]:
    seen = set()
    for button in buttons:
        assert button.objectName() == f"help_{button.topic_id}" and button.text() == "?"
        assert button.toolTip().startswith("What") and button.toolTip().endswith("?")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        guide = _open_guide(window)
        assert guide is not None and guide.current_topic() == button.topic_id
        guide.close()
        seen.add(button.topic_id)
    return seen


def test_every_question_mark_in_the_training_controls_opens_its_topic(window, qtbot):
    panel = window.findChild(TrainingControls)
    seen = _click_each(window, qtbot, _help_buttons(panel))
    assert seen == {"learning_rate", "optimizers", "losses", "batches", "regularization", "clipping"}


def test_every_question_mark_in_the_inspector_opens_its_topic(window, qtbot):
    graph = window.document.graph
    for kind in ("batch_norm", "dropout"):
        window.document.push(AddNodeCommand(graph, kind, {}, (0.0, 400.0)))
    seen: set[str] = set()
    for node_id in list(graph.nodes):
        window.inspector.set_node(node_id)
        buttons = _help_buttons(window.inspector)
        assert len({b.objectName() for b in buttons}) == len(buttons), "one ? per topic in the inspector"
        seen |= _click_each(window, qtbot, buttons)
    assert {"neuron", "activations", "batch_norm", "regularization", "exploding_vanishing", "losses"} <= seen


def test_the_guide_and_its_plots_follow_the_theme(window, qtbot):
    guide = open_topic(window, "activations")
    plot = guide.plots.plots["tanh"]
    assert plot.backgroundBrush().color() == LIGHT.canvas_background
    try:
        window.theme_menu.theme_actions["dark"].trigger()
        assert plot.backgroundBrush().color() == DARK.canvas_background
        assert plot.getPlotItem().titleLabel.opts["color"] == DARK.text.name()
        assert plot.getAxis("bottom").textPen().color() == DARK.muted_text
        page = guide.page.viewport()  # Qt hands the new palette to widgets in a later event
        qtbot.waitUntil(lambda: page.palette().color(page.backgroundRole()) == DARK.canvas_background)
    finally:
        apply_theme("light")  # the theme belongs to the whole application


def test_a_page_s_links_take_the_link_colour_of_the_theme_switched_to(guide):
    try:
        apply_theme("light")
        guide.show_topic("perceptron")  # a page with links to other pages
        assert link_colours(guide.page) == {LIGHT.link.name()}
        guide.page.verticalScrollBar().setValue(40)
        apply_theme("dark")
        assert link_colours(guide.page) == {DARK.link.name()}
    finally:
        apply_theme("light")  # the theme belongs to the whole application
