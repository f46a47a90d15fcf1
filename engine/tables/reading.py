"""Opening any table a person brings: CSV/TSV/TXT, Excel (.xlsx/.xls/.ods) and Parquet.

Text files are decoded as UTF-8 (with or without BOM), UTF-16 (BOM or its zero bytes) or
GB18030 (a superset of GBK); the delimiter is taken from the header line; the decimal mark is
detected from the numbers (or given). Cells are parsed by pyarrow as strings and typed by
``coercion`` so every cell that is not taken as written is listed. A broken file is refused with
its line and the reason. Every input is read with a byte limit (``bounded``) before parsing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from engine.core.errors import DataError
from engine.core.i18n import t
from engine.tables.bounded import read_limited
from engine.tables.coercion import coerce_frame
from engine.tables.table import NUMBER, TEXT, DATE, CellChange, Table

MAX_BYTES = 256 * 2**20
MAX_CELLS = 30_000_000
DETECT_LINES = 2000
DELIMITERS = (",", ";", "\t", "|")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", ".dat")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
PARQUET_SUFFIXES = (".parquet", ".pq")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030")


@dataclass(frozen=True)
class ReadOptions:
    """What the person may say instead of letting the reader detect it."""

    decimal: str | None = None  # "." or ","
    encoding: str | None = None  # one of ENCODINGS
    delimiter: str | None = None
    sheet: str | int | None = None  # spreadsheet sheet (default: the first)
    max_bytes: int = MAX_BYTES


def read_table(path: str | os.PathLike[str], options: ReadOptions | None = None) -> Table:
    """The table in ``path``, typed, with every changed cell listed; ``DataError`` when it cannot be read."""
    options = options or ReadOptions()
    if options.decimal not in (None, ".", ","):
        raise DataError("The decimal mark must be . or , (not {value!r}).", value=options.decimal)
    path = Path(path)
    raw = read_limited(path, options.max_bytes)
    name = path.name or str(path)
    if not raw.strip():
        raise DataError("{name} is empty.", name=name)
    kind = _format(path, raw)
    if kind == "parquet":
        table = _read_parquet(raw, name)
    elif kind == "excel":
        table = _read_excel(raw, name, options)
    else:
        table = _read_text(raw, name, options)
    table.source["path"] = str(path.resolve())  # the same file from any working folder (projects refer to it)
    # what the file held when it was read: a project that refers to it checks these before using it again
    table.source["sha256"], table.source["size"] = hashlib.sha256(raw).hexdigest(), len(raw)
    if table.rows == 0:
        raise DataError("{name} has a header but no rows of data.", name=name)
    if table.rows * max(1, len(table.columns)) > MAX_CELLS:
        raise DataError("{name} has {cells} cells; the most a table may have here is {limit}.", name=name,
                        cells=f"{table.rows * len(table.columns):,}", limit=f"{MAX_CELLS:,}")
    return table


def _format(path: Path, raw: bytes) -> str:
    suffix = path.suffix.lower()
    if raw[:4] == b"PAR1" or suffix in PARQUET_SUFFIXES:
        return "parquet"
    if raw[:4] == b"PK\x03\x04" or raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix in EXCEL_SUFFIXES:
        return "excel"
    return "text"


# --- text files ------------------------------------------------------------------------------------------
def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). UTF-8 first, then UTF-16 by its BOM or zero bytes, then GB18030."""
    if encoding is not None:
        if encoding not in ENCODINGS:
            raise DataError("Unknown text encoding {value!r}; use one of {choices}.", value=encoding,
                            choices=", ".join(ENCODINGS))
        return _strict(raw, encoding, name), encoding
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _strict(raw, "utf-16", name), "utf-16"
    if raw[:3] == b"\xef\xbb\xbf":
        return _strict(raw, "utf-8-sig", name), "utf-8-sig"
    head = raw[:4096]
    zeros = head.count(0)
    if zeros:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if zeros > len(head) // 4 and (odd == 0 or even == 0):
            return _strict(raw, "utf-16-le" if odd else "utf-16-be", name), "utf-16"
        raise DataError("{name} is not a text table (it contains binary data).", name=name)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _strict(raw, "gb18030", name), "gb18030"


def _strict(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise DataError("Line {line} of {name} is not {encoding} text (byte {byte}); say the file's encoding with "
                        "--encoding.", line=line, name=name, encoding=encoding.upper(),
                        byte=f"0x{raw[exc.start]:02x}") from exc


def _read_text(raw: bytes, name: str, options: ReadOptions) -> Table:
    data, encoding = _utf8_data(raw, name, options.encoding)
    head_lines = bytes(data[:4_000_000]).decode("utf-8", "ignore").splitlines()[:DETECT_LINES + 1]
    delimiter = options.delimiter or _delimiter(head_lines[0] if head_lines else "", name)
    header = _header(head_lines[0] if head_lines else "", delimiter, name)
    decimal = options.decimal or _detect_decimal(head_lines[1:], delimiter)
    cells = _parse_cells(data, header, delimiter, name)
    record_lines = _LineMap(data, delimiter)
    changes: list[CellChange] = []
    counts: dict[str, int] = {}
    frame, kinds = coerce_frame(cells, decimal, record_lines, changes, counts)
    del cells
    lines = record_lines.array() if changes else None
    return Table(name, frame, kinds, {"format": "text", "encoding": encoding, "delimiter": delimiter,
                                      "decimal": decimal}, changes, counts, "line", lines, 2)


def _utf8_data(raw: bytes, name: str, encoding: str | None) -> tuple[memoryview, str]:
    """The file as UTF-8 bytes without its BOM, and the encoding it was read as (``decode``'s rules).

    A UTF-8 file (most of them) is checked in pieces and then parsed from its own bytes: no second and
    third copy of the whole text (a decoded ``str`` and its re-encoding) is ever in memory at once."""
    if encoding in (None, "utf-8", "utf-8-sig") and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        has_bom = raw[:3] == b"\xef\xbb\xbf"
        head = raw[:4096]
        if encoding is not None or has_bom or not head.count(0):
            used = encoding or ("utf-8-sig" if has_bom else "utf-8")
            if _is_utf8(raw):
                view = memoryview(raw)
                while view[:3] == b"\xef\xbb\xbf":
                    view = view[3:]
                return view, used
            if encoding is not None or has_bom:
                _strict(raw, used, name)  # raises with the line and byte
    text, used = decode(raw, name, encoding)
    return memoryview(text.lstrip("\ufeff").encode("utf-8")), used


def _is_utf8(raw: bytes, piece: int = 1 << 22) -> bool:
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), piece):
            decoder.decode(view[start:start + piece], final=start + piece >= len(raw))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(first_line: str, name: str) -> str:
    """From the header line, whose cells are names: decimal commas in the data cannot mislead it."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best]:
        return best
    return ","  # one column


def _header(first_line: str, delimiter: str, name: str) -> list[str]:
    try:
        names = next(csv.reader([first_line], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise DataError("Line 1 of {name} cannot be read as a header: {reason}", name=name, reason=exc) from exc
    names = [n.strip() for n in names]
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        if not n:
            raise DataError("Line 1 of {name}: column {index} has no name; give every column a name in the header.",
                            name=name, index=i + 1)
        if n in seen:
            raise DataError("Line 1 of {name}: two columns are named {column}; rename one.", name=name, column=n)
        seen[n] = i
    return names


def _detect_decimal(lines: list[str], delimiter: str) -> str:
    """"," when more cells are written 6,5 than 6.5 (a ";" or tab file, usually); else "."."""
    if delimiter == ",":
        return "."  # a decimal comma inside a comma-separated file would have to be quoted: rare
    dots = commas = 0
    dot_re, comma_re = re.compile(r"^\s*[+-]?\d*\.\d+\s*$"), re.compile(r"^\s*[+-]?\d*,\d+\s*$")
    for record in csv.reader(lines, delimiter=delimiter):
        for cell in record:
            if comma_re.match(cell):
                commas += 1
            elif dot_re.match(cell):
                dots += 1
    return "," if commas > dots else "."


class _ArrowCells:
    """pyarrow's columns of strings handed to ``coerce_frame`` one at a time as pandas columns, each
    let go once taken: the whole table of strings is never in memory twice."""

    def __init__(self, arrow, header: list[str]) -> None:  # noqa: ANN001 — a pyarrow.Table
        self.columns = list(header)
        self._rows = arrow.num_rows
        self._arrays = {h: arrow.column(i) for i, h in enumerate(header)}

    def __len__(self) -> int:
        return self._rows

    def __getitem__(self, column: str) -> pd.Series:
        return self._arrays.pop(column).to_pandas()


def _parse_cells(data: memoryview, header: list[str], delimiter: str, name: str) -> _ArrowCells:
    """Every cell as a string, by pyarrow; a row of the wrong width refuses the file with its line."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    keys = [f"c{i}" for i in range(len(header))]
    bad: list[str] = []

    def invalid(row) -> str:  # noqa: ANN001 — pyarrow's InvalidRow
        bad.append(row.text)
        return "skip"

    try:
        arrow = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(column_names=keys, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=True,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types={k: pa.string() for k in keys},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid as exc:
        line, reason = _first_broken_line(_text(data), len(header), delimiter)
        raise DataError("Line {line} of {name} cannot be read: {reason}", line=line, name=name,
                        reason=reason or str(exc).splitlines()[0]) from exc
    if bad:
        line, reason = _first_broken_line(_text(data), len(header), delimiter)
        raise DataError("Line {line} of {name} cannot be read: {reason}", line=line, name=name, reason=reason)
    return _ArrowCells(arrow, header)


def _text(data: memoryview) -> str:
    return bytes(data).decode("utf-8")


def _first_broken_line(text: str, width: int, delimiter: str) -> tuple[int, str]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for record in reader:
            if record and len(record) != width and not (len(record) == 1 and not record[0].strip()):
                return reader.line_num, t("it has {found} fields, but the header has {expected}",
                                          found=len(record), expected=width)
    except csv.Error as exc:
        return reader.line_num, str(exc)
    return 0, ""


class _LineMap:
    """The line each record starts on, computed only when a changed cell must be located."""

    def __init__(self, data: memoryview, delimiter: str) -> None:
        self._data, self._delimiter, self._lines = data, delimiter, None

    def array(self) -> np.ndarray:
        if self._lines is None:
            self._lines = _record_lines(self._data, self._delimiter)
            self._data = memoryview(b"")
        return self._lines

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        lines = self.array()
        return lines[np.clip(rows, 0, len(lines) - 1)] if len(lines) else rows + 2


def _record_lines(data: memoryview, delimiter: str) -> np.ndarray:
    raw = bytes(data)
    if b'"' not in raw:  # no quoted line breaks: every non-empty line after the header is a record
        lengths = np.fromiter((len(s.rstrip(b"\r")) for s in raw.split(b"\n")), dtype=np.int64)
        numbers = np.flatnonzero(lengths) + 1
        return numbers[numbers > 1].astype(np.int64)
    starts, end = [], 0
    reader = csv.reader(io.StringIO(raw.decode("utf-8")), delimiter=delimiter)
    for record in reader:
        start, end = end + 1, reader.line_num
        if record and start > 1:
            starts.append(start)
    return np.asarray(starts, dtype=np.int64)


# --- spreadsheets and Parquet ---------------------------------------------------------------------------
def _read_excel(raw: bytes, name: str, options: ReadOptions) -> Table:
    try:
        book = pd.read_excel(io.BytesIO(raw), sheet_name=options.sheet if options.sheet is not None else 0,
                             engine="calamine", header=None, dtype=object)
    except ImportError:  # pragma: no cover — python-calamine is a dependency; openpyxl reads .xlsx too
        book = pd.read_excel(io.BytesIO(raw), sheet_name=options.sheet or 0, header=None, dtype=object)
    except (ValueError, KeyError) as exc:
        raise DataError("{name} cannot be read as a spreadsheet: {reason}", name=name,
                        reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    except Exception as exc:  # noqa: BLE001 — calamine's own errors: a damaged or password-protected file
        raise DataError("{name} cannot be read as a spreadsheet: {reason}", name=name,
                        reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    book = book.dropna(how="all")  # calamine starts at the first used row; blank rows carry no data
    if book.empty:
        raise DataError("{name} is empty.", name=name)
    sheet_rows = book.index.to_numpy() + 1
    header = _header_cells([_cell_text(v) for v in book.iloc[0].tolist()], name, int(sheet_rows[0]))
    body = book.iloc[1:]
    cells = pd.DataFrame({h: [_cell_text(v) for v in body.iloc[:, i].tolist()] for i, h in enumerate(header)},
                         dtype=str)
    lines = sheet_rows[1:].astype(np.int64)
    changes: list[CellChange] = []
    counts: dict[str, int] = {}
    frame, kinds = coerce_frame(cells, options.decimal or ".", lambda rows: lines[rows], changes, counts)
    return Table(name, frame, kinds, {"format": "spreadsheet", "sheet": options.sheet or 0}, changes, counts,
                 "row", lines, 2)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") and (value.hour or value.minute) else \
            value.strftime("%Y-%m-%d")
    return str(value)


def _header_cells(names: list[str], name: str, row: int) -> list[str]:
    names = [n.strip() for n in names]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    for i, n in enumerate(names):
        if not n:
            raise DataError("Row {row} of {name}: column {index} has no name; give every column a name in the "
                            "header.", row=row, name=name, index=i + 1)
        if n in seen:
            raise DataError("Row {row} of {name}: two columns are named {column}; rename one.", row=row, name=name,
                            column=n)
        seen.add(n)
    return names


def _read_parquet(raw: bytes, name: str) -> Table:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(pa.BufferReader(raw))
    except (pa.ArrowException, OSError) as exc:
        raise DataError("{name} cannot be read as Parquet: {reason}", name=name,
                        reason=str(exc).splitlines()[0]) from exc
    frame = arrow.to_pandas()
    out, kinds = {}, {}
    for column in frame.columns:
        values = frame[column]
        key = str(column)
        if pd.api.types.is_bool_dtype(values) or pd.api.types.is_numeric_dtype(values):
            out[key], kinds[key] = values.astype("float64").to_numpy(), NUMBER
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[key], kinds[key] = pd.to_datetime(values).dt.tz_localize(None).to_numpy(), DATE
        else:
            text = values.astype(object).to_numpy()
            text = np.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in text],
                            dtype=object)
            out[key], kinds[key] = text, TEXT
    return Table(name, pd.DataFrame(out), kinds, {"format": "parquet"}, [], {}, "row", None, 1)
