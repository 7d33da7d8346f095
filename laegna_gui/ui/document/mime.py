"""The drag-and-drop format of palette blocks."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QMimeData

NODE_MIME = "application/x-laegna-node"


def node_mime(type_name: str, params: dict[str, Any] | None = None) -> QMimeData:
    """What a palette block carries: the node type and its preset parameters."""
    mime = QMimeData()
    mime.setData(NODE_MIME, json.dumps({"type": type_name, "params": params or {}}).encode())
    return mime


def read_node_mime(mime: QMimeData) -> tuple[str, dict[str, Any]] | None:
    if not mime.hasFormat(NODE_MIME):
        return None
    try:
        data = json.loads(bytes(mime.data(NODE_MIME)).decode())
        return str(data["type"]), dict(data.get("params", {}))
    except (ValueError, KeyError, TypeError):
        return None
