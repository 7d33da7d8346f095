"""write_atomic, the one writer of saves and exports: it writes regular files only, follows
symbolic links to the file they name and replaces that file, and says what is wrong in one
sentence. The device case uses a link to /dev/null: were the check missing, only the link
would be replaced, never /dev/null itself."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from hostile_files import unix_socket

from laegna_gui.core import atomic_file
from laegna_gui.core.atomic_file import NoFolderError, check_writable, write_atomic
from laegna_gui.core.regular_file import NotAFileError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pipes, sockets and devices are POSIX")


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe")
    return folder / "pipe"


def _link(folder: Path, to: str | Path, name: str = "link") -> Path:
    (folder / name).symlink_to(to)
    return folder / name


def _loop(folder: Path) -> Path:
    _link(folder, folder / "b", "a")
    _link(folder, folder / "a", "b")
    return folder / "a"


NOT_FILES = {
    "a folder": (lambda d: (d / "sub").mkdir() or d / "sub", "is a folder"),
    "a link to a folder": (lambda d: (d / "sub").mkdir() or _link(d, d / "sub"), "is a folder"),
    "a pipe": (_fifo, "is a pipe"),
    "a socket": (unix_socket, "is a device or socket"),
    "a link to /dev/null": (lambda d: _link(d, "/dev/null"), "is a device"),
    "a link that loops": (_loop, "loops"),
}


def _state(folder: Path) -> dict[str, tuple]:
    """What is on disk under `folder`: each entry's type and its link target or bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        detail = (os.readlink(path) if stat.S_ISLNK(mode) else path.read_bytes() if stat.S_ISREG(mode) else None)
        found[str(path.relative_to(folder))] = (stat.S_IFMT(mode), detail)
    return found


@pytest.mark.parametrize("kind", NOT_FILES)
def test_what_is_not_a_regular_file_is_refused_and_left_as_it_was(tmp_path, kind):
    make, phrase = NOT_FILES[kind]
    path = make(tmp_path)
    before = _state(tmp_path)
    for write in (lambda: write_atomic(path, "text"), lambda: check_writable(path)):
        with pytest.raises(NotAFileError) as refused:
            write()
        assert phrase in str(refused.value) and "Errno" not in str(refused.value)
    assert _state(tmp_path) == before
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_link_is_followed_and_the_file_it_names_is_replaced(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = _link(tmp_path, "real.txt")
    assert write_atomic(link, "new") == link
    assert link.is_symlink() and os.readlink(link) == "real.txt"
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file's mode is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real.txt"]  # no temporary file left


def test_a_chain_of_links_is_followed_to_its_end(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "end.txt").write_text("old", encoding="utf-8")
    _link(tmp_path, "folder/end.txt", "second")
    first = _link(tmp_path, "second", "first")
    write_atomic(first, "new")
    assert (tmp_path / "folder" / "end.txt").read_text(encoding="utf-8") == "new"
    assert os.readlink(first) == "second" and os.readlink(tmp_path / "second") == "folder/end.txt"


def test_a_dangling_link_writes_the_file_it_names(tmp_path):
    link = _link(tmp_path, "made.txt")
    write_atomic(link, "new")
    assert link.is_symlink() and (tmp_path / "made.txt").read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize("where, phrase", [
    ("missing/out.txt", "the folder"),
    ("a-file/out.txt", "is a file, not a folder"),
])
def test_a_missing_folder_is_named_in_one_sentence(tmp_path, where, phrase):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    before = _state(tmp_path)
    with pytest.raises(NoFolderError) as refused:
        write_atomic(tmp_path / where, "text")
    assert phrase in str(refused.value) and "Errno" not in str(refused.value)
    assert isinstance(refused.value, FileNotFoundError)
    assert _state(tmp_path) == before


@pytest.mark.parametrize("name, phrase", [
    ("bad\0name.txt", "NUL"),
    ("x" * 5000 + ".txt", "characters)"),  # the message shortens the name, still says which
])
def test_an_unusable_name_is_an_oserror_with_a_short_message(tmp_path, name, phrase):
    with pytest.raises(OSError) as refused:
        write_atomic(tmp_path / name, "text")
    assert phrase in str(refused.value) and len(str(refused.value)) < 300
    assert list(tmp_path.iterdir()) == []


def test_the_longest_file_name_can_be_written(tmp_path):
    """The temporary file's name is made from a part of the target's, so it fits too."""
    path = tmp_path / ("n" * 250 + ".txt")
    write_atomic(path, "text")
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_folder_that_refuses_new_files_is_one_readable_permission_error(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".out.txt.x1y2.tmp"))

    monkeypatch.setattr(atomic_file.tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as refused:
        write_atomic(tmp_path / "out.txt", "text")
    message = str(refused.value)
    assert "cannot write in the folder" in message and ".tmp" not in message and "Errno" not in message


def test_check_writable_refuses_a_folder_it_cannot_write_in(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic_file.os, "access", lambda *_args: False)  # as a read-only folder answers
    with pytest.raises(PermissionError, match="permission denied"):
        check_writable(tmp_path / "out.txt")


def test_ctrl_c_mid_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / "kept.txt"
    path.write_text("old", encoding="utf-8")

    def interrupted(_fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic_file.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, "new")
    assert [p.name for p in tmp_path.iterdir()] == ["kept.txt"]
    assert path.read_text(encoding="utf-8") == "old"
