"""Reading a ``.deepmine`` file that anyone may have made: every check before anything is unpacked.

Refused, each with one line naming the file and the entry: not a zip or cut short; more entries
than a project has; a name that would leave the extraction folder (absolute, ``..``, a backslash,
a drive letter) or is not a name this app writes; a link or any other non-regular file; an entry
whose size or compression ratio only a zip bomb has; an encrypted entry; a manifest of an unknown
format version; an entry the manifest does not list, or listed but missing, or whose bytes do not
match its size and sha256; content that is not what its name says (a pickle named ``.json``).
Unpacking then writes only inside a fresh folder under the app's data folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from engine.core.errors import DataError
from engine.core.i18n import t
from engine.project.manifest import MANIFEST_NAME, MAX_MANIFEST_BYTES, Manifest, parse_manifest

MAX_ENTRIES = 20_000
MAX_ENTRY_BYTES = 1 << 30  # 1 GiB: an embedded table of a few million rows
MAX_TOTAL_BYTES = 4 << 30
MAX_RATIO = 200  # deflate of real project data stays far below; zeros reach ~1000:1
RATIO_FLOOR = 1 << 20  # small entries may compress as they like
MAX_NAME_LENGTH = 240
_COMPONENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,120}$")
# What a project may hold, by suffix, with the first bytes each kind starts with (None: UTF-8 text)
KINDS: dict[str, bytes | None] = {".json": None, ".txt": None, ".csv": None, ".png": b"\x89PNG\r\n\x1a\n",
                                  ".keras": b"PK\x03\x04", ".parquet": b"PAR1", ".tflite": b"", ".skops": b"PK\x03\x04"}
_PICKLE = re.compile(rb"^\x80[\x02-\x05]")
CHUNK = 1 << 20


@dataclass(frozen=True)
class CheckedEntry:
    name: str
    size: int
    sha256: str


def entry_name_problem(name: str) -> bool:
    """True when ``name`` is not a plain relative path of the kind this app writes."""
    if not name or len(name) > MAX_NAME_LENGTH or "\\" in name or "\x00" in name or ":" in name:
        return True
    if name.startswith("/") or name.endswith("/"):
        return True
    parts = name.split("/")  # not PurePosixPath: it drops "." components silently
    return len(parts) > 8 or any(p in (".", "..") or not _COMPONENT.match(p) for p in parts)


def _kind(name: str) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix if suffix in KINDS else None


def check_infos(zf: zipfile.ZipFile, file_name: str, allowed_kinds: dict[str, bytes | None] = KINDS,
                max_entries: int = MAX_ENTRIES) -> list[zipfile.ZipInfo]:
    """The zip's directory checked on its own (names, types, sizes, ratios, counts); nothing is read yet."""
    infos = zf.infolist()
    if len(infos) > max_entries:
        raise DataError("{name} holds {count} entries, more than a project may ({limit}); nothing was opened.",
                      name=file_name, count=f"{len(infos):,}", limit=f"{max_entries:,}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if entry_name_problem(name):
            raise DataError("{name} holds an entry whose path would leave the project folder or is not one this app "
                          "writes ({entry}); nothing was opened.", name=file_name, entry=name[:120])
        mode = info.external_attr >> 16
        if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            raise DataError("{name} holds {entry}, which is a link or a special file; projects hold plain files only, "
                          "so nothing was opened.", name=file_name, entry=name)
        if info.flag_bits & 0x1:
            raise DataError("{name}: the entry {entry} is encrypted; nothing was opened.", name=file_name, entry=name)
        if name.lower() in seen:
            raise DataError("{name} holds the entry {entry} twice; nothing was opened.", name=file_name, entry=name)
        seen.add(name.lower())
        if name != MANIFEST_NAME and PurePosixPath(name).suffix.lower() not in allowed_kinds:
            if PurePosixPath(name).suffix.lower() in (".pkl", ".pickle", ".joblib", ".npy", ".npz", ".dill"):
                raise DataError("{name}: the entry {entry} is a pickle, which could run code when read; projects never "
                              "hold one, so nothing was opened.", name=file_name, entry=name)
            raise DataError("{name}: the entry {entry} is not a kind of file a project holds; nothing was opened.",
                          name=file_name, entry=name)
        if info.file_size > MAX_ENTRY_BYTES:
            raise DataError("{name}: the entry {entry} would unpack to {size} MB, more than a project allows "
                          "({limit} MB); nothing was opened.", name=file_name, entry=name,
                          size=f"{info.file_size / 1e6:,.0f}", limit=f"{MAX_ENTRY_BYTES / 1e6:,.0f}")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise DataError("{name}: the entry {entry} is compressed {ratio}:1, as only a zip bomb is; nothing was "
                          "opened.", name=file_name, entry=name, ratio=f"{info.file_size // max(1, info.compress_size):,}")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise DataError("{name} would unpack to {size} MB, more than a project allows ({limit} MB); nothing was "
                      "opened.", name=file_name, size=f"{total / 1e6:,.0f}", limit=f"{MAX_TOTAL_BYTES / 1e6:,.0f}")
    return infos


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, file_name: str) -> Iterator[bytes]:
    """The entry's bytes in chunks, never more than ``limit`` (a header that lies about the size)."""
    read = 0
    try:
        with zf.open(info) as fh:
            while block := fh.read(CHUNK):
                read += len(block)
                if read > limit:
                    raise DataError("{name}: the entry {entry} is larger than its manifest says; nothing was opened.",
                                  name=file_name, entry=info.filename)
                yield block
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:  # CRC, truncation, method
        if isinstance(exc, DataError):
            raise
        raise DataError("{name}: the entry {entry} is damaged or cut short ({reason}); nothing was opened.",
                      name=file_name, entry=info.filename, reason=exc) from exc


def _content_problem(name: str, head: bytes, file_name: str) -> None:
    if _PICKLE.match(head):
        raise DataError("{name}: the entry {entry} is a pickle, which could run code when read; projects never hold "
                      "one, so nothing was opened.", name=file_name, entry=name)
    kind = _kind(name) or ".json"
    magic = KINDS.get(kind)
    if kind == ".tflite":
        ok = head[4:8] == b"TFL3"
    elif magic is None:
        ok = b"\x00" not in head
    else:
        ok = head.startswith(magic)
    if not ok:
        raise DataError("{name}: the entry {entry} is not the kind of file its name says; nothing was opened.",
                      name=file_name, entry=name)


class ProjectZip:
    """An opened, validated project file. ``check_all`` reads every entry (sha256) without writing;
    ``extract_to`` unpacks the checked entries into a folder it creates."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.file_name = self.path.name
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError as exc:
            raise DataError("{name} does not exist.", name=str(self.path)) from exc
        except IsADirectoryError as exc:
            raise DataError("{name} is a folder, not a project file.", name=str(self.path)) from exc
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise DataError("{name} is not a DeepMine project (it is not a zip file, or it is cut short); nothing "
                            "was opened.", name=self.file_name) from exc
        try:
            self.infos = {i.filename: i for i in check_infos(self._zip, self.file_name)}
            self.manifest = self._read_manifest()
            self._match_entries()
        except BaseException:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "ProjectZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_manifest(self) -> Manifest:
        info = self.infos.get(MANIFEST_NAME)
        if info is None:
            raise DataError("{name} is not a DeepMine project (it has no manifest); nothing was opened.",
                            name=self.file_name)
        if info.file_size > MAX_MANIFEST_BYTES:
            raise DataError("{name}: its manifest is damaged ({reason}); nothing was opened.", name=self.file_name,
                            reason=t("it is {size} bytes, more than a manifest may be", size=f"{info.file_size:,}"))
        raw = b"".join(_stream(self._zip, info, MAX_MANIFEST_BYTES, self.file_name))
        return parse_manifest(raw, self.file_name)

    def _match_entries(self) -> None:
        listed = self.manifest.entries
        for name in self.infos:
            if name != MANIFEST_NAME and name not in listed:
                raise DataError("{name}: the entry {entry} is not listed in its manifest; nothing was opened.",
                                name=self.file_name, entry=name)
        for name, entry in listed.items():
            info = self.infos.get(name)
            if info is None:
                raise DataError("{name}: the entry {entry} listed in its manifest is missing; nothing was opened.",
                                name=self.file_name, entry=name[:120])
            if info.file_size != entry.size:
                raise DataError("{name}: the entry {entry} is damaged (its size does not match the manifest); "
                                "nothing was opened.", name=self.file_name, entry=name)

    def _verified_chunks(self, name: str) -> Iterator[bytes]:
        entry = self.manifest.entries[name]
        digest = hashlib.sha256()
        first = True
        for block in _stream(self._zip, self.infos[name], entry.size, self.file_name):
            if first:
                _content_problem(name, block[:16], self.file_name)
                first = False
            digest.update(block)
            yield block
        if first and KINDS.get(_kind(name) or ".json") is not None:  # an empty binary file is not that file
            _content_problem(name, b"", self.file_name)
        if digest.hexdigest() != entry.sha256:
            raise DataError("{name}: the entry {entry} is damaged (its checksum does not match the manifest); "
                            "nothing was opened.", name=self.file_name, entry=name)

    def read_bytes(self, name: str) -> bytes:
        """One listed entry, checked (for small JSON entries read in memory)."""
        if name not in self.manifest.entries:
            raise KeyError(name)
        return b"".join(self._verified_chunks(name))

    def check_all(self) -> None:
        """Read every entry through its checksum; writes nothing."""
        for name in self.manifest.entries:
            for _ in self._verified_chunks(name):
                pass

    def extract_to(self, folder: Path) -> Path:
        """Unpack every checked entry under ``folder`` (created, must not exist); all or nothing."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=False)
        root = folder.resolve()
        try:
            for name in self.manifest.entries:
                target = (root / name).resolve()
                if root not in target.parents:  # never, after entry_name_problem; checked again where it matters
                    raise DataError("{name} holds an entry whose path would leave the project folder or is not one "
                                    "this app writes ({entry}); nothing was opened.", name=self.file_name, entry=name)
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "xb") as out:
                    for block in self._verified_chunks(name):
                        out.write(block)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder
