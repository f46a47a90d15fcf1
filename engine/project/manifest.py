"""The project's manifest: what the file is, which app wrote it, and every entry's size and sha256.

``manifest.json`` is the first entry of the zip. The reader checks it before it looks at anything
else, and accepts only entries it lists, byte for byte (``engine.project.safe_zip``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine import __version__
from engine.core.errors import DataError
from engine.core.i18n import t

FORMAT = "deepmine-project"
FORMAT_VERSION = 1  # what this app writes and the newest it reads
MANIFEST_NAME = "manifest.json"
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PART_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class Entry:
    size: int
    sha256: str


@dataclass
class Manifest:
    created: str
    modified: str
    language: str
    parts: dict[str, dict[str, Any]]  # key → {"version": n, "summary": "…"}
    entries: dict[str, Entry] = field(default_factory=dict)
    app_version: str = __version__
    format_version: int = FORMAT_VERSION
    name: str = ""

    def to_json(self) -> bytes:
        data = {"format": FORMAT, "format_version": self.format_version, "app_version": self.app_version,
                "name": self.name, "created": self.created, "modified": self.modified, "language": self.language,
                "parts": self.parts,
                "entries": {k: {"size": e.size, "sha256": e.sha256} for k, e in sorted(self.entries.items())}}
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True).encode("utf-8")


def load_json(raw: bytes) -> Any:
    """JSON from a project file someone else may have made; ``ValueError`` with a sentence a person
    can read (not the decoder's own text), also for nesting deep enough to exhaust Python's stack."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(t("it is not UTF-8 text")) from exc
    except json.JSONDecodeError as exc:
        raise ValueError(t("it is not valid JSON at line {line}, column {column}", line=exc.lineno,
                           column=exc.colno)) from exc
    except RecursionError as exc:
        raise ValueError(t("it is nested too deeply")) from exc


def field_problem(name: str) -> str:
    """The reason shown for a field that a hand-made file got wrong."""
    return t("the field {field} is missing or not what the app writes there", field=str(name)[:80])


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def parse_manifest(raw: bytes, file_name: str) -> Manifest:
    """The manifest, checked field by field; ``DataError`` with one line naming what is wrong."""
    def damaged(reason: str) -> DataError:
        return DataError("{name}: its manifest is damaged ({reason}); nothing was opened.", name=file_name,
                         reason=reason)

    try:
        data = load_json(raw)
    except ValueError as exc:
        raise damaged(str(exc)) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError("{name} is not a DeepMine project (its manifest does not say so); nothing was opened.",
                        name=file_name)
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise damaged(field_problem("format_version"))
    if version > FORMAT_VERSION:
        raise DataError("{name} was made by a newer DeepMine Workbench (project format {version}; this app reads "
                        "format {supported}); nothing was opened.", name=file_name, version=version,
                        supported=FORMAT_VERSION)
    for key in ("created", "modified", "language", "app_version"):
        if not isinstance(data.get(key), str):
            raise damaged(field_problem(key))
    parts = data.get("parts")
    if not isinstance(parts, dict) or not all(isinstance(k, str) and _PART_KEY.match(k) and isinstance(v, dict)
                                              and isinstance(v.get("version"), int) for k, v in parts.items()):
        raise damaged(field_problem("parts"))
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, dict):
        raise damaged(field_problem("entries"))
    entries: dict[str, Entry] = {}
    for name, value in raw_entries.items():
        if not (isinstance(value, dict) and isinstance(value.get("size"), int) and not isinstance(value["size"], bool)
                and value["size"] >= 0 and isinstance(value.get("sha256"), str) and _SHA256.match(value["sha256"])):
            raise damaged(field_problem(str(name)[:80]))
        entries[str(name)] = Entry(value["size"], value["sha256"])
    return Manifest(created=data["created"], modified=data["modified"], language=data["language"], parts=parts,
                    entries=entries, app_version=data["app_version"], format_version=version,
                    name=str(data.get("name", "")))
