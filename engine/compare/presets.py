"""What a comparison runs: presets as frozen data, the model names and their labels.

A preset is plain data so a test can build a ``tiny`` one and a cache key can hash it. Only the
hyper-parameters a cell depends on go into that cell's key (``ComparePreset.model_params``), so
the quick and full presets share every cell they have in common.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from engine.core.i18n import N_, get_language, t
from engine.houses.models import MODEL_LABEL_IDS, HouseParams
from engine.tables.settings import ModelSizes

TASKS = ("houses", "digits", "table")  # "table": the person's own table, in place of Boston
DIGIT_MODELS = ("tree", "forest", "boosting", "mlp", "cnn")
HOUSE_MODELS = ("tree", "forest", "boosting", "mlp")
CLASSIC = ("tree", "forest", "boosting")
NETWORKS = ("mlp", "cnn")

# The kind of explanation a model can give: a short key, labelled for people below.
EXPLANATIONS = {"tree": "rule_path", "forest": "feature_importances", "boosting": "feature_importances",
                "mlp": "saliency", "cnn": "saliency"}
EXPLANATION_LABEL_IDS = {"rule_path": N_("rule path"), "feature_importances": N_("feature importances"),
                         "saliency": N_("saliency map")}
# Compare-only labels; the others are the workspaces' own (houses: model_label, digits: arch_label).
HOUSE_MLP_LABEL_ID = N_("neural network (MLP)")
_ARCH_LABEL_IDS = {"cnn": N_("convolutional network (CNN)"), "mlp": N_("classic MLP (the seed model)")}


@dataclass(frozen=True)
class ComparePreset:
    """Sizes, models and hyper-parameters of one comparison run."""

    name: str
    digit_sizes: tuple[int, ...]  # training digits; sizes above what is available are capped
    digits_all: bool  # also train on every training digit available (60,000 with the full MNIST)
    house_sizes: tuple[int, ...]  # training rows per CV fold
    houses_full: bool  # also the full training folds (404 rows of Boston)
    house_repeats: int  # CV repeats for house sizes below the full folds: small sizes are noisy
    digit_models: tuple[str, ...] = DIGIT_MODELS
    house_models: tuple[str, ...] = HOUSE_MODELS
    tree_max_depth: int | None = None  # digits tree; None = grown fully (the textbook 0.886 on MNIST)
    forest_trees: int = 100
    boosting_iter: int = 100
    boosting_lr: float = 0.1
    mlp_epochs: int = 10  # the seed MLP's 10 epochs
    cnn_epochs: int = 6
    min_updates: int = 0  # small training sets get more epochs so every net sees this many batches
    max_epochs: int = 60  # …but never more epochs than this
    house_params: HouseParams = field(default_factory=HouseParams)
    house_mlp_max_epochs: int = 400
    house_mlp_patience: int = 20
    seed: int = 0

    def model_params(self, task: str, model: str) -> dict[str, Any]:
        """The hyper-parameters one cell depends on: its cache key, shown in reports."""
        if task == "digits":
            common = {"seed": self.seed}
            if model == "tree":
                return common | {"max_depth": self.tree_max_depth}
            if model == "forest":
                return common | {"n_trees": self.forest_trees}
            if model == "boosting":
                return common | {"max_iter": self.boosting_iter, "learning_rate": self.boosting_lr}
            epochs = self.cnn_epochs if model == "cnn" else self.mlp_epochs
            return common | {"epochs": epochs, "min_updates": self.min_updates, "max_epochs": self.max_epochs}
        if task == "table":
            common = {"seed": self.seed, "repeats": self.house_repeats, "table_cell": 1}
            if model == "mlp":
                return common | {"max_epochs": self.house_mlp_max_epochs, "patience": self.house_mlp_patience}
            return common | {"sizes": asdict(self.table_model_sizes())}
        hp = asdict(self.house_params)
        common = {"seed": self.seed, "repeats": self.house_repeats, "drop_b": hp["drop_b"]}
        if model == "tree":
            return common | {"max_depth": hp["max_depth"], "min_samples_leaf": hp["min_samples_leaf"],
                             "tree_seed": hp["seed"]}
        if model == "forest":
            return common | {"n_trees": hp["n_trees"], "tree_seed": hp["seed"]}
        if model == "boosting":
            return common | {"boosting_iter": hp["boosting_iter"], "tree_seed": hp["seed"]}
        return common | {"max_epochs": self.house_mlp_max_epochs, "patience": self.house_mlp_patience}

    def table_model_sizes(self) -> ModelSizes:
        """The Tables workspace's tree models (its own pipelines) at this preset's size: the house
        parameters' depth, trees and boosting rounds, the Tables' leaf sizes."""
        p = self.house_params
        return ModelSizes(tree_depth=p.max_depth, n_trees=p.n_trees, boosting_iter=p.boosting_iter)

    def epochs_for(self, model: str, n_train: int, batch_size: int) -> int:
        """Epochs for a network on ``n_train`` items: the preset's, raised for small sets."""
        base = self.cnn_epochs if model == "cnn" else self.mlp_epochs
        steps = max(1, -(-n_train // batch_size))
        needed = -(-self.min_updates // steps) if self.min_updates else 0
        return max(base, min(self.max_epochs, needed))


QUICK = ComparePreset(
    name="quick", digit_sizes=(250, 500, 1000, 2000), digits_all=False, house_sizes=(50, 100, 200),
    houses_full=True, house_repeats=2, forest_trees=50, boosting_iter=15, boosting_lr=0.3, mlp_epochs=10,
    cnn_epochs=4, min_updates=100, max_epochs=25, house_params=HouseParams(n_trees=50, boosting_iter=100),
    house_mlp_max_epochs=150, house_mlp_patience=10)
FULL = ComparePreset(
    name="full", digit_sizes=(250, 500, 1000, 2000, 5000, 10000, 20000), digits_all=True,
    house_sizes=(50, 75, 100, 150, 200, 300), houses_full=True, house_repeats=5, forest_trees=100,
    boosting_iter=100, boosting_lr=0.1, mlp_epochs=10, cnn_epochs=6, min_updates=1000, max_epochs=60,
    house_params=HouseParams(), house_mlp_max_epochs=500, house_mlp_patience=30)
# Hidden: seconds, for tests and the CLI's own check; not offered in the GUI.
TINY = ComparePreset(
    name="tiny", digit_sizes=(100, 200), digits_all=False, house_sizes=(50, 100), houses_full=False,
    house_repeats=1, forest_trees=5, boosting_iter=5, boosting_lr=0.3, mlp_epochs=1, cnn_epochs=1,
    min_updates=0, max_epochs=1, house_params=HouseParams(n_trees=5, boosting_iter=20),
    house_mlp_max_epochs=15, house_mlp_patience=5)

PRESETS: dict[str, ComparePreset] = {p.name: p for p in (QUICK, FULL, TINY)}
PUBLIC_PRESETS = ("quick", "full")


def get_preset(preset: "ComparePreset | str") -> ComparePreset:
    """A preset by name (``quick``, ``full``, hidden ``tiny``), or the preset itself."""
    if isinstance(preset, ComparePreset):
        return preset
    try:
        return PRESETS[preset]
    except KeyError:
        from engine.core.errors import InputError

        raise InputError("Unknown comparison preset {name}; choose quick or full.", name=preset) from None


# --- labels -----------------------------------------------------------------------------------
def model_title(task: str, model: str, lang: str | None = None) -> str:
    """A model's name in ``lang``: the workspaces' own labels, plus the compare-only house MLP."""
    if model in MODEL_LABEL_IDS:
        return t(MODEL_LABEL_IDS[model], lang=lang)
    if task in ("houses", "table"):
        return t(HOUSE_MLP_LABEL_ID, lang=lang)
    if lang is None or lang == get_language():
        from engine.digits.models import arch_label

        return arch_label(model)
    return t(_ARCH_LABEL_IDS[model], lang=lang)


def short_title(task: str, model: str, lang: str | None = None) -> str:
    """The name inside a sentence: English labels start lower-case there ("the random forest")."""
    title = model_title(task, model, lang)
    if (lang or get_language()) == "en" and len(title) > 1 and title[0].isupper() and title[1].islower():
        return title[0].lower() + title[1:]
    return title


def explanation_title(key: str, lang: str | None = None) -> str:
    return t(EXPLANATION_LABEL_IDS.get(key, key), lang=lang)


def task_title(task: str, lang: str | None = None, table_label: str = "") -> str:
    """A task's name; the person's table by its own name and target ("sales.csv → revenue")."""
    if task == "digits":
        return t("Digits (pixels)", lang=lang)
    if task == "table":
        return t("Your table: {table}", lang=lang, table=table_label) if table_label else t("Your table", lang=lang)
    return t("Houses (table)", lang=lang)
