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

import io
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.errors import DataError
from engine.core.i18n import t
from engine.core.session import Session
from engine.core.tasks import run_task
from engine.project.part import PartIn, PartOut, PartProvider, ProjectContext, Restored, build, from_plain, \
    plain_dataclass, to_plain

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
        if not embed and _still_as_read(table):
            record.update(storage="referenced", path=_absolute(table.source["path"]), sha256=table.source["sha256"],
                          size=int(table.source["size"]))
        else:
            record.update(storage="embedded", file=f"tables/t{i}.parquet")
            files[record["file"]] = _parquet(table)
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


def _absolute(path: Any) -> str:
    """The path as it names the file from any working folder (a project may be opened from another)."""
    return str(Path(str(path)).expanduser().resolve())


def _still_as_read(table: Any) -> bool:
    """A file table whose file still holds what was read (else it is embedded: the table in memory is the truth)."""
    source = table.source
    if source.get("format") == "example" or not all(k in source for k in ("path", "sha256", "size")):
        return False
    return _file_state(str(source["path"]), source["size"], source["sha256"]) == "same"


def _file_state(path: str, size: Any, sha256: Any) -> str:
    """"same", "missing" or "changed": the file at ``path`` against the size and sha256 it had (read only)."""
    import hashlib

    file = Path(path)
    try:
        if not path or not file.is_file():
            return "missing"
        if isinstance(size, bool) or not isinstance(size, int) or file.stat().st_size != size:
            return "changed"
        digest = hashlib.sha256()
        with open(file, "rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError:
        return "missing"
    return "same" if digest.hexdigest() == sha256 else "changed"


def _parquet(table: Any) -> bytes:
    buffer = io.BytesIO()
    table.frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


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
        raise ValueError("tables")
    if len(tables) > MAX_TABLES or len(minings) > MAX_MININGS:
        raise ValueError(t("too many tables"))
    for record in tables:
        if not isinstance(record, dict) or record.get("storage") not in ("embedded", "referenced"):
            raise ValueError("storage")
        if record["storage"] == "embedded" and record.get("file") not in part.names:
            raise ValueError(t("an embedded table's file is missing"))
        if not isinstance(record.get("kinds"), dict) or not isinstance(record.get("columns"), list):
            raise ValueError("kinds")
    for mining in minings:
        if not isinstance(mining, dict) or not isinstance(mining.get("table"), int) or \
                not 0 <= mining["table"] < len(tables):
            raise ValueError("mining")
        _result_fields(mining, _settings(mining))
    return tables, minings


def _result_fields(mining: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The saved results, each of its kind and consistent with the settings, as the Tables views read
    them (a recommended model that was not trained, or a ragged confusion matrix, would raise there)."""
    raw = from_plain(mining["result"])
    if not isinstance(raw, dict):
        raise ValueError("result")
    fields = {k: build(kind, raw[k]) for k, kind in RESULT_FIELDS.items()}
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

    settings = build(MineSettings, from_plain(mining["settings"]))
    sizes = settings.sizes
    bad = [k for k, limit in LIMITS.items() if not 1 <= getattr(sizes, k) <= limit]
    if (bad or not settings.models or any(m not in MODEL_NAMES for m in settings.models)
            or not 2 <= settings.folds <= 20 or not 20 <= settings.cv_max_rows <= 10_000_000
            or (sizes.tree_depth is not None and not 1 <= sizes.tree_depth <= 64)
            or len(sizes.mlp_hidden) > 8 or any(not 1 <= n <= 4096 for n in sizes.mlp_hidden)
            or (settings.top_k is not None and settings.top_k < 1) or settings.impute not in ("median", "drop")):
        raise ValueError(t("impossible model settings"))
    return settings


def _check_parquet(raw: bytes, record: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from engine.tables.reading import MAX_CELLS

    try:
        meta = pq.read_metadata(pa.BufferReader(raw))
    except (pa.ArrowException, OSError) as exc:
        raise ValueError(t("an embedded table does not match its description")) from exc
    if meta.num_rows != record.get("rows") or meta.num_columns != len(record["columns"]) or \
            meta.num_rows * max(1, meta.num_columns) > MAX_CELLS:
        raise ValueError(t("an embedded table does not match its description"))


def _states(part: PartIn, tables: list[dict[str, Any]]) -> dict[int, str]:
    """Each referenced table's file against what was saved, looked at once per reading of the part
    (``check`` and ``problems`` both need it: a large file is hashed once)."""
    if "file_states" not in part.memo:
        part.memo["file_states"] = {i: _file_state(str(r.get("path", "")), r.get("size"), r.get("sha256"))
                                    for i, r in enumerate(tables) if r["storage"] == "referenced"}
    return part.memo["file_states"]


def check(part: PartIn) -> str:
    tables, minings = _records(part)
    for record in tables:
        if record["storage"] == "embedded":
            _check_parquet(part.read(record["file"]), record)
    return _summary(tables, len(minings), _states(part, tables))


def problems(part: PartIn) -> list[str]:
    """Each table kept by reference whose file moved or changed: opening would leave it and its results out."""
    tables, _ = _records(part)
    found = []
    for i, state in _states(part, tables).items():
        record = tables[i]
        path, name = str(record.get("path", "")), record.get("name", "?")
        if state == "missing":
            found.append(t("The table {name} was not found at {path} (moved or deleted).", name=name, path=path))
        elif state == "changed":
            found.append(t("The table {name} at {path} changed since the project was saved.", name=name, path=path))
    return found


# --- restoring --------------------------------------------------------------------------------
def _table(part: PartIn, record: dict[str, Any], notices: list[str]) -> Any | None:
    from engine.tables.reading import ReadOptions, read_table
    from engine.tables.table import CellChange, Table

    source = dict(record.get("source") or {})
    if record["storage"] == "embedded":
        _check_parquet(part.read(record["file"]), record)  # its size from its metadata, before any row is read
        read = read_table(part.path(record["file"]))
    else:
        path = str(record.get("path", ""))
        sheet = source.get("sheet")
        options = ReadOptions(decimal=source.get("decimal"), encoding=source.get("encoding"),
                              delimiter=source.get("delimiter"), sheet=sheet if isinstance(sheet, (str, int)) else None)
        state = _file_state(path, record.get("size"), record.get("sha256"))
        if state == "missing":
            notices.append(t("The table {name} was not found at {path} (moved or deleted); it and its results were "
                             "left out. Open the file again to mine it.", name=record.get("name", "?"), path=path))
            return None
        try:
            read = read_table(path, options) if state == "same" else None
        except DataError:
            read = None
        if read is None or read.source.get("sha256") != record.get("sha256") or \
                read.source.get("size") != record.get("size"):
            notices.append(t("The table {name} at {path} changed since the project was saved (its checksum differs); "
                             "it was not used, and its results were left out.", name=record.get("name", "?"),
                             path=path))
            return None
    kinds = {str(k): str(v) for k, v in record["kinds"].items()}
    if read.columns != [str(c) for c in record["columns"]] or read.kinds != kinds or read.rows != record.get("rows"):
        raise ValueError(t("a table does not match its description"))
    if record["storage"] == "embedded":
        lines = from_plain(record.get("lines"))
        changes = [build(CellChange, c) for c in record.get("changes", [])]
        counts = build(dict[str, int], record.get("change_counts", {}))
        read = Table(str(record.get("name", read.name)), read.frame, kinds, source, changes, counts,
                     str(record.get("line_label", "line")), lines if isinstance(lines, np.ndarray) else None,
                     int(record.get("first_line", 2)), [str(n) for n in record.get("notes", [])])
    else:
        read.name, read.notes = str(record.get("name", read.name)), [str(n) for n in record.get("notes", [])]
    return read


def _mining(table: Any, profiles: Any, mining: dict[str, Any], notices: list[str]) -> Any:
    from engine.tables.leakage import LeakFlag
    from engine.tables.mining import MineResult
    from engine.tables.roles import RoleChoice, Roles
    from engine.tables.service import MinedTable, PredictedRow
    from engine.tables.stored import refit_task

    settings = _settings(mining)
    choice = build(RoleChoice, from_plain(mining["choice"]))
    network = from_plain(mining["network"]) if mining.get("network") is not None else None
    prepared, models = run_task(refit_task(table, choice, settings, network, profiles))
    saved_roles = build(Roles, from_plain(mining["roles"]))
    fields = _result_fields(mining, settings)
    result = MineResult(table.name, prepared.roles, leaks=[build(LeakFlag, from_plain(f)) for f in mining["leaks"]],
                        outliers=prepared.outliers, imputed=prepared.imputed, models=models, settings=settings,
                        **{k: v for k, v in fields.items() if k not in ("outliers", "imputed")})
    if saved_roles != prepared.roles:
        notices.append(t("The roles of {name} came out differently in this version of the app; the models were "
                         "trained with today's roles.", name=table.name))
    _compare(result, table, build(dict[str, list[Any]], from_plain(mining.get("check", {}))), notices)
    entry = MinedTable(table.name, dict(table.source), table.rows, len(table.columns), table.change_summary(), result,
                       [build(PredictedRow, from_plain(p)) for p in mining.get("predicted", [])], table=table)
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
    tables = [_table(part, record, out.notices) for record in records]
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
