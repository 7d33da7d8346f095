"""Cut, copy, paste and duplicate of canvas nodes, as undoable macros."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from laegna_gui.core.errors import LaegnaError
from laegna_gui.core.fragment import extract, plan_paste
from laegna_gui.ui.commands import AddEdgeCommand, AddNodeCommand
from laegna_gui.ui.document import Document
from laegna_gui.ui.mime import GRAPH_MIME

PASTE_OFFSET = (40.0, 40.0)


def copy_nodes(document: Document, node_ids: list[str]) -> bool:
    if not node_ids:
        return False
    mime = QMimeData()
    text = json.dumps(extract(document.graph, node_ids))
    mime.setData(GRAPH_MIME, text.encode())
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)
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
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None or not mime.hasFormat(GRAPH_MIME):
        return []
    try:
        return paste_fragment(document, json.loads(bytes(mime.data(GRAPH_MIME)).decode()))
    except (ValueError, LaegnaError):
        return []


def duplicate(document: Document, node_ids: list[str]) -> list[str]:
    if not node_ids:
        return []
    return paste_fragment(document, extract(document.graph, node_ids))
