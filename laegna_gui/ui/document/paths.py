"""Where Laegna keeps its own files (settings, recovery). LAEGNA_DATA_DIR overrides it.

Nothing here raises: a data folder that cannot be made (a file in the way, a read-only
home) leaves settings in memory for the session, and the autosave says why it is off
(`folder_problem`)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

OVERRIDE = "LAEGNA_DATA_DIR"


def data_dir() -> Path:
    """The folder for Laegna's own files, created if it can be (it may not exist)."""
    override = os.environ.get(OVERRIDE)
    base = Path(override) if override else Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation) or Path.home() / ".laegna")
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # the files kept there say what is wrong when they are written (see folder_problem)
    return base


def settings() -> QSettings:
    """The settings file. In a folder that cannot be written, values last for the session."""
    return QSettings(str(data_dir() / "settings.ini"), QSettings.Format.IniFormat)


def folder_problem(folder: Path, error: BaseException) -> str:
    """Why files cannot be written in `folder`, and what to do, in one or two sentences."""
    elsewhere = f"set {OVERRIDE} to a folder you can write to"
    blocker = _file_in_the_way(folder)
    if blocker is not None:
        return f"{blocker} is a file, not a folder. Move that file away or {elsewhere}."
    code = getattr(error, "errno", None)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Laegna may not write in {folder} (permission denied). Make it writable or {elsewhere}."
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"the disk holding {folder} is full. Free some space."
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"files cannot be written in {folder} ({reason}). Check that folder or {elsewhere}."


def _file_in_the_way(folder: Path) -> Path | None:
    """The nearest existing part of `folder`'s path if it is not a folder."""
    for part in (folder, *folder.parents):
        if part.exists():
            return None if part.is_dir() else part
    return None
