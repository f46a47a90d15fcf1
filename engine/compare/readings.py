"""Readings: what the measurements say along the article's four dimensions, written from the data.

Nothing here is a canned conclusion. Each sentence is chosen by comparing the measured cells
(who is ahead, from which size on, how many times slower), so a run that contradicts the usual
story says what was measured instead ("On this machine the forest stayed ahead …").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from engine.compare import table_readings as own
from engine.compare.presets import CLASSIC, explanation_title, model_title, short_title
from engine.compare.results import CompareCell, CompareResult
from engine.core.i18n import get_language, t

DIMENSIONS = ("data_type", "data_needed", "cost", "explainability")


@dataclass(frozen=True)
class Reading:
    """One row of the four-dimension table."""

    dimension: str  # "data_type" | "data_needed" | "cost" | "explainability"
    title: str  # the dimension's name, in the language asked for
    digits: str  # the numbers measured on pixels
    houses: str  # the numbers measured on the table (Boston's, or the person's table's)
    text: str  # the reading, one or two sentences

    @property
    def measured(self) -> str:
        """Both tasks' numbers in one cell, for a three-column table."""
        return "\n".join(part for part in (self.digits, self.houses) if part and part != "—") or "—"


# --- formatting ---------------------------------------------------------------------------------
def fmt_count(n: int) -> str:
    return f"{n:,}"


def fmt_score(cell: CompareCell) -> str:
    if cell.task == "table":
        return own.fmt_table_score(cell)
    return f"{cell.score:.1%}" if cell.metric == "accuracy" else f"{cell.score:.1f}"


def fmt_seconds(seconds: float, lang: str | None = None) -> str:
    value = f"{seconds:.2f}" if seconds < 1 else f"{seconds:.1f}" if seconds < 10 else f"{seconds:.0f}"
    return t("{value} s", lang=lang, value=value)


def fmt_ms(ms: float) -> str:
    return f"{ms:.3f}" if ms < 0.1 else f"{ms:.2f}" if ms < 10 else f"{ms:.0f}"


def fmt_bytes(n: int, lang: str | None = None) -> str:
    if n >= 1_000_000:
        return t("{value} MB", lang=lang, value=f"{n / 1e6:.1f}")
    return t("{value} kB", lang=lang, value=f"{n / 1e3:.0f}")


def fmt_ratio(r: float) -> str:
    return f"{r:.0f}" if r >= 10 else f"{r:.1f}"


def _join(parts: list[str], lang: str | None) -> str:
    parts = [p for p in parts if p]
    return ("" if (lang or get_language()) == "zh_CN" else " ").join(parts)


def _list(names: list[str], lang: str | None) -> str:
    """"a, b and c" in English, "a、b和c" in Chinese."""
    if len(names) < 2:
        return "".join(names)
    return t("{a} and {b}", lang=lang, a=t(", ", lang=lang).join(names[:-1]), b=names[-1])


# --- who to compare -----------------------------------------------------------------------------
def pair(result: CompareResult, task: str) -> tuple[str | None, str | None]:
    """(network, classic rival): the CNN (else the MLP) against the best tree model at the
    largest size both were measured at."""
    models = result.models(task)
    net = "cnn" if "cnn" in models else "mlp" if "mlp" in models else None
    classic = [m for m in models if m in CLASSIC]
    if net is None or not classic:
        return net, classic[0] if classic else None
    sizes = [s for s in result.sizes(task) if result.cell(task, net, s) is not None
             and any(result.cell(task, m, s) is not None for m in classic)]
    if not sizes:
        return net, classic[0]
    cells = [c for c in (result.cell(task, m, sizes[-1]) for m in classic) if c is not None]
    best = cells[0]
    for c in cells[1:]:
        if c.better_than(best):
            best = c
    return net, best.model


def common_sizes(result: CompareResult, task: str, a: str, b: str) -> list[int]:
    return [s for s in result.sizes(task) if result.cell(task, a, s) and result.cell(task, b, s)]


def crossing(result: CompareResult, task: str, net: str, rival: str) -> tuple[str, int | None, list[int]]:
    """How the network fares against the rival over the sizes: ("always" | "never" | "from" |
    "lost_lead" | "level", the size that tells, the sizes compared). "level": equal at the largest size
    (accuracies on a small table often are), never told as a loss."""
    sizes = common_sizes(result, task, net, rival)
    ahead = [result.cell(task, net, s).better_than(result.cell(task, rival, s)) for s in sizes]
    if not sizes:
        return "none", None, sizes
    last_net, last_rival = result.cell(task, net, sizes[-1]), result.cell(task, rival, sizes[-1])
    if not last_net.better_than(last_rival) and not last_rival.better_than(last_net):
        return "level", sizes[-1], sizes
    if all(ahead):
        return "always", sizes[0], sizes
    if not any(ahead):
        return "never", sizes[-1], sizes
    if not ahead[-1]:
        return "lost_lead", sizes[-1], sizes
    first = len(ahead) - 1
    while first > 0 and ahead[first - 1]:
        first -= 1
    return "from", sizes[first], sizes


# --- the four rows -----------------------------------------------------------------------------
def compare_readings(result: CompareResult, lang: str | None = None) -> list[Reading]:
    """The four rows (data type, data needed, computing cost, explainability) in ``lang``."""
    return [_data_type(result, lang), _data_needed(result, lang), _cost(result, lang), _explainability(result, lang)]


def result_with_readings(result: CompareResult, lang: str | None = None) -> dict[str, Any]:
    """The result as JSON-ready data with its readings in ``lang`` (``deepmine compare --json``)."""
    return result.to_dict() | {"readings": [asdict(r) for r in compare_readings(result, lang)]}


def _at_largest(result: CompareResult, task: str) -> tuple[CompareCell, CompareCell] | None:
    net, rival = pair(result, task)
    if net is None or rival is None:
        return None
    sizes = common_sizes(result, task, net, rival)
    if not sizes:
        return None
    return result.cell(task, net, sizes[-1]), result.cell(task, rival, sizes[-1])


def _data_type(result: CompareResult, lang: str | None) -> Reading:
    title = t("Data type", lang=lang)
    digits_nums = houses_nums = "—"
    parts = []
    found = _at_largest(result, "digits")
    if found:
        n, c = found
        digits_nums = t("{a} {x} vs {b} {y} at {n} digits", lang=lang, a=model_title("digits", n.model, lang),
                        x=fmt_score(n), b=short_title("digits", c.model, lang), y=fmt_score(c), n=fmt_count(n.size))
        args = dict(lang=lang, net=short_title("digits", n.model, lang), rival=short_title("digits", c.model, lang),
                    x=fmt_score(n), y=fmt_score(c))
        parts.append(t("On pixels the {net} won ({x} vs {y} for the {rival}).", **args) if n.better_than(c) else
                     t("On this machine the {rival} beat the {net} on pixels ({y} vs {x}).", **args))
    found = _at_largest(result, "table")
    if found:
        info = own.table_of(result, lang)
        houses_nums = own.data_type_numbers(info, *found, lang)
        parts.append(own.data_type_text(info, *found, lang))
    found = _at_largest(result, "houses")
    if found:
        n, c = found
        houses_nums = t("{b} MSE {y} vs {a} MSE {x} at {n} rows", lang=lang, a=short_title("houses", n.model, lang),
                        x=fmt_score(n), b=model_title("houses", c.model, lang), y=fmt_score(c), n=fmt_count(n.size))
        args = dict(lang=lang, net=short_title("houses", n.model, lang), rival=short_title("houses", c.model, lang),
                    x=fmt_score(n), y=fmt_score(c))
        parts.append(t("On the table the {rival} won (MSE {y} vs {x} for the {net}).", **args)
                     if c.better_than(n) else
                     t("On this machine the {net} beat the {rival} on the table (MSE {x} vs {y}).", **args))
    text = _join(parts, lang) or t("Not measured yet.", lang=lang)
    return Reading("data_type", title, digits_nums, houses_nums, text)


def _data_needed(result: CompareResult, lang: str | None) -> Reading:
    title = t("Data needed", lang=lang)
    nums = {"digits": "—", "houses": "—"}
    parts = []
    for task in ("digits", result.table_task):
        net, rival = pair(result, task)
        if net is None or rival is None:
            continue
        kind, size, sizes = crossing(result, task, net, rival)
        if kind == "none":
            continue
        n, c = result.cell(task, net, size), result.cell(task, rival, size)
        wins = sum(result.cell(task, net, s).better_than(result.cell(task, rival, s)) for s in sizes)
        args = dict(lang=lang, net=short_title(task, net, lang), rival=short_title(task, rival, lang),
                    x=fmt_score(n), y=fmt_score(c), n=fmt_count(size))
        nums["digits" if task == "digits" else "houses"] = t("{net} ahead at {k} of {m} sizes", lang=lang,
                                                             net=model_title(task, net, lang), k=wins, m=len(sizes))
        if task == "table":
            parts.append(own.data_needed_text(own.table_of(result, lang), kind, n, c, lang))
        elif task == "digits":
            parts.append({
                "always": t("On pixels the {net} was ahead of the {rival} at every size, from {n} digits on "
                            "({x} vs {y}).", **args),
                "never": t("On this machine the {rival} stayed ahead of the {net} up to {n} digits ({y} vs {x}).",
                           **args),
                "from": t("On pixels the {net} passes the {rival} from {n} digits on ({x} vs {y}).", **args),
                "lost_lead": t("On this machine the {rival} ended ahead of the {net} at {n} digits ({y} vs {x}), "
                               "though the {net} led at some smaller sizes.", **args),
                "level": t("On pixels the {net} and the {rival} ended level at {n} digits ({x} each).", **args),
            }[kind])
        else:
            parts.append({
                "always": t("On this machine the {net} beat the {rival} on the table at every size (MSE {x} vs {y} "
                            "at {n} rows).", **args),
                "never": t("On the table, the {rival} beats the {net} at every size (MSE {y} vs {x} at {n} rows).",
                           **args),
                "from": t("On the table the {net} caught up with the {rival} from {n} rows on (MSE {x} vs {y}).",
                          **args),
                "lost_lead": t("On the table the {rival} ended ahead of the {net} at {n} rows (MSE {y} vs {x}), "
                               "though the {net} led at some smaller sizes.", **args),
                "level": t("On the table the {net} and the {rival} ended level at {n} rows (MSE {x} each).",
                           **args),
            }[kind])
    text = _join(parts, lang) or t("Not measured yet.", lang=lang)
    return Reading("data_needed", title, nums["digits"], nums["houses"], text)


def _cost_numbers(task: str, cell: CompareCell, lang: str | None) -> str:
    item = {"digits": t("ms per digit", lang=lang), "houses": t("ms per house", lang=lang)}.get(
        task, t("ms per row", lang=lang))
    return t("{model}: {train} to train, {predict} {item}, {size} on disk", lang=lang,
             model=model_title(task, cell.model, lang), train=fmt_seconds(cell.train_seconds, lang),
             predict=fmt_ms(cell.predict_ms), item=item, size=fmt_bytes(cell.size_bytes, lang))


def _cost(result: CompareResult, lang: str | None) -> Reading:
    title = t("Computing cost", lang=lang)
    nums = {"digits": "—", "houses": "—"}
    parts = []
    for task in ("digits", result.table_task):
        found = _at_largest(result, task)
        if not found:
            continue
        n, c = found
        nums["digits" if task == "digits" else "houses"] = t("; ", lang=lang).join(
            _cost_numbers(task, cell, lang) for cell in (n, c))
        ratio = n.train_seconds / max(c.train_seconds, 1e-9)
        args = dict(lang=lang, net=short_title(task, n.model, lang), rival=short_title(task, c.model, lang),
                    n=fmt_count(n.size))
        if task == "table":
            shown = fmt_ratio(ratio) if ratio >= 1 else fmt_ratio(1 / ratio)
            parts.append(own.cost_text(own.table_of(result, lang), n, c, ratio, shown, lang))
        elif task == "digits":
            parts.append(t("On {n} digits the {net} took {r}× as long to train as the {rival}.", r=fmt_ratio(ratio),
                           **args) if ratio >= 1 else
                         t("On this machine the {net} trained {r}× faster than the {rival} on {n} digits.",
                           r=fmt_ratio(1 / ratio), **args))
        else:
            parts.append(t("On the table the {net} took {r}× as long to train as the {rival}.", r=fmt_ratio(ratio),
                           **args) if ratio >= 1 else
                         t("On this machine the {net} trained {r}× faster than the {rival} on the table.",
                           r=fmt_ratio(1 / ratio), **args))
    text = _join(parts, lang) or t("Not measured yet.", lang=lang)
    return Reading("cost", title, nums["digits"], nums["houses"], text)


def _explain_numbers(task: str, cell: CompareCell, lang: str | None) -> str:
    d = cell.details
    if cell.explanation == "rule_path" and "depth" in d:
        extra = t("depth {depth}, {leaves} leaves", lang=lang, depth=int(d["depth"]),
                  leaves=fmt_count(int(d["leaves"])))
    elif "parameters" in d:
        extra = t("{n} weights", lang=lang, n=fmt_count(int(d["parameters"])))
    elif "trees" in d:
        extra = t("{n} trees", lang=lang, n=fmt_count(int(d["trees"])))
    else:
        extra = ""
    args = dict(lang=lang, model=model_title(task, cell.model, lang), kind=explanation_title(cell.explanation, lang))
    return t("{model}: {kind} ({extra})", extra=extra, **args) if extra else t("{model}: {kind}", **args)


def _explainability(result: CompareResult, lang: str | None) -> Reading:
    title = t("Explainability", lang=lang)
    nums = {}
    largest: dict[str, dict[str, CompareCell]] = {}
    for task, half in (("digits", "digits"), (result.table_task, "houses")):  # the table half's key: "houses"
        cells = {m: result.largest(task, m) for m in result.models(task)}
        largest[half] = {m: c for m, c in cells.items() if c is not None}
        explained = [_explain_numbers(task, c, lang) for c in largest[half].values()]
        nums[half] = t("; ", lang=lang).join(explained) or "—"
    parts = []
    trees = {task: cells["tree"] for task, cells in largest.items() if "tree" in cells and "depth" in
             cells["tree"].details}
    if "digits" in trees and "houses" in trees:
        parts.append(t("Only the decision tree gives a rule path: at most {dh} questions on the table, but {dd} "
                       "questions about single pixels on digits ({leaves} leaves).", lang=lang,
                       dh=int(trees["houses"].details["depth"]), dd=int(trees["digits"].details["depth"]),
                       leaves=fmt_count(int(trees["digits"].details["leaves"]))))
    elif trees:
        task, cell = next(iter(trees.items()))
        parts.append(t("Only the decision tree gives a rule path (at most {d} questions).", lang=lang,
                       d=int(cell.details["depth"])))
    ranked = [m for m in CLASSIC if any(m in cells and cells[m].explanation == "feature_importances"
                                        for cells in largest.values())]
    if ranked:
        names = _list([short_title("houses", m, lang) for m in ranked], lang)
        parts.append(t("The {models} only rank the features by importance.", lang=lang, models=names))
    nets = [c for cells in largest.values() for c in cells.values() if c.explanation == "saliency"
            and "parameters" in c.details]
    if nets:
        big = max(nets, key=lambda c: c.details["parameters"])
        parts.append(t("The networks can show a saliency map, computed through up to {n} weights ({net}).",
                       lang=lang, n=fmt_count(int(big.details["parameters"])),
                       net=model_title(big.task, big.model, lang)))
    text = _join(parts, lang) or t("Not measured yet.", lang=lang)
    return Reading("explainability", title, nums["digits"], nums["houses"], text)


def headline(result: CompareResult, lang: str | None = None) -> str | None:
    """One line for a summary: each task's network against its rival at the largest size."""
    parts = []
    found = _at_largest(result, "digits")
    if found:
        n, c = found
        parts.append(t("digits: {a} {x} vs {b} {y} ({n} digits)", lang=lang, a=short_title("digits", n.model, lang),
                       x=fmt_score(n), b=short_title("digits", c.model, lang), y=fmt_score(c), n=fmt_count(n.size)))
    found = _at_largest(result, "table")
    if found:
        parts.append(own.headline_part(own.table_of(result, lang), *found, lang))
    found = _at_largest(result, "houses")
    if found:
        n, c = found
        parts.append(t("houses: {b} MSE {y} vs {a} MSE {x} ({n} rows)", lang=lang,
                       a=short_title("houses", n.model, lang), x=fmt_score(n), b=short_title("houses", c.model, lang),
                       y=fmt_score(c), n=fmt_count(n.size)))
    return t("; ", lang=lang).join(parts) if parts else None
