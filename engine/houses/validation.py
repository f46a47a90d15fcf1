"""House values a person typed (``RM=6.5``) or wrote in a CSV cell, checked before any work starts.

A wrong value must cost one clear line, not minutes of training followed by a traceback or,
worse, a price for a house that cannot exist. Qt-free: the CLI uses it, the app's form can
use the same rules (and ``PHYSICAL_BOUNDS``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np

from engine.core.errors import InputError
from engine.houses.boston import FEATURE_INFO, FEATURES, PHYSICAL_BOUNDS

FLOAT32_MAX = float(np.finfo(np.float32).max)  # the models compute in float32
# A price (MEDV, in $1000s) a house can have: above nothing, below a billion dollars. The Boston data
# lie within 5–50; a training file outside this holds a typing error (-500, 1e8), not a house.
TARGET_BOUNDS = (0.0, 1_000_000.0)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_COMMA_NUMBER = re.compile(r"[+-]?\d+,\d+")
_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
# cells of a CSV file (engine.houses.csv_io): the decimal mark is the file's, never guessed per cell
MAX_ABS = 1e9
MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "?", "-"}
_DOT_CELL = re.compile(r"[+-]?([1-9]\d{0,2}(,\d{3})+|\d*)(\.\d*)?([eE][+-]?\d+)?")
_COMMA_CELL = re.compile(r"[+-]?([1-9]\d{0,2}(\.\d{3})+|\d*)(,\d*)?([eE][+-]?\d+)?")


def split_pairs(items: Iterable[str]) -> list[tuple[str, str]]:
    """``["RM=6.5", "LSTAT=4"]`` → ``[("RM", "6.5"), ("LSTAT", "4")]``; a malformed item is refused."""
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError("Write features as NAME=VALUE, e.g. RM=6.5 (got {item!r}).", item=item)
        pairs.append((name, value))
    return pairs


def _fmt(value: float) -> str:
    return f"{value:g}"


def parse_value(name: str, text: str) -> float:
    """One typed number: finite, representable in float32, written with a decimal point."""
    s = text.strip()
    if s.lower() in _NOT_FINITE:
        raise InputError("{name} must be a finite number, not {value}.", name=name, value=s)
    if _COMMA_NUMBER.fullmatch(s):
        raise InputError("{name}: write {value} with a decimal point ({suggestion}).", name=name, value=s,
                         suggestion=s.replace(",", "."))
    if not _NUMBER.fullmatch(s):
        raise InputError("{name} must be a number, not {value!r}.", name=name, value=text)
    value = float(s)
    if not math.isfinite(value) or abs(value) > FLOAT32_MAX:
        raise InputError("{name} = {value} is too large to compute with (the limit is about 3.4e38).", name=name,
                         value=s)
    return value


def check_physical(name: str, value: float, text: str | None = None) -> None:
    """Refuse a value no real house can have (negative rooms, CHAS = 2, a share over 100 %)."""
    shown = text.strip() if text is not None else _fmt(value)
    info = FEATURE_INFO.get(name)
    if info is not None and info.choices:
        allowed = [c for c, _ in info.choices]
        if value not in allowed:
            raise InputError("{name} must be {choices}, not {value}.", name=name,
                             choices=" or ".join(_fmt(c) for c in allowed), value=shown)
        return
    low, high = PHYSICAL_BOUNDS.get(name, (-math.inf, math.inf))
    if not low <= value <= high:
        raise InputError("{name} = {value} is impossible; it must be between {low} and {high} {unit}.", name=name,
                         value=shown, low=_fmt(low), high=_fmt(high), unit=info.unit if info else "")
    if info is not None and info.integer and value != int(value):
        raise InputError("{name} must be a whole number, not {value}.", name=name, value=shown)


def validate_house_values(pairs: list[tuple[str, str]], features: Sequence[str] = FEATURES) -> dict[str, float]:
    """Typed (name, value) pairs → {FEATURE: value}, or ``InputError`` naming the first problem.

    Refused: unknown names, a name given twice, text, NaN/inf, numbers float32 cannot hold,
    and values outside ``PHYSICAL_BOUNDS``. Names are case-insensitive.
    """
    values: dict[str, float] = {}
    texts: dict[str, str] = {}
    for raw_name, text in pairs:
        name = raw_name.strip().upper()
        if name not in features:
            raise InputError("Unknown feature {name}; the features are {names}.", name=raw_name.strip(),
                             names=", ".join(features))
        if name in values:
            raise InputError("{name} is given twice ({first} and {second}); give each feature once.", name=name,
                             first=texts[name].strip(), second=text.strip())
        value = parse_value(name, text)
        check_physical(name, value, text)
        values[name], texts[name] = value, text
    return values


def decimal_mark(cell: str) -> str | None:
    """The decimal mark a cell shows: "," (``6,5``, ``1.242,5``) or "." (``6.5``, ``1,242.5``); "~," or
    "~." when it only suggests one (``1,500`` and ``6.575`` also read as thousands); None for neither."""
    s = cell.strip().lstrip("+-")
    if re.fullmatch(r"\d+,\d+", s):
        return "~," if re.fullmatch(r"[1-9]\d{0,2},\d{3}", s) else ","
    if re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+,\d*", s):
        return ","
    if re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+\.\d*", s):
        return "."
    if re.fullmatch(r"\d*\.\d+([eE][+-]?\d+)?", s):
        return "~." if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", s) else "."
    return None


def parse_cell(cell: str, decimal: str = ".") -> tuple[float | None, str | None]:
    """(value, None) for a number; else (None, why): missing, text, formula, decimal, nonfinite or huge."""
    s = cell.strip()
    if s.lower() in MISSING_TOKENS:
        return None, "missing"
    if s.lower() in _NOT_FINITE:
        return None, "nonfinite"
    pattern = _COMMA_CELL if decimal == "," else _DOT_CELL
    if not pattern.fullmatch(s) or not any(ch.isdigit() for ch in s):
        if s[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return None, "formula"
        return None, "decimal" if (decimal_mark(s) or "").lstrip("~") not in ("", decimal) else "text"
    v = float(s.replace(".", "").replace(",", ".") if decimal == "," else s.replace(",", ""))
    if not math.isfinite(v) or abs(v) > MAX_ABS:
        return None, "huge"
    return v, None
