"""What an experiment's numbers say, sentence by sentence, chosen by comparing the measurements.

Nothing here is a canned conclusion: where this machine's run contradicts the textbook (a fix that
did not narrow the gap, a rate that did not diverge) the sentence says what was measured.
"""

from __future__ import annotations

from typing import Any

from engine.core.i18n import t

ORDERS_OF_MAGNITUDE = 10.0  # "far below": the first layer got less than a tenth of ReLU's ratio


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2g}"


def _points(gap: float | None) -> str:
    return "—" if gap is None else f"{gap * 100:.1f}"


def fix_title(name: str, lang: str | None = None) -> str:
    return {"none": t("no fix", lang=lang), "dropout": t("dropout", lang=lang),
            "augment": t("augmentation", lang=lang), "l2": t("L2 weight penalty", lang=lang),
            "early_stop": t("early stopping", lang=lang), "more_data": t("ten times the data", lang=lang),
            "sigmoid": t("sigmoid", lang=lang), "relu": t("ReLU", lang=lang),
            "sigmoid_bn": t("sigmoid + batch normalisation", lang=lang), "plain": t("no clipping", lang=lang),
            "clipped": t("gradient clipping", lang=lang), "smaller_lr": t("a smaller learning rate", lang=lang),
            "network": t("neural network", lang=lang), "tree": t("decision tree", lang=lang)}.get(name, name)


def experiment_title(name: str, lang: str | None = None) -> str:
    return {"vanishing": t("Vanishing gradients", lang=lang), "exploding": t("Exploding gradients", lang=lang),
            "overfitting": t("Overfitting", lang=lang),
            "explainability": t("Explainability", lang=lang)}.get(name, name)


def experiment_readings(result: dict[str, Any], lang: str | None = None) -> list[str]:
    """The sentences the lab writes under an experiment's result."""
    v = {variant["name"]: variant for variant in result.get("variants", [])}
    name = result.get("experiment")
    if name == "vanishing":
        return _vanishing(v, lang)
    if name == "exploding":
        return _exploding(v, result.get("settings", {}), lang)
    if name == "overfitting":
        return _overfitting(v, lang)
    if name == "explainability":
        return _explainability(v, result.get("details", {}), lang)
    return []


def _vanishing(v: dict[str, Any], lang: str | None) -> list[str]:
    sig, relu, bn = v.get("sigmoid"), v.get("relu"), v.get("sigmoid_bn")
    if not (sig and relu and bn):
        return []
    out = []
    rs, rr = sig["grad_ratio_first_last"], relu["grad_ratio_first_last"]
    if rs is not None and rr is not None and rs * ORDERS_OF_MAGNITUDE < rr:
        out.append(t("In the deep sigmoid network the first layer received {rs} of the last layer's gradient (ReLU: "
                     "{rr}, sigmoid with batch normalisation: {rb}); its first-layer weights moved by {w} of their "
                     "size.", lang=lang, rs=_ratio(rs), rr=_ratio(rr), rb=_ratio(bn["grad_ratio_first_last"]),
                     w=_pct(sig.get("first_layer_weight_change"))))
    else:
        out.append(t("On this machine the sigmoid network's first layer received {rs} of the last layer's gradient, "
                     "not far below ReLU's {rr}: the gradient did not vanish at this depth.", lang=lang,
                     rs=_ratio(rs), rr=_ratio(rr)))
    out.append(t("Validation accuracy: sigmoid {a}, ReLU {b}, sigmoid with batch normalisation {c}.", lang=lang,
                 a=_pct(sig["val_accuracy"]), b=_pct(relu["val_accuracy"]), c=_pct(bn["val_accuracy"])))
    return out


def _exploding(v: dict[str, Any], settings: dict[str, Any], lang: str | None) -> list[str]:
    plain, clipped, small = v.get("plain"), v.get("clipped"), v.get("smaller_lr")
    if not (plain and clipped and small):
        return []
    out = []
    if plain["diverged"]:
        out.append(plain["reason"] or t("The loss exploded at batch {batch}.", lang=lang,
                                        batch=plain.get("diverged_batch")))
    else:
        out.append(t("On this machine the learning rate {lr} did not make the loss explode; the network reached {acc}.",
                     lang=lang, lr=settings.get("lr"), acc=_pct(plain["val_accuracy"])))
    for fix, value in ((clipped, settings.get("clipnorm")), (small, settings.get("small_lr"))):
        label = fix_title(fix["name"], lang)
        if fix["diverged"]:
            out.append(t("With {fix} ({value}) the loss still exploded, at batch {batch}.", lang=lang, fix=label,
                         value=value, batch=fix.get("diverged_batch")))
        else:
            out.append(t("With {fix} ({value}) training stayed finite and reached {acc} validation accuracy.",
                         lang=lang, fix=label, value=value, acc=_pct(fix["val_accuracy"])))
    return out


def _overfitting(v: dict[str, Any], lang: str | None) -> list[str]:
    base = v.get("none")
    if not base or base["gap"] is None:
        return []
    out = [t("Without a fix the network reached {tr} on its {n} training digits but {va} on held-out ones: a gap of "
             "{gap} points.", lang=lang, tr=_pct(base["train_accuracy"]), n=base["train_size"],
             va=_pct(base["val_accuracy"]), gap=_points(base["gap"]))]
    narrowed, not_narrowed = [], []
    for name in ("dropout", "augment", "l2", "early_stop", "more_data"):
        fix = v.get(name)
        if fix is None or fix["gap"] is None:
            continue
        (narrowed if fix["gap"] < base["gap"] - 0.005 else not_narrowed).append(fix)
    if narrowed:
        best = min(narrowed, key=lambda f: f["gap"])
        out.append(t("Narrowed the gap: {fixes}; the most, {best}: {gap} points.", lang=lang,
                     fixes=t(", ", lang=lang).join(f"{fix_title(f['name'], lang)} ({_points(f['gap'])})"
                                                   for f in narrowed),
                     best=fix_title(best["name"], lang), gap=_points(best["gap"])))
    for fix in not_narrowed:
        out.append(t("Measured here, {fix} did not narrow the gap ({gap} points against {base}).", lang=lang,
                     fix=fix_title(fix["name"], lang), gap=_points(fix["gap"]), base=_points(base["gap"])))
    return out


def _explainability(v: dict[str, Any], details: dict[str, Any], lang: str | None) -> list[str]:
    net, tree = v.get("network"), v.get("tree")
    if not (net and tree and details):
        return []
    return [t("Digit {label}: the network said {net}, the tree {tree}.", lang=lang, label=details["label"],
              net=details["network_prediction"], tree=details["tree_prediction"]),
            t("Saliency: one backward pass ({ms} ms) gives 784 numbers, where the network looked, but no rule; the "
              "network scores {acc} on held-out digits.", lang=lang, ms=f"{details['saliency_ms']:.1f}",
              acc=_pct(net["val_accuracy"])),
            t("Tree: {n} pixel tests you can read one by one ({ms} ms), from a tree that scores {acc}.", lang=lang,
              n=len(details["rules"]), ms=f"{details['path_ms']:.1f}", acc=_pct(tree["val_accuracy"]))]
