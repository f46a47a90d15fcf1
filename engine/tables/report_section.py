"""The Tables workspace's report section: per mined table its data summary, cleaning steps with their
counts, roles and leakage flags, the cross-validation table, importances and the rows explained."""

from __future__ import annotations

import math

from engine.core.i18n import t
from engine.core.session import Session
from engine.report.model import Heading, Paragraph, Section, Table


def tables_section(session: Session, lang: str) -> Section:
    from engine.tables.pipeline import model_label
    from engine.tables.roles import reason_text

    sec = Section("tables", t("Tables: your own data, mined", lang=lang))
    mined = list(getattr(session, "tables", None) or [])
    if not mined:
        sec.blocks.append(Paragraph(t("No table was mined in this session.", lang=lang), "note"))
        return sec
    for entry in mined:
        r = entry.result
        sec.blocks.append(Heading(entry.table_name))
        sec.blocks.append(Paragraph(t("{rows} rows × {columns} columns; target {target} ({task}); {used} rows used, "
                                      "{cv} in cross-validation.", lang=lang, rows=entry.rows, columns=entry.columns,
                                      target=r.target, task=t(r.task, lang=lang), used=r.rows_used, cv=r.cv_rows)))
        steps = [[t("cells not taken as written", lang=lang), str(sum(n for _, _, n in entry.change_summary))],
                 [t("rows without a target, left out", lang=lang), str(r.dropped_target)],
                 [t("rows with a missing feature, dropped", lang=lang), str(r.dropped_missing)]]
        steps += [[t("missing {column}, imputed (median / most frequent)", lang=lang, column=c), str(n)]
                  for c, n in r.imputed.items()]
        steps += [[t("outliers flagged in {column} (kept)", lang=lang, column=c), str(n)] for c, n in r.outliers.items()]
        sec.blocks.append(Heading(t("Cleaning steps", lang=lang), 3))
        sec.blocks.append(Table([t("step", lang=lang), t("count", lang=lang)], steps, widths=[3, 1]))
        for column, reason, n in entry.change_summary[:20]:
            sec.blocks.append(Paragraph(f"• {column}: {reason} × {n}"))
        sec.blocks.append(Heading(t("Column roles", lang=lang), 3))
        roles = [[r.target, t("target", lang=lang)]] + [[f, t("feature", lang=lang)] for f in r.roles.features]
        roles += [[c, t(reason_text(code), lang=lang)] for c, code in r.roles.ignored]
        sec.blocks.append(Table([t("column", lang=lang), t("role", lang=lang)], roles, widths=[1, 2]))
        for flag in r.leaks:
            sec.blocks.append(Paragraph(t("Target leakage: {column} alone scores {metric} {score} — {what}.", lang=lang,
                                          column=flag.column, metric=flag.metric, score=f"{flag.score:.3f}",
                                          what=t("kept on purpose", lang=lang) if flag.kept
                                          else t("left out", lang=lang)), "note"))
        metrics = list(next(iter(r.cv.values())))
        rows = [[model_label(m) + (" ★" if m == r.best else "")] + [_num(s[k]) for k in metrics]
                for m, s in r.cv.items()]
        sec.blocks.append(Heading(t("5-fold cross-validation", lang=lang), 3))
        sec.blocks.append(Table([t("model", lang=lang)] + metrics, rows, caption=r.best_reason))
        ranked = sorted(r.ranking.items(), key=lambda kv: -kv[1]["mutual_information"])[:15]
        sec.blocks.append(Heading(t("Feature ranking", lang=lang), 3))
        sec.blocks.append(Table([t("column", lang=lang), t("mutual information", lang=lang),
                                 t("permutation importance", lang=lang)],
                                [[c, _num(v["mutual_information"]), _num(v["permutation"])] for c, v in ranked]))
        if entry.predicted:
            sec.blocks.append(Heading(t("Rows explained", lang=lang), 3))
            for p in entry.predicted:
                where = t("row {n}", lang=lang, n=p.row + 1) if p.row is not None else t("form", lang=lang)
                sec.blocks.append(Paragraph(f"{where}: {p.prediction} ({model_label(p.model)})"))
                sec.blocks.append(Paragraph(p.rule_path, "mono"))
    return sec


def _num(value: float) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.4g}"


def tables_summary(session: Session, lang: str) -> str | None:
    from engine.tables.pipeline import model_label

    mined = list(getattr(session, "tables", None) or [])
    if not mined:
        return None
    last = mined[-1].result
    return t("Tables: {n} table(s) mined; the last, {name}, recommends {model}.", lang=lang, n=len(mined),
             name=mined[-1].table_name, model=model_label(last.best))
