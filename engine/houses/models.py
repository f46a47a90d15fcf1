"""House-price models: the seed decision tree, a random forest and gradient boosting.

The tree is the one a person can read: every prediction comes with its rule path. The other
two show what accuracy costs in explainability; 5-fold cross-validation compares all three.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from typing import TYPE_CHECKING

import numpy as np

from engine.houses.boston import HouseData
from engine.core.errors import InputError
from engine.core.i18n import N_, t
from engine.core.tasks import CancelToken, Progress, ProgressFn, Task, no_progress, run_task
from engine.core.results import CVScores, HouseModelsInfo, HousePrediction, RuleStep
from engine.core.versions import library_versions

if TYPE_CHECKING:  # scikit-learn takes ~1.5 s to import: only when a model is trained or shown
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.tree import DecisionTreeRegressor

MODEL_NAMES = ("tree", "forest", "boosting")
MODEL_LABEL_IDS = {"tree": N_("Decision tree"), "forest": N_("Random forest"), "boosting": N_("Gradient boosting")}
SPLIT_SEED = 42
# what the workspace's model lab offers (its spin boxes), and what a project may bring back into it
LAB_RANGES = {"max_depth": (1, 20), "min_samples_leaf": (1, 50)}


def model_label(name: str) -> str:
    return t(MODEL_LABEL_IDS.get(name, name))


@dataclass(frozen=True)
class HouseParams:
    max_depth: int | None = 6  # None = grow fully (the seed model's default)
    min_samples_leaf: int = 1
    drop_b: bool = False
    seed: int = SPLIT_SEED
    n_trees: int = 150
    boosting_iter: int = 400


def _make_models(params: HouseParams) -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.tree import DecisionTreeRegressor

    return {
        "tree": DecisionTreeRegressor(max_depth=params.max_depth, min_samples_leaf=params.min_samples_leaf,
                                      random_state=params.seed),
        "forest": RandomForestRegressor(n_estimators=params.n_trees, random_state=params.seed, n_jobs=1),
        "boosting": HistGradientBoostingRegressor(max_iter=params.boosting_iter, learning_rate=0.05,
                                                  max_leaf_nodes=15, min_samples_leaf=5, l2_regularization=1.0,
                                                  early_stopping=False, random_state=params.seed),
    }


def _mse(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean((y - p) ** 2))


def cross_validate_task(X: np.ndarray, y: np.ndarray, params: HouseParams,
                        names: tuple[str, ...] = MODEL_NAMES) -> Task[list[CVScores]]:
    """5-fold CV (shuffled, seed 42) MSE, MAE and R² for each model."""
    from sklearn.model_selection import KFold

    folds = list(KFold(5, shuffle=True, random_state=SPLIT_SEED).split(X))
    scores = []
    total = len(names) * len(folds)
    for m_i, name in enumerate(names):
        mse, mae, r2 = [], [], []
        for f_i, (train, test) in enumerate(folds):
            model = _make_models(params)[name].fit(X[train], y[train])
            pred = model.predict(X[test])
            err = y[test] - pred
            mse.append(float(np.mean(err ** 2)))
            mae.append(float(np.mean(np.abs(err))))
            r2.append(1.0 - float(np.sum(err ** 2)) / float(np.sum((y[test] - y[test].mean()) ** 2)))
            yield Progress((m_i * len(folds) + f_i + 1) / total * 0.8,
                           t("Cross-validating {model}: fold {fold}/5", model=model_label(name), fold=f_i + 1), "cv")
        scores.append(CVScores(name, float(np.mean(mse)), float(np.mean(mae)), float(np.mean(r2)), float(np.std(mse))))
    return scores


class HouseModels:
    """The three fitted models plus everything the GUI and the report show about them."""

    def __init__(self, models: dict[str, Any], info: HouseModelsInfo, medians: dict[str, float]) -> None:
        self.models = models
        self.info = info
        self.medians = medians
        self.features = info.features

    @property
    def tree(self) -> DecisionTreeRegressor:
        return self.models["tree"]

    @property
    def forest(self) -> RandomForestRegressor:
        return self.models["forest"]

    @property
    def boosting(self) -> HistGradientBoostingRegressor:
        return self.models["boosting"]

    def row(self, inputs: dict[str, float]) -> np.ndarray:
        """A 1×n feature row from a {feature: value} dict; unknown or NaN values are refused."""
        unknown = set(inputs) - set(self.features) - {"B"}
        if unknown:
            raise InputError("Unknown feature {name}; the features are {names}.", name=", ".join(sorted(unknown)),
                             names=", ".join(self.features))
        values = []
        for f in self.features:
            if f not in inputs:
                raise InputError("The value of {name} is missing.", name=f)
            try:
                v = float(inputs[f])
            except (TypeError, ValueError) as exc:
                raise InputError("{name} must be a number, not {value!r}.", name=f, value=inputs[f]) from exc
            if not math.isfinite(v):
                raise InputError("{name} must be a finite number, not {value}.", name=f, value=v)
            values.append(v)
        return np.asarray([values], dtype=np.float64)

    def predict(self, inputs: dict[str, float], which: tuple[str, ...] | None = None) -> HousePrediction:
        """The prices for one house (all models, or ``which``), the tree's rule path, and out-of-range flags.

        The tree answers in ~0.1 ms, the ensembles in a few ms: a live form asks for the tree
        first and the others in the background.
        """
        x = self.row(inputs)
        names = ("tree",) + tuple(n for n in (which or self.models) if n != "tree")
        per_model = {name: self._predict_one(name, x) for name in names}
        tree = self.tree.tree_
        nodes = self.tree.decision_path(x).indices
        path = []
        for node in nodes[:-1]:
            f = int(tree.feature[node])
            threshold = float(tree.threshold[node])
            path.append(RuleStep(int(node), self.features[f], threshold, float(x[0, f]), bool(x[0, f] <= threshold)))
        leaf = int(nodes[-1])
        ranges = self.info.feature_ranges
        out = {f: ranges[f] for i, f in enumerate(self.features)
               if not ranges[f][0] <= x[0, i] <= ranges[f][1]}
        return HousePrediction(price=per_model["tree"], per_model=per_model, error_bar=self.info.test_rmse["tree"],
                               path=path, leaf_node=leaf, leaf_value=float(tree.value[leaf].ravel()[0]),
                               out_of_range=out, inputs={f: float(x[0, i]) for i, f in enumerate(self.features)})

    def _predict_one(self, name: str, x: np.ndarray) -> float:
        model = self.models[name]
        if name == "forest":  # the mean of the trees, without joblib's per-call set-up (8 ms → 1 ms)
            x32 = x.astype(np.float32)
            return float(np.mean([est.tree_.predict(x32)[0, 0] for est in model.estimators_]))
        return float(model.predict(x)[0])

    def explain(self, pred: HousePrediction, lang: str | None = None) -> str:
        """The rule path in words, conditions on one feature merged: "RM > 6.94 and LSTAT ≤ 4.65 → 45.6"."""
        return explain_path(pred.path, pred.leaf_value, lang)

    def predict_rows(self, X: np.ndarray) -> dict[str, np.ndarray]:
        X = np.asarray(X, dtype=np.float64)
        return {name: model.predict(X) for name, model in self.models.items()}

    def what_if(self, inputs: dict[str, float], feature: str, n: int = 50) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Sweep ``feature`` across its training range, the other inputs fixed."""
        if feature not in self.features:
            raise InputError("Unknown feature {name}; the features are {names}.", name=feature,
                             names=", ".join(self.features))
        lo, hi = self.info.feature_ranges[feature]
        xs = np.linspace(lo, hi, n)
        base = self.row(inputs)
        X = np.repeat(base, n, axis=0)
        X[:, self.features.index(feature)] = xs
        return xs, self.predict_rows(X)


def fmt_num(value: float) -> str:
    """Compact numbers for rules: 6.941, 534.5, 0.5125, 45.6."""
    return f"{value:.4g}"


def explain_path(path: list[RuleStep], leaf_value: float, lang: str | None = None) -> str:
    bounds: dict[str, list[float | None]] = {}
    for step in path:
        low, high = bounds.setdefault(step.feature, [None, None])
        if step.goes_left:
            bounds[step.feature][1] = step.threshold if high is None else min(high, step.threshold)
        else:
            bounds[step.feature][0] = step.threshold if low is None else max(low, step.threshold)
    parts = []
    for feature, (low, high) in bounds.items():
        if low is not None and high is not None:
            parts.append(t("{low} < {feature} ≤ {high}", lang=lang, low=fmt_num(low), feature=feature, high=fmt_num(high)))
        elif high is not None:
            parts.append(t("{feature} ≤ {value}", lang=lang, feature=feature, value=fmt_num(high)))
        else:
            parts.append(t("{feature} > {value}", lang=lang, feature=feature, value=fmt_num(low)))
    if not parts:
        return t("every house → {value}", lang=lang, value=f"{leaf_value:.1f}")
    return t("{conditions} → {value}", lang=lang, conditions=t(" and ", lang=lang).join(parts),
             value=f"{leaf_value:.1f}")


def train_house_models(data: HouseData, params: HouseParams | None = None, *, progress: ProgressFn = no_progress,
                       token: CancelToken | None = None) -> HouseModels:
    """``train_house_models_task`` driven to the end on this thread (CLI, tests, benchmarks)."""
    return run_task(train_house_models_task(data, params), progress, token)


def train_house_models_task(data: HouseData, params: HouseParams | None = None) -> Task[HouseModels]:
    """Fit all three on the 80% split (seed 42), score them on the 20% and by 5-fold CV.

    Boosting's OpenMP threads are held to one: on two cores shared with TensorFlow they spin-wait
    on each other (one small fit took 41 s instead of 4.5 s); 506 houses need no parallelism.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="openmp"):
        return (yield from _train_house_models(data, params))


def _train_house_models(data: HouseData, params: HouseParams | None = None) -> Task[HouseModels]:
    params = params or HouseParams()
    if params.drop_b:
        data = data.without("B")
    X, y = data.X, data.y
    if len(y) < 20:
        raise InputError("At least 20 houses are needed to train, not {n}.", n=len(y))
    cv = yield from cross_validate_task(X, y, params)
    yield Progress(0.85, t("Training the final models…"), "stage")
    from sklearn.inspection import permutation_importance
    from sklearn.model_selection import train_test_split

    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=SPLIT_SEED)
    models = {}
    for name, model in _make_models(params).items():
        models[name] = model.fit(X_tr, y_tr)
        yield Progress(0.85, t("Training the final models…"), "stage")
    heldout = {name: model.predict(X_te) for name, model in models.items()}
    yield Progress(0.92, t("Measuring feature importances…"), "stage")
    importances = {
        "tree": dict(zip(data.features, map(float, models["tree"].feature_importances_))),
        "forest": dict(zip(data.features, map(float, models["forest"].feature_importances_))),
    }
    perm = permutation_importance(models["boosting"], X_te, y_te, n_repeats=5, random_state=SPLIT_SEED)
    total = float(np.clip(perm.importances_mean, 0, None).sum()) or 1.0
    importances["boosting"] = {f: float(max(0.0, v)) / total for f, v in zip(data.features, perm.importances_mean)}
    info = HouseModelsInfo(
        provenance=data.provenance, features=list(data.features), params=asdict(params), cv=cv,
        recommended=min(cv, key=lambda s: s.mse).model,
        test_rmse={name: math.sqrt(_mse(y_te, p)) for name, p in heldout.items()},
        importances=importances, heldout_true=y_te.tolist(), heldout_pred={k: v.tolist() for k, v in heldout.items()},
        feature_ranges=data.ranges(), quality=data.quality, seed=params.seed, versions=library_versions(),
    )
    yield Progress(1.0, t("House models ready."), "stage")
    return HouseModels(models, info, data.medians())


def depth_curve_task(data: HouseData, depths: range | list[int] = range(1, 16), *,
                     params: HouseParams | None = None) -> Task[list[dict[str, float]]]:
    """Training vs cross-validated MSE of the tree against its depth: overfitting made visible."""
    params = params or HouseParams()
    if params.drop_b:
        data = data.without("B")
    from sklearn.model_selection import KFold
    from sklearn.tree import DecisionTreeRegressor

    folds = list(KFold(5, shuffle=True, random_state=SPLIT_SEED).split(data.X))
    curve = []
    depths = list(depths)
    for i, depth in enumerate(depths):
        make = lambda: DecisionTreeRegressor(max_depth=depth, min_samples_leaf=params.min_samples_leaf,  # noqa: E731
                                             random_state=params.seed)
        train_mse = _mse(data.y, make().fit(data.X, data.y).predict(data.X))
        cv = [_mse(data.y[te], make().fit(data.X[tr], data.y[tr]).predict(data.X[te])) for tr, te in folds]
        curve.append({"depth": depth, "train_mse": train_mse, "cv_mse": float(np.mean(cv))})
        yield Progress((i + 1) / len(depths), t("Depth {depth}", depth=depth), "depth")
    return curve
