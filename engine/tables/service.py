"""The Tables workspace's state and operations, without Qt: open a table (file or example), profile it,
suggest and change roles, mine it, explain and predict. GUI, CLI and benchmarks share these.

The task functions here are module-level with picklable arguments and results, so the GUI can run
mining (which may train the Keras MLP) in the app's TensorFlow worker process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from typing import TYPE_CHECKING

from engine.core.i18n import t
from engine.core.tasks import Progress, Task
from engine.tables.settings import EXAMPLES, MineSettings

if TYPE_CHECKING:  # pandas and scikit-learn take ~3 s to import: only where a table is read or mined
    from engine.tables.explain import RulePath
    from engine.tables.mining import MineResult
    from engine.tables.profile import ColumnProfile
    from engine.tables.reading import ReadOptions
    from engine.tables.roles import RoleChoice, Roles
    from engine.tables.table import Table


@dataclass
class OpenedTable:
    table: Table
    profiles: list[ColumnProfile]
    roles: Roles  # suggested for the suggested target


def open_table_task(path: str | os.PathLike[str] | None, options: ReadOptions | None = None,
                    example: str | None = None) -> Task[OpenedTable]:
    """Read (or load an example), profile and suggest roles; no model is trained and TensorFlow stays unloaded."""
    from engine.tables.examples import load_example
    from engine.tables.profile import profile_table
    from engine.tables.reading import read_table
    from engine.tables.roles import suggest_roles, suggest_target

    yield Progress(0.05, t("Reading {name}…", name=example or os.path.basename(str(path))), "stage")
    table = load_example(example) if example else read_table(path, options)
    yield Progress(0.6, t("Profiling {n} rows × {m} columns…", n=f"{table.rows:,}", m=len(table.columns)), "stage")
    profiles = profile_table(table)
    yield Progress(0.9, t("Suggesting column roles…"), "stage")
    target = next((e.target for e in EXAMPLES if e.key == example), None) or suggest_target(table, profiles)
    roles = suggest_roles(table, profiles, target)
    from engine.tables.predict import warm_form_fields

    warm_form_fields(table, roles.features)  # the prediction form's fields, here rather than in the window's thread
    return OpenedTable(table, profiles, roles)


def mine_in_worker(table: Table, choice: RoleChoice, settings: MineSettings,
                   profiles: list[ColumnProfile] | None = None) -> Task[MineResult]:
    """``mine_task`` as the module-level function the worker process runs."""
    from engine.tables.mining import mine_task

    return (yield from mine_task(table, choice, settings, profiles))


@dataclass
class PredictedRow:
    """A row the person predicted or explained, for the report."""

    table: str
    row: int | None  # 0-based row of the table, or None for a form entry
    inputs: dict[str, Any]
    prediction: str
    model: str
    rule_path: str
    time: datetime = field(default_factory=lambda: datetime.now().astimezone())


@dataclass
class MinedTable:
    """What the report shows about one mined table."""

    table_name: str
    source: dict[str, Any]
    rows: int
    columns: int
    change_summary: list[tuple[str, str, int]]
    result: MineResult
    predicted: list[PredictedRow] = field(default_factory=list)
    table: Table | None = field(default=None, repr=False)  # the table it was mined from (kept in a project)


class TableWorkspace:
    """The open table, its profile, the person's role choices and the last mining result."""

    def __init__(self) -> None:
        self.opened: OpenedTable | None = None
        self.choice: RoleChoice | None = None
        self.result: MineResult | None = None
        self.mined: list[MinedTable] = []

    @property
    def table(self) -> Table | None:
        return self.opened.table if self.opened else None

    def set_opened(self, opened: OpenedTable) -> None:
        self.opened, self.result = opened, None
        roles = opened.roles
        from engine.tables.roles import RoleChoice

        self.choice = RoleChoice(roles.target, roles.task)

    def roles_for(self, choice: RoleChoice) -> Roles:
        from engine.tables.roles import suggest_roles

        assert self.opened is not None
        self.choice = choice
        return suggest_roles(self.opened.table, self.opened.profiles, choice.target, choice.task,
                             tuple(choice.ignore), tuple(choice.keep))

    def set_result(self, result: MineResult) -> MinedTable:
        assert self.opened is not None
        self.result = result
        table = self.opened.table
        entry = MinedTable(table.name, dict(table.source), table.rows, len(table.columns), table.change_summary(),
                           result, table=table)
        self.mined.append(entry)
        return entry

    def explain_row(self, row: int) -> tuple[RulePath, str]:
        """The tree's rule path for a row and the recommended model's prediction, recorded for the report."""
        from engine.tables.explain import predict_frame, row_inputs, rule_path

        assert self.opened is not None and self.result is not None
        X = row_inputs(self.opened.table, self.result, row)
        path = rule_path(self.result, X)
        pred, _ = predict_frame(self.result, X)
        shown = _shown(pred[0])
        inputs = {c: _shown(v) for c, v in self.opened.table.frame.iloc[row][list(self.result.roles.features)].items()}
        if self.mined:
            self.mined[-1].predicted.append(PredictedRow(self.opened.table.name, row, inputs, shown, self.result.best,
                                                         path.words))
        return path, shown


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    try:
        import numpy as np

        if isinstance(value, np.floating):
            return f"{float(value):.4g}"
    except ImportError:  # pragma: no cover
        pass
    return str(value)
