"""Compare's part: the last comparison's every cell and what it was run on (Boston, or the person's
table by name, target, task and metric), as JSON (the same records the cell cache keeps), rebuilt and
validated cell by cell on restore."""

from __future__ import annotations

from typing import Any

from engine.compare.presets import ComparePreset
from engine.compare.results import CompareCell, CompareResult
from engine.core.i18n import t
from engine.core.session import Session
from engine.project.manifest import field_problem
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, build, from_plain, \
    plain_dataclass

KEY, VERSION = "compare", 1


def collect(session: Session, context: ProjectContext) -> PartOut | None:
    result = session.compare
    if not isinstance(result, CompareResult):
        return None
    return PartOut({"result": plain_dataclass(result)}, summary=_summary(result))


def _summary(result: CompareResult) -> str:
    if result.table is not None:  # the table half ran on the person's table: name it
        return t("{n} comparison results (preset {preset}, table {table})", n=len(result.cells),
                 preset=result.preset.name, table=result.table.label)
    return t("{n} comparison results (preset {preset})", n=len(result.cells), preset=result.preset.name)


def _result(part: PartIn) -> CompareResult:
    import typing
    from dataclasses import fields

    raw: dict[str, Any] = from_plain(part.data["result"])
    if not isinstance(raw, dict):
        raise ValueError(field_problem("result"))
    cells = [CompareCell.from_dict(c) for c in raw.get("cells", [])]  # each validated as the cell cache does
    preset = build(ComparePreset, raw["preset"], "preset")
    hints = typing.get_type_hints(CompareResult)
    rest = {f.name: build(hints[f.name], raw[f.name], f.name) for f in fields(CompareResult)
            if f.name not in ("preset", "cells") and f.name in raw}
    return CompareResult(preset, cells, **rest)


def check(part: PartIn) -> str:
    return _summary(_result(part))


def restore(part: PartIn, context: ProjectContext) -> Restored:
    result = _result(part)
    return Restored(KEY, session={"compare": result}, objects={"compare": result}, summary=_summary(result))


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check)
