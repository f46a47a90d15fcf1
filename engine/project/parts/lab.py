"""The Lab's part: ``session.lab`` as it is (the runs and the guided experiments), when it is plain
data: numbers, text, lists, dicts and numeric arrays (anything else is left out), and the network
the person was building (``context.extras["lab_recipe"]``, the workspace's recipe as JSON), checked
on restore as a lesson's recipe is."""

from __future__ import annotations

from typing import Any

from engine.core.errors import DeepMineError
from engine.core.i18n import t
from engine.core.session import Session
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, from_plain, to_plain

KEY, VERSION = "lab", 1


def collect(session: Session, context: ProjectContext) -> PartOut | None:
    from engine.lab.recipe import LabRecipe

    lab = session.lab
    plain = None
    if isinstance(lab, dict) and (lab.get("runs") or lab.get("experiments")):
        try:
            plain = to_plain(lab)
        except TypeError:  # something that is not plain data: the lab's results are not kept
            plain = None
    recipe = context.extras.get("lab_recipe")
    try:
        recipe = to_plain(recipe) if isinstance(recipe, dict) and recipe != LabRecipe().to_dict() else None
    except TypeError:
        recipe = None
    if plain is None and recipe is None:
        return None
    return PartOut({"lab": plain, "recipe": recipe}, summary=_summary(lab if plain is not None else {}))


def _summary(lab: dict) -> str:
    return t("{runs} lab runs, {experiments} guided experiments", runs=len(lab.get("runs") or []),
             experiments=len(lab.get("experiments") or {}))


def _lab(part: PartIn) -> dict | None:
    if part.data.get("lab") is None:
        return None
    lab = from_plain(part.data["lab"])
    if not isinstance(lab, dict) or not isinstance(lab.get("runs", []), list) or \
            not isinstance(lab.get("experiments", {}), dict):
        raise ValueError("lab")
    lab.setdefault("runs", [])
    lab.setdefault("experiments", {})
    return lab


def _recipe(part: PartIn, lab: dict | None, notices: list[str]) -> Any:
    """The network being built (else the last run's), as a ``LabRecipe``; one that does not check out is
    named and left out."""
    from engine.lab.recipe import recipe_from_dict

    raw = part.data.get("recipe")
    if raw is None and lab and lab["runs"] and isinstance(lab["runs"][-1], dict):
        raw = lab["runs"][-1].get("recipe")
    if raw is None:
        return None
    try:
        return recipe_from_dict(from_plain(raw))
    except (DeepMineError, TypeError, ValueError, KeyError) as exc:
        notices.append(t("The lab network in this project was left out: {reason}", reason=exc))
        return None


def check(part: PartIn) -> str:
    lab = _lab(part)
    _recipe(part, lab, [])
    return _summary(lab or {})


def restore(part: PartIn, context: ProjectContext) -> Restored:
    lab = _lab(part)
    out = Restored(KEY, summary=_summary(lab or {}))
    recipe = _recipe(part, lab, out.notices)
    if lab is not None:
        out.session["lab"] = lab
        out.objects["lab"] = lab
    if recipe is not None:
        out.objects["lab_recipe"] = recipe
    return out


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check)
