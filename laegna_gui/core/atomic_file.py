"""Writing a file all at once: a crash or a full disk mid-write leaves the old file untouched.

Only regular files are written. A path naming a folder, a device (/dev/null), a pipe or a
socket is refused, never replaced. A symbolic link is followed to the file it finally names
(a dangling one names the file to create) and that file is replaced, so the link stays a
link — what editors do. Every refusal is an OSError whose message is one sentence for the
user: NotAFileError for what is not a regular file, NoFolderError for a missing folder."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from laegna_gui.core.regular_file import NotAFileError, kind_of, shown_path

TEMP_NAME_CHARS = 100  # of the target's name in the temporary file's (a long name would not fit)


class NoFolderError(FileNotFoundError):
    """The folder a file would be saved in does not exist, or is a file."""


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write `data` (text is stored as UTF-8) to a temporary file beside the file `path`
    names (see `save_target`), then replace that file with it; returns `path`. Raises
    NotAFileError, NoFolderError or another OSError (the temporary file is removed)."""
    path = Path(path)
    real = save_target(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = _temporary_beside(real)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes 0600; keep the old file's mode, or the usual one
            os.fchmod(fd, _mode_for(real))
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, real)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_target(path: str | Path) -> Path:
    """The regular file that saving to `path` replaces or creates, with every symbolic link
    resolved. Raises NotAFileError when it is a folder, device, pipe or socket (or the links
    loop), NoFolderError when its folder is missing, another OSError when the name is unusable."""
    try:
        real = Path(os.path.realpath(path))
    except ValueError:  # a NUL character: no file can have that name
        raise _os_error(OSError, errno.EINVAL, f"{shown_path(repr(os.fspath(path)))} is not a file name "
                                                "(it holds a NUL character)") from None
    try:
        mode = os.stat(real).st_mode
    except (FileNotFoundError, NotADirectoryError):
        _check_folder(real.parent)
        return real
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFileError(f"{shown_path(path)} is a symbolic link that loops, never reaching a file") from None
        raise _os_error(type(exc), exc.errno, f"{shown_path(path)}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise NotAFileError(f"{shown_path(path)} is {kind_of(mode)}, not a regular file; give a file name")
    return real


def check_writable(path: str | Path) -> Path:
    """`save_target(path)`, and also refuse (PermissionError) a folder this process cannot
    write in: for checking an output before long work, without touching the disk."""
    real = save_target(path)
    if not os.access(real.parent, os.W_OK | os.X_OK):
        raise _os_error(PermissionError, errno.EACCES,
                        f"cannot write in the folder {shown_path(real.parent)} (permission denied)")
    return real


def _check_folder(folder: Path) -> None:
    try:
        mode = os.stat(folder).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise NoFolderError(f"the folder {shown_path(folder)} does not exist") from None
    except OSError as exc:
        raise _os_error(type(exc), exc.errno, f"{shown_path(folder)}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(mode):
        raise NoFolderError(f"{shown_path(folder)} is a file, not a folder")


def _temporary_beside(real: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=f".{real.name[:TEMP_NAME_CHARS]}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise _os_error(type(exc), exc.errno, f"cannot write in the folder {shown_path(real.parent)} "
                                              f"({exc.strerror or exc})") from None


def _os_error(kind: type[OSError], number: int | None, message: str) -> OSError:
    """An OSError of `kind` whose str() is `message` alone (no '[Errno …]' prefix)."""
    error = kind(message)
    error.errno = number
    return error


def _mode_for(path: Path) -> int:
    """The permission bits the written file should have: those of the file it replaces,
    else what a plain open() would give (0666 less the process's umask)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # read it without setting it (os.umask would change it for every thread meanwhile)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
