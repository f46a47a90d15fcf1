"""The house workspace's report section: models, cross-validation, the priced houses."""

from __future__ import annotations

import numpy as np

from engine.core.i18n import t
from engine.core.session import Session
from engine.report.model import Figure, Heading, Paragraph, Section, Table, as_figure, format_datetime, new_figure, pct


# --- houses -----------------------------------------------------------------------------------
def houses_section(session: Session, lang: str) -> Section:
    from engine.houses.models import model_label

    sec = Section("houses", t("Houses: the decision tree and its rivals", lang=lang))
    info = session.house_models
    if info is None:
        sec.blocks.append(Paragraph(t("No house models were trained in this session.", lang=lang), "note"))
    else:
        p = info.params
        sec.blocks.append(Heading(t("Models and data", lang=lang)))
        rows = [[t("data", lang=lang), t(info.provenance.label, lang=lang)],
                [t("houses", lang=lang), str(info.provenance.n_samples)],
                [t("data fingerprint (sha256)", lang=lang), info.provenance.sha256[:16] + "…"],
                [t("decision tree", lang=lang), t("depth {depth}, at least {leaf} houses per leaf", lang=lang,
                                                  depth=p.get("max_depth"), leaf=p.get("min_samples_leaf"))],
                [t("random forest", lang=lang), t("{n} trees", lang=lang, n=p.get("n_trees"))],
                [t("gradient boosting", lang=lang), t("{n} rounds", lang=lang, n=p.get("boosting_iter"))],
                [t("B column", lang=lang), t("left out", lang=lang) if p.get("drop_b") else t("used", lang=lang)],
                [t("split", lang=lang), t("80% training / 20% held out, random_state {seed}", lang=lang,
                                          seed=info.seed)]]
        sec.blocks.append(Table([t("setting", lang=lang), t("value", lang=lang)], rows, widths=[1, 2]))
        q = info.quality
        if q is not None:
            text = t("Data quality: {rows} rows read, {missing} missing and {bad} non-numeric cells, {dropped} rows "
                     "dropped.", lang=lang, rows=q.rows, missing=sum(q.missing.values()),
                     bad=sum(q.non_numeric.values()), dropped=q.dropped_rows)
            sec.blocks.append(Paragraph(text))
            for action in q.actions:
                sec.blocks.append(Paragraph("• " + action))
        sec.blocks.append(Heading(t("5-fold cross-validation", lang=lang)))
        cv_rows = [[model_label(s.model) + (" ★" if s.model == info.recommended else ""), f"{s.mse:.2f}",
                    f"{s.mae:.2f}", f"{s.r2:.3f}", f"{info.test_rmse.get(s.model, float('nan')):.2f}"]
                   for s in info.cv]
        sec.blocks.append(Table([t("model", lang=lang), "MSE", "MAE", "R²", t("held-out RMSE", lang=lang)], cv_rows,
                                caption=t("★ = the model the app recommends (lowest cross-validated MSE)", lang=lang),
                                widths=[2, 1, 1, 1, 1.4]))
        sec.blocks.append(_scatter_figure(info, lang))
        sec.blocks.append(_importance_figure(info, lang))
    sec.blocks.append(Heading(t("Houses priced in this session", lang=lang)))
    if not session.houses:
        sec.blocks.append(Paragraph(t("No houses were priced.", lang=lang), "note"))
        return sec
    for i, house in enumerate(session.houses, 1):
        pred = house.prediction
        sec.blocks.append(Heading(t("House {n}", lang=lang, n=i), 3))
        names = list(pred.inputs)
        half = (len(names) + 1) // 2
        rows = [names[:half], [f"{pred.inputs[n]:g}" for n in names[:half]],
                names[half:], [f"{pred.inputs[n]:g}" for n in names[half:]]]
        sec.blocks.append(Table([], rows))
        prices = " · ".join(f"{model_label(m)} {v:.1f}" for m, v in pred.per_model.items())
        line = t("Predicted price: {price:.1f} (± {err:.1f}) thousand dollars", lang=lang, price=pred.price,
                 err=pred.error_bar) + " — " + prices
        if house.true_price is not None:
            line += " — " + t("true price {price:.1f}", lang=lang, price=house.true_price)
        sec.blocks.append(Paragraph(line))
        sec.blocks.append(Paragraph(t("Why: {explanation}", lang=lang, explanation=house.explanation), "mono"))
        if pred.out_of_range:
            sec.blocks.append(Paragraph(t("Warning: outside the training data for {names} — the model has never "
                                          "seen a house like this.", lang=lang,
                                          names=", ".join(pred.out_of_range)), "note"))
    return sec


def _model_labels() -> dict[str, str]:
    from engine.houses.models import model_label

    return {name: model_label(name) for name in ("tree", "forest", "boosting")}


def _scatter_figure(info, lang: str) -> Figure:
    from engine.core.figures import draw_scatter

    fig = new_figure(4.2, 3.2)
    draw_scatter(fig.add_subplot(111), info.heldout_true, info.heldout_pred, _model_labels(),
                 t("Actual price ($1000s)", lang=lang), t("Predicted price ($1000s)", lang=lang))
    return as_figure(fig, t("Held-out houses: predicted against actual", lang=lang))


def _importance_figure(info, lang: str) -> Figure:
    from engine.core.figures import draw_importances

    fig = new_figure(5.5, 3.3)
    draw_importances(fig.add_subplot(111), info.importances, list(info.features), _model_labels(),
                     t("importance", lang=lang))
    return as_figure(fig, t("Feature importances", lang=lang))




def houses_summary(session: Session, lang: str) -> str | None:
    from engine.houses.models import model_label

    info = session.house_models
    if info is None:
        return None
    best = min(info.cv, key=lambda s: s.mse)
    return t("Houses: recommended model {model} (cross-validated MSE {mse:.2f}); {n} houses priced this session.",
             lang=lang, model=model_label(best.model), mse=best.mse, n=len(session.houses))


def houses_reproducibility(session: Session, lang: str) -> list[list[str]]:
    info = session.house_models
    if info is None:
        return []
    return [[t("house split seed", lang=lang), str(info.seed)],
            [t("house data", lang=lang), info.provenance.sha256]]
