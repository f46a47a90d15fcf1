"""The Lab's part: ``session.lab`` as it is (the runs and the guided experiments), when it is plain
data: numbers, text, lists, dicts and numeric arrays. Anything else is left out, and said so."""

from __future__ import annotations

from engine.core.i18n import t
from engine.core.session import Session
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, from_plain, to_plain

KEY, VERSION = "lab", 1


def collect(session: Session, context: ProjectContext) -> PartOut | None:
    lab = session.lab
    if not isinstance(lab, dict) or not (lab.get("runs") or lab.get("experiments")):
        return None
    try:
        plain = to_plain(lab)
    except TypeError:  # something that is not plain data: the lab's results are not kept
        return None
    return PartOut({"lab": plain}, summary=_summary(lab))


def _summary(lab: dict) -> str:
    return t("{runs} lab runs, {experiments} guided experiments", runs=len(lab.get("runs") or []),
             experiments=len(lab.get("experiments") or {}))


def _lab(part: PartIn) -> dict:
    lab = from_plain(part.data["lab"])
    if not isinstance(lab, dict) or not isinstance(lab.get("runs", []), list) or \
            not isinstance(lab.get("experiments", {}), dict):
        raise ValueError("lab")
    lab.setdefault("runs", [])
    lab.setdefault("experiments", {})
    return lab


def check(part: PartIn) -> str:
    return _summary(_lab(part))


def restore(part: PartIn, context: ProjectContext) -> Restored:
    lab = _lab(part)
    return Restored(KEY, session={"lab": lab}, objects={"lab": lab}, summary=_summary(lab))


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check)
