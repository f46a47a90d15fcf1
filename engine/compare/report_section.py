"""The Compare workspace's report section: learning curves, score against cost, the readings.

Reads ``session.compare`` (a ``CompareResult`` or None) and nothing else; every sentence comes
from ``engine.compare.readings``, so the report says what this run measured.
"""

from __future__ import annotations

from typing import Any

from engine.compare.presets import explanation_title, model_title, short_title, task_title
from engine.compare.readings import compare_readings, fmt_bytes, fmt_count, fmt_ms, fmt_score, headline
from engine.compare.results import CompareResult
from engine.compare.table_readings import direction, metric_name
from engine.core.i18n import t
from engine.report.model import Figure, Heading, Paragraph, Section, Table, as_figure, new_figure

def _result(session: Any) -> CompareResult | None:
    result = getattr(session, "compare", None)
    return result if isinstance(result, CompareResult) and result.cells else None


def compare_section(session: Any, lang: str) -> Section:
    """Both learning curves (log x), score against training time, the four-dimension table."""
    sec = Section("compare", t("Compare: deep learning and classic data mining", lang=lang))
    result = _result(session)
    if result is None:
        sec.blocks.append(Paragraph(t("No comparison was run in this session.", lang=lang), "note"))
        return sec
    sec.blocks.append(Paragraph(_setup_text(result, lang)))
    if result.table is not None:
        sec.blocks.append(Paragraph(_table_text(result, lang)))
        for notice in result.table.notices:
            sec.blocks.append(Paragraph(notice, "note"))
    if not result.complete:
        sec.blocks.append(Paragraph(t("The run was stopped early: only the finished cells are shown.", lang=lang),
                                    "note"))
    sec.blocks.append(Heading(t("Four dimensions", lang=lang)))
    readings = compare_readings(result, lang)
    sec.blocks.append(Table([t("dimension", lang=lang), task_title("digits", lang), _half_title(result, lang),
                             t("reading", lang=lang)],
                            [[r.title, r.digits, r.houses, r.text] for r in readings], widths=[1, 2, 2, 3]))
    sec.blocks.append(Heading(t("Learning curves", lang=lang)))
    sec.blocks.append(_curves_figure(result, lang))
    sec.blocks.append(_cost_figure(result, lang))
    sec.blocks.append(Heading(t("Every model at the largest size", lang=lang)))
    for task in ("digits", result.table_task):
        table = _largest_table(result, task, lang)
        if table is not None:
            sec.blocks.append(table)
    return sec


def compare_summary(session: Any, lang: str) -> str | None:
    """One line for the report's summary, or None when no comparison was run."""
    result = _result(session)
    line = headline(result, lang) if result is not None else None
    return t("Compare: {line}.", lang=lang, line=line) if line else None


def _half_title(result: CompareResult, lang: str) -> str:
    """The table half's name: "Houses (table)", or the person's table by name and target."""
    return task_title(result.table_task, lang, result.table.label if result.table else "")


def _table_text(result: CompareResult, lang: str) -> str:
    """Which table, which target, which task and metric: the reader's key to the table half."""
    info = result.table
    task = t("classification", lang=lang) if info.task == "classification" else t("regression", lang=lang)
    return t("The table half ran on {name}: target {target} ({task}), {features} feature columns, {rows} of its {read} "
             "rows. Every model of a size was cross-validated on the same 5 folds (stratified for classification) "
             "with the Tables workspace's cleaning fitted inside each training fold; score: cross-validated {metric} "
             "({direction}).", lang=lang, name=info.name, target=info.target, task=task,
             features=len(info.features), rows=fmt_count(info.rows_used), read=fmt_count(info.rows_read),
             metric=metric_name(info.metric, lang), direction=direction(info.metric, lang))


def _setup_text(result: CompareResult, lang: str) -> str:
    source = t(result.digits_source, lang=lang)
    n_test = fmt_count(result.digits_test_size)
    test = (t("{label} ({n} digits)", lang=lang, label=t(result.digits_test_source, lang=lang), n=n_test)
            if result.digits_test_source else t("{n} digits held out of {label}", lang=lang, n=n_test, label=source))
    if result.table is not None:  # the person's table: its own sentence, the digits' only when they ran
        parts = [t("Preset {preset}, run in {secs:.0f} s.", lang=lang, preset=result.preset.name, secs=result.seconds)]
        if result.sizes("digits"):
            parts.append(t("Digits: trained on up to {n} digits of {source}, scored on {test}.", lang=lang,
                           n=fmt_count(max(result.sizes("digits"))), source=source, test=test))
        parts.append(t("Table: {table}, up to {rows} training rows per fold.", lang=lang, table=result.table.label,
                       rows=fmt_count(max(result.sizes("table"), default=0))))
        return ("" if lang == "zh_CN" else " ").join(parts)
    return t("Preset {preset}, run in {secs:.0f} s. Digits: trained on up to {n} digits of {source}, scored on "
             "{test}. Houses: {houses}, cross-validated MSE over 5 folds (repeated for small sizes), up to {rows} "
             "training rows per fold.", lang=lang, preset=result.preset.name, secs=result.seconds,
             n=fmt_count(max(result.sizes("digits"), default=0)), source=source, test=test,
             houses=t(result.houses_source, lang=lang), rows=fmt_count(max(result.sizes("houses"), default=0)))


def _figure(result: CompareResult, lang: str, draw, xlabels: dict[str, str], caption: str,
            size_ticks: bool = False) -> Figure:
    """Both tasks side by side, drawn by the same code as the app's Compare tab."""
    from matplotlib.ticker import NullFormatter

    fig = new_figure(6.5, 2.7)
    ylabels = {"digits": t("test accuracy", lang=lang), "houses": t("cross-validated MSE (lower is better)", lang=lang)}
    half = result.table_task
    if half == "table":
        accuracy = any(c.task == "table" and c.metric == "accuracy" for c in result.cells) or (
            result.table is not None and result.table.metric == "accuracy")
        ylabels["table"] = (t("cross-validated accuracy (higher is better)", lang=lang) if accuracy
                            else ylabels["houses"])
        xlabels = xlabels | {"table": xlabels["houses"]}
    titles = {"digits": task_title("digits", lang), half: _half_title(result, lang)}
    for ax, task in zip(fig.subplots(1, 2), ("digits", half)):
        draw(ax, result, task, lambda m, task=task: short_title(task, m, lang), xlabels[task], ylabels[task],
             titles[task])
        ax.xaxis.set_minor_formatter(NullFormatter())  # "3×10²  4×10²" labels overlap on a short log axis
        sizes = result.sizes(task)
        if size_ticks and sizes:  # the sizes measured, written out: 250, 1,000, 60,000
            ax.set_xticks(sizes, [fmt_count(s) for s in sizes], fontsize=6.5)
    return as_figure(fig, caption)


def _curves_figure(result: CompareResult, lang: str) -> Figure:
    from engine.compare.figures import draw_learning_curves

    return _figure(result, lang, draw_learning_curves,
                   {"digits": t("training digits (log scale)", lang=lang),
                    "houses": t("training rows (log scale)", lang=lang)},
                   t("Learning curves: score against training-set size", lang=lang), size_ticks=True)


def _cost_figure(result: CompareResult, lang: str) -> Figure:
    from engine.compare.figures import draw_score_vs_time

    xlabel = t("training time in seconds (log scale)", lang=lang)
    return _figure(result, lang, draw_score_vs_time, {"digits": xlabel, "houses": xlabel},
                   t("Score against training time; each point is one training-set size", lang=lang))


def _largest_table(result: CompareResult, task: str, lang: str) -> Table | None:
    cells = [c for c in (result.largest(task, m) for m in result.models(task)) if c is not None]
    if not cells:
        return None
    score = t("accuracy", lang=lang) if cells[0].metric == "accuracy" else "MSE"
    item = {"digits": t("ms per digit", lang=lang), "houses": t("ms per house", lang=lang)}.get(
        task, t("ms per row", lang=lang))
    rows = [[model_title(task, c.model, lang), fmt_count(c.size), fmt_score(c), f"{c.train_seconds:.2f}",
             fmt_ms(c.predict_ms), fmt_bytes(c.size_bytes, lang), explanation_title(c.explanation, lang)]
            for c in cells]
    return Table([t("model", lang=lang), t("training size", lang=lang), score, t("training (s)", lang=lang), item,
                  t("size on disk", lang=lang), t("explanation", lang=lang)], rows,
                 caption=task_title(task, lang) if task == "digits" else _half_title(result, lang),
                 widths=[2.2, 1, 1, 1, 1, 1, 1.6])
