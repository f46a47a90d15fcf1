"""What each column holds, before anything is mined: type, missing, distinct, range or top values,
and the counts behind a small histogram or bar chart."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from engine.tables.table import DATE, NUMBER, Table

HIST_BINS = 20
TOP_CATEGORIES = 10


@dataclass
class ColumnProfile:
    name: str
    kind: str  # number | text | date
    missing: int
    distinct: int
    minimum: float | str | None = None
    maximum: float | str | None = None
    mean: float | None = None
    median: float | None = None
    integer: bool = False
    wordy: bool = False  # text: most values hold several words (free text rather than codes)
    top: list[tuple[str, int]] = field(default_factory=list)  # text: most frequent values and their counts
    hist_counts: list[int] = field(default_factory=list)
    hist_edges: list[float] = field(default_factory=list)


def profile_table(table: Table) -> list[ColumnProfile]:
    return [profile_column(name, table.frame[name], table.kinds[name]) for name in table.columns]


def profile_column(name: str, values: pd.Series, kind: str) -> ColumnProfile:
    missing = int(values.isna().sum())
    present = values.dropna()
    distinct = int(present.nunique())
    prof = ColumnProfile(name, kind, missing, distinct)
    if present.empty:
        return prof
    if kind == NUMBER:
        arr = present.to_numpy(dtype=np.float64)
        prof.minimum, prof.maximum = float(arr.min()), float(arr.max())
        prof.mean, prof.median = float(arr.mean()), float(np.median(arr))
        prof.integer = bool(np.all(np.mod(arr, 1) == 0))
        counts, edges = np.histogram(arr, bins=min(HIST_BINS, max(1, distinct)))
        prof.hist_counts, prof.hist_edges = counts.tolist(), edges.tolist()
    elif kind == DATE:
        prof.minimum, prof.maximum = str(present.min().date()), str(present.max().date())
        years = present.dt.year.to_numpy()
        counts, edges = np.histogram(years, bins=min(HIST_BINS, max(1, len(np.unique(years)))))
        prof.hist_counts, prof.hist_edges = counts.tolist(), edges.tolist()
    else:
        sample = present.astype(str).iloc[:1000]
        prof.wordy = bool(sample.str.contains(r"\s", regex=True).mean() > 0.5)
        top = present.astype(str).value_counts().head(TOP_CATEGORIES)
        prof.top = [(str(k), int(v)) for k, v in top.items()]
    return prof
