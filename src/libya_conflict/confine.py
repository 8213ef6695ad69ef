"""Opening files of a package folder that may be hostile: only regular files inside the folder.

A data package is often someone else's: an edited copy, a contribution, a download. Its paths are data,
and data can point anywhere: ``../../etc/passwd``, ``/proc/self/environ``, a symbolic link out of the
folder, a named pipe that blocks whoever opens it. Everything that reads a package folder (validation,
build, export, curation, the loader) goes through :class:`Confined`, which allows a path only when

- it is relative, names no URL, and does not climb out of the folder with ``..``;
- once every symbolic link is followed, it still lies inside the folder;
- it is a regular file (not a folder, a FIFO, a device or a socket), checked before it is opened;

and opens it without blocking. Anything else raises :class:`UnsafePath`, whose message says why without
reading a byte of the file. A missing file raises ``FileNotFoundError``, as ``open`` would.

>>> folder = Confined(".")
>>> folder.check("../outside.txt")            # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
UnsafePath: '../outside.txt' climbs out of the package folder with '..'
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

# Anything shaped like scheme://, and Windows drive letters: never a file of this folder.
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
# A path whose text needs no further look: folders and a file name of letters, digits, '_', '-' and '.'
# (never first, so no '..' and no hidden name), joined by single '/'. Anything else takes the long way.
PLAIN = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*")
KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


class UnsafePath(ValueError):
    """A path the package may not open, with the reason in words."""


def is_url(text: str) -> bool:
    """Whether ``text`` looks like a URL (``scheme://...``)."""
    return bool(URL.match(text))


class Confined:
    """A package folder whose files are opened only when they are regular files inside it.

    Directories are resolved once each and remembered, so checking tens of thousands of article files in
    one folder costs one ``lstat`` each.
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.real = os.path.realpath(self.root)
        self._dirs: dict[str, str] = {}

    def check(self, relative: str) -> str:
        """The real path of the regular file ``relative`` names inside the folder.

        Raises :class:`UnsafePath` (why it may not be opened) or ``FileNotFoundError`` (nothing there).
        """
        return self.stat(relative)[0]

    def stat(self, relative: str) -> tuple[str, os.stat_result]:
        """:meth:`check`, with the file's ``stat`` (its size, for one)."""
        if not isinstance(relative, str):
            raise UnsafePath(f"{relative!r} is not a path (a {type(relative).__name__})")
        if PLAIN.fullmatch(relative):
            # The usual path (data/sources/art-001.txt): nothing below could object to its text.
            parent, _, name = relative.rpartition("/")
            return self._file(self._directory(parent, relative), name, relative)
        shown = _shown(relative)
        if not relative or relative.strip() != relative:
            raise UnsafePath(f"{shown} is not a file name")
        if "\x00" in relative or any(ord(c) < 0x20 for c in relative):
            raise UnsafePath(f"{shown} holds control characters")
        if is_url(relative):
            raise UnsafePath(f"{shown} is a URL: a package names its own files, which are never downloaded")
        if relative.startswith(("/", "\\")) or DRIVE.match(relative):
            raise UnsafePath(f"{shown} is an absolute path: a package names its files relative to its folder")
        normal = os.path.normpath(relative.replace("\\", "/"))
        if normal == ".." or normal.startswith("../") or normal == ".":
            raise UnsafePath(f"{shown} climbs out of the package folder with '..'")
        parent, name = os.path.split(normal)
        return self._file(self._directory(parent, relative), name, relative)

    def _file(self, directory: str, name: str, relative: str) -> tuple[str, os.stat_result]:
        """The real path and ``stat`` of the regular file ``name`` of the checked folder ``directory``."""
        path = os.path.join(directory, name)
        try:
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                path = os.path.realpath(path)
                if not self._inside(path):
                    raise UnsafePath(f"{_shown(relative)} is a symbolic link that leads out of the package folder")
                info = os.stat(path)
        except FileNotFoundError:
            raise
        except NotADirectoryError:
            raise UnsafePath(f"{_shown(relative)}: a part of this path is a file where a folder should be") from None
        except OSError as exc:  # a loop of links, no permission...
            raise UnsafePath(f"{_shown(relative)} cannot be opened: {exc.strerror or exc}") from None
        if not stat.S_ISREG(info.st_mode):
            kind = KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise UnsafePath(f"{_shown(relative)} is {kind}, not a regular file")
        return path, info

    def _inside(self, real: str) -> bool:
        return real == self.real or real.startswith(self.real.rstrip(os.sep) + os.sep)

    def _directory(self, parent: str, relative: str) -> str:
        """The real path of folder ``parent`` of the package (for the file ``relative``), checked to lie
        inside it."""
        if parent not in self._dirs:
            real = os.path.realpath(os.path.join(self.real, parent))
            if not self._inside(real):
                raise UnsafePath(f"{_shown(relative)} leads out of the package folder through a symbolic link")
            self._dirs[parent] = real
        return self._dirs[parent]

    def writable(self, relative: str) -> str:
        """Where to write the file ``relative`` inside the folder: its folder lies inside, and whatever is
        there now is a regular file (a link would send the bytes elsewhere). Raises :class:`UnsafePath`."""
        try:
            return self.check(relative)
        except FileNotFoundError:
            parent, name = os.path.split(os.path.normpath(relative))
            return os.path.join(self._directory(parent, relative), name)

    def write_bytes(self, relative: str, data: bytes) -> None:
        """Write ``data`` to the file ``relative`` (see :meth:`writable`), never through a link."""
        path = self.writable(relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        handle = os.open(path, flags, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)

    def open_fd(self, relative: str) -> int:
        """A read-only file descriptor of the checked file (never blocks on open; closed by the caller)."""
        return open_regular(self.check(relative))

    def read_bytes(self, relative: str, limit: int | None = None) -> bytes:
        """The bytes of the checked file (at most ``limit`` of them)."""
        handle = self.open_fd(relative)
        try:
            return read_all(handle, limit)
        finally:
            os.close(handle)

    def is_file(self, relative: str) -> bool:
        """Whether ``relative`` is a regular file inside the folder (False for a missing or unsafe one)."""
        try:
            self.check(relative)
        except (UnsafePath, OSError):
            return False
        return True


def _shown(relative: str) -> str:
    """A path as a message shows it: quoted, and cut short."""
    return repr(relative[:120])


def open_regular(path: str) -> int:
    """Open ``path`` read-only without blocking (a FIFO swapped in after the check opens at once) and make
    sure it is still a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise UnsafePath(f"{os.path.basename(path)!r} changed into something that is not a regular file")
    return handle


def read_all(handle: int, limit: int | None = None) -> bytes:
    """Every byte of an open file (at most ``limit``)."""
    size = os.fstat(handle).st_size
    want = size if limit is None else min(size, limit)
    parts, got = [], 0
    while got < want and (chunk := os.read(handle, want - got)):
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)
