"""Opening a user-chosen file for reading without trusting what the path points at.

A path can name a folder, a pipe that blocks forever, or a device that never ends
(/dev/zero). Only regular files are read, and never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotAFileError(OSError):
    """The path exists but is not a regular file (a folder, pipe, socket or device)."""


def open_regular(path: str | Path) -> BinaryIO:
    """Open a regular file for binary reading; raise NotAFileError for anything else and
    OSError when it cannot be opened. Pipes are opened without blocking, then refused."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"
            raise NotAFileError(f"{Path(path).name} is {kind}, not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int) -> bytes:
    """All of a regular file's bytes, or NotAFileError / OSError; reads at most limit + 1
    bytes, so a caller can tell a too-large file (one that grew after a size check) apart."""
    with open_regular(path) as file:
        return file.read(limit + 1)
