"""The house workspace's part: its model settings and cross-validated results, the values in its
form (``context.extras["house_form"]``) and the houses the person priced (plain records; the models
themselves are retrained from Boston in milliseconds, by the workspace, with the saved settings).

Settings and form values reach spin boxes: each is checked against what the workspace offers
(``engine.houses.models.LAB_RANGES``, ``engine.houses.boston.PHYSICAL_BOUNDS``). One outside is
brought to the nearest value the app takes, one of the wrong kind is left out, and each change is
named in one notice (and by ``deepmine project check``): nothing is changed silently.
"""

from __future__ import annotations

import math
from typing import Any

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
            "form": _form(form, [])}
    return PartOut(data, summary=_summary(len(session.houses)))


def _summary(n: int) -> str:
    return t("house models' settings; {n} priced houses", n=n)


def _records(part: PartIn) -> tuple[HouseModelsInfo | None, list[PricedHouse]]:
    raw = from_plain(part.data)
    models = build(HouseModelsInfo, raw["models"], "models") if raw.get("models") is not None else None
    return models, [build(PricedHouse, h, f"priced[{i}]") for i, h in enumerate(raw.get("priced", []))]


def _shown(value: Any) -> str:
    return str(value)[:24]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _form(values: Any, changes: list[str]) -> dict[str, float]:
    """Finite numbers by Boston feature name, each within what the form's input takes (a form holds
    nothing else); what had to change is added to ``changes``."""
    from engine.houses.boston import FEATURE_INFO, PHYSICAL_BOUNDS

    if not isinstance(values, dict):
        return {}
    out: dict[str, float] = {}
    items = list(values.items())
    if len(items) > MAX_FORM_VALUES:
        changes.append(t("{n} form values left out", n=len(items) - MAX_FORM_VALUES))
    for name, value in items[:MAX_FORM_VALUES]:
        name = str(name)
        if name not in PHYSICAL_BOUNDS or not _is_number(value) or not math.isfinite(value):
            changes.append(t("{name} left out", name=_shown(name)))
            continue
        low, high = PHYSICAL_BOUNDS[name]
        used = min(max(float(value), low), high)
        if FEATURE_INFO[name].integer:
            used = float(round(used))
        if used != value:
            changes.append(f"{_shown(name)} {_shown(value)} → {used:g}")
        out[name] = used
    return out


def _settings(part: PartIn, changes: list[str]) -> dict[str, Any]:
    """The lab's settings, each of the type and within the range the workspace's controls take."""
    from engine.houses.models import LAB_RANGES

    raw = part.data.get("settings") if isinstance(part.data.get("settings"), dict) else {}
    out: dict[str, Any] = {}
    for name, kind in SETTINGS.items():
        if name not in raw:
            continue
        value = raw[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            changes.append(t("{name} left out", name=name))
            continue
        if name in LAB_RANGES:
            low, high = LAB_RANGES[name]
            if not low <= value <= high:
                used = min(max(value, low), high)
                changes.append(f"{name} {_shown(value)} → {used}")
                value = used
        out[name] = value
    return out


def _changed(changes: list[str]) -> list[str]:
    if not changes:
        return []
    return [t("The house settings and form values of this project were outside what the app accepts; changed: "
              "{changes}.", changes="; ".join(changes))]


def check(part: PartIn) -> str:
    return _summary(len(_records(part)[1]))


def problems(part: PartIn) -> list[str]:
    """Settings or form values opening would change (out of range) or leave out (of the wrong kind)."""
    changes: list[str] = []
    _settings(part, changes)
    _form(part.data.get("form"), changes)
    return _changed(changes)


def restore(part: PartIn, context: ProjectContext) -> Restored:
    models, priced = _records(part)
    changes: list[str] = []
    settings, form = _settings(part, changes), _form(part.data.get("form"), changes)
    return Restored(KEY, session={"house_models": models, "houses": priced},
                    objects={"house_settings": settings, "house_form": form},
                    notices=_changed(changes), summary=_summary(len(priced)))


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check, problems)
