"""A folder of results written as a whole: built in a staging folder beside its destination and moved
there in one step, so a reader sees no folder or the finished one, never half of it. An existing
destination is replaced only when the caller says so (``--force``, a confirmed dialog) and only when it
is an earlier export (it holds a model card): a folder of the person's other files never is.

Shared by every export (the digit model, table models); the staging folder of a killed writer is
named ``.NAME.PID.XXXXXXXX.partial`` and never taken for a result.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from engine.core.errors import InputError


EXPORT_MARK = "model-card.json"  # every export folder holds its card: what marks a folder as a previous export


def check_destination(out_dir: str | os.PathLike[str], overwrite: bool,
                      inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The destination, or ``InputError``: a taken destination is replaced only when asked *and* it is a
    previous export (it holds a model card); a file, a folder of other things, or a folder holding one of
    ``inputs`` (the table being exported) never is."""
    out = Path(out_dir)
    here = out.resolve()
    for given in inputs:
        source = Path(given).resolve()
        if source == here:
            raise InputError("{path} is the file this export reads; choose a new folder for the export.",
                             path=str(out))
        if here in source.parents:
            raise InputError("{path} holds {input}, which this export reads; choose a new folder for the export.",
                             path=str(out), input=str(given))
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return out
    if not overwrite:
        raise InputError("{path} already exists; choose another folder, or replace an earlier export there with "
                         "--force.", path=str(out))
    if not out.is_dir():
        raise InputError("{path} is a file, not an export folder; it is not replaced. Choose a new folder.",
                         path=str(out))
    if not (out / EXPORT_MARK).is_file():
        raise InputError("{path} holds other files, not an earlier export; it is not replaced. Choose a new "
                         "folder.", path=str(out))
    return out


def prepare_destination(out_dir: str | os.PathLike[str], overwrite: bool,
                        inputs: Iterable[str | os.PathLike[str]] = ()) -> tuple[Path, Path]:
    """The destination and a fresh staging folder beside it; ``InputError`` if the destination is taken."""
    out = check_destination(out_dir, overwrite, inputs)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.partial"
    staging.mkdir()
    return out, staging


def finish_destination(staging: Path, out: Path) -> Path:
    """Move the finished folder into place. An earlier export there is moved aside first and deleted only
    once the new one is in place: a failure on the way leaves the old one, never neither."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.old"
        os.replace(out, old)
    try:
        os.replace(staging, out)
    except BaseException:
        if old is not None:
            os.replace(old, out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out


@contextlib.contextmanager
def staged_folder(out_dir: str | os.PathLike[str], overwrite: bool,
                  inputs: Iterable[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """Yield the staging folder to fill; when the block succeeds it becomes ``out_dir``, else it is removed."""
    out, staging = prepare_destination(out_dir, overwrite, inputs)
    try:
        yield staging
        finish_destination(staging, out)
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
        raise
