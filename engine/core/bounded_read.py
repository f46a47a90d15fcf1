"""Read a file the person named, whatever it is, with a byte limit.

``stat`` says 0 bytes for a pipe (``--csv <(cat big.csv)``), a FIFO or a device (``/dev/zero``),
so a size check before reading protects nothing: ``read_bytes()`` then grows until the machine
runs out of memory. Here the reading itself stops one byte past the limit. Errors name the path
exactly as the person typed it (``/dev/fd/63``, not ``63``).
"""

from __future__ import annotations

import os
from pathlib import Path

from engine.core.errors import DataError

CHUNK = 1 << 20


def read_bytes_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The contents of ``path`` (a file, pipe, FIFO or device), or ``DataError`` past ``limit`` bytes.

    Reads at most ``limit + 1`` bytes whatever the source claims, so memory stays bounded.
    """
    shown = os.fspath(path)
    p = Path(shown)
    try:
        with open(p, "rb") as fh:
            try:
                size = os.fstat(fh.fileno()).st_size
            except OSError:
                size = 0
            if size > limit:  # a regular file says its size: refuse without reading it
                raise _too_large(shown, size, limit)
            parts: list[bytes] = []
            total = 0
            while total <= limit:
                block = fh.read(min(CHUNK, limit + 1 - total))
                if not block:
                    break
                parts.append(block)
                total += len(block)
            if total > limit:
                raise _too_large(shown, None, limit)
            return b"".join(parts)
    except FileNotFoundError as exc:
        raise DataError("The file {name} does not exist.", name=shown) from exc
    except IsADirectoryError as exc:
        raise DataError("{name} is a folder, not a file.", name=shown) from exc
    except PermissionError as exc:
        raise DataError("{name} cannot be read: permission denied.", name=shown) from exc
    except OSError as exc:
        raise DataError("{name} cannot be read ({reason}).", name=shown, reason=exc.strerror or exc) from exc


def _too_large(shown: str, size: int | None, limit: int) -> DataError:
    if size is not None:
        return DataError("{name} is too large ({mb} MB); the limit is {limit} MB.", name=shown, mb=size // 2**20,
                         limit=limit // 2**20)
    return DataError("{name} is larger than the limit of {limit} MB; it was not read further.", name=shown,
                     limit=limit // 2**20)
