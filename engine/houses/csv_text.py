"""The text of a person's CSV file and its rows: bytes read with a limit (files, pipes, devices),
the encoding (UTF-8, GBK, UTF-16 as Excel's "Unicode text" saves it) and the line ends (CR-only
files from old Macs) made plain, the delimiter and the decimal mark told from the file itself.

Kept apart from ``engine.houses.csv_io`` (which turns the rows into houses), so each stays short.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from engine.core.bounded_read import read_bytes_limited
from engine.core.errors import DataError
from engine.houses.validation import decimal_mark as _mark

MAX_BYTES = 64 * 1024 * 1024
DETECT_ROWS = 2000  # rows looked at to tell decimal points from decimal commas


def decode_text(path: Path) -> str:
    """The file's text, read with a byte limit (files, pipes, devices alike), with its line ends
    made line feeds: UTF-8, GBK or UTF-16 (with a byte-order mark, as Excel's "Unicode text" saves)."""
    if path.is_dir():
        raise DataError("{name} is a folder, not a CSV file.", name=str(path))
    raw = read_bytes_limited(path, MAX_BYTES)
    text = _utf16(raw, path)
    if text is None:
        if b"\x00" in raw[:65536]:
            raise DataError("{name} is not a text CSV file (it contains binary data).", name=str(path))
        for encoding in ("utf-8-sig", "gbk"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DataError("{name} is not UTF-8, UTF-16 or GBK text; save it as UTF-8 CSV.", name=str(path))
    # Old Mac files end their lines with CR alone: read them as lines, not as one line with stray CRs.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _utf16(raw: bytes, path: Path) -> str | None:
    """UTF-16 text (a byte-order mark, or the zero bytes of ASCII written as UTF-16), else None."""
    head = raw[:4096]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif len(head) >= 4 and head[1::2].count(0) > 0.9 * (len(head) // 2) and head[0::2].count(0) == 0:
        encoding = "utf-16-le"
    elif len(head) >= 4 and head[0::2].count(0) > 0.9 * (len(head) // 2) and head[1::2].count(0) == 0:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError("{name} looks like UTF-16 text but is damaged at byte {pos}; save it as UTF-8 CSV.",
                        name=str(path), pos=exc.start) from exc


def delimiter_of(text: str) -> str:
    """From the header line, whose cells are names: decimal commas in the data cannot mislead it."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def csv_reader(text: str, delimiter: str | None = None) -> csv.reader:
    return csv.reader(io.StringIO(text), delimiter=delimiter or delimiter_of(text))


def detect_decimal(text: str, delimiter: str, columns: Sequence[int], path: Path) -> str:
    """"," when the file's numbers use decimal commas, else "."; a file showing both is refused.

    Clear cells decide; only without them, and not in a comma-separated file, do ``1,500``-like ones.
    """
    seen: dict[str, tuple[int, str]] = {}
    reader = csv_reader(text, delimiter)
    try:
        next(reader, None)
        for i, record in enumerate(reader):
            if i >= DETECT_ROWS:
                break
            for c in columns:
                if c < len(record) and (mark := _mark(record[c])) and mark not in seen:
                    seen[mark] = (reader.line_num, record[c].strip())
    except csv.Error:
        return "."  # the main pass reports the broken line
    marks = {m: v for m, v in seen.items() if not m.startswith("~")}
    if not marks and delimiter != ",":  # a quoted "1,500" in a comma file is a thousand; in a ";" file, 1.5
        marks = {m[1:]: v for m, v in seen.items()}
    if len(marks) == 2:
        raise DataError("{name} mixes decimal points (line {dot_line}: {dot}) and decimal commas (line {comma_line}: "
                        "{comma}); say which the file uses with --decimal.", name=str(path), dot_line=marks["."][0],
                        dot=marks["."][1], comma_line=marks[","][0], comma=marks[","][1])
    return "," if "," in marks else "."


def data_records(text: str, delimiter: str, header_len: int, path: Path, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every data row; a row of the wrong width or one too many is refused."""
    reader = csv_reader(text, delimiter)
    n = 0
    try:
        next(reader, None)
        for record in reader:
            if not record or all(not c.strip() for c in record):
                continue
            if n >= max_rows:
                raise DataError("{name} has more than {limit} rows; split it into smaller files.", name=str(path),
                                limit=f"{max_rows:,}")
            if len(record) != header_len:
                raise DataError("Line {line} of {name} has {found} fields, but the header has {expected}.",
                                line=reader.line_num, name=str(path), found=len(record), expected=header_len)
            n += 1
            yield reader.line_num, record
    except csv.Error as exc:
        raise DataError("Line {line} of {name} cannot be read: {reason}", line=reader.line_num, name=str(path),
                        reason=exc) from exc
