"""The house workspace's part: its model settings and cross-validated results, the values in its
form (``context.extras["house_form"]``) and the houses the person priced (plain records; the models
themselves are retrained from Boston in milliseconds, by the workspace, with the saved settings)."""

from __future__ import annotations

import math

from engine.core.i18n import t
from engine.core.results import HouseModelsInfo
from engine.core.session import PricedHouse, Session
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, build, from_plain, \
    plain_dataclass

KEY, VERSION = "houses", 1
SETTINGS = {"max_depth": int, "min_samples_leaf": int, "drop_b": bool}  # what the workspace's lab sets
MAX_FORM_VALUES = 200


def collect(session: Session, context: ProjectContext) -> PartOut | None:
    if session.house_models is None and not session.houses:
        return None
    models = session.house_models
    form = context.extras.get("house_form")
    data = {"settings": dict(models.params) if models else {}, "models": plain_dataclass(models) if models else None,
            "priced": [plain_dataclass(h) for h in list(session.houses)],
            "form": _form(form) if isinstance(form, dict) else {}}
    return PartOut(data, summary=_summary(len(session.houses)))


def _summary(n: int) -> str:
    return t("house models' settings; {n} priced houses", n=n)


def _records(part: PartIn) -> tuple[HouseModelsInfo | None, list[PricedHouse]]:
    raw = from_plain(part.data)
    models = build(HouseModelsInfo, raw["models"]) if raw.get("models") is not None else None
    return models, [build(PricedHouse, h) for h in raw.get("priced", [])]


def _form(values: dict) -> dict[str, float]:
    """Finite numbers by feature name only (a form holds nothing else)."""
    return {str(k)[:40]: float(v) for k, v in list(values.items())[:MAX_FORM_VALUES]
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}


def _settings(part: PartIn) -> dict:
    """The lab's settings, each of the type the workspace's controls take (others are left out)."""
    raw = part.data.get("settings") if isinstance(part.data.get("settings"), dict) else {}
    out = {}
    for name, kind in SETTINGS.items():
        value = raw.get(name)
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            out[name] = value
    return out


def check(part: PartIn) -> str:
    return _summary(len(_records(part)[1]))


def restore(part: PartIn, context: ProjectContext) -> Restored:
    models, priced = _records(part)
    form = part.data.get("form")
    return Restored(KEY, session={"house_models": models, "houses": priced},
                    objects={"house_settings": _settings(part), "house_form": _form(form if isinstance(form, dict)
                                                                                    else {})},
                    summary=_summary(len(priced)))


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check)
