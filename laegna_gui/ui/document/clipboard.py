"""Cut, copy, paste and duplicate of canvas nodes, as undoable macros."""

from __future__ import annotations

import json

from PySide6.QtGui import QGuiApplication

from laegna_gui.core.errors import ProjectFileError
from laegna_gui.core.fragment import extract, plan_paste
from laegna_gui.ui.document.commands import AddEdgeCommand, AddNodeCommand
from laegna_gui.ui.document.document import Document
PASTE_OFFSET = (40.0, 40.0)
CLIPBOARD_MARK = "laegna-graph-fragment"


def copy_nodes(document: Document, node_ids: list[str]) -> bool:
    """Put the nodes on the clipboard as marked JSON text.

    Plain text on purpose: a QMimeData made in Python would be owned by Qt's clipboard
    and destroyed after the interpreter has shut down, which crashes at exit."""
    if not node_ids:
        return False
    QGuiApplication.clipboard().setText(json.dumps({CLIPBOARD_MARK: extract(document.graph, node_ids)}))
    return True


def paste_fragment(document: Document, fragment: object) -> list[str]:
    """Add a copied fragment as one undo step; returns the new node ids."""
    plan = plan_paste(document.graph, fragment, PASTE_OFFSET)
    if not plan.nodes:
        return []
    stack = document.undo_stack
    stack.beginMacro("Paste")
    for node_id, type_name, params, pos in plan.nodes:
        stack.push(AddNodeCommand(document.graph, type_name, params, pos, node_id))
    for src, dst in plan.edges:
        stack.push(AddEdgeCommand(document.graph, src, dst))
    stack.endMacro()
    return [n[0] for n in plan.nodes]


def paste(document: Document) -> list[str]:
    """Paste from the system clipboard; anything that is not Laegna nodes is ignored."""
    try:
        data = json.loads(QGuiApplication.clipboard().text())
        fragment = data[CLIPBOARD_MARK]
    except (ValueError, TypeError, KeyError):
        return []
    try:
        return paste_fragment(document, fragment)
    except ProjectFileError:  # not a fragment Laegna can read: ignored like any other text
        return []


def duplicate(document: Document, node_ids: list[str]) -> list[str]:
    if not node_ids:
        return []
    return paste_fragment(document, extract(document.graph, node_ids))
