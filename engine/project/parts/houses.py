"""The house workspace's part: its model settings and cross-validated results, and the houses the
person priced (plain records; the models themselves are retrained from Boston in milliseconds)."""

from __future__ import annotations

from engine.core.i18n import t
from engine.core.results import HouseModelsInfo
from engine.core.session import PricedHouse, Session
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, build, from_plain, \
    plain_dataclass

KEY, VERSION = "houses", 1


def collect(session: Session, context: ProjectContext) -> PartOut | None:
    if session.house_models is None and not session.houses:
        return None
    models = session.house_models
    data = {"settings": dict(models.params) if models else {}, "models": plain_dataclass(models) if models else None,
            "priced": [plain_dataclass(h) for h in list(session.houses)]}
    return PartOut(data, summary=_summary(len(session.houses)))


def _summary(n: int) -> str:
    return t("house models' settings; {n} priced houses", n=n)


def _records(part: PartIn) -> tuple[HouseModelsInfo | None, list[PricedHouse]]:
    raw = from_plain(part.data)
    models = build(HouseModelsInfo, raw["models"]) if raw.get("models") is not None else None
    return models, [build(PricedHouse, h) for h in raw.get("priced", [])]


def check(part: PartIn) -> str:
    return _summary(len(_records(part)[1]))


def restore(part: PartIn, context: ProjectContext) -> Restored:
    models, priced = _records(part)
    settings = part.data.get("settings") if isinstance(part.data.get("settings"), dict) else {}
    return Restored(KEY, session={"house_models": models, "houses": priced}, objects={"house_settings": settings},
                    summary=_summary(len(priced)))


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check)
