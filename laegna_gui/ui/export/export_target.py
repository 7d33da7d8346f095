"""Where exports go and how a failed export is told: shared by File ▸ Export and View ▸ Export View."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from laegna_gui.core.errors import LaegnaError
from laegna_gui.ui.document.document import Document
from laegna_gui.ui.document.paths import settings

LAST_FOLDER_KEY = "export/last_folder"


def suggested_path(document: Document, name: str, suffix: str) -> Path:
    """<last export folder>/<project>[-<name>]<suffix>, the project's folder at first."""
    folder = settings().value(LAST_FOLDER_KEY) or (
        str(document.path.parent) if document.path else str(Path.home()))
    stem = document.path.stem if document.path else document.project.name
    slug = re.sub(r"[^\w.-]+", "-", f"{stem}-{name}" if name else stem).strip("-.")
    return Path(str(folder)) / f"{slug.lower() if name else slug or 'network'}{suffix}"


def write_export(path: Path, write: Callable[[Path], object], title: str,
                 show_error: Callable[[str, str], object]) -> bool:
    """Run `write(path)`; on failure say why in one message and return False. On success
    remember the folder for the next export."""
    try:
        write(path)
    except LaegnaError as exc:
        show_error(title, f"Nothing was exported: {exc}")
        return False
    except OSError as exc:
        show_error(title, f"{path} could not be written: {exc.strerror or exc}\n\nTry another folder.")
        return False
    settings().setValue(LAST_FOLDER_KEY, str(path.resolve().parent))
    return True
