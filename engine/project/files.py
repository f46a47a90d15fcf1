"""Saving and opening projects: the parts the providers give, in one zip written atomically, and a
file read back only through ``safe_zip``'s checks.

Saving never replaces an existing file unless the caller says so (``overwrite``: the person chose
Save on their own project, or confirmed Save as). Opening unpacks into a fresh folder under the
data folder's ``projects/``, lets each provider restore its part from there, then removes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from engine.core.atomic import atomic_path
from engine.core.errors import DataError, DeepMineError, InputError
from engine.core.i18n import get_language, t
from engine.core.paths import data_home
from engine.core.session import Session
from engine.core.tasks import Progress, Task
from engine.project.manifest import MANIFEST_NAME, Entry, Manifest, field_problem, load_json, now_iso
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored
from engine.project.safe_zip import ProjectZip, entry_name_problem

SUFFIX = ".deepmine"
PART_JSON = "part.json"
STORED = (".keras", ".png", ".parquet", ".skops")  # already compressed: stored as they are (faster)


@dataclass
class SavedProject:
    path: Path
    manifest: Manifest
    size_bytes: int


@dataclass
class OpenedProject:
    path: Path
    manifest: Manifest
    restored: list[Restored]
    notices: list[str] = field(default_factory=list)

    def objects(self) -> dict[str, object]:
        merged: dict[str, object] = {}
        for part in self.restored:
            merged.update(part.objects)
        return merged


@dataclass
class ProjectInfo:
    path: Path
    manifest: Manifest
    summaries: dict[str, str]  # part key → one line
    unknown_parts: list[str]
    size_bytes: int
    # what opening would change or leave out, one line each (the parts' first, then the unknown parts')
    problems: list[str] = field(default_factory=list)
    newer_parts: list[str] = field(default_factory=list)  # among unknown_parts: made by a newer app version


def part_prefix(key: str) -> str:
    return f"parts/{key}/"


# --- saving -----------------------------------------------------------------------------------
def save_project_task(session: Session, providers: Sequence[PartProvider], path: str | os.PathLike[str], *,
                      context: ProjectContext | None = None, overwrite: bool = False,
                      created: str | None = None) -> Task[SavedProject]:
    """Collect every provider's part and write the project to ``path`` atomically."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    if path.exists() and not overwrite:
        raise InputError("{name} already exists; choose another name or confirm replacing it.", name=str(path))
    context = context or ProjectContext()
    collected: dict[str, tuple[PartProvider, PartOut]] = {}
    for i, provider in enumerate(providers):
        yield Progress(i / (len(providers) + 1), t("Collecting {part}…", part=provider.key), "stage")
        part = provider.collect(session, context)
        if part is not None:
            collected[provider.key] = (provider, part)
    yield Progress(len(providers) / (len(providers) + 1), t("Writing {name}…", name=path.name), "stage")
    stamp = now_iso()
    manifest = Manifest(created=created or stamp, modified=stamp, language=session.language or get_language(),
                        parts={}, name=path.stem)
    try:
        with atomic_path(path, suffix=SUFFIX) as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
                for key, (provider, part) in collected.items():
                    prefix = part_prefix(key)
                    body = json.dumps(part.data, ensure_ascii=False, allow_nan=False).encode("utf-8")
                    manifest.entries[prefix + PART_JSON] = _write_entry(zf, prefix + PART_JSON, body)
                    for name, content in part.files.items():
                        full = prefix + name
                        if entry_name_problem(full) or name == PART_JSON:
                            raise ValueError(f"bad entry name {full!r}")  # a provider's bug, not the person's
                        manifest.entries[full] = _write_entry(zf, full, content)
                    manifest.parts[key] = {"version": provider.version, "summary": part.summary}
                zf.writestr(MANIFEST_NAME, manifest.to_json())
    except OSError as exc:
        raise InputError("The project could not be saved to {path}: {reason}", path=str(path),
                         reason=exc.strerror or exc) from exc
    return SavedProject(path, manifest, path.stat().st_size)


def _write_entry(zf: zipfile.ZipFile, name: str, content: Path | bytes) -> Entry:
    method = zipfile.ZIP_STORED if PurePosixPath(name).suffix in STORED else zipfile.ZIP_DEFLATED
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = method
    info.external_attr = 0o100644 << 16  # a plain file
    with zf.open(info, "w", force_zip64=True) as out:
        if isinstance(content, bytes):
            digest.update(content)
            size = len(content)
            out.write(content)
        else:
            with open(content, "rb") as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
                    size += len(block)
                    out.write(block)
    return Entry(size, digest.hexdigest())


# --- reading ----------------------------------------------------------------------------------
def _part_in(pz: ProjectZip, key: str, folder: Path | None) -> PartIn:
    prefix = part_prefix(key)
    try:
        data = load_json(pz.read_bytes(prefix + PART_JSON))
    except KeyError as exc:
        raise DataError("{name}: the part {part} has no description; nothing was opened.", name=pz.file_name,
                        part=key) from exc
    except ValueError as exc:
        raise DataError("{name}: the part {part} is damaged ({reason}); nothing was opened.", name=pz.file_name,
                        part=key, reason=exc) from exc
    if not isinstance(data, dict):
        raise DataError("{name}: the part {part} is damaged ({reason}); nothing was opened.", name=pz.file_name,
                        part=key, reason=t("its description is not a JSON object"))
    names = [n[len(prefix):] for n in pz.manifest.entries if n.startswith(prefix) and n != prefix + PART_JSON]
    version = int(pz.manifest.parts[key]["version"])
    if folder is None:
        return PartIn(key, version, data, names, lambda name: pz.read_bytes(prefix + name))
    part = PartIn(key, version, data, names, lambda name: b"", folder)
    part.reader = lambda name: part.path(name).read_bytes()  # unpacked and checked already
    return part


def _split_parts(manifest: Manifest, providers: Sequence[PartProvider]) -> tuple[list[PartProvider], list[str]]:
    known = {p.key: p for p in providers}
    usable = [p for p in providers if p.key in manifest.parts and int(manifest.parts[p.key]["version"]) <= p.version]
    unknown = [k for k in manifest.parts if k not in known or int(manifest.parts[k]["version"]) > known[k].version]
    return usable, unknown


def newer_parts(manifest: Manifest, providers: Sequence[PartProvider]) -> list[str]:
    """The parts this app knows, written by a newer version of it (a higher part version)."""
    known = {p.key: p for p in providers}
    return [k for k in manifest.parts if k in known and int(manifest.parts[k]["version"]) > known[k].version]


def _left_out_line(manifest: Manifest, providers: Sequence[PartProvider], key: str, opened: bool) -> str:
    """Why a part is left out: made by a newer version of the app, or one this app does not know at all."""
    known = {p.key: p for p in providers}
    if key in known:
        version, supported = int(manifest.parts[key]["version"]), known[key].version
        if opened:
            return t("The part {part} of this project was made by a newer version of the app (part version {version}; "
                     "this app reads up to {supported}); it was left out.", part=key, version=version,
                     supported=supported)
        return t("The part {part} of this project was made by a newer version of the app (part version {version}; "
                 "this app reads up to {supported}); it would be left out.", part=key, version=version,
                 supported=supported)
    if opened:
        return t("This project holds a part this version of the app does not know ({part}); it was left out.",
                 part=key)
    return t("This project holds a part this version of the app does not know ({part}); it would be left out.",
             part=key)


def inspect_project(path: str | os.PathLike[str], providers: Sequence[PartProvider]) -> ProjectInfo:
    """Everything checked as opening would (every checksum, every part's own check), nothing written."""
    path = Path(path)
    with ProjectZip(path) as pz:
        pz.check_all()
        usable, unknown = _split_parts(pz.manifest, providers)
        summaries, problems = {}, []
        for provider in usable:
            part = _part_in(pz, provider.key, None)
            try:
                summaries[provider.key] = (provider.check(part) if provider.check else
                                           str(pz.manifest.parts[provider.key].get("summary", "")))
                problems += provider.problems(part) if provider.problems else []
            except DeepMineError:
                raise
            except (KeyError, TypeError, ValueError, RecursionError) as exc:
                raise _damaged_part(path.name, provider.key, exc) from exc
        problems += [_left_out_line(pz.manifest, providers, key, opened=False) for key in unknown]
        return ProjectInfo(path, pz.manifest, summaries, unknown, path.stat().st_size, problems,
                           newer_parts(pz.manifest, providers))


def _damaged_part(file_name: str, key: str, exc: BaseException) -> DataError:
    if isinstance(exc, KeyError):
        reason = field_problem(str(exc.args[0]) if exc.args else "?")
    elif isinstance(exc, RecursionError):
        reason = t("it is nested too deeply")
    else:
        reason = str(exc)
    return DataError("{name}: the part {part} is damaged ({reason}); nothing was opened.", name=file_name, part=key,
                     reason=reason.replace("\n", " ")[:200])


def staging_root() -> Path:
    return data_home() / "projects"


def open_project_task(path: str | os.PathLike[str], providers: Sequence[PartProvider],
                      context: ProjectContext | None = None) -> Task[OpenedProject]:
    """Check the file, unpack it under the data folder, let each provider restore its part."""
    path = Path(path)
    context = context or ProjectContext()
    yield Progress(0.05, t("Checking {name}…", name=path.name), "stage")
    staging = staging_root() / f"open-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        with ProjectZip(path) as pz:
            usable, unknown = _split_parts(pz.manifest, providers)
            pz.extract_to(staging)
            parts = [_part_in(pz, p.key, staging / part_prefix(p.key)) for p in usable]
        notices = [_left_out_line(pz.manifest, providers, key, opened=True) for key in unknown]
        restored = []
        for i, (provider, part) in enumerate(zip(usable, parts)):
            yield Progress(0.3 + 0.7 * i / max(1, len(parts)), t("Restoring {part}…", part=provider.key), "stage")
            try:
                restored.append(provider.restore(part, context))
            except DeepMineError:
                raise
            except (KeyError, TypeError, ValueError, RecursionError) as exc:
                raise _damaged_part(path.name, provider.key, exc) from exc
        for part in restored:
            notices.extend(part.notices)
        return OpenedProject(path, pz.manifest, restored, notices)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- the session ------------------------------------------------------------------------------
SESSION_FIELDS = {"digits": list, "houses": list, "tables": list, "digit_model": None, "house_models": None,
                  "compare": None, "lab": None}


def reset_session(session: Session) -> None:
    """A new project: nothing drawn, priced, compared or run yet (models stay on the canvas)."""
    for name, kind in SESSION_FIELDS.items():
        if name != "digit_model":
            setattr(session, name, kind() if kind else None)


def apply_to_session(session: Session, opened: OpenedProject) -> None:
    """Put what the parts restored into ``session`` (the window's, or a fresh one)."""
    reset_session(session)
    for part in opened.restored:
        for name, value in part.session.items():
            if name in SESSION_FIELDS:
                setattr(session, name, value)
