"""The Boston housing data (bundled with mlxtend) and what each of its columns means."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from engine.core.i18n import N_, t
from engine.core.results import DataQuality, Provenance

FEATURES = ["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT"]
TARGET = "MEDV"


@dataclass(frozen=True)
class FeatureInfo:
    name: str
    meaning_id: str  # English message id; ``meaning`` renders it in the current language
    unit_id: str
    integer: bool = False
    choices: tuple[tuple[float, str], ...] = ()  # value → label id, for yes/no columns

    @property
    def meaning(self) -> str:
        return t(self.meaning_id)

    @property
    def unit(self) -> str:
        return t(self.unit_id) if self.unit_id else ""


def _info(name: str, meaning: str, unit: str, **kw) -> FeatureInfo:
    return FeatureInfo(name, meaning, unit, **kw)


# t() is applied when shown; the literal strings here are also listed for the catalogue check.
FEATURE_INFO: dict[str, FeatureInfo] = {f.name: f for f in [
    _info("CRIM", N_("Crime rate per person in the town"), N_("crimes per capita")),
    _info("ZN", N_("Share of residential land zoned for large lots (over 25,000 sq ft)"), N_("%")),
    _info("INDUS", N_("Share of the town's land used by non-retail business"), N_("%")),
    _info("CHAS", N_("Does the tract border the Charles River?"), "", integer=True,
          choices=((0.0, N_("No")), (1.0, N_("Yes")))),
    _info("NOX", N_("Nitric oxide concentration (air pollution)"), N_("parts per 10 million")),
    _info("RM", N_("Average number of rooms per dwelling"), N_("rooms")),
    _info("AGE", N_("Share of owner-occupied homes built before 1940"), N_("%")),
    _info("DIS", N_("Weighted distance to five Boston employment centres"), N_("distance index")),
    _info("RAD", N_("Access to radial highways"), N_("index (1–24)"), integer=True),
    _info("TAX", N_("Property tax rate"), N_("$ per $10,000")),
    _info("PTRATIO", N_("Pupils per teacher in the town's schools"), N_("pupils per teacher")),
    _info("B", N_("Derived from the share of Black residents (see the data set note)"), N_("index")),
    _info("LSTAT", N_("Share of the population with lower status"), N_("%")),
]}

# What a value can physically be (not the training range): shares are 0–100 %, counts and
# rates are not negative, CHAS is 0 or 1, B = 1000·(Bk − 0.63)² ≤ 396.9. Typed values outside
# are refused (engine.houses.validation); the app's form uses the same limits.
PHYSICAL_BOUNDS: dict[str, tuple[float, float]] = {
    "CRIM": (0.0, 100.0),
    "ZN": (0.0, 100.0),
    "INDUS": (0.0, 100.0),
    "CHAS": (0.0, 1.0),
    "NOX": (0.0, 10.0),
    "RM": (1.0, 30.0),
    "AGE": (0.0, 100.0),
    "DIS": (0.0, 100.0),
    "RAD": (1.0, 24.0),
    "TAX": (0.0, 10_000.0),
    "PTRATIO": (1.0, 100.0),
    "B": (0.0, 396.9),
    "LSTAT": (0.0, 100.0),
}

TARGET_LABEL_ID = N_("Median home value")
TARGET_UNIT_ID = N_("$1000s")

B_COLUMN_NOTE_ID = N_(
    "The B column was computed by the data set's 1978 authors as 1000·(Bk − 0.63)², where Bk is the "
    "share of Black residents, on the assumption that racial self-segregation affects house prices. "
    "It encodes a racist premise and is not a legitimate predictor. The data set is kept here as a "
    "teaching example; you can train without B, and the app lets you see how little the models need it."
)
ABOUT_DATASET_ID = N_(
    "Boston housing: 506 census tracts of the Boston area from the 1970 US census (Harrison & "
    "Rubinfeld, 1978), 13 features and the median home value (MEDV, in $1000s; capped at 50). "
    "It is small, old and has known problems; it is used here because it is a classic for "
    "explaining decision trees."
)


def b_column_note() -> str:
    return t(B_COLUMN_NOTE_ID)


def about_dataset() -> str:
    return t(ABOUT_DATASET_ID)


@dataclass
class HouseData:
    X: np.ndarray  # float64 (n, len(features))
    y: np.ndarray  # float64 (n,)
    features: list[str]
    provenance: Provenance
    quality: DataQuality | None = None

    def without(self, feature: str) -> "HouseData":
        """The same data without one column (e.g. training without B)."""
        if feature not in self.features:
            return self
        keep = [i for i, f in enumerate(self.features) if f != feature]
        return HouseData(self.X[:, keep], self.y, [self.features[i] for i in keep], self.provenance, self.quality)

    def medians(self) -> dict[str, float]:
        return {f: float(np.median(self.X[:, i])) for i, f in enumerate(self.features)}

    def ranges(self) -> dict[str, tuple[float, float]]:
        return {f: (float(self.X[:, i].min()), float(self.X[:, i].max())) for i, f in enumerate(self.features)}


def fingerprint(X: np.ndarray, y: np.ndarray) -> str:
    digest = hashlib.sha256()
    digest.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(y, dtype=np.float64).tobytes())
    return digest.hexdigest()


def load_boston() -> HouseData:
    """The 506 tracts as shipped in mlxtend's wheel: always available offline."""
    from mlxtend.data import boston_housing_data

    X, y = boston_housing_data()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    prov = Provenance("bundled", t("Boston housing data (bundled with mlxtend)"), len(y), fingerprint(X, y))
    return HouseData(X, y, list(FEATURES), prov)
