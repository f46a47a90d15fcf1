"""Where a result may be written: one check shared by every write path (CSV, report, export).

Checked before any work starts, so a person never waits minutes to learn that the file
could not be written — and never loses a file: no input is overwritten, the name they gave
is never changed, no folder is created behind their back, and an existing file is replaced
only when they said so (``--force`` on the command line, a confirmation dialog in the app).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from engine.core.errors import InputError

CSV_SUFFIXES = (".csv", ".txt")
REPORT_SUFFIXES = (".pdf", ".html", ".htm")


def _same_file(a: Path, b: Path) -> bool:
    """True when both names lead to one file (symlinks, hard links, ``./x`` vs ``x``)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return a.resolve() == b.resolve()
        except OSError:
            return False


def _folder_writable(folder: Path) -> bool:
    """Really try: ``os.access`` says yes to root on a read-only file system."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".deepmine-probe-"):
            return True
    except OSError:
        return False


def check_output(path: str | os.PathLike[str], *, inputs: Iterable[str | os.PathLike[str]] = (),
                 force: bool = False, allowed_suffixes: Iterable[str] | None = None) -> Path:
    """Return ``path`` unchanged if a result may be written there; else raise ``InputError`` (one line).

    Refused: a name whose suffix is not in ``allowed_suffixes`` (it is never renamed), a
    folder that does not exist or cannot be written, a folder given as the file, any of
    ``inputs`` (even with ``force``), and an existing file unless ``force``.
    """
    target = Path(path)
    name = str(target)
    if not target.name or name.endswith(("/", os.sep)):
        raise InputError("{name} is a folder; give the name of a file to write.", name=name)
    if allowed_suffixes is not None:
        allowed = tuple(s.lower() for s in allowed_suffixes)
        if target.suffix.lower() not in allowed:
            raise InputError("Cannot write {name}: its name must end in one of {suffixes} (it is not renamed for "
                             "you).", name=name, suffixes=", ".join(allowed))
    folder = target.parent
    if not folder.exists():
        raise InputError("The folder {folder} does not exist.", folder=str(folder))
    if not folder.is_dir():
        raise InputError("{folder} is not a folder, so {name} cannot be written there.", folder=str(folder), name=name)
    if target.is_dir():
        raise InputError("{name} is a folder; give the name of a file to write.", name=name)
    for source in inputs:
        if target.exists() and _same_file(target, Path(source)):
            raise InputError("{name} is an input of this command; write the result to another file.", name=name)
    if target.exists() and not force:
        raise InputError("{name} already exists; use --force to replace it.", name=name)
    if not _folder_writable(folder):
        raise InputError("The folder {folder} cannot be written to.", folder=str(folder))
    return target
