"""The network written as one function, with the current numbers of its small layers."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from laegna_gui.core.errors import GraphError
from laegna_gui.core.formula import formula_lines, layer_numbers, number, subscript
from laegna_gui.core.graph import Graph
from laegna_gui.engine.snapshot import Snapshot
from laegna_gui.ui.look import style
from laegna_gui.ui.training.live_state import Kind, LiveState, Part
from laegna_gui.ui.training.views.plotting import VIEW_HEIGHT, VIEW_WIDTH

MAX_NUMBERS = 12
SHORT_FORMULA = 36  # characters; a longer formula gets a smaller font so it wraps less
TIP = ("The whole network as one formula: each Wₖ·(…) + bₖ is a dense layer — a matrix times its "
       "input plus a bias — and each function around it (σ, tanh, ReLU…) bends the result.")
LEGEND = ("x is the input, o the output; Wₖ and bₖ are the k-th dense layer's weights and biases. "
          "Numbers are shown for layers with at most {n} weights.")


def matrix_text(k: int, w: np.ndarray, b: np.ndarray | None) -> str:
    """Wₖ one row per line with aligned columns, then bₖ."""
    name = f"W{subscript(k)}"
    cells = [[number(v) for v in row] for row in w]
    width = max(len(c) for row in cells for c in row)
    rows = ["[" + ", ".join(c.rjust(width) for c in row) + "]" for row in cells]
    head = f"{name} = ["
    lines = [(head if i == 0 else " " * len(head)) + row for i, row in enumerate(rows)]
    lines = [line + ("]" if i == len(lines) - 1 else ",") for i, line in enumerate(lines)]
    if b is not None:
        lines.append(f"b{subscript(k)} = [" + ", ".join(number(v) for v in b) + "]")
    return "\n".join(lines)


class FormulaView(QWidget):
    """`show_snapshot(snapshot, graph, order=None)`; the graph and order are remembered, so
    later calls may pass only the snapshot. `snapshot` may be None (no weights yet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formulaView")
        self.graph: Graph | None = None
        self.order: Sequence[str] | None = None
        self.text = QTextBrowser(objectName="formulaText", toolTip=TIP)
        self.text.setOpenLinks(False)
        style.set_role(self.text, "canvas")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        self._html = ""
        self._drawn: LiveState | None = None  # the state on show

    def sizeHint(self) -> QSize:  # noqa: N802 — Qt override: made for a dock about 300 px tall
        return QSize(VIEW_WIDTH, VIEW_HEIGHT)

    def show_snapshot(self, snapshot: Snapshot | None, graph: Graph | None = None,
                      order: Sequence[str] | None = None, n_inputs: int | None = None) -> None:
        if graph is not None:
            self.graph, self.order = graph, order
        if self.graph is None:
            return
        try:
            order = self.order or self.graph.topological_order()
        except GraphError:
            self._set_html(self._message("The wires form a loop, so the network has no formula."))
            return
        lines = formula_lines(self.graph, order, n_inputs)
        if not lines:
            self._set_html(self._message("Wire the input through to the output to see the formula."))
            return
        weights = snapshot.weights if snapshot is not None else None
        layers = layer_numbers(self.graph, order, weights)
        numbers = [matrix_text(k, w, b) for k, w, b in layers if w.size <= MAX_NUMBERS]
        big = [f"W{subscript(k)} ({w.shape[0]}×{w.shape[1]})" for k, w, _ in layers if w.size > MAX_NUMBERS]
        if big:
            numbers.append(f"Too many numbers to list: {', '.join(big)}; the Weights tab shows them.")
        self._set_html(self._page(lines, numbers))

    def draw_parts(self, state: LiveState) -> list[Part]:
        """As a live view: the formula of the state's network with its numbers."""
        return [] if state.shows_as(self._drawn) else [lambda: self._draw(state)]

    def _draw(self, state: LiveState) -> None:
        self._drawn = state
        if state.kind is Kind.INVALID:
            self.graph = state.graph
            self._set_html(self._message(state.invalid_text + "."))
        else:
            self.show_snapshot(state.snapshot, state.graph)

    def plain_text(self) -> str:
        return self.text.toPlainText()

    # --- html ----------------------------------------------------------------
    def _page(self, formula: list[str], numbers: list[str]) -> str:
        size = 13 if max(len(line) for line in formula) <= SHORT_FORMULA else 11
        parts = [f"<p style='font-size:{size}pt; margin:4px 0 8px 0'>{html.escape(line)}</p>" for line in formula]
        for block in numbers:
            parts.append(f"<pre style='font-size:9pt; margin:0 0 6px 0; white-space:pre-wrap'>"
                         f"{html.escape(block)}</pre>")
        parts.append(f"<p style='font-size:8pt'>{html.escape(LEGEND.format(n=MAX_NUMBERS))}</p>")
        return "".join(parts)

    def _message(self, text: str) -> str:
        return f"<p>{html.escape(text)}</p>"

    def _set_html(self, page: str) -> None:
        if page != self._html:  # rewriting resets the selection; only do it when the text changed
            self._html = page
            self.text.setHtml(page)
