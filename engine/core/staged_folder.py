"""A folder of results written as a whole: built in a staging folder beside its destination and moved
there in one step, so a reader sees no folder or the finished one, never half of it. An existing
destination is never replaced unless the caller says so (``--force``, a confirmed dialog).

Shared by every export (the digit model, table models); the staging folder of a killed writer is
named ``.NAME.PID.XXXXXXXX.partial`` and never taken for a result.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from engine.core.errors import InputError


def check_destination(out_dir: str | os.PathLike[str], overwrite: bool) -> Path:
    """``InputError`` when the destination exists (and is not an empty folder) and replacing it was not asked."""
    out = Path(out_dir)
    if out.exists() and not overwrite and (not out.is_dir() or any(out.iterdir())):
        raise InputError("{path} already exists; choose another folder or confirm replacing it.", path=str(out))
    return out


def prepare_destination(out_dir: str | os.PathLike[str], overwrite: bool) -> tuple[Path, Path]:
    """The destination and a fresh staging folder beside it; ``InputError`` if the destination is taken."""
    out = check_destination(out_dir, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.partial"
    staging.mkdir()
    return out, staging


def finish_destination(staging: Path, out: Path) -> Path:
    """Move the finished folder into place (an empty or confirmed old one goes first)."""
    if out.exists():
        if out.is_dir():
            shutil.rmtree(out)
        else:
            out.unlink()
    os.replace(staging, out)
    return out


@contextlib.contextmanager
def staged_folder(out_dir: str | os.PathLike[str], overwrite: bool) -> Iterator[Path]:
    """Yield the staging folder to fill; when the block succeeds it becomes ``out_dir``, else it is removed."""
    out, staging = prepare_destination(out_dir, overwrite)
    try:
        yield staging
        finish_destination(staging, out)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
        raise
