"""Opening a user-chosen file for reading without trusting what the path points at.

A path can name a folder, a pipe that blocks forever, or a device that never ends
(/dev/zero). Only regular files are read, and never more than a limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

SHOWN_CHARS = 80  # a path longer than this is shortened in messages (a line, not a screenful)


class NotAFileError(OSError):
    """The path is not a regular file (a folder, pipe, socket or device), or a save would not
    write one. The message is one sentence for the user."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words: 'a folder', 'a pipe' or 'a device or socket'."""
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a pipe" if stat.S_ISFIFO(mode) else "a device or socket"


def shown_path(path: str | Path) -> str:
    """`path` as a message shows it: whole, or its start and end when it is very long."""
    text = os.fspath(path)
    if len(text) <= SHOWN_CHARS:
        return text
    half = SHOWN_CHARS // 2
    return f"{text[:half]}…{text[-half:]} ({len(text)} characters)"


def open_regular(path: str | Path) -> BinaryIO:
    """Open a regular file for binary reading; raise NotAFileError for anything else and
    OSError when it cannot be opened. Pipes are opened without blocking, then refused."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFileError(f"{Path(path).name} is {kind_of(mode)}, not a regular file")
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
