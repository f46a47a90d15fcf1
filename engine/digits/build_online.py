"""``make models`` (after ``build_shipped``): the online (pen-path) model, its writer-disjoint figures,
the fusion weight, and the LiteRT files of all shipped models.

1. Online model, 5 folds of 6 writers (the CNN card's folds): trained on 24 writers, scored on 6.
2. Fold CNNs for fusion. The shipped CNN saw all 30 writers, so it cannot score them; training five
   CNNs the way ``build_shipped`` does (10 epochs on MNIST + 24 writers) costs ~1.5 h here. Instead:
   one base CNN (the shipped architecture and augmentation) trained on MNIST only (``BASE_CNN``
   epochs), then per fold a copy of it fine-tuned on the fold's 24 training writers (all three pen
   widths) plus ``FOLD_MNIST`` MNIST digits. No held-out writer is ever seen by its fold's models.
3. The fusion weight chosen on the out-of-fold probabilities; the fused figure is nested (each fold
   scored with the weight chosen on the other four). Test-time augmentation measured beside it: the
   shipped recogniser averages the clean path and ``TTA_COPIES`` augmented ones (``SHIPPED_VARIANT``).
4. The final online model on all 30 writers → ``digits-online.{keras,tflite}`` + card; the shipped
   CNN and MLP converted to ``.tflite``, their sha256 added to their cards (``files``).
Out-of-fold probabilities are kept in ``build/online-cv`` (not shipped) for ``bench/online.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.atomic import atomic_path
from engine.core.errors import DataError
from engine.core.litert import LiteModel, export_litert
from engine.core.paths import shared_data_dir
from engine.core.tasks import run_task
from engine.core.versions import library_versions
from engine.digits import fusion
from engine.digits.build_shipped import (CNN, EVAL_PEN, FOLDS, SEED, TRAIN_PENS, _combined, _mnist, _say, _writer_folds,
                                         pen_arrays, write_card)
from engine.digits.online_model import OnlineParams, clean_features, predict_keras, train_online_task
from engine.digits.pen_path import augmented_features
from engine.digits.pendigits import read_pendigits
from engine.digits.shipped import litert_path, models_asset_dir, read_card, sha256_file, weights_path

ONLINE = OnlineParams(epochs=30, seed=SEED)
BASE_CNN = replace(CNN, epochs=3)  # MNIST only: never a pen writer
FOLD_CNN = replace(CNN, epochs=3, learning_rate=1e-3)  # from the base, on the fold's 24 writers + MNIST
FOLD_MNIST = 8000
TTA_COPIES = 8  # online test-time augmentation: the clean path + this many augmented ones
# What the shipped recogniser does (engine.digits.online_recogniser): online TTA, the CNN's one picture.
# Averaging the CNN over pen widths too ("both_tta") needs the canvas rendered three times: the card
# gives its weight, the GUI decides.
SHIPPED_VARIANT = "online_tta"
RECIPE = f"{asdict(ONLINE)}|{asdict(BASE_CNN)}|{asdict(FOLD_CNN)}|{FOLD_MNIST}|{TTA_COPIES}|{TRAIN_PENS}"


def _log(p) -> None:
    if p.stage == "epoch":
        _say(p.message)


def _pen_data(pen_file: Path):
    digits = read_pendigits(pen_file)
    return ([d.strokes for d in digits], np.array([d.label for d in digits], np.int64),
            np.array([d.writer for d in digits], np.int64))


def _cached(path: Path) -> dict[str, np.ndarray] | None:
    """A fold's saved out-of-fold arrays when they were made by this recipe (np.load, no pickle)."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as saved:
        return {k: saved[k] for k in saved.files} if str(saved["recipe"]) == RECIPE else None


def _save_npz(path: Path, **arrays: np.ndarray) -> None:
    with atomic_path(path, suffix=".npz") as tmp:
        np.savez_compressed(tmp, recipe=np.array(RECIPE), **arrays)


def _online_fold(k: int, strokes, labels, writers, held, cv_dir: Path, fold_dir: Path) -> dict[str, np.ndarray]:
    cached = _cached(cv_dir / f"online-fold{k + 1}.npz")
    if cached is not None:
        return cached
    train = np.flatnonzero(~np.isin(writers, held))
    test = np.flatnonzero(np.isin(writers, held))
    _say(f"online fold {k + 1}: training on {len(train)} digits, writers {held.tolist()} held out")
    started = time.monotonic()
    model = run_task(train_online_task([strokes[i] for i in train], labels[train], ONLINE), _log)
    seconds = time.monotonic() - started
    held_strokes = [strokes[i] for i in test]
    clean = predict_keras(model, clean_features(held_strokes, ONLINE.points))
    augmented = augmented_features(held_strokes, TTA_COPIES, seed=SEED + k, points=ONLINE.points)
    aug = predict_keras(model, augmented).reshape(len(test), TTA_COPIES, 10)
    tta = fusion.mean_log_probs(np.concatenate([clean[:, None], aug], axis=1), axis=1)
    if k == 0:  # one fold's model lets the GUI benchmark replay unseen writers in the real app
        _save_fold_model(model, fold_dir / "fold1-online", held)
    out = {"index": test, "probs": clean, "probs_tta": tta, "seconds": np.array(seconds)}
    _save_npz(cv_dir / f"online-fold{k + 1}.npz", **out)
    return out


def _save_fold_model(model, stem: Path, held: np.ndarray) -> None:
    stem.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(stem.with_suffix(".keras"), suffix=".keras") as tmp:
        model.save(tmp)
    export_litert(model, stem.with_suffix(".tflite"))
    stem.with_suffix(".json").write_text(json.dumps({"held_out_writers": held.tolist()}))


def _cnn_folds(mnist, pen_file: Path, groups, writers, cv_dir: Path, fold_dir: Path) -> list[dict[str, np.ndarray]]:
    from engine.digits.training import train_digit_model

    cached = [_cached(cv_dir / f"cnn-fold{k + 1}.npz") for k in range(len(groups))]
    if all(c is not None for c in cached):
        return cached  # type: ignore[return-value]
    _say(f"rendering the pen digits at widths {TRAIN_PENS} for the fold CNNs")
    px, py, pw = pen_arrays(pen_file, TRAIN_PENS)  # digit-major: each digit at each width
    widths = len(TRAIN_PENS)
    _say(f"base CNN: MNIST only ({len(mnist)} digits), {BASE_CNN.epochs} epochs")
    base = train_digit_model(mnist, BASE_CNN, progress=_log)
    out = []
    for k, held in enumerate(groups):
        if cached[k] is not None:
            out.append(cached[k])
            continue
        keep = ~np.isin(pw, held)
        data = _combined(mnist.subset(FOLD_MNIST, seed=SEED + k), px[keep], py[keep], f"fold {k + 1}")
        _say(f"CNN fold {k + 1}: fine-tuning the base on {int(keep.sum())} pen images + {FOLD_MNIST} MNIST digits")
        started = time.monotonic()
        model = train_digit_model(data, FOLD_CNN, progress=_log, initial=base)
        seconds = time.monotonic() - started
        test = np.flatnonzero(np.isin(writers, held))
        images = px.reshape(len(writers), widths, 28, 28)[test].reshape(-1, 28, 28)
        probs = model.predict_proba(images).reshape(len(test), widths, 10)
        eval_at = TRAIN_PENS.index(EVAL_PEN)
        if k == 0:
            _save_fold_model(model.keras_model, fold_dir / "fold1-cnn-cheap", held)
        fold = {"index": test, "probs": probs[:, eval_at], "probs_tta": fusion.mean_log_probs(probs, axis=1),
                "seconds": np.array(seconds)}
        _save_npz(cv_dir / f"cnn-fold{k + 1}.npz", **fold)
        out.append(fold)
    return out


def _gather(folds: list[dict[str, np.ndarray]], n: int, key: str) -> np.ndarray:
    probs = np.full((n, 10), np.nan, np.float32)
    for fold in folds:
        probs[fold["index"]] = fold[key]
    return probs


def fusion_figures(cnn: np.ndarray, online: np.ndarray, labels: np.ndarray, writers: np.ndarray,
                   groups: list[list[int]]) -> dict[str, Any]:
    """Writer-disjoint figures of the CNN, the online model and their nested-CV fusion."""
    fused, nested = fusion.nested_fusion(cnn, online, labels, writers, groups)
    result: dict[str, Any] = {"nested_weights": nested,
                              "weight": fusion.choose_weight(cnn, online, labels, writers)}
    for name, probs in (("cnn", cnn), ("online", online), ("fused", fused)):
        s = fusion.scores(probs, labels, writers)
        result[name] = {**s, "fold_accuracy": fusion.fold_accuracies(probs, labels, writers, groups)}
    behind = [f"fold {k + 1}: fused {f} < {'CNN' if c >= o else 'online'} alone {max(c, o)} (weight {w}, "
              f"chosen on the other four folds); {_why(cnn, online, fused, labels, writers, groups[k], c >= o)}"
              for k, (f, c, o, w) in enumerate(zip(result["fused"]["fold_accuracy"], result["cnn"]["fold_accuracy"],
                                                   result["online"]["fold_accuracy"], nested)) if f < max(c, o)]
    result["fused_at_least_better_alone_every_fold"] = not behind
    result["where_not"] = behind
    return result


def _why(cnn, online, fused, labels, writers, held, cnn_better: bool) -> str:
    """The writer who costs the fold most, and what the weaker model reads their digits as."""
    better, weaker = (cnn, online) if cnn_better else (online, cnn)
    lost = {w: int(((better.argmax(1) == labels) & (fused.argmax(1) != labels) & (writers == w)).sum()) for w in held}
    writer = max(lost, key=lost.get)
    mine = (writers == writer) & (weaker.argmax(1) != labels)
    pairs, counts = np.unique(np.stack([labels[mine], weaker.argmax(1)[mine]], 1), axis=0, return_counts=True)
    top = pairs[counts.argmax()] if len(counts) else (0, 0)
    return (f"writer {writer} loses {lost[writer]} digits the {'CNN' if cnn_better else 'online model'} alone reads: "
            f"the {'online model' if cnn_better else 'CNN'}, never trained on them, misreads {int(mine.sum())} of this "
            f"writer's digits, {int(counts.max()) if len(counts) else 0} of them {int(top[0])} read as {int(top[1])}")


def _summary(fig: dict[str, Any]) -> dict[str, Any]:
    return {**{f"writer_cv.{m}": fig[m]["accuracy"] for m in ("cnn", "online", "fused")},
            **{f"worst_writer.{m}": fig[m]["worst_writer"] for m in ("cnn", "online", "fused")},
            "weight": fig["weight"], "fused_ge_best_every_fold": fig["fused_at_least_better_alone_every_fold"]}


def _final_online(out: Path, strokes, labels, writers, pen_sha: str, cv: dict[str, Any], groups) -> None:
    _say(f"final online model: all {len(np.unique(writers))} writers, {len(labels)} digits")
    started = time.monotonic()
    model = run_task(train_online_task(strokes, labels, ONLINE), _log)
    seconds = time.monotonic() - started
    keras_file, lite_file = weights_path("online", out), litert_path("online", out)
    with atomic_path(keras_file, suffix=".keras") as tmp:
        model.save(tmp)
    export_litert(model, lite_file)
    features = clean_features(strokes, ONLINE.points)
    diff = float(np.abs(LiteModel(lite_file).run(features) - predict_keras(model, features)).max())
    main, plain = cv[SHIPPED_VARIANT], cv["plain"]
    card = {
        "arch": "online", "name": "online_conv1d",
        "input": {"points": ONLINE.points, "features": ["x", "y", "dx", "dy", "stroke_start"],
                  "strokes": "list of strokes in drawing order, each (n, 2) x, y screen coordinates, y down "
                             "(engine.digits.pen_path)"},
        "training_data": {"label": f"{len(np.unique(writers))} pen writers ({len(labels)} digits), strokes",
                          "n_samples": int(len(labels)), "pen_writers": int(len(np.unique(writers))),
                          "pen_file": "pendigits/pendigits-orig.tra (../shared/data)", "pen_file_sha256": pen_sha,
                          "augmentation": "fresh every epoch: rotation ±12°, per-axis scale ±12 %, shear ±0.2, "
                                          "jitter 0.8 % of size, up to 30 % of points dropped before resampling"},
        "hyper_parameters": asdict(ONLINE), "epochs": ONLINE.epochs, "seed": ONLINE.seed,
        "train_seconds": round(seconds, 1),
        "pen_accuracy": {"writer_cv": plain["online"]["accuracy"], "worst_writer": plain["online"]["worst_writer"],
                         "per_writer": plain["online"]["per_writer"], "folds": FOLDS, "fold_writers": groups,
                         "fold_accuracy": plain["online"]["fold_accuracy"], "n_scored": int(len(labels)),
                         "with_tta": {"writer_cv": main["online"]["accuracy"],
                                      "worst_writer": main["online"]["worst_writer"]},
                         "note": "writer-disjoint: each fold's model never saw the writers it is scored on; "
                                 "folds are the CNN card's; one clean path per digit (with_tta: + "
                                 f"{TTA_COPIES} augmented paths, log-probabilities averaged)"},
        "fusion": {"weight": main["weight"], "online_tta_copies": TTA_COPIES, "variant": SHIPPED_VARIANT,
                   "weight_means": "CNN's share: log p = w·log p_cnn + (1−w)·log p_online; p_online averages "
                                   f"the clean path and {TTA_COPIES} augmented ones (test-time augmentation)",
                   "weight_if_cnn_averages_pen_widths": cv["both_tta"]["weight"],
                   "chosen_by": "writer-disjoint 5-fold CV on out-of-fold probabilities (never the MNIST test set); "
                                "figures nested (each fold scored with the weight chosen on the other four)",
                   "cnn_folds": f"not the shipped CNN (it saw all 30 writers): one base CNN, shipped architecture "
                                f"and augmentation, {BASE_CNN.epochs} epochs on MNIST only; per fold fine-tuned "
                                f"{FOLD_CNN.epochs} epochs (lr {FOLD_CNN.learning_rate}) on the fold's 24 writers at "
                                f"pen widths {list(TRAIN_PENS)} + {FOLD_MNIST} MNIST digits; scored at width {EVAL_PEN}",
                   "figures": _summary(main),
                   "per_writer": {m: main[m]["per_writer"] for m in ("cnn", "online", "fused")},
                   "fold_accuracy": {m: main[m]["fold_accuracy"] for m in ("cnn", "online", "fused")},
                   "nested_weights": main["nested_weights"], "where_not": main["where_not"],
                   "tried": {name: _summary(fig) for name, fig in cv.items() if name != SHIPPED_VARIANT}},
        "litert": {"max_abs_diff_vs_keras": diff, "checked_on": f"all {len(labels)} training paths"},
        "versions": library_versions(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "make models (python -m engine.digits.build_online)",
        "weights_file": keras_file.name, "weights_sha256": sha256_file(keras_file),
        "weights_bytes": keras_file.stat().st_size,
        "files": {lite_file.name: sha256_file(lite_file)},
    }
    write_card("online", out, card)
    _say(f"online model saved; LiteRT vs Keras max difference {diff:.2e}")


def convert_shipped(out: Path) -> None:
    """The shipped CNN and MLP as ``.tflite``; their cards gain the file's sha256 and nothing else."""
    from engine.core import tf_runtime

    keras = tf_runtime.keras()
    for arch in ("cnn", "mlp"):
        card = read_card(arch, out)
        source = weights_path(arch, out)
        if sha256_file(source) != card["weights_sha256"]:
            raise DataError("The shipped model {name} is damaged (its checksum does not match its card).",
                            name=source.name)
        model = keras.saving.load_model(source, compile=False, safe_mode=True)
        target = export_litert(model, litert_path(arch, out))
        card["files"] = {**card.get("files", {}), target.name: sha256_file(target)}
        write_card(arch, out, card)
        _say(f"{target.name} written")


def build(out: Path, *, cv_dir: Path, fold_dir: Path, only: str | None = None) -> None:
    if only in (None, "convert"):
        convert_shipped(out)
    if only == "convert":
        return  # "online": all but the conversion
    shared = shared_data_dir()
    pen_file = shared / "pendigits" / "pendigits-orig.tra" if shared is not None else None
    if pen_file is None or not pen_file.exists():
        raise DataError("The pen strokes (../shared/data/pendigits) are needed to train the online model.")
    strokes, labels, writers = _pen_data(pen_file)
    groups = _writer_folds(writers, FOLDS)
    card_folds = read_card("cnn", out).get("pen_accuracy", {}).get("fold_writers")
    if card_folds and card_folds != [g.tolist() for g in groups]:
        raise DataError("The CNN card's writer folds differ from this build's; rebuild both with `make models`.")
    cv_dir.mkdir(parents=True, exist_ok=True)
    online = [_online_fold(k, strokes, labels, writers, held, cv_dir, fold_dir) for k, held in enumerate(groups)]
    mnist, _ = _mnist(shared)
    cnn = _cnn_folds(mnist, pen_file, groups, writers, cv_dir, fold_dir)
    n, folds = len(labels), [g.tolist() for g in groups]
    variants = {"plain": ("probs", "probs"), "online_tta": ("probs", "probs_tta"),
                "cnn_pen_width_tta": ("probs_tta", "probs"), "both_tta": ("probs_tta", "probs_tta")}
    cv = {name: fusion_figures(_gather(cnn, n, ck), _gather(online, n, ok), labels, writers, folds)
          for name, (ck, ok) in variants.items()}
    for name, fig in cv.items():
        _say(f"{name}: {_summary(fig)}")
    np.savez_compressed(cv_dir / "oof.npz", labels=labels, writers=writers, fold_writers=np.array(folds),
                        **{f"{m}_{k}": _gather(src, n, k) for m, src in (("cnn", cnn), ("online", online))
                           for k in ("probs", "probs_tta")})
    if only != "cv":
        _final_online(out, strokes, labels, writers, sha256_file(pen_file), cv, folds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=models_asset_dir())
    parser.add_argument("--only", choices=["convert", "cv", "online"],
                        help="convert: the CNN/MLP .tflite only; cv: no final model; online: all but the conversion")
    parser.add_argument("--cv-dir", type=Path, default=Path("build/online-cv"))
    parser.add_argument("--fold-dir", type=Path, default=Path("build/models"))
    args = parser.parse_args(argv)
    try:
        build(args.out, cv_dir=args.cv_dir, fold_dir=args.fold_dir, only=args.only)
    except DataError as exc:
        print(f"make models: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
