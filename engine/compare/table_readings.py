"""The readings' sentences about the person's own table, chosen from its measured cells.

Boston keeps its own sentences (``readings``: the article's story of trees winning on a table, told
against the numbers). A person's table has no expected winner: each sentence names the table and its
target, the metric and which way it is better, who won at which size and by how much.
"""

from __future__ import annotations

from engine.compare.presets import model_title, short_title
from engine.compare.results import CompareCell, CompareResult, TableInfo, fmt_mse
from engine.core.i18n import t

TASK = "table"


def fmt_table_score(cell: CompareCell) -> str:
    return f"{cell.score:.1%}" if cell.metric == "accuracy" else fmt_mse(cell.score)


def metric_name(metric: str, lang: str | None) -> str:
    return t("accuracy", lang=lang) if metric == "accuracy" else "MSE"


def direction(metric: str, lang: str | None) -> str:
    return t("higher is better", lang=lang) if metric == "accuracy" else t("lower is better", lang=lang)


def margin(winner: CompareCell, loser: CompareCell, lang: str | None) -> str:
    """By how much the winner won: points of accuracy, or how much lower its MSE was."""
    if winner.metric == "accuracy":
        return t("{points} points higher", lang=lang, points=f"{(winner.score - loser.score) * 100:.1f}")
    share = (loser.score - winner.score) / loser.score if loser.score > 0 else 0.0
    return t("{share} lower", lang=lang, share=f"{share:.0%}")


def _args(info: TableInfo, net: CompareCell, rival: CompareCell, lang: str | None) -> dict:
    return dict(lang=lang, table=info.label, net=short_title(TASK, net.model, lang),
                rival=short_title(TASK, rival.model, lang), metric=metric_name(info.metric, lang),
                x=fmt_table_score(net), y=fmt_table_score(rival), direction=direction(info.metric, lang),
                n=f"{net.size:,}")


def data_type_numbers(info: TableInfo, net: CompareCell, rival: CompareCell, lang: str | None) -> str:
    return t("{b} {metric} {y} vs {a} {metric} {x} at {n} rows", lang=lang, b=model_title(TASK, rival.model, lang),
             a=short_title(TASK, net.model, lang), metric=metric_name(info.metric, lang), y=fmt_table_score(rival),
             x=fmt_table_score(net), n=f"{net.size:,}")


def data_type_text(info: TableInfo, net: CompareCell, rival: CompareCell, lang: str | None) -> str:
    """Who won at the largest size both were measured at, by how much, and which way the metric goes."""
    if not net.better_than(rival) and not rival.better_than(net):
        return t("On {table} the {net} and the {rival} scored the same: {metric} {x} ({direction}).",
                 **_args(info, net, rival, lang))
    winner, loser = (net, rival) if net.better_than(rival) else (rival, net)
    return t("On {table} the {winner} won at {n} rows: {metric} {w} vs {l} for the {loser} ({by}; {direction}).",
             lang=lang, table=info.label, winner=short_title(TASK, winner.model, lang),
             loser=short_title(TASK, loser.model, lang), metric=metric_name(info.metric, lang),
             w=fmt_table_score(winner), l=fmt_table_score(loser), by=margin(winner, loser, lang),
             direction=direction(info.metric, lang), n=f"{winner.size:,}")


def data_needed_text(info: TableInfo, kind: str, net: CompareCell, rival: CompareCell, lang: str | None) -> str:
    """``kind`` from ``readings.crossing``; ``net`` and ``rival`` at the size that tells."""
    args = _args(info, net, rival, lang)
    return {
        "always": t("On {table} the {net} was ahead of the {rival} at every size, from {n} rows on ({metric} {x} vs "
                    "{y}; {direction}).", **args),
        "never": t("On {table} the {rival} stayed ahead of the {net} at every size, up to {n} rows ({metric} {y} vs "
                   "{x}; {direction}).", **args),
        "from": t("On {table} the {net} caught up with the {rival} from {n} rows on ({metric} {x} vs {y}; "
                  "{direction}).", **args),
        "lost_lead": t("On {table} the {rival} ended ahead of the {net} at {n} rows ({metric} {y} vs {x}; "
                       "{direction}), though the {net} led at some smaller sizes.", **args),
        "level": t("On {table} the {net} and the {rival} ended level at {n} rows ({metric} {x} each).", **args),
    }[kind]


def cost_text(info: TableInfo, net: CompareCell, rival: CompareCell, ratio: float, shown: str,
              lang: str | None) -> str:
    """``ratio`` = the network's training seconds over the rival's; ``shown`` = it formatted."""
    args = dict(lang=lang, table=info.label, net=short_title(TASK, net.model, lang),
                rival=short_title(TASK, rival.model, lang), r=shown)
    if ratio >= 1:
        return t("On {table} the {net} took {r}× as long to train as the {rival}.", **args)
    return t("On {table} the {net} trained {r}× faster than the {rival}.", **args)


def headline_part(info: TableInfo, net: CompareCell, rival: CompareCell, lang: str | None) -> str:
    return t("{table}: {b} {metric} {y} vs {a} {metric} {x} ({n} rows)", lang=lang, table=info.label,
             b=short_title(TASK, rival.model, lang), a=short_title(TASK, net.model, lang),
             metric=metric_name(info.metric, lang), y=fmt_table_score(rival), x=fmt_table_score(net),
             n=f"{net.size:,}")


def table_of(result: CompareResult, lang: str | None) -> TableInfo:
    """The result's table record; for cells of a table without one (a partial run), an unnamed stand-in
    with the cells' metric."""
    if result.table is not None:
        return result.table
    metric = next((c.metric for c in result.cells if c.task == TASK), "mse")
    return TableInfo(t("your table", lang=lang), "…", "classification" if metric == "accuracy" else "regression",
                     metric, 0, 0)
