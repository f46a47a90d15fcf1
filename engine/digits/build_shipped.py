"""``make models``: rebuild the shipped digit models and their model cards.

Training data: the full MNIST training set (``../shared/data/mnist-train`` when it is beside the
repo, else the official download, cached) and, for the default CNN, the 30 writers of
``../shared/data/pendigits`` rendered the way the canvas draws. Never the 5,000-digit sample.
Pen accuracy is writer-disjoint: each fold's model never saw the writers it is scored on.
The official test set only scores.
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

from engine.core.atomic import atomic_path, atomic_write_text
from engine.core.errors import DataError
from engine.core.paths import shared_data_dir
from engine.core.tasks import Progress
from engine.core.versions import library_versions
from engine.digits.mnist import IDX_TEST, IDX_TRAIN, MnistData, fingerprint, load_idx_pair, load_training_data
from engine.digits.models import DigitParams, evaluate
from engine.digits.training import train_digit_model
from engine.digits.pendigits import read_pendigits, render_like_canvas
from engine.digits.preprocess import preprocess_canvas
from engine.digits.shipped import card_path, models_asset_dir, sha256_file, weights_path
from engine.core.results import Provenance

SEED = 20261125
TRAIN_PENS = (12.0, 18.0, 26.0)  # pen widths at 280 px: thin pen, the canvas default, marker
EVAL_PEN = 18.0  # the canvas default
FOLDS = 5
CNN = DigitParams(arch="cnn", epochs=10, batch_size=128, learning_rate=2e-3, dropout=0.3, augment=True, seed=SEED,
                  validation_split=0.0, typeset_copies=3)
MLP = replace(DigitParams.default("mlp"), seed=SEED, validation_split=0.0)  # the article's model, as written


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _mnist(shared: Path | None) -> tuple[MnistData, dict[str, Any]]:
    if shared is not None and (shared / "mnist-train" / IDX_TRAIN[0]).exists():
        folder = shared / "mnist-train"
        data = load_idx_pair(folder / IDX_TRAIN[0], folder / IDX_TRAIN[1])
        files = {name: sha256_file(folder / name) for name in IDX_TRAIN}
        return data, {"source": "mnist-train (../shared/data, official order)", "files_sha256": files}
    data = load_training_data("download", allow_download=True)
    if data.provenance.source == "offline-sample" or len(data) < 60000:
        raise DataError("The full MNIST is not available (no ../shared/data/mnist-train and the download failed); "
                        "shipped models are never trained on the 5,000-digit sample.")
    return data, {"source": data.provenance.label, "files_sha256": {Path(data.provenance.path or "").name:
                                                                    sha256_file(Path(data.provenance.path))}}


def _test_set(shared: Path | None) -> MnistData | None:
    if shared is None or not (shared / "mnist-test" / IDX_TEST[0]).exists():
        return None
    folder = shared / "mnist-test"
    return load_idx_pair(folder / IDX_TEST[0], folder / IDX_TEST[1])


def pen_arrays(path: Path, pens: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(images (n, 28, 28), labels, writers), each pen digit rendered at each width like the canvas."""
    xs, ys, ws = [], [], []
    for digit in read_pendigits(path):
        for pen in pens:
            x = preprocess_canvas(render_like_canvas(digit.strokes, pen=pen))
            xs.append(x if x is not None else np.zeros((28, 28), np.float32))
            ys.append(digit.label)
            ws.append(digit.writer)
    return np.asarray(xs, np.float32), np.asarray(ys, np.int64), np.asarray(ws, np.int64)


def _combined(mnist: MnistData, px: np.ndarray, py: np.ndarray, label: str) -> MnistData:
    x = np.concatenate([mnist.x, px])
    y = np.concatenate([mnist.y, py])
    return MnistData(x, y, Provenance("shipped-build", label, len(y), fingerprint(x, y)))


def _log_progress(p: Progress) -> None:
    if p.stage == "epoch":
        _say(p.message)


def _writer_folds(writers: np.ndarray, folds: int) -> list[np.ndarray]:
    ids = np.unique(writers)
    order = np.random.default_rng(SEED).permutation(ids)
    return [np.sort(order[k::folds]) for k in range(folds)]


def _save(model, arch: str, out: Path, card: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    target = weights_path(arch, out)
    with atomic_path(target, suffix=".keras") as tmp:
        model.keras_model.save(tmp)
    card["weights_file"] = target.name
    card["weights_sha256"] = sha256_file(target)
    card["weights_bytes"] = target.stat().st_size
    write_card(arch, out, card)


def write_card(arch: str, out: Path, card: dict[str, Any]) -> None:
    atomic_write_text(card_path(arch, out), json.dumps(card, indent=2, ensure_ascii=False) + "\n")


def _base_card(arch: str, params: DigitParams, model, data_info: dict[str, Any], test: MnistData | None) -> dict:
    info = model.info
    return {
        "arch": arch,
        "name": "small_cnn" if arch == "cnn" else "classic_mlp",
        "training_data": data_info,
        "hyper_parameters": asdict(params),
        "epochs": params.epochs,
        "seed": params.seed,
        "train_seconds": round(info.train_seconds, 1),
        "mnist_test_accuracy": round(evaluate(model, test).accuracy, 4) if test is not None else None,
        "mnist_test": "official t10k (10,000 digits), evaluation only" if test is not None else None,
        "versions": library_versions(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "make models",
    }


def build(out: Path, *, folds: int = FOLDS, only: str | None = None, fold_dir: Path | None = None) -> None:
    shared = shared_data_dir()
    mnist, mnist_info = _mnist(shared)
    test = _test_set(shared)
    pen_file = shared / "pendigits" / "pendigits-orig.tra" if shared is not None else None
    if pen_file is None or not pen_file.exists():
        raise DataError("The pen strokes (../shared/data/pendigits) are needed to train the shipped CNN.")
    _say(f"MNIST {len(mnist)} digits; rendering pen digits at widths {TRAIN_PENS}")
    px, py, pw = pen_arrays(pen_file, TRAIN_PENS)
    ex, ey, ew = pen_arrays(pen_file, (EVAL_PEN,))
    pen_sha = sha256_file(pen_file)

    if only in (None, "mlp"):
        _say("training the MLP (the article's model) on the full MNIST")
        model = train_digit_model(mnist, MLP, progress=_log_progress)
        card = _base_card("mlp", MLP, model, {"label": "MNIST training set", "n_samples": len(mnist), **mnist_info}, test)
        pred = model.predict_proba(ex).argmax(axis=1)
        card["pen_accuracy"] = {"all_writers": round(float((pred == ey).mean()), 4), "n": int(len(ey)),
                                "note": "the MLP never trains on pen strokes: every writer is unseen"}
        _save(model, "mlp", out, card)
        _say(f"MLP: test {card['mnist_test_accuracy']}, pen {card['pen_accuracy']['all_writers']}")

    if only in (None, "cnn"):
        _say("training the shipped CNN on MNIST + all pen writers")
        label = f"MNIST training set + {len(np.unique(pw))} pen writers ({len(py) // len(TRAIN_PENS)} digits × {len(TRAIN_PENS)} pen widths)"
        data = _combined(mnist, px, py, label)
        model = train_digit_model(data, CNN, progress=_log_progress)
        info = {"label": label, "n_samples": len(data), "mnist_samples": len(mnist), "pen_samples": int(len(py)),
                "pen_writers": int(len(np.unique(pw))),
                "pen_file_sha256": pen_sha, "pen_widths": list(TRAIN_PENS), "typeset_copies": CNN.typeset_copies,
                **mnist_info}
        card = _base_card("cnn", CNN, model, info, test)
        card["pen_accuracy"] = {"writer_cv": None, "folds_done": 0, "folds": folds, "per_writer": {},
                                "note": "writer-disjoint: each fold's model never saw the writers it is scored on"}
        _save(model, "cnn", out, card)
        _say(f"CNN: test {card['mnist_test_accuracy']}")

    if only in (None, "cnn", "cv"):
        _cross_validate(out, mnist, (px, py, pw), (ex, ey, ew), folds, fold_dir)


def _cross_validate(out: Path, mnist: MnistData, train_pen, eval_pen, folds: int, fold_dir: Path | None) -> None:
    px, py, pw = train_pen
    ex, ey, ew = eval_pen
    correct = np.zeros(len(ey), bool)
    scored = np.zeros(len(ey), bool)
    groups = _writer_folds(pw, FOLDS)[:folds]
    for k, held in enumerate(groups):
        _say(f"fold {k + 1}/{len(groups)}: writers {held.tolist()} held out")
        keep = ~np.isin(pw, held)
        data = _combined(mnist, px[keep], py[keep], f"fold {k + 1}")
        model = train_digit_model(data, CNN, progress=_log_progress)
        mask = np.isin(ew, held)
        correct[mask] = model.predict_proba(ex[mask]).argmax(axis=1) == ey[mask]
        scored |= mask
        if fold_dir is not None and k == 0:  # one fold's model lets the GUI benchmark replay unseen writers
            fold_dir.mkdir(parents=True, exist_ok=True)
            model.keras_model.save(fold_dir / "fold1.keras")
            (fold_dir / "fold1.json").write_text(json.dumps({"held_out_writers": held.tolist()}))
        card = json.loads(card_path("cnn", out).read_text(encoding="utf-8"))
        per = {str(int(w)): round(float(correct[ew == w].mean()), 4) for w in np.unique(ew[scored])}
        card["pen_accuracy"].update({"writer_cv": round(float(correct[scored].mean()), 4), "folds_done": k + 1,
                                     "n_scored": int(scored.sum()), "per_writer": per,
                                     "worst_writer": min(per.values()), "pen_width": EVAL_PEN,
                                     "fold_writers": [g.tolist() for g in groups[:k + 1]]})
        write_card("cnn", out, card)
        _say(f"fold {k + 1}: running writer-disjoint accuracy {card['pen_accuracy']['writer_cv']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=models_asset_dir())
    parser.add_argument("--only", choices=["cnn", "mlp", "cv"])
    parser.add_argument("--folds", type=int, default=FOLDS)
    parser.add_argument("--fold-dir", type=Path, default=Path("build/models"))
    args = parser.parse_args(argv)
    try:
        build(args.out, folds=args.folds, only=args.only, fold_dir=args.fold_dir)
    except DataError as exc:
        print(f"make models: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
