"""The lab's report section: the person's network (layers, curves, gradient plot, test results)
and the guided experiments' measured results with their readings.

The session carries the lab's material as plain data in ``session.lab`` (set by
``record_lab_run`` / ``record_experiment``): ``{"runs": [...], "experiments": {name: result}}``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.core.i18n import t
from engine.core.session import Session
from engine.lab.readings import experiment_readings, experiment_title, fix_title
from engine.report.model import Figure, Heading, Paragraph, Section, Table, as_figure, new_figure, pct


def _lab(session: Session) -> dict[str, Any]:
    lab = getattr(session, "lab", None)
    if not isinstance(lab, dict):
        lab = {"runs": [], "experiments": {}}
        session.lab = lab  # type: ignore[attr-defined] — the lab's own part of the session
    return lab


def record_lab_run(session: Session, run: dict[str, Any]) -> None:
    """A finished Run of the person's network (``train_network_task``'s result)."""
    _lab(session)["runs"].append(run)


def record_experiment(session: Session, result: dict[str, Any]) -> None:
    """A finished guided experiment; a rerun replaces the earlier one."""
    _lab(session)["experiments"][result["experiment"]] = result


def _value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v)
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def lab_section(session: Session, lang: str) -> Section:
    sec = Section("lab", t("Deep-learning lab", lang=lang))
    lab = _lab(session)
    if not lab["runs"] and not lab["experiments"]:
        sec.blocks.append(Paragraph(t("Nothing was run in the lab in this session.", lang=lang), "note"))
        return sec
    if lab["runs"]:
        _run_blocks(sec, lab["runs"][-1], lang)
    for name, result in lab["experiments"].items():
        _experiment_blocks(sec, result, lang)
    return sec


def _run_blocks(sec: Section, run: dict[str, Any], lang: str) -> None:
    from engine.core.figures import draw_confusion, draw_curves
    from engine.lab.recipe import recipe_from_dict

    recipe = recipe_from_dict(run["recipe"])
    sec.blocks.append(Heading(t("The network", lang=lang)))
    rows = [[str(i), s.name, "×".join(map(str, s.output_shape)), f"{s.params:,}", f"{s.macs:,}"]
            for i, s in enumerate(recipe.network.sizes, 1)]
    sec.blocks.append(Table([t("no.", lang=lang), t("layer", lang=lang), t("output", lang=lang),
                             t("parameters", lang=lang), t("multiply-adds", lang=lang)], rows,
                            caption=t("{params} parameters, {macs} multiply-adds per digit; loss {loss}, optimiser "
                                      "{opt}, learning rate {lr:g}", lang=lang, params=f"{recipe.network.params:,}",
                                      macs=f"{recipe.network.macs:,}", loss=recipe.loss, opt=recipe.optimizer,
                                      lr=recipe.learning_rate)))
    if run["diverged"]:
        sec.blocks.append(Paragraph(run["reason"], "note"))
    if run["history"]:
        fig = new_figure(6.5, 2.4)
        draw_curves(fig, run["history"], {"loss": t("Loss", lang=lang), "accuracy": t("Accuracy", lang=lang),
                                          "epoch": t("Epoch", lang=lang), "training": t("training", lang=lang),
                                          "validation": t("validation", lang=lang)})
        sec.blocks.append(as_figure(fig, t("Training curves per epoch", lang=lang)))
    if run["gradient_norms"]:
        sec.blocks.append(gradient_figure({"": run}, lang))
    if run.get("val_accuracy") is not None:
        sec.blocks.append(Paragraph(t("Held-out accuracy {val} on {n} digits (training accuracy {tr}).", lang=lang,
                                      val=pct(run["val_accuracy"]), n=run["val_size"], tr=pct(run["train_accuracy"]))))
        fig = new_figure(3.6, 3.3)
        ax = fig.add_subplot(111)
        draw_confusion(ax, run["confusion"], t("Predicted", lang=lang), t("True", lang=lang))
        sec.blocks.append(as_figure(fig, t("Confusion matrix (rows: true digit, columns: predicted)", lang=lang)))


def gradient_figure(runs: dict[str, dict[str, Any]], lang: str) -> Figure:
    """Gradient norm of every weighted layer over the batches, log scale (first and last layers of
    each variant when several are drawn)."""
    fig = new_figure(6.5, 2.6)
    ax = fig.add_subplot(111)
    for label, run in runs.items():
        points = run["gradient_norms"]
        if not points:
            continue
        batches = [p["batch"] for p in points]
        norms = np.array([[np.nan if n is None else n for n in p["norms"]] for p in points], dtype=float)
        names = run["layer_names"]
        columns = range(norms.shape[1]) if len(runs) == 1 else [0, norms.shape[1] - 1]
        for j in columns:
            ax.plot(batches, np.clip(norms[:, j], 1e-12, None), lw=1,
                    label=f"{label} {names[j]}".strip() if j < len(names) else label)
    ax.set_yscale("log")
    ax.set_xlabel(t("Batch", lang=lang), fontsize=7)
    ax.set_ylabel(t("Gradient norm", lang=lang), fontsize=7)
    ax.tick_params(labelsize=6)
    ax.legend(fontsize=5, ncols=2)
    return as_figure(fig, t("Gradient norm per layer while training (log scale)", lang=lang))


def _experiment_blocks(sec: Section, result: dict[str, Any], lang: str) -> None:
    name = result["experiment"]
    sec.blocks.append(Heading(experiment_title(name, lang)))
    rows = [[fix_title(v["name"], lang), _pct(v["train_accuracy"]), _pct(v["val_accuracy"]), _pct(v.get("gap")),
             _value(v["grad_ratio_first_last"]), t("Yes", lang=lang) if v["diverged"] else t("No", lang=lang),
             f"{v['seconds']:.1f}"] for v in result["variants"]]
    sec.blocks.append(Table([t("variant", lang=lang), t("training accuracy", lang=lang),
                             t("validation accuracy", lang=lang), t("gap", lang=lang),
                             t("gradient ratio first/last", lang=lang), t("diverged", lang=lang),
                             t("seconds", lang=lang)], rows,
                            caption=t("Measured on {data}", lang=lang, data=t(result.get("data_label", ""), lang=lang))))
    for sentence in experiment_readings(result, lang):
        sec.blocks.append(Paragraph(sentence))
    if name == "vanishing":
        sec.blocks.append(gradient_figure({fix_title(v["name"], lang): v for v in result["variants"]}, lang))
    elif name == "overfitting":
        sec.blocks.append(_gap_figure(result, lang))
    elif name == "explainability" and result.get("details"):
        sec.blocks.append(_explain_figure(result["details"], lang))


def _pct(value: float | None) -> str:
    return "—" if value is None else pct(value)


def _gap_figure(result: dict[str, Any], lang: str) -> Figure:
    fig = new_figure(5.5, 2.2)
    ax = fig.add_subplot(111)
    variants = [v for v in result["variants"] if v.get("gap") is not None]
    ax.bar([fix_title(v["name"], lang) for v in variants], [v["gap"] * 100 for v in variants], color="#4c72b0")
    ax.set_ylabel(t("gap (points)", lang=lang), fontsize=7)
    ax.tick_params(labelsize=6)
    return as_figure(fig, t("Training minus validation accuracy, per fix", lang=lang))


def _explain_figure(details: dict[str, Any], lang: str) -> Figure:
    fig = new_figure(5.5, 2.2)
    image = np.asarray(details["image"])
    for i, (data, title) in enumerate(((image, t("the digit", lang=lang)),
                                       (np.asarray(details["saliency"]), t("network saliency", lang=lang)),
                                       (image, t("tree's pixel tests", lang=lang)))):
        ax = fig.add_subplot(1, 3, i + 1)
        ax.imshow(data, cmap="gray_r" if i != 1 else "hot", vmin=0, vmax=1)
        if i == 2:
            for rule in details["rules"]:
                ax.plot(rule["col"], rule["row"], "o", ms=4, color="#2ca02c" if rule["goes_left"] else "#d62728")
        ax.set_title(title, fontsize=7)
        ax.set_xticks([])
        ax.set_yticks([])
    return as_figure(fig, t("One digit explained two ways (green: pixel at most the threshold, red: above)", lang=lang))


def lab_summary(session: Session, lang: str) -> str | None:
    lab = getattr(session, "lab", None)
    if not isinstance(lab, dict) or not (lab.get("runs") or lab.get("experiments")):
        return None
    return t("Lab: {runs} network runs, experiments: {names}.", lang=lang, runs=len(lab["runs"]),
             names=", ".join(experiment_title(n, lang) for n in lab["experiments"]) or "—")
