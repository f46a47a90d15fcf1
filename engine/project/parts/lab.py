"""The Lab's part: ``session.lab`` as it is (the runs and the guided experiments), when it is plain
data: numbers, text, lists, dicts and numeric arrays (anything else is left out), and the network
the person was building (``context.extras["lab_recipe"]``, the workspace's recipe as JSON), checked
on restore as a lesson's recipe is. A run or guided experiment the Lab's views could not show
(``lab_records``) is left out and named, as is a recipe that does not check out; ``deepmine project
check`` names them too."""

from __future__ import annotations

from typing import Any

from engine.core.errors import DeepMineError
from engine.core.i18n import t
from engine.core.session import Session
from engine.project.manifest import field_problem
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


def _lab(part: PartIn, notices: list[str]) -> dict | None:
    """``session.lab`` as saved, without the runs and experiments the Lab could not show (named in ``notices``)."""
    from engine.project.parts.lab_records import experiment_problem, run_problem

    if part.data.get("lab") is None:
        return None
    lab = from_plain(part.data["lab"])
    if not isinstance(lab, dict) or not isinstance(lab.get("runs", []), list) or \
            not isinstance(lab.get("experiments", {}), dict):
        raise ValueError(field_problem("lab"))
    runs = [(run, run_problem(run)) for run in lab.get("runs", [])]
    left_out = [problem for _, problem in runs if problem]
    if left_out:
        notices.append(t("{n} lab run(s) of this project were left out: {reason}", n=len(left_out),
                         reason=left_out[0]))
    lab["runs"] = [run for run, problem in runs if problem is None]
    experiments = [(name, result, experiment_problem(name, result)) for name, result in lab.get("experiments",
                                                                                                 {}).items()]
    bad = [(str(name)[:40], problem) for name, _, problem in experiments if problem]
    if bad:
        notices.append(t("{n} guided experiment(s) of this project were left out: {name}: {reason}", n=len(bad),
                         name=bad[0][0], reason=bad[0][1]))
    lab["experiments"] = {name: result for name, result, problem in experiments if problem is None}
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


def _read(part: PartIn) -> tuple[dict | None, Any, list[str]]:
    """The lab's results, the network being built and what was left out of them (one line each)."""
    notices: list[str] = []
    lab = _lab(part, notices)
    return lab, _recipe(part, lab, notices), notices


def check(part: PartIn) -> str:
    return _summary(_read(part)[0] or {})


def problems(part: PartIn) -> list[str]:
    """What opening would leave out: a network that does not check out, runs or experiments the Lab cannot show."""
    return _read(part)[2]


def restore(part: PartIn, context: ProjectContext) -> Restored:
    lab, recipe, notices = _read(part)
    out = Restored(KEY, summary=_summary(lab or {}), notices=notices)
    if lab is not None:
        out.session["lab"] = lab
        out.objects["lab"] = lab
    if recipe is not None:
        out.objects["lab_recipe"] = recipe
    return out


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check, problems)
