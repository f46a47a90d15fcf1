"""The Tables workspace's part: every table the person mined and each mining of it.

A table is embedded as Parquet, or — when the person says so (``context.options["embed_tables"]``
False) and it came from a file — referenced by its path with the sha256 and size it had when it
was read. Each mining keeps the role choice, the ``MineSettings`` and the results (CV scores,
leaks, ranking, …). Opening retrains the scikit-learn models from the table and the settings
(never unpickled; ``engine.tables.stored``), restores the network's stored weights, and checks the
retrained models against predictions saved for a few rows. A referenced file that moved or
changed is named in a notice and not used; its minings are left out, never silently replaced.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.i18n import t
from engine.core.session import Session
from engine.core.tasks import run_task
from engine.project.manifest import field_problem
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, build, from_plain, \
    plain_dataclass, to_plain
from engine.project.parts.table_files import absolute_path, file_states, load_notices, parquet_bytes, recorded_table, \
    still_as_read

KEY, VERSION = "tables", 1
MAX_TABLES, MAX_MININGS, KEPT_CHANGES, CHECK_ROWS = 50, 200, 1000, 20
LIMITS = {"n_trees": 2000, "boosting_iter": 5000, "mlp_epochs": 2000, "mlp_max_rows": 10_000_000,
          "tree_min_leaf": 1_000_000, "forest_min_leaf": 1_000_000}
RESULT_FIELDS = {"rows_read": int, "rows_used": int, "cv_rows": int, "dropped_target": int, "dropped_missing": int,
                 "imputed": dict[str, int], "outliers": dict[str, int], "cv": dict[str, dict[str, float]],
                 "cv_std": dict[str, dict[str, float]], "confusion": dict[str, list[list[int]]], "classes": list[str],
                 "best": str, "best_reason": str, "ranking": dict[str, dict[str, float]], "permutation_model": str,
                 "input_columns": list[str], "notices": list[str], "seconds": float}


# --- collecting -------------------------------------------------------------------------------
def collect(session: Session, context: ProjectContext) -> PartOut | None:
    from engine.tables.stored import network_state

    tables: list[Any] = []
    index: dict[int, int] = {}
    minings = []
    for entry in list(session.tables)[-MAX_MININGS:]:
        table = getattr(entry, "table", None)
        if table is None:
            continue
        if id(table) not in index:
            index[id(table)] = len(tables)
            tables.append(table)
        minings.append((index[id(table)], entry))
    if not minings:
        return None
    embed = bool(context.options.get("embed_tables", True))
    files: dict[str, Path | bytes] = {}
    records = []
    for i, table in enumerate(tables):
        record = _table_record(table)
        if not embed and still_as_read(table):
            record.update(storage="referenced", path=absolute_path(table.source["path"]), sha256=table.source["sha256"],
                          size=int(table.source["size"]))
        else:
            record.update(storage="embedded", file=f"tables/t{i}.parquet")
            files[record["file"]] = parquet_bytes(table)
        records.append(record)
    out = []
    for table_index, entry in minings:
        result = entry.result
        mining = {"table": table_index, "choice": _choice_of(result), "settings": plain_dataclass(result.settings),
                  "roles": plain_dataclass(result.roles), "leaks": [plain_dataclass(f) for f in result.leaks],
                  "result": to_plain({k: getattr(result, k) for k in RESULT_FIELDS}),
                  "predicted": [plain_dataclass(p) for p in entry.predicted],
                  "check": to_plain(_check_predictions(result, tables[table_index]))}
        if "mlp" in result.models:
            mining["network"] = to_plain(network_state(result.models["mlp"]))
        out.append(mining)
    return PartOut({"tables": records, "minings": out}, files, _summary(records, len(out)))


def _summary(records: list[dict[str, Any]], minings: int, states: dict[int, str] | None = None) -> str:
    """One line for `deepmine project info`: the counts, and the path of every table kept by reference
    (with ``states``: with what is at that path now, when it is not the file that was saved)."""
    parts = [t("{n} table(s), {m} mining(s) (models retrained on open)", n=len(records), m=minings)]
    for i, record in enumerate(records):
        if record.get("storage") != "referenced":
            continue
        path = str(record.get("path", ""))
        state = (states or {}).get(i, "same")
        parts.append(t("referenced: {path}", path=path) if state == "same" else
                     t("referenced: {path} (not found)", path=path) if state == "missing" else
                     t("referenced: {path} (changed since it was saved)", path=path))
    return "; ".join(parts)


def _table_record(table: Any) -> dict[str, Any]:
    source = {k: v for k, v in table.source.items() if isinstance(v, (str, int, float, bool)) or v is None}
    return to_plain({"name": table.name, "kinds": dict(table.kinds), "columns": table.columns, "rows": table.rows,
                     "source": source, "line_label": table.line_label, "first_line": table.first_line,
                     "lines": table.lines, "notes": list(table.notes),
                     "change_counts": dict(table.change_counts),
                     "changes": [asdict(c) for c in table.changes[:KEPT_CHANGES]]})


def _choice_of(result: Any) -> dict[str, Any]:
    """The person's choice behind the roles: what they left out and what they kept on purpose."""
    ignored = [c for c, reason in result.roles.ignored if reason == "user"]
    return {"target": result.roles.target, "task": result.roles.task, "ignore": ignored,
            "keep": list(result.roles.kept)}


def _check_predictions(result: Any, table: Any) -> dict[str, list[Any]]:
    """Each model's prediction for the first rows, to tell whether the retrained models are the same."""
    from engine.tables.explain import predict_frame
    from engine.tables.roles import model_frame

    X = model_frame(table.frame.iloc[:CHECK_ROWS], table.kinds, result.roles.features).reset_index(drop=True)
    out: dict[str, list[Any]] = {}
    for name in result.models:
        pred, _ = predict_frame(result, X, name)
        out[name] = [float(v) if isinstance(v, (float, np.floating)) else str(v) for v in pred.tolist()]
    return out


# --- reading back -----------------------------------------------------------------------------
def _records(part: PartIn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tables, minings = part.data.get("tables"), part.data.get("minings")
    if not isinstance(tables, list) or not isinstance(minings, list):
        raise ValueError(field_problem("tables" if not isinstance(tables, list) else "minings"))
    if len(tables) > MAX_TABLES or len(minings) > MAX_MININGS:
        raise ValueError(t("too many tables"))
    for record in tables:
        if not isinstance(record, dict) or record.get("storage") not in ("embedded", "referenced"):
            raise ValueError(field_problem("storage"))
        if record["storage"] == "embedded" and record.get("file") not in part.names:
            raise ValueError(t("an embedded table's file is missing"))
        if not isinstance(record.get("kinds"), dict) or not isinstance(record.get("columns"), list):
            raise ValueError(field_problem("kinds" if not isinstance(record.get("kinds"), dict) else "columns"))
    for mining in minings:
        if not isinstance(mining, dict) or not isinstance(mining.get("table"), int) or \
                not 0 <= mining["table"] < len(tables):
            raise ValueError(field_problem("table"))
        _result_fields(mining, _settings(mining))
    _check_columns(tables, minings)
    return tables, minings


def _check_columns(tables: list[dict[str, Any]], minings: list[dict[str, Any]]) -> None:
    """Every column a mining names (its target, what it leaves out or keeps, its saved roles) is a column
    of its table as the table's record describes it; opening checks the table against the record."""
    from engine.tables.roles import TASKS, RoleChoice, Roles

    for mining in minings:
        choice = build(RoleChoice, from_plain(mining.get("choice")), "choice")
        roles = build(Roles, from_plain(mining.get("roles")), "roles")
        if choice.task not in (None, *TASKS) or roles.task not in TASKS:
            raise ValueError(field_problem("task"))
        record = tables[mining["table"]]
        columns = {str(c) for c in record["columns"]}
        named = (choice.target, *choice.ignore, *choice.keep, roles.target, *roles.features,
                 *(column for column, _ in roles.ignored))
        missing = next((str(c) for c in named if str(c) not in columns), None)
        if missing is not None:
            raise ValueError(t("a mining names the column {column}, which its table {table} does not have",
                               column=missing[:80], table=str(record.get("name", "?"))[:80]))


def _result_fields(mining: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The saved results, each of its kind and consistent with the settings, as the Tables views read
    them (a recommended model that was not trained, or a ragged confusion matrix, would raise there)."""
    raw = from_plain(mining["result"])
    if not isinstance(raw, dict):
        raise ValueError(field_problem("result"))
    fields = {k: build(kind, raw[k], k) for k, kind in RESULT_FIELDS.items()}
    cv, classes = fields["cv"], fields["classes"]
    metrics = set(next(iter(cv.values()), {}))  # the CV table's columns: every model has a score in each
    if (not metrics or not set(cv) <= set(settings.models) or any(not metrics <= set(v) for v in cv.values())
            or fields["best"] not in cv or not set(fields["cv_std"]) <= set(cv)
            or fields["permutation_model"] not in ("", *cv) or not set(fields["confusion"]) <= set(cv)
            or any(len(m) != len(classes) or any(len(row) != len(classes) or min(row, default=0) < 0 for row in m)
                   for m in fields["confusion"].values())):
        raise ValueError(t("the saved results do not fit their models"))
    return fields


def _settings(mining: dict[str, Any]) -> Any:
    from engine.tables.settings import MODEL_NAMES, MineSettings

    settings = build(MineSettings, from_plain(mining["settings"]), "settings")
    sizes = settings.sizes
    bad = [k for k, limit in LIMITS.items() if not 1 <= getattr(sizes, k) <= limit]
    if (bad or not settings.models or any(m not in MODEL_NAMES for m in settings.models)
            or not 2 <= settings.folds <= 20 or not 20 <= settings.cv_max_rows <= 10_000_000
            or (sizes.tree_depth is not None and not 1 <= sizes.tree_depth <= 64)
            or len(sizes.mlp_hidden) > 8 or any(not 1 <= n <= 4096 for n in sizes.mlp_hidden)
            or (settings.top_k is not None and settings.top_k < 1) or settings.impute not in ("median", "drop")):
        raise ValueError(t("impossible model settings"))
    return settings


def check(part: PartIn) -> str:
    tables, minings = _records(part)
    load_notices(part, tables)
    return _summary(tables, len(minings), file_states(part, tables))


def problems(part: PartIn) -> list[str]:
    """Each table kept by reference whose file moved or changed: opening would leave it and its results out."""
    tables, _ = _records(part)
    found = list(load_notices(part, tables))
    for i, state in file_states(part, tables).items():
        record = tables[i]
        path, name = str(record.get("path", "")), record.get("name", "?")
        if state == "missing":
            found.append(t("The table {name} was not found at {path} (moved or deleted).", name=name, path=path))
        elif state == "changed":
            found.append(t("The table {name} at {path} changed since the project was saved.", name=name, path=path))
    return found


# --- restoring --------------------------------------------------------------------------------
def _mining(table: Any, profiles: Any, mining: dict[str, Any], notices: list[str]) -> Any:
    from engine.tables.leakage import LeakFlag
    from engine.tables.mining import MineResult
    from engine.tables.roles import RoleChoice, Roles
    from engine.tables.service import MinedTable, PredictedRow
    from engine.tables.stored import refit_task

    settings = _settings(mining)
    choice = build(RoleChoice, from_plain(mining["choice"]), "choice")
    network = from_plain(mining["network"]) if mining.get("network") is not None else None
    prepared, models = run_task(refit_task(table, choice, settings, network, profiles))
    saved_roles = build(Roles, from_plain(mining["roles"]), "roles")
    fields = _result_fields(mining, settings)
    leaks = [build(LeakFlag, from_plain(f), "leaks") for f in mining["leaks"]]
    result = MineResult(table.name, prepared.roles, leaks=leaks,
                        outliers=prepared.outliers, imputed=prepared.imputed, models=models, settings=settings,
                        **{k: v for k, v in fields.items() if k not in ("outliers", "imputed")})
    if saved_roles != prepared.roles:
        notices.append(t("The roles of {name} came out differently in this version of the app; the models were "
                         "trained with today's roles.", name=table.name))
    _compare(result, table, build(dict[str, list[Any]], from_plain(mining.get("check", {})), "check"), notices)
    entry = MinedTable(table.name, dict(table.source), table.rows, len(table.columns), table.change_summary(), result,
                       [build(PredictedRow, from_plain(p), "predicted") for p in mining.get("predicted", [])],
                       table=table)
    return choice, entry


def _compare(result: Any, table: Any, saved: dict[str, list[Any]], notices: list[str]) -> None:
    now = _check_predictions(result, table)
    for name, values in saved.items():
        again = now.get(name)
        if again is None:
            continue
        same = len(again) == len(values) and all(
            (isinstance(a, float) and isinstance(b, (int, float)) and abs(a - b) <= 1e-9 * max(1.0, abs(b)))
            or a == b for a, b in zip(again, values))
        if not same:
            notices.append(t("The retrained {model} of {name} predicts some of the first rows differently from the "
                             "saved one (another version of scikit-learn?); its saved scores are shown.",
                             model=name, name=table.name))


def restore(part: PartIn, context: ProjectContext) -> Restored:
    from engine.tables.profile import profile_table
    from engine.tables.roles import suggest_roles
    from engine.tables.service import OpenedTable
    from engine.tables.stored import RestoredMining

    records, minings = _records(part)
    out = Restored(KEY, summary=_summary(records, len(minings)))
    tables = [recorded_table(part, record, out.notices) for record in records]
    profiles = {i: profile_table(table) for i, table in enumerate(tables) if table is not None}
    entries, restored = [], []
    for mining in minings:
        i = mining["table"]
        if tables[i] is None:
            continue
        choice, entry = _mining(tables[i], profiles[i], mining, out.notices)
        opened = OpenedTable(tables[i], profiles[i], suggest_roles(tables[i], profiles[i], choice.target, choice.task))
        entries.append(entry)
        restored.append(RestoredMining(opened, choice, entry))
    out.session["tables"] = entries
    out.objects["tables"] = restored
    return out


PROVIDER = PartProvider(KEY, VERSION, collect, restore, check, problems)
