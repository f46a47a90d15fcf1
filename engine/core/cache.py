"""Content-addressed model cache in the user data dir.

An entry is two files: ``<kind>-<key><ext>`` (the model) and ``<kind>-<key>.json`` (its
metadata). The model is written first, atomically; the metadata last, with the model's
sha256 — so the metadata is the commit marker. A killed process leaves either the old
entry or an orphan model file without metadata, which is ignored and cleaned up.
A card that exists but cannot be used (hand-edited, cut short, another version) never costs the
weights: the pair is moved aside into ``damaged/`` under a name the person is told.
A ``filelock`` serialises writers and readers across running copies of the app and CLI.
Nothing here unpickles: models are read by format-specific safe loaders.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Generic, TypeVar

from filelock import FileLock, Timeout

from engine.core.atomic import atomic_path, atomic_write_text
from engine.core.errors import CacheError
from engine.core.i18n import t
from engine.core.paths import models_dir
from engine.core.versions import library_versions

log = logging.getLogger(__name__)
T = TypeVar("T")
FORMAT_VERSION = 1
DAMAGED_DIR = "damaged"  # where unusable entries are moved aside, never deleted


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_key(kind: str, fingerprint: str, params: Mapping[str, Any]) -> str:
    """Key = dataset fingerprint + hyper-parameters + library versions (+ cache format)."""
    blob = json.dumps(
        {"kind": kind, "fingerprint": fingerprint, "params": dict(params),
         "versions": library_versions(), "format": FORMAT_VERSION},
        sort_keys=True, default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:24]


@dataclass
class CacheHit(Generic[T]):
    model: T
    meta: dict[str, Any]


class ModelCache:
    """Stores and loads models; a bad entry is reported through ``on_problem`` and removed."""

    def __init__(self, root: Path | None = None, on_problem: Callable[[str], None] | None = None,
                 lock_timeout: float = 60.0) -> None:
        self.root = Path(root) if root else models_dir()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # an unwritable data dir: models still work in memory; store() says why
            log.debug("model cache %s unavailable: %s", self.root, exc)
        self.on_problem = on_problem or (lambda msg: log.warning("%s", msg))
        self._lock = FileLock(str(self.root / ".cache.lock"), timeout=lock_timeout)

    # -- paths -------------------------------------------------------------------------
    def model_path(self, kind: str, key: str, ext: str) -> Path:
        return self.root / f"{kind}-{key}{ext}"

    def meta_path(self, kind: str, key: str) -> Path:
        return self.root / f"{kind}-{key}.json"

    def _acquire(self) -> FileLock:
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise CacheError("The model cache at {path} is locked by another program.", path=self.root) from exc
        except OSError as exc:
            if self.root.is_dir() and not os.access(self.root, os.W_OK):
                self._lock = _ReadOnlyLock()  # nobody can write here, so reading needs no lock
                return self._lock
            raise CacheError("The model cache at {path} cannot be used: {reason}", path=self.root,
                             reason=exc.strerror or exc) from exc
        return self._lock

    # -- write -------------------------------------------------------------------------
    def store(self, kind: str, key: str, ext: str, write_model: Callable[[Path], None],
              meta: Mapping[str, Any]) -> dict[str, Any]:
        """Write a model via ``write_model(tmp_path)`` and its metadata, atomically, under the lock."""
        model_path = self.model_path(kind, key, ext)
        try:
            self._acquire()
            try:
                with atomic_path(model_path, suffix=ext) as tmp:
                    write_model(tmp)
                full = dict(meta)
                full.update(kind=kind, key=key, ext=ext, format=FORMAT_VERSION,
                            model_file=model_path.name, sha256=sha256_file(model_path),
                            versions=library_versions(),
                            created=datetime.now(timezone.utc).isoformat(timespec="seconds"))
                atomic_write_text(self.meta_path(kind, key), json.dumps(full, indent=2, default=_json_default))
            finally:
                self._lock.release()
        except OSError as exc:
            raise CacheError("Could not save the model to {path}: {reason}", path=model_path,
                             reason=exc.strerror or exc) from exc
        return full

    # -- read --------------------------------------------------------------------------
    def load(self, kind: str, key: str, read_model: Callable[[Path], T]) -> CacheHit[T] | None:
        """The entry for ``key`` if it is complete and readable; otherwise None (and it is removed)."""
        meta_path = self.meta_path(kind, key)
        if not meta_path.exists():
            return None
        self._acquire()
        try:
            return self._load_locked(kind, key, read_model)
        finally:
            self._lock.release()

    def latest(self, kind: str, read_model: Callable[[Path], T],
               accept: Callable[[dict[str, Any]], bool] | None = None) -> CacheHit[T] | None:
        """The newest readable entry of ``kind`` made with today's library versions."""
        for meta in self.entries(kind):
            if not _same_model_libraries(meta.get("versions"), library_versions()) or (accept and not accept(meta)):
                continue
            hit = self.load(kind, meta["key"], read_model)
            if hit is not None:
                return hit
        return None

    def entries(self, kind: str) -> list[dict[str, Any]]:
        """Metadata of every entry of ``kind``, newest first; garbage metadata is removed."""
        found = []
        for meta_path in self.root.glob(f"{kind}-*.json"):
            if "." in meta_path.stem:  # a file beside a card (e.g. ``digits-<key>.tflite.json``), not a card
                continue
            meta = self._read_meta(meta_path)
            if meta is not None and meta.get("kind") == kind:
                found.append(meta)
        return sorted(found, key=lambda m: str(m.get("created", "")), reverse=True)

    def remove(self, kind: str, key: str) -> None:
        for path in self.root.glob(f"{kind}-{key}*"):
            try:
                path.unlink()
            except OSError as exc:
                log.debug("could not remove %s: %s", path, exc)

    def move_aside(self, stem: str) -> list[Path]:
        """Move ``<stem>.json`` and its model file(s) into ``damaged/`` (never delete them); the new paths.

        A name already taken there gets a number, so an earlier damaged entry is not replaced.
        """
        folder = self.root / DAMAGED_DIR
        moved = []
        for path in sorted(self.root.glob(f"{stem}.*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            try:
                folder.mkdir(exist_ok=True)
                target, n = folder / path.name, 1
                while target.exists():
                    n += 1
                    target = folder / f"{stem}-{n}{''.join(path.suffixes)}"
                os.replace(path, target)
                moved.append(target)
            except OSError as exc:  # a read-only cache: the files stay where they are, and are skipped
                log.debug("could not move %s aside: %s", path, exc)
        return moved

    def report_damaged(self, file_name: str, reason: str, stem: str) -> None:
        """Move the entry aside and say which file is wrong, how, and where the pair went."""
        moved = self.move_aside(stem)
        if moved:
            where = str(moved[0].parent / (stem + ".*"))
            self.on_problem(t("The model card {name} cannot be used: {reason}. It and its model were moved to "
                              "{where} (nothing was deleted); another model is used, or one is rebuilt.",
                              name=file_name, reason=reason, where=where))
        else:
            self.on_problem(t("The model card {name} cannot be used: {reason}. It was left as it is and is skipped; "
                              "another model is used, or one is rebuilt.", name=file_name, reason=reason))

    def clean_orphans(self) -> int:
        """Remove what a killed process left: temp files, and model files without metadata.

        Writers hold the lock for the whole store, so under the lock nothing half-written
        can belong to a live process. The person is told (``on_problem``) when anything went.
        """
        removed = 0
        self._acquire()
        try:
            described = {str(m.get("model_file")) for m in self._all_meta()}
            cards = {p.name.split(".", 1)[0] for p in self.root.glob("*.json")}  # readable or not: a card's model is never an orphan
            for path in self.root.iterdir():
                if path.name.startswith(".cache.lock"):
                    continue
                orphan = (path.name.startswith(".") and ".tmp" in path.name) or (
                    path.suffix != ".json" and not path.name.startswith(".") and path.name not in described
                    and path.name.split(".", 1)[0] not in cards)
                if orphan and path.is_file():
                    path.unlink(missing_ok=True)
                    removed += 1
        finally:
            self._lock.release()
        if removed:
            self.on_problem(t("An interrupted save left {n} unfinished file(s) in the model cache; they were "
                              "removed and the last complete model is used.", n=removed))
        return removed

    def _all_meta(self) -> list[dict[str, Any]]:
        found = []
        for meta_path in self.root.glob("*.json"):
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            if isinstance(meta, dict):
                found.append(meta)
        return found

    # -- internals ---------------------------------------------------------------------
    def _read_meta(self, meta_path: Path) -> dict[str, Any] | None:
        """The card's contents, or None after moving the entry aside and saying what is wrong.

        A byte-order mark (some editors add one) is accepted: it changes nothing the app reads.
        """
        reason = card_problem(meta_path)
        if reason is None:
            return json.loads(meta_path.read_text(encoding="utf-8-sig"))
        if not meta_path.exists():
            return None  # another copy of the app moved it aside meanwhile
        self.report_damaged(meta_path.name, reason, meta_path.stem)
        return None

    def _load_locked(self, kind: str, key: str, read_model: Callable[[Path], T]) -> CacheHit[T] | None:
        meta_path = self.meta_path(kind, key)
        meta = self._read_meta(meta_path)
        if meta is None:
            return None
        model_path = self.root / str(meta.get("model_file", ""))
        problem = None
        if meta.get("kind") != kind or meta.get("key") != key or meta.get("format") != FORMAT_VERSION:
            problem = t("it was made for another model or cache version")
        elif not model_path.is_file() or model_path.parent != self.root:
            problem = t("the model file it describes, {name}, is missing", name=model_path.name)
        elif sha256_file(model_path) != meta["sha256"]:
            problem = t("its checksum does not match {name} (the card or the model was changed or cut short)",
                        name=model_path.name)
        else:
            try:
                return CacheHit(read_model(model_path), meta)
            except Exception as exc:  # any loader failure: the entry is set aside, another model is used
                problem = t("the model file {name} cannot be used: {reason}", name=model_path.name, reason=exc)
        self.report_damaged(meta_path.name, problem, meta_path.stem)
        return None


def card_problem(meta_path: Path) -> str | None:
    """What is wrong with a model card, in words naming the place; None when it is usable."""
    try:
        raw = meta_path.read_bytes()
    except OSError as exc:
        return t("it cannot be read ({reason})", reason=exc.strerror or exc)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return t("it is not UTF-8 text (byte {pos})", pos=exc.start)
    try:
        meta = json.loads(text)
    except json.JSONDecodeError as exc:
        return t("it is not valid JSON at line {line}, column {column} ({reason})", line=exc.lineno, column=exc.colno,
                 reason=exc.msg)
    if not isinstance(meta, dict):
        return t("it holds no JSON object")
    missing = [k for k in ("key", "sha256", "kind", "model_file") if k not in meta]
    if missing:
        return t("it lacks the field(s) {fields}", fields=", ".join(missing))
    return None


# What a saved model depends on. The GUI toolkit or plotting library changing must not cost
# the person their trained model (a PySide6 update once did).
MODEL_LIBRARIES = ("tensorflow", "keras", "numpy", "scikit-learn", "deepmine")


def _same_model_libraries(saved: Any, current: Mapping[str, str]) -> bool:
    return isinstance(saved, dict) and all(saved.get(k) == current.get(k) for k in MODEL_LIBRARIES)


class _ReadOnlyLock:
    def acquire(self) -> None:
        pass

    def release(self) -> None:
        pass


def _json_default(value: Any) -> Any:
    try:
        import numpy as np

        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            return value.tolist()
    except ImportError:  # pragma: no cover
        pass
    return str(value)
