"""The digit workspace's report section: model, training, test results, the drawings."""

from __future__ import annotations

import numpy as np

from engine.core.i18n import t
from engine.core.session import Session
from engine.report.model import Figure, Heading, Paragraph, Section, Table, as_figure, format_datetime, new_figure, pct


# --- digits -----------------------------------------------------------------------------------
def digits_section(session: Session, lang: str) -> Section:
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

    fig = new_figure(6.5, 2.4)
    draw_curves(fig, history, {"loss": t("Loss", lang=lang), "accuracy": t("Accuracy", lang=lang),
                               "epoch": t("Epoch", lang=lang), "training": t("training", lang=lang),
                               "validation": t("validation", lang=lang)})
    return as_figure(fig, t("Training curves per epoch", lang=lang))


def _confusion_figure(confusion: list[list[int]], lang: str) -> Figure:
    from engine.core.figures import draw_confusion

    fig = new_figure(3.6, 3.3)
    ax = fig.add_subplot(111)
    draw_confusion(ax, confusion, t("Predicted", lang=lang), t("True", lang=lang))
    ax.tick_params(labelsize=7)
    return as_figure(fig, t("Confusion matrix (rows: true digit, columns: predicted)", lang=lang))


def _digit_grid(images: list[np.ndarray], captions: list[str], caption: str) -> Figure:
    cols = 10
    rows = int(np.ceil(len(images) / cols))
    fig = new_figure(6.5, 0.78 * rows + 0.1)
    for i, (img, cap) in enumerate(zip(images, captions)):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.imshow(np.asarray(img), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(cap, fontsize=7, pad=2)
        ax.set_xticks([])
        ax.set_yticks([])
    return as_figure(fig, caption)




def digits_summary(session: Session, lang: str) -> str | None:
    from engine.digits.models import arch_label

    info = session.digit_model
    if info is None:
        return None
    ev = info.evaluation
    return t("Digits: {arch}, test accuracy {acc}; {n} digits drawn this session.", lang=lang,
             arch=arch_label(info.arch), acc=pct(ev.accuracy) if ev else "—", n=len(session.digits))


def digits_reproducibility(session: Session, lang: str) -> list[list[str]]:
    info = session.digit_model
    if info is None:
        return []
    return [[t("digit model seed", lang=lang), str(info.seed)],
            [t("digit training data", lang=lang), info.train_provenance.sha256]]
