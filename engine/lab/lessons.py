"""Lesson files for teachers: a lab preset, which controls are locked or hidden, and a short
instruction in English and Chinese (in the spirit of TensorFlow Playground's URL parameters).

A lesson is JSON read with hard limits (size, text lengths, known keys only) and its preset goes
through the same checks as the person's own network: a hostile file (an unknown layer, absurd
sizes, a network of gigabytes) is refused with one line before anything is built or trained.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.core.errors import DataError, InputError
from engine.core.i18n import normalize
from engine.lab.experiments import EXPERIMENTS
from engine.lab.recipe import RECIPE_FIELDS, LabRecipe, recipe_from_dict

FORMAT = 1
MAX_FILE_BYTES = 256 * 1024
MAX_TEXT = 4000
LANGUAGES = ("en", "zh_CN")
CONTROLS = RECIPE_FIELDS  # what a lesson may lock or hide: each of the recipe's settings
KEYS = {"format", "id", "title", "instructions", "experiment", "preset", "locked", "hidden"}


@dataclass(frozen=True)
class Lesson:
    id: str
    title: dict[str, str]
    instructions: dict[str, str]
    recipe: LabRecipe
    experiment: str | None = None
    locked: frozenset[str] = field(default_factory=frozenset)
    hidden: frozenset[str] = field(default_factory=frozenset)

    def text(self, which: str, lang: str) -> str:
        """The title or instructions in ``lang``, English when the lesson has no translation."""
        texts = self.title if which == "title" else self.instructions
        return texts.get(normalize(lang)) or texts["en"]


def lessons_dir() -> Path:
    """``assets/lessons`` in a checkout, or inside the frozen bundle."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parents[2]
    return root / "assets" / "lessons"


def _texts(raw: Any, name: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("en"), str) or not raw["en"].strip():
        raise InputError("The lesson's {field} needs an English text (\"en\").", field=name)
    unknown = sorted(set(raw) - set(LANGUAGES))
    if unknown:
        raise InputError("The lesson's {field} has an unknown language {language}; use en or zh_CN.", field=name,
                         language=str(unknown[0])[:20])
    for lang, text in raw.items():
        if not isinstance(text, str) or len(text) > MAX_TEXT:
            raise InputError("The lesson's {field} ({language}) must be a text of at most {n} characters.", field=name,
                             language=lang, n=MAX_TEXT)
    return dict(raw)


def _controls(raw: Any, name: str) -> frozenset[str]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise InputError("The lesson's {field} must be a list of control names.", field=name)
    unknown = sorted(set(raw) - set(CONTROLS))
    if unknown:
        raise InputError("The lesson's {field} names an unknown control {control}; the controls are {names}.",
                         field=name, control=unknown[0][:40], names=", ".join(CONTROLS))
    return frozenset(raw)


def lesson_from_dict(raw: Any) -> Lesson:
    """A lesson from its JSON form, checked completely, or ``InputError`` with the first problem."""
    if not isinstance(raw, dict):
        raise InputError("A lesson file must hold one JSON object.")
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise InputError("The lesson has an unknown entry {name}.", name=str(unknown[0])[:40])
    if raw.get("format") != FORMAT:
        raise InputError("This lesson is in format {found}; this version of the app reads format {wanted}.",
                         found=str(raw.get("format"))[:20], wanted=FORMAT)
    lesson_id = raw.get("id")
    if not isinstance(lesson_id, str) or not lesson_id.replace("_", "").replace("-", "").isalnum() or len(lesson_id) > 40:
        raise InputError("The lesson needs an id of letters, digits, - or _ (at most 40).")
    experiment = raw.get("experiment")
    if experiment is not None and experiment not in EXPERIMENTS:
        raise InputError("The lesson names an unknown experiment {name}; the lab has {names}.", name=str(experiment)[:40],
                         names=", ".join(EXPERIMENTS))
    if "preset" not in raw:
        raise InputError("The lesson needs a preset (the lab settings it opens with).")
    return Lesson(lesson_id, _texts(raw.get("title"), "title"), _texts(raw.get("instructions"), "instructions"),
                  recipe_from_dict(raw["preset"]), experiment, _controls(raw.get("locked"), "locked"),
                  _controls(raw.get("hidden"), "hidden"))


def read_lesson(path: str | Path) -> Lesson:
    """A lesson file, refused with one line (naming the file) when it is not a usable lesson."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError("{name} is {kb} kB; a lesson file is at most {limit} kB.", name=path.name,
                            kb=size // 1024, limit=MAX_FILE_BYTES // 1024)
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataError("The lesson {name} cannot be read ({reason}).", name=path.name, reason=exc.strerror or exc) \
            from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError("{name} is not a lesson file: it is not valid JSON ({reason}).", name=path.name,
                        reason=str(exc)[:80]) from exc
    try:
        return lesson_from_dict(raw)
    except InputError as exc:
        raise DataError("{name}: {reason}", name=path.name, reason=str(exc)) from exc


def shipped_lessons() -> list[Lesson]:
    """The lessons that come with the app (the four guided experiments), in file-name order."""
    return [read_lesson(p) for p in sorted(lessons_dir().glob("*.json"))]
