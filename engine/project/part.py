"""How a domain contributes its part of a project: a ``PartProvider`` of plain functions.

``collect(session, context)`` returns a ``PartOut`` (JSON data and the files to embed) or None when
the domain has nothing to keep; ``restore(part, context)`` returns a ``Restored``: what to put in
the session, objects the GUI hands to its workspace (a loaded model, a comparison), and notices.
``check(part)`` (optional) looks deeper than checksums for ``deepmine project check``, writing
nothing; ``problems(part)`` (optional) names what opening would change or leave out although the
file is sound (check exits 2 on any). The providers are listed in ``engine.workbench``; this
package never imports a domain.

Plain data crosses as JSON only: ``to_plain`` / ``from_plain`` carry NumPy arrays (numeric dtypes
only, never object arrays) and datetimes as tagged values.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.i18n import t
from engine.core.session import Session

_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
           "float64"}
MAX_ARRAY_ITEMS = 50_000_000


@dataclass
class ProjectContext:
    """What the caller knows beyond the session: objects its workspaces hold (``extras``, e.g. the
    files of the digit model on the canvas) and options (``embed_tables``)."""

    extras: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class PartOut:
    data: dict[str, Any]  # written as parts/<key>/part.json
    files: dict[str, Path | bytes] = field(default_factory=dict)  # name inside the part's folder → content
    summary: str = ""  # one line for `deepmine project info` (already translated)


@dataclass
class PartIn:
    """A part as read back: its JSON, and its files (checked against the manifest)."""

    key: str
    version: int
    data: dict[str, Any]
    names: list[str]  # the part's file names (besides part.json)
    reader: Callable[[str], bytes]  # name → checked bytes
    folder: Path | None = None  # where the part was unpacked (restore only)
    memo: dict[str, Any] = field(default_factory=dict)  # a provider's findings on this reading, shared by its
    # check and problems (e.g. a referenced file's checksum: computed once)

    def read(self, name: str) -> bytes:
        return self.reader(name)

    def path(self, name: str) -> Path:
        if self.folder is None or name not in self.names:
            raise KeyError(name)
        return self.folder / name


@dataclass
class Restored:
    key: str
    session: dict[str, Any] = field(default_factory=dict)  # Session attribute → value
    objects: dict[str, Any] = field(default_factory=dict)  # for the GUI's workspaces
    notices: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class PartProvider:
    key: str
    version: int
    collect: Callable[[Session, ProjectContext], PartOut | None]
    restore: Callable[[PartIn, ProjectContext], Restored]
    check: Callable[[PartIn], str] | None = None  # returns the part's one-line summary; raises DataError
    # what opening would leave out although the file is sound (a referenced table moved): one line each
    problems: Callable[[PartIn], list[str]] | None = None


# --- plain data -------------------------------------------------------------------------------
def to_plain(value: Any) -> Any:
    """JSON-ready data: NumPy arrays and scalars, datetimes and tuples converted; other objects refused."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.name not in _DTYPES:
            raise TypeError(f"array of {value.dtype}")
        array = np.ascontiguousarray(value)
        return {"__ndarray__": base64.b64encode(array.tobytes()).decode("ascii"), "dtype": array.dtype.name,
                "shape": list(array.shape)}
    if isinstance(value, np.generic):
        return to_plain(value.item())
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    raise TypeError(type(value).__name__)


def from_plain(value: Any) -> Any:
    """The inverse of ``to_plain``; a malformed tagged value, or nesting deeper than Python's stack
    (a hand-made file), raises ``ValueError`` with a sentence a person can read."""
    try:
        return _from_plain(value)
    except RecursionError as exc:
        raise ValueError(t("it is nested too deeply")) from exc


def _from_plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_from_plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        dtype, shape = value.get("dtype"), value.get("shape")
        if dtype not in _DTYPES or not isinstance(shape, list) or not all(isinstance(n, int) and n >= 0 for n in shape):
            raise ValueError(t("a stored array is damaged"))
        if math.prod(shape) > MAX_ARRAY_ITEMS:
            raise ValueError(t("a stored array is larger than a project may hold"))
        try:
            raw = base64.b64decode(str(value["__ndarray__"]), validate=True)
            return np.frombuffer(raw, dtype=np.dtype(dtype)).reshape(shape).copy()
        except ValueError as exc:  # bad base64, or bytes that do not fill the shape
            raise ValueError(t("a stored array is damaged")) from exc
    if "__datetime__" in value:
        try:
            return datetime.fromisoformat(str(value["__datetime__"]))
        except ValueError as exc:
            raise ValueError(t("a stored date is damaged")) from exc
    if "__float__" in value:
        text = str(value["__float__"])
        if text not in ("nan", "inf", "-inf"):
            raise ValueError(t("a stored number is damaged"))
        return float(text)
    return {k: _from_plain(v) for k, v in value.items()}


def _wrong(where: str) -> TypeError:
    if where:
        return TypeError(t("the field {field} is missing or not what the app writes there", field=where[:80]))
    return TypeError(t("a value is not what the app writes there"))


def _inside(where: str, name: Any) -> str:
    name = str(name)[:40]
    return f"{where}.{name}" if where else name


def build(kind: Any, value: Any, where: str = "") -> Any:
    """``value`` (from ``from_plain``) as an instance of the annotated type ``kind``: dataclasses,
    lists, tuples, dicts, optionals and plain scalars, each checked; anything else raises ``TypeError``
    naming the field (``where``: the path to ``value``, for the message)."""
    try:
        return _build(kind, value, where)
    except RecursionError as exc:
        raise ValueError(t("it is nested too deeply")) from exc


def _build(kind: Any, value: Any, where: str) -> Any:
    import dataclasses
    import types
    import typing

    if kind is Any or kind is object:
        return value
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for option in (a for a in args if a is not type(None)):
            try:
                return _build(option, value, where)
            except (TypeError, ValueError):
                continue
        raise _wrong(where)
    if dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise _wrong(where)
        hints = typing.get_type_hints(kind)
        fields = [f for f in dataclasses.fields(kind) if f.init and not f.name.startswith("_")]
        for f in fields:
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and f.name not in value:
                raise _wrong(_inside(where, f.name))
        return kind(**{f.name: _build(hints[f.name], value[f.name], _inside(where, f.name)) for f in fields
                       if f.name in value})
    if origin is list:
        if not isinstance(value, list):
            raise _wrong(where)
        return [_build(args[0] if args else Any, v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise _wrong(where)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise _wrong(where)
        return tuple(_build(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
    if origin is dict:
        if not isinstance(value, dict):
            raise _wrong(where)
        key_type, value_type = args if args else (str, Any)
        return {_build(key_type, k, where): _build(value_type, v, _inside(where, k)) for k, v in value.items()}
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _wrong(where)
        return float(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong(where)
        return value
    if kind in (str, bool, np.ndarray, datetime):
        if not isinstance(value, kind):
            raise _wrong(where)
        return value
    raise TypeError(f"cannot rebuild {kind}")  # a provider's bug (an annotation build does not know), not the file's


def plain_dataclass(value: Any) -> Any:
    """A dataclass (nested ones too) as ``to_plain`` data."""
    import dataclasses

    return to_plain(dataclasses.asdict(value))
