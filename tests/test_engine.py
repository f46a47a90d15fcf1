"""The engine on tiny real data: MNIST sources and the download path, preprocessing, digit
training (progress, cancel, seed, cache), house models and their rule paths, CSV import."""

from __future__ import annotations

import gzip
import inspect
import struct
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.digits.models import DigitParams

TINY = DigitParams(arch="mlp", epochs=1, dropout=0.0, augment=False, typeset_copies=0)


# --- MNIST sources ------------------------------------------------------------------------------
def write_npz(path: Path, n: int = 300) -> None:
    from engine.digits.mnist import load_offline_sample

    data = load_offline_sample().subset(n, seed=3)
    images = (data.x * 255).astype(np.uint8)
    np.savez(path, x_train=images, y_train=data.y, x_test=images[:50], y_test=data.y[:50])


def write_idx(folder: Path, n: int = 120) -> None:
    from engine.digits.mnist import load_offline_sample

    data = load_offline_sample().subset(n, seed=4)
    images = (data.x * 255).astype(np.uint8)
    with gzip.open(folder / "train-images-idx3-ubyte.gz", "wb") as fh:
        fh.write(struct.pack(">IIII", 2051, n, 28, 28) + images.tobytes())
    with gzip.open(folder / "train-labels-idx1-ubyte.gz", "wb") as fh:
        fh.write(struct.pack(">II", 2049, n) + data.y.astype(np.uint8).tobytes())


def test_offline_sample_has_provenance() -> None:
    from engine.digits.mnist import load_offline_sample

    data = load_offline_sample()
    assert data.x.shape == (5000, 28, 28) and data.x.dtype == np.float32
    assert 0.0 <= data.x.min() and data.x.max() <= 1.0
    assert sorted(set(data.y.tolist())) == list(range(10))
    assert data.provenance.n_samples == 5000 and len(data.provenance.sha256) == 64


def test_user_files_npz_and_idx_load(tmp_path) -> None:
    from engine.digits.mnist import load_mnist_file

    write_npz(tmp_path / "mnist.npz")
    npz = load_mnist_file(tmp_path / "mnist.npz")
    assert len(npz) == 300 and npz.provenance.source == "user-file"
    write_idx(tmp_path)
    idx = load_mnist_file(tmp_path)
    assert len(idx) == 120 and idx.x.shape[1:] == (28, 28)


def test_download_from_a_local_url_lands_in_the_cache_and_is_used(tmp_path) -> None:
    from engine.digits.mnist import cached_mnist_path, load_training_data

    source = tmp_path / "mnist.npz"
    write_npz(source, 400)
    seen = []
    data = load_training_data("full", url=source.as_uri(), progress=seen.append)
    assert len(data) == 400 and data.provenance.source == "download" and data.notice == ""
    assert cached_mnist_path().exists()
    assert any(p.stage == "download" for p in seen)
    again = load_training_data("full", url="http://127.0.0.1:9/never.npz")
    assert again.provenance.source == "cache", "the second time, no network is needed"


def test_an_unreachable_download_falls_back_after_one_attempt_and_says_so() -> None:
    from engine.digits.mnist import load_training_data

    seen = []
    data = load_training_data("full", url="http://127.0.0.1:9/mnist.npz", timeout=3, progress=seen.append)
    assert data.provenance.source == "offline-sample"
    assert "could not be downloaded" in data.notice and "offline 5,000-digit" in data.notice
    downloads = [p for p in seen if p.stage == "download"]
    assert len(downloads) == 1 and downloads[0].fraction is None, "one attempt, no retries, no bytes received"


def test_a_download_that_is_not_mnist_is_refused_and_not_cached(tmp_path) -> None:
    from engine.digits.mnist import cached_mnist_path, load_training_data

    bad = tmp_path / "page.html"
    bad.write_text("<html>captive portal</html>")
    data = load_training_data("full", url=bad.as_uri())
    assert data.provenance.source == "offline-sample"
    assert "not MNIST" in data.notice or "npz" in data.notice
    assert not cached_mnist_path().exists()


# --- preprocessing --------------------------------------------------------------------------------
def test_blank_canvas_is_no_digit_never_a_guess() -> None:
    from engine.digits.preprocess import preprocess_canvas

    assert preprocess_canvas(np.zeros((280, 280), np.uint8)) is None
    specks = np.zeros((280, 280), np.uint8)
    specks[10, 10] = specks[200, 30] = 255
    assert preprocess_canvas(specks) is None


@pytest.mark.parametrize("size, box", [(280, (20, 40, 60, 80)), (500, (300, 100, 480, 200)), (120, (10, 10, 110, 30))])
def test_any_drawing_becomes_an_mnist_style_28x28(size, box) -> None:
    from scipy.ndimage import center_of_mass

    from engine.digits.preprocess import preprocess_canvas

    canvas = np.zeros((size, size), np.uint8)
    top, left, bottom, right = box
    canvas[top:bottom, left:right] = 255
    x = preprocess_canvas(canvas)
    assert x.shape == (28, 28) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    rows, cols = np.nonzero(x > 0.05)
    assert rows.max() - rows.min() <= 21 and cols.max() - cols.min() <= 21, "fits the 20×20 box (+AA fringe)"
    cy, cx = center_of_mass(x)
    assert abs(cy - 14) < 1.5 and abs(cx - 14) < 1.5


# --- digit models ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_data():
    from engine.digits.mnist import load_offline_sample

    return load_offline_sample().subset(600, seed=1)


def test_training_reports_progress_and_evaluates(small_data) -> None:
    from engine.digits.training import train_digit_model

    seen = []
    model = train_digit_model(small_data, DigitParams(arch="mlp", epochs=2, augment=False, typeset_copies=0),
                              progress=seen.append)
    stages = {p.stage for p in seen}
    assert {"batch", "epoch"} <= stages
    assert [p.data["epoch"] for p in seen if p.stage == "epoch"] == [1, 2]
    batches = [p for p in seen if p.stage == "batch"]
    assert all({"epoch", "batch", "eta_seconds", "samples_per_second", "loss"} <= set(p.data) for p in batches)
    fractions = [p.fraction for p in batches]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    ev = model.info.evaluation
    assert ev.n_samples == 60 and np.asarray(ev.confusion).sum() == 60
    assert 0 <= ev.accuracy <= 1 and len(ev.precision) == len(ev.recall) == 10
    pred = model.predict(small_data.x[0])
    assert pred.digit == int(model.predict_proba(small_data.x[:1]).argmax())
    assert model.predict(None).digit is None
    sal = model.saliency(small_data.x[0])
    assert sal.shape == (28, 28) and sal.max() == pytest.approx(1.0)


def test_same_seed_same_model(small_data) -> None:
    from engine.digits.training import train_digit_model

    a = train_digit_model(small_data, TINY).predict_proba(small_data.x[:20])
    b = train_digit_model(small_data, TINY).predict_proba(small_data.x[:20])
    assert np.allclose(a, b, atol=1e-5)


def test_cancel_stops_training_after_the_chunk_under_way(small_data) -> None:
    from engine.core.errors import Cancelled
    from engine.core.tasks import CancelToken, run_task
    from engine.digits.training import train_digit_task

    token = CancelToken()
    reports: list[dict] = []
    after_cancel: list[int] = []

    def progress(p) -> None:
        if p.stage != "batch":
            return
        if token.cancelled:
            after_cancel.append(p.data["batches_done"])
            return
        reports.append(dict(p.data))
        if len(reports) == 3:  # the person presses Cancel while the third chunk's report is on screen
            token.cancel()

    task = train_digit_task(small_data, DigitParams(arch="cnn", epochs=50, augment=True))
    with pytest.raises(Cancelled):
        run_task(task, progress, token)
    assert len(reports) == 3, "the training was still running when cancel was asked for"
    assert after_cancel == [], "no batch ran after the cancel was heard"
    assert inspect.getgeneratorstate(task) == inspect.GEN_CLOSED, "the training was closed, not left suspended"
    done = [r["batches_done"] for r in reports]
    assert done == sorted(done) and done[-1] < 50 * reports[-1]["steps"], "cancelled long before the end"


def test_a_loss_that_becomes_nan_stops_training_with_one_line(small_data) -> None:
    from engine.core.errors import DataError
    from engine.digits.training import train_digit_model

    seen = []
    # an absurd learning rate (past the panel's limits, which are not the loop's business): the weights overflow
    with pytest.raises(DataError) as caught:
        train_digit_model(small_data, replace(TINY, learning_rate=1e30), progress=seen.append)
    message = str(caught.value)
    [diverged] = [p for p in seen if p.stage == "diverged"]
    assert "\n" not in message and f"batch {diverged.data['batch']}" in message and "not kept" in message
    assert "learning rate" in message
    assert not [p for p in seen if p.stage == "epoch"], "the run stopped at the broken batch, not at the epoch's end"


def test_cache_round_trip_and_a_damaged_entry_is_rebuilt(small_data, tmp_path) -> None:
    from engine.core.cache import ModelCache
    from engine.digits.models import load_latest_digit_model, save_digit_model
    from engine.digits.training import train_digit_model

    problems: list[str] = []
    cache = ModelCache(root=tmp_path / "models", on_problem=problems.append)
    model = train_digit_model(small_data, TINY)
    assert not model.info.from_cache
    save_digit_model(model, cache)
    loaded = load_latest_digit_model(cache)
    assert loaded.info.from_cache, "the app can tell the person the model was loaded, not trained"
    assert loaded.info.cache_key == model.info.cache_key
    assert loaded.info.params == model.info.params and loaded.info.history == model.info.history
    assert loaded.info.train_provenance == model.info.train_provenance
    assert loaded.info.evaluation.accuracy == pytest.approx(model.info.evaluation.accuracy)
    assert len(loaded.info.evaluation.misclassified) == len(model.info.evaluation.misclassified)
    assert np.allclose(loaded.predict_proba(small_data.x[:5]), model.predict_proba(small_data.x[:5]), atol=1e-6)
    assert problems == []
    next((tmp_path / "models").glob("*.keras")).write_bytes(b"not a keras file")
    assert load_latest_digit_model(cache) is None
    assert problems and "rebuilt" in problems[-1]
    assert list((tmp_path / "models").glob("digits-*")) == [], "the damaged entry was removed"


# --- houses -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def houses():
    from engine.houses.boston import load_boston
    from engine.houses.models import HouseParams, train_house_models

    data = load_boston()
    return data, train_house_models(data, HouseParams(n_trees=20, boosting_iter=60))


def test_boston_and_model_comparison(houses) -> None:
    data, models = houses
    assert data.X.shape == (506, 13) and data.features[5] == "RM"
    names = {s.model for s in models.info.cv}
    assert names == {"tree", "forest", "boosting"}
    assert models.info.recommended == min(models.info.cv, key=lambda s: s.mse).model
    assert all(s.r2 > 0.5 for s in models.info.cv)


def test_rule_path_is_the_trees_own_and_out_of_range_is_flagged(houses) -> None:
    data, models = houses
    inputs = dict(data.medians(), RM=20.0)
    pred = models.predict(inputs)
    x = models.row(inputs)
    nodes = list(models.tree.decision_path(x).indices)
    assert [s.node_id for s in pred.path] + [pred.leaf_node] == nodes
    assert pred.price == pytest.approx(float(models.tree.predict(x)[0]))
    assert "RM" in pred.out_of_range
    text = models.explain(pred)
    assert text.endswith(f"→ {pred.leaf_value:.1f}") and "RM" in text


def test_bad_feature_values_are_refused_with_their_name(houses) -> None:
    from engine.core.errors import InputError

    data, models = houses
    with pytest.raises(InputError, match="RM"):
        models.predict(dict(data.medians(), RM=float("nan")))
    with pytest.raises(InputError, match="ROOMS"):
        models.predict(dict(data.medians(), ROOMS=3))


def test_malformed_csv_names_the_line(tmp_path) -> None:
    from engine.core.errors import DataError
    from engine.houses.csv_io import import_house_csv

    path = tmp_path / "houses.csv"
    path.write_text("CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT,MEDV\n"
                    + "0.1,0,5,0,0.5,6,60,4,4,300,18,390,10,22\n" * 3 + "0.1,0,5\n")
    with pytest.raises(DataError, match="Line 5 .* 3 fields"):
        import_house_csv(path)
