"""A mined table's file as a project keeps it: embedded as Parquet, or referenced by path, size and
sha256; read back and checked against the record the project holds (its columns, kinds and rows),
by opening and by `deepmine project check` alike, so check says "opens cleanly" only when opening would.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.errors import DataError
from engine.core.i18n import t
from engine.project.part import PartIn, build, from_plain


def absolute_path(path: Any) -> str:
    """The path as it names the file from any working folder (a project may be opened from another)."""
    return str(Path(str(path)).expanduser().resolve())


def still_as_read(table: Any) -> bool:
    """A file table whose file still holds what was read (else it is embedded: the table in memory is the truth)."""
    source = table.source
    if source.get("format") == "example" or not all(k in source for k in ("path", "sha256", "size")):
        return False
    return file_state(str(source["path"]), source["size"], source["sha256"]) == "same"


def file_state(path: str, size: Any, sha256: Any) -> str:
    """"same", "missing" or "changed": the file at ``path`` against the size and sha256 it had (read only)."""
    import hashlib

    file = Path(path)
    try:
        if not path or not file.is_file():
            return "missing"
        if isinstance(size, bool) or not isinstance(size, int) or file.stat().st_size != size:
            return "changed"
        digest = hashlib.sha256()
        with open(file, "rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError:
        return "missing"
    return "same" if digest.hexdigest() == sha256 else "changed"


def parquet_bytes(table: Any) -> bytes:
    buffer = io.BytesIO()
    table.frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def check_parquet(raw: bytes, record: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from engine.tables.reading import MAX_CELLS

    try:
        meta = pq.read_metadata(pa.BufferReader(raw))
    except (pa.ArrowException, OSError) as exc:
        raise ValueError(t("an embedded table does not match its description")) from exc
    if meta.num_rows != record.get("rows") or meta.num_columns != len(record["columns"]) or \
            meta.num_rows * max(1, meta.num_columns) > MAX_CELLS:
        raise ValueError(t("an embedded table does not match its description"))


def file_states(part: PartIn, tables: list[dict[str, Any]]) -> dict[int, str]:
    """Each referenced table's file against what was saved, looked at once per reading of the part
    (``check`` and ``problems`` both need it: a large file is hashed once)."""
    if "file_states" not in part.memo:
        part.memo["file_states"] = {i: file_state(str(r.get("path", "")), r.get("size"), r.get("sha256"))
                                    for i, r in enumerate(tables) if r["storage"] == "referenced"}
    return part.memo["file_states"]


def load_notices(part: PartIn, tables: list[dict[str, Any]]) -> list[str]:
    """Every table read and checked against its record as opening reads it (``recorded_table``), for `project
    check`, which writes nothing but an embedded table's copy in a temporary folder it removes; the
    notices opening would give beyond the moved or changed files ``problems`` names (read once)."""
    import tempfile

    if "load_notices" not in part.memo:
        notices: list[str] = []
        states = file_states(part, tables)
        with tempfile.TemporaryDirectory(prefix="deepmine-check-") as folder:
            for i, record in enumerate(tables):
                if record["storage"] == "embedded":
                    copy = Path(folder) / f"t{i}.parquet"
                    raw = part.read(record["file"])
                    check_parquet(raw, record)  # its size from its metadata, before any row is read
                    copy.write_bytes(raw)
                    recorded_table(part, record, notices, copy)
                elif states.get(i) == "same":
                    recorded_table(part, record, notices, state="same")
        part.memo["load_notices"] = notices
    return part.memo["load_notices"]


def recorded_table(part: PartIn, record: dict[str, Any], notices: list[str], embedded: Path | None = None,
                   state: str | None = None) -> Any | None:
    """The table a record describes, read and checked against it (opening and `project check` alike);
    None, with a notice, when its referenced file moved or changed. ``embedded``: where the embedded
    table's file is (else the unpacked part's copy, checked here); ``state``: its file's, when known."""
    from engine.tables.reading import ReadOptions, read_table
    from engine.tables.table import CellChange, Table

    source = dict(record.get("source") or {})
    if record["storage"] == "embedded":
        if embedded is None:
            check_parquet(part.read(record["file"]), record)  # its size from its metadata, before any row is read
            embedded = part.path(record["file"])
        read = read_table(embedded)
    else:
        path = str(record.get("path", ""))
        sheet = source.get("sheet")
        options = ReadOptions(decimal=source.get("decimal"), encoding=source.get("encoding"),
                              delimiter=source.get("delimiter"), sheet=sheet if isinstance(sheet, (str, int)) else None)
        state = state or file_state(path, record.get("size"), record.get("sha256"))
        if state == "missing":
            notices.append(t("The table {name} was not found at {path} (moved or deleted); it and its results were "
                             "left out. Open the file again to mine it.", name=record.get("name", "?"), path=path))
            return None
        try:
            read = read_table(path, options) if state == "same" else None
        except DataError:
            read = None
        if read is None or read.source.get("sha256") != record.get("sha256") or \
                read.source.get("size") != record.get("size"):
            notices.append(t("The table {name} at {path} changed since the project was saved (its checksum differs); "
                             "it was not used, and its results were left out.", name=record.get("name", "?"),
                             path=path))
            return None
    kinds = {str(k): str(v) for k, v in record["kinds"].items()}
    if read.columns != [str(c) for c in record["columns"]] or read.kinds != kinds or read.rows != record.get("rows"):
        raise ValueError(t("a table does not match its description"))
    if record["storage"] == "embedded":
        lines = from_plain(record.get("lines"))
        changes = [build(CellChange, c, "changes") for c in record.get("changes", [])]
        counts = build(dict[str, int], record.get("change_counts", {}), "change_counts")
        read = Table(str(record.get("name", read.name)), read.frame, kinds, source, changes, counts,
                     str(record.get("line_label", "line")), lines if isinstance(lines, np.ndarray) else None,
                     int(record.get("first_line", 2)), [str(n) for n in record.get("notes", [])])
    else:
        read.name, read.notes = str(record.get("name", read.name)), [str(n) for n in record.get("notes", [])]
    return read
