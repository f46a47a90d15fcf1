"""Whether the window's project changed since it was saved or opened: the title's ``*``, the close
prompt and the autosave all compare ``signature()`` with the one taken then.

The signature holds what a save would keep, in a few numbers and digests: the session's records,
and what the workspaces hold beyond it: the house lab's settings with the form's values, and the
network being built in the Lab. What the app changes by itself is no change of the person's: the
house form is counted from the moment the house models are there (it fills with the typical house
or the project's values then), and the Lab's network only once it differs from the default.
``Changes`` is a part of ``gui.common.project_actions.ProjectActions``.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

HOUSE_AT, LAB_AT = -2, -1  # where the workspaces' digests sit in the signature


def digest(value: Any) -> str:
    """A short fingerprint of plain data (dict order does not matter)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _default_recipe() -> str:
    from engine.lab.recipe import LabRecipe

    return digest(LabRecipe().to_dict())


class Changes:
    """Mixed into ``ProjectActions``: uses its ``window``, ``session``, ``_baseline``, ``_autosaved``
    and ``update_title``."""

    def signature(self) -> tuple:
        """What a save would keep, in a few numbers: differs from the saved one = unsaved changes."""
        s = self.session
        info = s.digit_model
        model = None if info is None or info.card is not None else (info.cache_key, info.created)
        lab = s.lab if isinstance(s.lab, dict) else {}
        houses = s.house_models  # retrained on open with the same settings: compared by what they are
        house_models = (houses.provenance.sha256, repr(sorted(houses.params.items()))) if houses and s.houses else None
        return (len(s.digits), sum(d.corrected_label is not None for d in s.digits), model, len(s.houses),
                house_models, id(s.compare),
                len(lab.get("runs", [])), len(lab.get("experiments", {})), len(s.tables),
                self._house_digest(), self._lab_digest())

    def is_modified(self) -> bool:
        return self.signature() != self._baseline

    def _house_digest(self) -> str | None:
        """The house lab's settings and the form's values (``house_form`` of a save); None until the
        house models are there (before them the form holds nothing a save keeps)."""
        tab = self.window.house_tab
        if tab is None or tab.models is None:
            return None
        info = self.session.house_models  # the features the saved form holds, before and after a retrain
        features = info.features if info is not None else tab.models.features
        return digest([tab.lab.lab_settings(), tab.form.values(features)])

    def _lab_digest(self) -> str | None:
        """The network being built in the Lab (``lab_recipe`` of a save); None while it is the default one."""
        tab = self.window.lab_tab
        if tab is None:
            return None
        recipe = digest(tab.steps.recipe_dict())
        return None if recipe == _default_recipe() else recipe

    def _watch_workspaces(self) -> None:
        house_tab = self.window.house_tab
        if house_tab is not None:
            house_tab.modelsReady.connect(self._house_models_ready)

    def _house_models_ready(self) -> None:
        """The house models arrived (the start-up training, or the retrain after opening a project): the
        form they filled is where the person starts, not a change of theirs."""
        now = self.signature()[HOUSE_AT]
        for name in ("_baseline", "_autosaved"):
            old = getattr(self, name)
            if old and old[HOUSE_AT] is None:
                setattr(self, name, old[:HOUSE_AT] + (now,) + old[LAB_AT:])
        self.update_title()
