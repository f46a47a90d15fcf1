"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The temporary file sits beside the target as ``.NAME.PID.XXXXXXXX.tmp[SUFFIX]``. A writer killed
with ``kill -9`` cannot remove it, so every later write to that folder removes such leftovers:
only names of exactly this pattern, and only when their writer's process is gone or they are
older than a few minutes (a live writer of another copy of the app keeps its file).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

STALE_SECONDS = 10 * 60
# ".report.pdf.12345.k3j_x9a2.tmp.pdf": our own naming (mkstemp's 8 characters), nothing a person names a file
LEFTOVER = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d{1,10})\.)?[a-z0-9_]{8}\.tmp(?:\.[A-Za-z0-9]{1,8})?$")


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], suffix: str = "") -> Iterator[Path]:
    """Yield a temp path beside ``target``; on success it replaces ``target`` in one step.

    For writers that need a file name (Keras ``model.save``, PDF libraries). The temp file
    lives in the same directory so ``os.replace`` is atomic; on any error it is removed.
    ``suffix`` keeps extensions that a writer insists on (``.keras``).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp" + suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _fsync_file(tmp)
        _set_mode(tmp, target)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def remove_leftovers(folder: str | os.PathLike[str], now: float | None = None) -> list[Path]:
    """Remove the temporary files killed writers left in ``folder``; returns what was removed.

    Only files named by ``atomic_path`` whose writer process is gone (the pid in the name) or
    that are older than ``STALE_SECONDS``; anything else, and anything unremovable, is left.
    """
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = LEFTOVER.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            pid = match.group("pid")
            stale = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if stale or (pid is not None and not _process_alive(int(pid))):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _process_alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would send Ctrl+C there: age alone decides
        return True
    if pid <= 0 or pid == os.getpid():
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's process: alive
    return True


def _set_mode(tmp: Path, target: Path) -> None:
    """mkstemp makes 0600 files; give the result the mode a plain ``open()`` would (or the old file's)."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


@contextlib.contextmanager
def atomic_open(target: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open a temp file for writing that replaces ``target`` only when the block succeeds."""
    if "b" in mode:
        encoding = None
    with atomic_path(target) as tmp:
        with open(tmp, mode, encoding=encoding, newline="" if "b" not in mode else None) as fh:
            yield fh


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_open(target, "wb") as fh:
        fh.write(data)


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    with atomic_open(target, "w") as fh:
        fh.write(text)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
