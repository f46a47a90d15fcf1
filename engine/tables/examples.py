"""Example tables that work offline — Boston (mlxtend's copy), and scikit-learn's diabetes, wine and
breast cancer — plus California housing, downloaded only when the person asks and cached.

The California download goes through scikit-learn's fetcher into a temporary folder; the app keeps
its own Parquet copy (the fetcher's cache is a pickle, and the app never unpickles a file from disk).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from engine.core.errors import DownloadError
from engine.core.paths import datasets_dir
from engine.tables.settings import EXAMPLES, Example
from engine.tables.table import NUMBER, TEXT, Table


CALIFORNIA_FILE = "california_housing.parquet"


def example(key: str) -> Example:
    for e in EXAMPLES:
        if e.key == key:
            return e
    raise KeyError(key)


def load_example(key: str) -> Table:
    """An example as a ``Table`` (nothing read from a person's file, so nothing is changed)."""
    table = _load_example(key)
    table.source["example"] = key
    return table


def _load_example(key: str) -> Table:
    if key == "boston":
        from engine.houses.boston import FEATURES, TARGET, b_column_note, load_boston

        data = load_boston()
        frame = pd.DataFrame(data.X, columns=FEATURES)
        frame[TARGET] = data.y
        table = _table("Boston housing", frame, "mlxtend")
        table.notes.append(b_column_note())
        return table
    if key == "california":
        return load_california()
    from sklearn import datasets

    if key == "diabetes":
        bunch = datasets.load_diabetes(as_frame=True, scaled=False)
        frame = bunch.frame
        return _table("Diabetes", frame, "scikit-learn")
    if key == "wine":
        bunch = datasets.load_wine(as_frame=True)
        frame = bunch.data.copy()
        frame["cultivar"] = np.asarray(bunch.target_names)[bunch.target.to_numpy()].astype(object)
        return _table("Wine", frame, "scikit-learn")
    if key == "breast_cancer":
        bunch = datasets.load_breast_cancer(as_frame=True)
        frame = bunch.data.copy()
        frame["diagnosis"] = np.asarray(bunch.target_names)[bunch.target.to_numpy()].astype(object)
        return _table("Breast cancer", frame, "scikit-learn")
    raise KeyError(key)


def _table(name: str, frame: pd.DataFrame, origin: str) -> Table:
    kinds = {str(c): NUMBER if pd.api.types.is_numeric_dtype(frame[c]) else TEXT for c in frame.columns}
    frame = frame.copy()
    for c in frame.columns:
        if kinds[str(c)] == NUMBER:
            frame[c] = frame[c].astype(np.float64)
    return Table(name, frame.reset_index(drop=True), kinds, {"format": "example", "origin": origin}, [], {}, "row",
                 None, 1)


def california_cache() -> Path:
    return datasets_dir() / CALIFORNIA_FILE


def load_california(download: bool = True) -> Table:
    """From the app's cache; else downloaded once (a failure is one clear line, ``DownloadError``)."""
    from engine.tables.reading import read_table

    cached = california_cache()
    if cached.exists():
        table = read_table(cached)
        table.name = "California housing"
        table.source = {"format": "example", "origin": "scikit-learn (cached download)", "path": str(cached)}
        return table
    if not download:
        raise DownloadError("California housing is not downloaded yet.")
    from sklearn.datasets import fetch_california_housing

    with tempfile.TemporaryDirectory(prefix="deepmine-california-") as tmp:
        try:
            bunch = fetch_california_housing(data_home=tmp, download_if_missing=True, as_frame=True, n_retries=1,
                                             delay=0.1)
        except Exception as exc:  # noqa: BLE001 — network, HTTP and archive errors alike: one line
            raise DownloadError("California housing could not be downloaded ({reason}); the offline examples still "
                                "work.", reason=_one_line(exc)) from exc
        frame = bunch.frame
    _save_parquet(frame, cached)
    return load_california(download=False)


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "reason", "") or exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _save_parquet(frame: pd.DataFrame, path: Path) -> None:
    from engine.core.atomic import atomic_path

    with atomic_path(path, suffix=".parquet") as tmp:
        frame.to_parquet(tmp, index=False)
