"""Reading a file's bytes with a limit, whatever the file is: a regular file, a pipe, a FIFO, a device.

Why here: a table is parsed from memory, so the limit must hold before the bytes are in memory.
``stat`` says nothing about a pipe or ``/dev/zero``; only reading with a cap does. A FIFO is opened
without blocking (no writer → empty, never a hang) and then read normally.
(``engine/core/bounded_read.py`` did not exist when this was written; this module can give way to it.)
"""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

from engine.core.errors import DataError

CHUNK = 1 << 20


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """All of ``path``'s bytes, or ``DataError`` (one line) if it is missing, a folder, or over ``limit``."""
    path = Path(path)
    name = path.name or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise DataError("The file {name} does not exist.", name=str(path)) from exc
    except OSError as exc:
        raise DataError("{name} cannot be read ({reason}).", name=name, reason=exc.strerror or exc) from exc
    if stat.S_ISDIR(info.st_mode):
        raise DataError("{name} is a folder, not a table file.", name=str(path))
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise _too_large(name, limit)
    flags = os.O_RDONLY | (os.O_NONBLOCK if stat.S_ISFIFO(info.st_mode) else 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise DataError("{name} cannot be read ({reason}).", name=name, reason=exc.strerror or exc) from exc
    try:
        if flags & os.O_NONBLOCK:  # opened without waiting for a writer; now read as usual
            fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        parts: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(CHUNK, limit + 1 - total))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise DataError("{name} cannot be read ({reason}).", name=name, reason=exc.strerror or exc) from exc
    finally:
        os.close(fd)
    if total > limit:
        raise _too_large(name, limit)
    return b"".join(parts)


def _too_large(name: str, limit: int) -> DataError:
    return DataError("{name} is larger than {limit} MB, the most a table may have here; split it or keep the columns "
                     "you need.", name=name, limit=limit // 2**20)
