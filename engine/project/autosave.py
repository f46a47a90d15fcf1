"""Nothing lost on a crash: the running app autosaves into ``<data>/autosave`` (never over the
person's own file) and keeps a marker there while it runs.

Each running copy of the app has its own marker, ``running-<pid>.json`` (what project it had open,
when it started), and its own autosave, ``autosave-<pid>.deepmine``. A clean close removes both.
At the next start a marker whose process is gone means that session ended without closing (a kill,
a power loss): if its autosave is there, the app offers to restore it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from engine.core.atomic import atomic_write_text
from engine.core.paths import data_home
from engine.project.manifest import now_iso

_MARKER = re.compile(r"^running-(?P<pid>\d{1,10})\.json$")


def autosave_dir() -> Path:
    folder = data_home() / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def autosave_path(pid: int | None = None) -> Path:
    return autosave_dir() / f"autosave-{os.getpid() if pid is None else pid}.deepmine"


def marker_path(pid: int | None = None) -> Path:
    return autosave_dir() / f"running-{os.getpid() if pid is None else pid}.json"


@dataclass(frozen=True)
class RecoveryOffer:
    """A session that did not close cleanly, and the autosave it left."""

    autosave: Path
    marker: Path
    project_path: str | None  # the person's file it had open, if any
    saved: str  # when the autosave was written (ISO)


def mark_running(project_path: str | None = None) -> None:
    """Say this session is running (and which project it has open); called at start and on open/save."""
    atomic_write_text(marker_path(), json.dumps({"pid": os.getpid(), "started": now_iso(),
                                                 "project": project_path}))


def mark_closed() -> None:
    """A clean close: this session's marker and autosave go."""
    for path in (marker_path(), autosave_path()):
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def crashed_sessions() -> list[RecoveryOffer]:
    """Sessions whose marker remains but whose process is gone, newest autosave first."""
    offers = []
    try:
        names = os.listdir(autosave_dir())
    except OSError:
        return []
    for name in names:
        match = _MARKER.match(name)
        if not match or _alive(int(match["pid"])):
            continue
        marker = autosave_dir() / name
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # a damaged marker: offer the save without its name
            info = {}
        project = info.get("project") if isinstance(info, dict) and isinstance(info.get("project"), str) else None
        save = autosave_path(int(match["pid"]))
        if save.is_file():
            offers.append(RecoveryOffer(save, marker, project, _mtime_iso(save)))
        else:  # it crashed before its first autosave: nothing to offer
            with contextlib.suppress(OSError):
                marker.unlink()
    return sorted(offers, key=lambda o: o.saved, reverse=True)


def _mtime_iso(path: Path) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds")


def dismiss(offer: RecoveryOffer, keep_autosave: bool = False) -> None:
    """The person answered the offer: the old marker goes, and its autosave unless kept."""
    with contextlib.suppress(OSError):
        offer.marker.unlink()
    if not keep_autosave:
        with contextlib.suppress(OSError):
            offer.autosave.unlink()
