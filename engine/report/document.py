"""The report: what the person did this session, as a document model rendered to PDF or HTML.

Orange's idea: each workspace contributes its section (digits, houses), built only from the
``Session`` — the report never asks a widget. Figures are drawn here with matplotlib's Agg
backend (thread-safe ``Figure`` objects, no pyplot), so export runs off the GUI thread.
Every visible string goes through ``t()`` in the report's language.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from engine import __version__
from engine.core.errors import DataError, InputError
from engine.core.i18n import get_language, t
from engine.core.tasks import CancelToken, Progress, ProgressFn, no_progress
from engine.core.session import Session
from engine.core.versions import library_versions

FIGURE_DPI = 200  # sharp in print; the PDF places figures at their real size
SECTIONS = ("digits", "houses")
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}


# --- the document model ---------------------------------------------------------------------
@dataclass
class Paragraph:
    text: str
    kind: str = "text"  # "text" | "note" | "mono"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""
    widths: list[float] | None = None  # relative column widths


@dataclass
class Figure:
    png: bytes
    width_in: float
    height_in: float
    caption: str = ""


@dataclass
class Heading:
    text: str
    level: int = 2


Block = Paragraph | Table | Figure | Heading


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    title: str
    meta: list[tuple[str, str]]  # (label, value) lines under the title
    summary: list[str]
    sections: list[Section]
    lang: str


# --- formatting -----------------------------------------------------------------------------
def format_datetime(value: datetime, lang: str) -> str:
    if lang == "zh_CN":
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.day} {value:%B %Y, %H:%M}"


def pct(value: float) -> str:
    return f"{value:.1%}"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure as MplFigure

    from engine.core.fonts import configure_matplotlib

    configure_matplotlib()
    return MplFigure(figsize=(width, height), dpi=FIGURE_DPI, layout="constrained")


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI)
    return buf.getvalue()


def _as_figure(fig, caption: str = "") -> Figure:
    w, h = fig.get_size_inches()
    return Figure(_png(fig), float(w), float(h), caption)


# --- digits -----------------------------------------------------------------------------------
def _digits_section(session: Session, lang: str) -> Section:
    from engine.digits.models import arch_label

    sec = Section("digits", t("Digits: the neural network", lang=lang))
    info = session.digit_model
    if info is None:
        sec.blocks.append(Paragraph(t("No digit model was loaded in this session.", lang=lang), "note"))
    else:
        prov = info.train_provenance
        sec.blocks.append(Heading(t("Model and training", lang=lang)))
        names = {"epochs": t("epochs", lang=lang), "batch_size": t("batch size", lang=lang),
                 "learning_rate": t("learning rate", lang=lang), "dropout": t("dropout", lang=lang),
                 "augment": t("augmentation", lang=lang), "seed": t("random seed", lang=lang),
                 "validation_split": t("validation share", lang=lang),
                 "typeset_copies": t("typeset digit copies", lang=lang)}
        rows = [[t("model", lang=lang), arch_label(info.arch)],
                [t("training data", lang=lang), t(prov.label, lang=lang)],
                [t("training digits", lang=lang), str(prov.n_samples)],
                [t("data fingerprint (sha256)", lang=lang), prov.sha256[:16] + "…"],
                [t("training time", lang=lang), t("{secs:.0f} s", lang=lang, secs=info.train_seconds)]]
        rows += [[names.get(k, k), _fmt_param(v, lang)] for k, v in info.params.items() if k != "arch"]
        sec.blocks.append(Table([t("setting", lang=lang), t("value", lang=lang)], rows, widths=[1, 2]))
        if info.history:
            sec.blocks.append(_curves_figure(info.history, lang))
        ev = info.evaluation
        if ev is not None:
            sec.blocks.append(Heading(t("Test results", lang=lang)))
            sec.blocks.append(Paragraph(t("Test accuracy: {acc} on {n} digits ({source}); loss {loss:.3f}.",
                                          lang=lang, acc=pct(ev.accuracy), n=ev.n_samples, source=ev.source_label,
                                          loss=ev.loss)))
            sec.blocks.append(Table([t("digit", lang=lang), t("precision", lang=lang), t("recall", lang=lang)],
                                    [[str(d), pct(ev.precision[d]), pct(ev.recall[d])] for d in range(10)],
                                    caption=t("Per-class precision and recall", lang=lang)))
            sec.blocks.append(_confusion_figure(ev.confusion, lang))
            if ev.misclassified:
                shown = ev.misclassified[:40]
                sec.blocks.append(_digit_grid([m.image28 for m in shown],
                                              [f"{m.true_label}→{m.predicted}" for m in shown],
                                              t("Test digits the model got wrong (true → predicted)", lang=lang)))
    sec.blocks.append(Heading(t("Digits drawn in this session", lang=lang)))
    if not session.digits:
        sec.blocks.append(Paragraph(t("No digits were drawn.", lang=lang), "note"))
        return sec
    rows = []
    for i, d in enumerate(session.digits, 1):
        rows.append([str(i), "—" if d.digit is None else str(d.digit), pct(d.confidence) if d.digit is not None
                     else "—", "" if d.corrected_label is None else str(d.corrected_label),
                     format_datetime(d.time, lang)[-5:]])
    sec.blocks.append(Table([t("no.", lang=lang), t("prediction", lang=lang), t("confidence", lang=lang),
                             t("corrected to", lang=lang), t("time", lang=lang)], rows))
    images = [d.image28 for d in session.digits if d.image28 is not None][:60]
    captions = [f"{i}: {d.digit}" + (f"→{d.corrected_label}" if d.corrected_label is not None else "")
                for i, d in enumerate(session.digits, 1) if d.image28 is not None][:60]
    if images:
        sec.blocks.append(_digit_grid(images, captions, t("What the network saw for each drawing", lang=lang)))
    return sec


def _fmt_param(value, lang: str) -> str:
    if isinstance(value, bool):
        return t("Yes", lang=lang) if value else t("No", lang=lang)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _curves_figure(history: list[dict[str, float]], lang: str) -> Figure:
    from engine.core.figures import draw_curves

    fig = _figure(6.5, 2.4)
    draw_curves(fig, history, {"loss": t("Loss", lang=lang), "accuracy": t("Accuracy", lang=lang),
                               "epoch": t("Epoch", lang=lang), "training": t("training", lang=lang),
                               "validation": t("validation", lang=lang)})
    return _as_figure(fig, t("Training curves per epoch", lang=lang))


def _confusion_figure(confusion: list[list[int]], lang: str) -> Figure:
    from engine.core.figures import draw_confusion

    fig = _figure(3.6, 3.3)
    ax = fig.add_subplot(111)
    draw_confusion(ax, confusion, t("Predicted", lang=lang), t("True", lang=lang))
    ax.tick_params(labelsize=7)
    return _as_figure(fig, t("Confusion matrix (rows: true digit, columns: predicted)", lang=lang))


def _digit_grid(images: list[np.ndarray], captions: list[str], caption: str) -> Figure:
    cols = 10
    rows = int(np.ceil(len(images) / cols))
    fig = _figure(6.5, 0.78 * rows + 0.1)
    for i, (img, cap) in enumerate(zip(images, captions)):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.imshow(np.asarray(img), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(cap, fontsize=7, pad=2)
        ax.set_xticks([])
        ax.set_yticks([])
    return _as_figure(fig, caption)


# --- houses -----------------------------------------------------------------------------------
def _houses_section(session: Session, lang: str) -> Section:
    from engine.houses.boston import FEATURE_INFO
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
    _ = FEATURE_INFO  # the form's meanings are in the app; the report keeps the short names
    return sec


def _model_labels() -> dict[str, str]:
    from engine.houses.models import model_label

    return {name: model_label(name) for name in ("tree", "forest", "boosting")}


def _scatter_figure(info, lang: str) -> Figure:
    from engine.core.figures import draw_scatter

    fig = _figure(4.2, 3.2)
    draw_scatter(fig.add_subplot(111), info.heldout_true, info.heldout_pred, _model_labels(),
                 t("Actual price ($1000s)", lang=lang), t("Predicted price ($1000s)", lang=lang))
    return _as_figure(fig, t("Held-out houses: predicted against actual", lang=lang))


def _importance_figure(info, lang: str) -> Figure:
    from engine.core.figures import draw_importances

    fig = _figure(5.5, 3.3)
    draw_importances(fig.add_subplot(111), info.importances, list(info.features), _model_labels(),
                     t("importance", lang=lang))
    return _as_figure(fig, t("Feature importances", lang=lang))


# --- reproducibility --------------------------------------------------------------------------
def _reproducibility_section(session: Session, lang: str) -> Section:
    sec = Section("reproducibility", t("Reproducibility", lang=lang))
    rows = []
    if session.digit_model is not None:
        rows.append([t("digit model seed", lang=lang), str(session.digit_model.seed)])
        rows.append([t("digit training data", lang=lang), session.digit_model.train_provenance.sha256])
    if session.house_models is not None:
        rows.append([t("house split seed", lang=lang), str(session.house_models.seed)])
        rows.append([t("house data", lang=lang), session.house_models.provenance.sha256])
    if rows:
        sec.blocks.append(Table([t("item", lang=lang), t("value", lang=lang)], rows, widths=[1, 3]))
    versions = library_versions()
    sec.blocks.append(Table([t("library", lang=lang), t("version", lang=lang)],
                            [[k, v] for k, v in versions.items()], widths=[1, 1]))
    return sec


# --- building and writing ---------------------------------------------------------------------
def build_report(session: Session, sections: Iterable[str] = SECTIONS, *, lang: str | None = None,
                 progress: ProgressFn = no_progress, token: CancelToken | None = None) -> Report:
    lang = lang or get_language()
    token = token or CancelToken()
    wanted = [s for s in SECTIONS if s in set(sections)]
    if not wanted:
        raise InputError("Choose at least one section for the report.")
    now = datetime.now().astimezone()
    summary = []
    if session.digit_model is not None:
        ev = session.digit_model.evaluation
        summary.append(t("Digits: {arch}, test accuracy {acc}; {n} digits drawn this session.", lang=lang,
                         arch=_arch(session.digit_model.arch), acc=pct(ev.accuracy) if ev else "—",
                         n=len(session.digits)))
    if session.house_models is not None:
        info = session.house_models
        best = min(info.cv, key=lambda s: s.mse)
        summary.append(t("Houses: recommended model {model} (cross-validated MSE {mse:.2f}); {n} houses priced this "
                         "session.", lang=lang, model=_model(best.model), mse=best.mse, n=len(session.houses)))
    report = Report(
        title=t("DeepMine Workbench report", lang=lang),
        meta=[(t("Date", lang=lang), format_datetime(now, lang)),
              (t("App version", lang=lang), __version__),
              (t("Language", lang=lang), "简体中文" if lang == "zh_CN" else "English")],
        summary=summary, sections=[], lang=lang)
    builders = {"digits": _digits_section, "houses": _houses_section}
    for i, key in enumerate(wanted):
        token.check()
        progress(Progress(i / (len(wanted) + 1), t("Drawing section {n} of {total}…", lang=lang, n=i + 1,
                                                    total=len(wanted)), "report"))
        report.sections.append(builders[key](session, lang))
    report.sections.append(_reproducibility_section(session, lang))
    return report


def _arch(arch: str) -> str:
    from engine.digits.models import arch_label

    return arch_label(arch)


def _model(name: str) -> str:
    from engine.houses.models import model_label

    return model_label(name)


def report_format(path: str | Path) -> str:
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError("A report is saved as .pdf or .html, not {suffix!r}.", suffix=Path(path).suffix)
    return fmt


def write_report(session: Session, out_path: str | Path, sections: Iterable[str] = SECTIONS, *,
                 overwrite: bool = True, lang: str | None = None, progress: ProgressFn = no_progress,
                 token: CancelToken | None = None) -> Path:
    """Build and write the report atomically: a failure leaves no file, an old file stays intact."""
    from engine.core.atomic import atomic_path

    out = Path(out_path)
    fmt = report_format(out)
    if out.exists() and not overwrite:
        raise InputError("{name} already exists; choose another name or allow replacing it.", name=str(out))
    if not out.parent.is_dir():
        raise DataError("Could not write {name}: {reason}", name=str(out), reason=t("the folder does not exist"))
    report = build_report(session, sections, lang=lang, progress=progress, token=token)
    progress(Progress(0.9, t("Writing {name}…", lang=report.lang, name=out.name), "report"))
    try:
        with atomic_path(out, suffix=out.suffix) as tmp:
            if fmt == "pdf":
                from engine.report.pdf import render_pdf

                render_pdf(report, tmp)
            else:
                from engine.report.html import render_html

                tmp.write_text(render_html(report), encoding="utf-8")
            (token or CancelToken()).check()
    except OSError as exc:
        raise DataError("Could not write {name}: {reason}", name=str(out), reason=exc.strerror or exc) from exc
    progress(Progress(1.0, t("Report saved: {name}", lang=report.lang, name=str(out)), "report"))
    return out
