"""Integrity, round two (issue 24): a hostile probe's failures, one scenario per test — a model
deleted by a hand-edited card, decimal commas read as other numbers, unbounded reads, an .npz
bomb, broken hyper-parameters and NaN models, tracebacks from options and from output, framed
photos read as "0", and the smaller items. ``bench/reliability.py`` counts them with the fault suite.

TensorFlow is loaded in this process (cheap after the first time) rather than in subprocesses;
the subprocesses here never reach TensorFlow, except one tiny training on a read-only cache.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import install_models
from test_integrity import deepmine, no_work, refused, write_houses  # noqa: F401 — no_work is a fixture

ROOT = Path(__file__).resolve().parent.parent


# --- 1. a damaged model card never deletes the weights ---------------------------------------
def _card(models: Path) -> Path:
    cards = [p for p in models.glob("digits-*.json") if "." not in p.stem]
    assert len(cards) == 1, cards
    return cards[0]


def _start_up() -> tuple[object, list[str]]:
    from engine.core.tasks import run_task
    from engine.digits.service import DigitSettings, startup_model_task

    notices: list[str] = []
    model = run_task(startup_model_task(DigitSettings(source="offline", allow_download=False)),
                     lambda p: p.stage == "notice" and notices.append(p.message))
    return model, notices


def test_a_card_with_a_stray_comma_moves_the_pair_aside_and_another_model_is_used(tiny_models) -> None:
    from engine.core.paths import models_dir

    install_models(tiny_models)
    card = _card(models_dir())
    weights = card.with_suffix(".keras")
    size, text = weights.stat().st_size, card.read_text(encoding="utf-8")
    card.write_text(text.replace('"kind":', '"kind":,', 1), encoding="utf-8")  # a stray comma

    model, notices = _start_up()
    assert model.info.card is not None, "the shipped model is used instead"
    aside = models_dir() / "damaged"
    assert (aside / weights.name).stat().st_size == size, "the weights are kept, moved aside"
    assert (aside / card.name).is_file() and not card.exists() and not weights.exists()
    said = " ".join(notices)
    assert card.name in said and "not valid JSON at line" in said and str(aside) in said, notices
    assert "interrupted save" not in said


def test_a_card_saved_with_a_byte_order_mark_still_loads(tiny_models) -> None:
    from engine.core.paths import models_dir

    install_models(tiny_models)
    card = _card(models_dir())
    card.write_bytes(b"\xef\xbb\xbf" + card.read_bytes())  # what some editors add
    model, notices = _start_up()
    assert model.info.from_cache and notices == []
    assert card.with_suffix(".keras").exists()


# --- 5. a model that answers NaN is never saved nor used --------------------------------------
def _nan_weights(keras_model) -> list[np.ndarray]:
    return [np.full_like(w, np.nan) for w in keras_model.get_weights()]


def test_a_model_with_nan_weights_is_refused_when_made_saved_and_loaded(tiny_models) -> None:
    from engine.core.cache import ModelCache
    from engine.core.errors import CacheError, DataError
    from engine.core.paths import models_dir
    from engine.digits.models import DigitModel, load_latest_digit_model, save_digit_model

    install_models(tiny_models)
    good = load_latest_digit_model(ModelCache())
    good.keras_model.set_weights(_nan_weights(good.keras_model))
    with pytest.raises(DataError, match="not finite"):
        DigitModel(good.keras_model, good.info)
    with pytest.raises(CacheError, match="not saved"):
        save_digit_model(good, ModelCache())

    # written to the cache behind the app's back: set aside at load, with one line
    card = _card(models_dir())
    meta = json.loads(card.read_text(encoding="utf-8"))
    cache = ModelCache()
    store_meta = {k: v for k, v in meta.items() if k == "info"}
    cache.store("digits", meta["key"], ".keras", lambda tmp: good.keras_model.save(tmp), store_meta)
    notices: list[str] = []
    assert load_latest_digit_model(ModelCache(on_problem=notices.append)) is None
    assert len(notices) == 1 and "not finite" in notices[0], notices
    assert not list(models_dir().glob("digits-*.keras")), "never used again"


def test_a_card_whose_evaluation_is_nan_is_not_used(tiny_models) -> None:
    from engine.core.cache import ModelCache, sha256_file
    from engine.core.paths import models_dir
    from engine.digits.models import load_latest_digit_model

    install_models(tiny_models)
    card = _card(models_dir())
    meta = json.loads(card.read_text(encoding="utf-8"))
    meta["info"]["evaluation"]["accuracy"] = float("nan")
    card.write_text(json.dumps(meta), encoding="utf-8")
    assert meta["sha256"] == sha256_file(card.with_suffix(".keras"))
    notices: list[str] = []
    assert load_latest_digit_model(ModelCache(on_problem=notices.append)) is None
    assert "not a number" in notices[0] and (models_dir() / "damaged" / card.with_suffix(".keras").name).exists()


@pytest.mark.parametrize("args, words", [
    (["train", "--learning-rate", "nan"], ["--learning-rate", "nan"]),
    (["train", "--learning-rate", "inf"], ["--learning-rate"]),
    (["train", "--learning-rate", "1e30"], ["--learning-rate", "1e30"]),
    (["train", "--epochs", "0"], ["--epochs", "0"]),
    (["train", "--epochs", "-1"], ["--epochs"]),
    (["train", "--epochs", "1e20"], ["--epochs", "1e20"]),
    (["train", "--batch-size", "0"], ["--batch-size"]),
    (["train", "--batch-size", "-5"], ["--batch-size", "-5"]),
    (["train", "--seed", "-1"], ["--seed", "-1"]),  # 6: was a ValueError traceback
    (["predict-house", "RM=6.5", "--max-depth", "0"], ["--max-depth", "0"]),
    (["predict-house", "RM=6.5", "--max-depth", "-3"], ["--max-depth"]),
    (["predict-house", "RM=6.5", "--max-depth", "99999999999999999999"], ["--max-depth"]),  # was OverflowError
    (["train-houses", "--max-depth", "99999999999999999999"], ["--max-depth"]),
])
def test_broken_options_are_refused_in_one_line_before_any_work(deepmine_home, tmp_path, no_work, args,
                                                                words) -> None:
    refused(deepmine(deepmine_home, *args, "--data", "offline", cwd=tmp_path, block=no_work)
            if args[0] == "train" else deepmine(deepmine_home, *args, cwd=tmp_path, block=no_work), *words)


def test_digit_params_check_every_field() -> None:
    from engine.digits.models import DigitParams

    bad = DigitParams(epochs=0, batch_size=-5, learning_rate=float("nan"), dropout=2.0, seed=-1)
    assert set(bad.problems()) == {"epochs", "batch_size", "learning_rate", "dropout", "seed"}
    assert DigitParams().problems() == {} and DigitParams.default("mlp").check()


def test_json_output_never_holds_nan(capsys) -> None:
    from engine.cli.output import print_json

    print_json({"confidence": float("nan"), "per": [float("inf"), np.float32(0.5)], "ok": 1})
    assert json.loads(capsys.readouterr().out) == {"confidence": None, "per": [None, 0.5], "ok": 1}


# --- 3. every read is bounded, whatever the source -----------------------------------------
def test_a_device_is_refused_by_its_size_not_read_to_the_end(deepmine_home, tmp_path, no_work) -> None:
    out = tmp_path / "o.csv"
    result = subprocess.run([sys.executable, "-m", "gui.launcher", "predict-house", "--csv", "/dev/zero", "--out",
                             str(out)], capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, DEEPMINE_HOME=str(deepmine_home), DEEPMINE_LANG="en",
                                     PYTHONPATH=f"{no_work}{os.pathsep}{ROOT}"),
                            preexec_fn=lambda: __import__("resource").setrlimit(
                                __import__("resource").RLIMIT_AS, (2 << 30, 2 << 30)))
    refused(result, "/dev/zero", "limit")
    assert not out.exists()


def test_a_pipe_and_a_fifo_are_read_with_the_limit_and_named_as_typed(tmp_path) -> None:
    import threading

    from engine.core.bounded_read import read_bytes_limited
    from engine.core.errors import DataError

    fifo = tmp_path / "houses.fifo"
    os.mkfifo(fifo)

    def write(n: int) -> None:
        try:
            with open(fifo, "wb") as fh:
                fh.write(b"x" * n)
        except BrokenPipeError:  # the reader stopped at the limit, as it should
            pass

    writer = threading.Thread(target=write, args=(3000,))
    writer.start()
    with pytest.raises(DataError, match=f"^{fifo} is larger than the limit"):
        read_bytes_limited(fifo, 1000)
    writer.join(10)
    writer = threading.Thread(target=write, args=(999,))
    writer.start()
    assert read_bytes_limited(fifo, 1000) == b"x" * 999
    writer.join(10)
    r, w = os.pipe()
    os.write(w, b"a,b\n1,2\n")
    os.close(w)
    assert read_bytes_limited(f"/dev/fd/{r}", 100) == b"a,b\n1,2\n"
    os.close(r)


# --- 4. an .npz bomb is refused from its headers ----------------------------------------------
def test_an_npz_declaring_millions_of_images_is_refused_before_loading(tmp_path) -> None:
    from numpy.lib import format as npy_format

    from engine.core.errors import DataError
    from engine.digits.mnist import load_mnist_file

    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("x_train.npy", "w") as fh:
            npy_format.write_array_header_1_0(fh, {"descr": "<f8", "fortran_order": False,
                                                   "shape": (4_000_000, 28, 28)})
            fh.write(bytes(1 << 20))  # the body is cut short: nothing may be allocated for it
        archive.writestr("y_train.npy", b"")
    with pytest.raises(DataError, match=r"x_train declares 4,000,000 × 28 × 28 values") as err:
        load_mnist_file(bomb)
    assert "\n" not in str(err.value)


def test_an_idx_file_announcing_billions_of_digits_is_refused(tmp_path) -> None:
    import gzip
    import struct

    from engine.core.errors import DataError
    from engine.digits.mnist import load_idx_pair

    images, labels = tmp_path / "train-images-idx3-ubyte.gz", tmp_path / "train-labels-idx1-ubyte.gz"
    with gzip.open(images, "wb") as fh:
        fh.write(struct.pack(">IIII", 2051, 4_000_000_000, 28, 28))
    with gzip.open(labels, "wb") as fh:
        fh.write(struct.pack(">II", 2049, 10))
    with pytest.raises(DataError, match="announces 4,000,000,000 digits"):
        load_idx_pair(images, labels)


# --- 7. the Unix rules for output ------------------------------------------------------------
def test_a_closed_pipe_exits_quietly_and_a_full_disk_says_so(deepmine_home) -> None:
    env = dict(os.environ, DEEPMINE_HOME=str(deepmine_home), DEEPMINE_LANG="en", PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "gui.launcher", "predict-house", "RM=6", "--json"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    proc.stdout.close()  # `| head -0`: the reader is gone before the answer comes
    err = proc.stderr.read()
    assert proc.wait(300) == 141 and err == "", err  # as `cat` does: SIGPIPE's status, no message

    with open("/dev/full", "w") as full:
        result = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, env=env, text=True, timeout=300)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1 and result.stderr.strip().splitlines() == [
        "deepmine: error: the output could not be written: No space left on device"]


def test_a_closed_stdout_is_refused_before_any_work(deepmine_home, no_work) -> None:
    env = dict(os.environ, DEEPMINE_HOME=str(deepmine_home), DEEPMINE_LANG="en",
               PYTHONPATH=f"{no_work}{os.pathsep}{ROOT}")
    result = subprocess.run(["sh", "-c", f'exec >&-; exec "{sys.executable}" -m gui.launcher predict-house RM=6'],
                            capture_output=False, stderr=subprocess.PIPE, env=env, text=True, timeout=120)
    assert result.returncode == 1 and "standard output is closed" in result.stderr, result.stderr


def test_subcommands_never_import_the_main_module() -> None:
    for module in (ROOT / "engine" / "cli").glob("*.py"):
        if module.name == "main.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "engine.cli.main", f"{module.name} imports engine.cli.main (a cycle)"


# --- predict-digit: a bad file among good ones, odd file names ---------------------------------
def test_every_readable_image_is_answered_and_each_bad_one_named(tmp_path, capsys, monkeypatch) -> None:
    from engine.cli import main
    from engine.digits.mnist import load_offline_sample

    monkeypatch.setattr(os, "environ", dict(os.environ))
    digit = (255 - load_offline_sample().x[0] * 255).astype(np.uint8)
    good, odd, bad = tmp_path / "a.png", tmp_path / "tab\there.png", tmp_path / "bad.png"
    Image.fromarray(digit).resize((140, 140)).save(good)
    Image.fromarray(digit).resize((140, 140)).save(odd)
    bad.write_bytes(b"not an image")
    monkeypatch.setitem(main._state, "quiet", False)
    code = main.main(["predict-digit", str(good), str(bad), str(odd), "--no-download"])
    out, err = capsys.readouterr()
    assert code == 1, err
    lines = out.splitlines()
    assert [ln.split("\t")[0] for ln in lines] == [str(good), str(odd).replace("\t", "\\t")]
    assert all(len(ln.split("\t")) == 3 for ln in lines), "a tab in a name does not add a column"
    assert "bad.png" in err and err.count("deepmine: error:") == 1


# --- the cache cannot take the model: the exit code says so, in sentences ------------------------
def test_train_on_an_unwritable_cache_exits_non_zero_with_sentences(tmp_path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").write_text("a file where the cache folder should be")  # read-only for root too
    result = deepmine(home, "train", "--model", "mlp", "--data", "offline", "--epochs", "1", "--samples", "300")
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1, result.stderr[-2000:]
    assert "could not be saved" in result.stderr
    assert not [ln for ln in result.stderr.splitlines() if ln.startswith(("WARNING", "ERROR", "INFO"))]


# --- kill -9 leaves temporary files: the next write to the folder removes them ------------------
KILLED_WRITE = textwrap.dedent("""
    import sys, time
    from engine.core.atomic import atomic_open
    with atomic_open(sys.argv[1]) as fh:
        fh.write("half of a report")
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)
""")


def test_leftovers_of_a_killed_write_go_at_the_next_write_and_nothing_else(tmp_path) -> None:
    from engine.core.atomic import STALE_SECONDS, atomic_write_text

    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITE, str(tmp_path / "report.html")], cwd=ROOT,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    proc.kill()
    proc.wait(10)
    leftover = [p for p in tmp_path.iterdir() if p.name.startswith(".report.html.")]
    assert len(leftover) == 1
    old = tmp_path / ".prices.csv.k3j_x9a2.tmp"  # an earlier version's naming, long ago
    old.write_text("partial")
    os.utime(old, (time.time() - 2 * STALE_SECONDS,) * 2)
    fresh = tmp_path / ".prices.csv.abcd_123.tmp"  # another copy's write in progress: kept
    fresh.write_text("partial")
    mine = [tmp_path / ".notes.tmp", tmp_path / "draft.tmp", tmp_path / ".report.html.bak"]
    for p in mine:
        p.write_text("the person's own")
    atomic_write_text(tmp_path / "other.csv", "x\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [fresh.name, "other.csv", *(p.name for p in mine)])


# --- CSV files: ranges, bounds, encodings, line ends ---------------------------------------------
def test_csv_rows_outside_the_training_range_are_warned_about_and_listed(deepmine_home, tmp_path) -> None:
    from engine.houses.boston import FEATURES

    houses = write_houses(tmp_path / "houses.csv", cells={(2, "RM"): "9.5", (4, "LSTAT"): "60"})
    result = deepmine(deepmine_home, "predict-house", "--csv", str(houses), "--out", str(tmp_path / "p.csv"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "2 of 30 house(s)" in result.stderr and "lines 4, 6" in result.stderr, result.stderr
    notes = (tmp_path / "p.repairs.csv").read_text(encoding="utf-8").splitlines()
    assert notes[0] == "line,column,original,replacement,note"
    assert notes[1].startswith("4,RM,9.5,,") and notes[2].startswith("6,LSTAT,60,,") and len(notes) == 3
    table = (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()
    column = table[0].split(",").index("outside_training_range")
    assert table[3].split(",")[column] == "RM" and table[1].split(",")[column] == ""
    assert len(table[0].split(",")) == len(FEATURES) + 4


@pytest.mark.parametrize("cell, column, words", [
    ("-500", "MEDV", ["Line 3", "MEDV", "'-500'", "possible range"]),
    ("1e8", "MEDV", ["Line 3", "MEDV", "'1e8'"]),
    ("-6", "RM", ["Line 3", "RM", "'-6'", "possible range"]),
])
def test_training_files_obey_the_same_physical_bounds_as_prediction(tmp_path, cell, column, words) -> None:
    from engine.core.errors import DataError
    from engine.houses.boston import FEATURES, load_boston
    from engine.houses.csv_io import import_house_csv

    boston = load_boston()
    rows = [",".join(f"{v:.6g}" for v in [*x, y]) for x, y in zip(boston.X[:40], boston.y[:40])]
    cells = rows[1].split(",")
    cells[(FEATURES + ["MEDV"]).index(column)] = cell
    rows[1] = ",".join(cells)
    path = tmp_path / "train.csv"
    path.write_text("\n".join([",".join(FEATURES + ["MEDV"]), *rows]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        import_house_csv(path, fill=None)
    for word in words:
        assert word in str(err.value), str(err.value)
    repaired = import_house_csv(path, fill="median")
    assert len(repaired.y) == (39 if column == "MEDV" else 40) and float(np.abs(repaired.y).max()) <= 50
    assert float(repaired.X[:, FEATURES.index("RM")].min()) > 0


@pytest.mark.parametrize("form", ["utf-16", "utf-16-le-no-bom", "cr-only"])
def test_utf16_and_cr_only_files_are_read_as_the_person_wrote_them(tmp_path, form) -> None:
    from engine.houses.boston import FEATURES
    from engine.houses.csv_io import read_house_batch

    text = write_houses(tmp_path / "plain.csv").read_text(encoding="utf-8")
    path = tmp_path / "houses.csv"
    if form == "utf-16":
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))
    elif form == "utf-16-le-no-bom":
        path.write_bytes(text.encode("utf-16-le"))
    else:
        path.write_text(text.replace("\n", "\r"), encoding="utf-8", newline="")
    batch = read_house_batch(path, FEATURES)
    assert len(batch.records) == 30 and batch.lines[:2] == [2, 3]
    assert np.allclose(batch.X, read_house_batch(tmp_path / "plain.csv", FEATURES).X)


def test_binary_data_is_still_named_as_such(tmp_path) -> None:
    from engine.core.errors import DataError
    from engine.houses.boston import FEATURES
    from engine.houses.csv_io import read_house_batch

    path = tmp_path / "x.csv"
    path.write_bytes(b"CRIM,ZN\n\x00\x01\x02\x03\xff\xfe\x00\x00")
    with pytest.raises(DataError, match="binary data"):
        read_house_batch(path, FEATURES)


# --- 8. photos with a dark frame -----------------------------------------------------------------
def _framed_and_plain(seed: int):
    from bench.photo_testset import photo_like
    from engine.digits.pendigits import render_like_canvas

    four = [np.array([[0.55, 0.16], [0.40, 0.40], [0.28, 0.60], [0.50, 0.60], [0.74, 0.59]]),
            np.array([[0.60, 0.38], [0.60, 0.60], [0.60, 0.85]])]
    canvas = render_like_canvas(four)
    plain = photo_like(canvas, np.random.default_rng(seed))
    framed = photo_like(canvas, np.random.default_rng(seed), frame_rng=np.random.default_rng(seed + 99))
    return plain, framed


@pytest.mark.parametrize("seed", range(6))
def test_a_dark_frame_around_the_paper_is_background_not_the_digit(seed) -> None:
    from engine.digits.image_import import image_to_canvas
    from engine.digits.preprocess import preprocess_canvas

    plain, framed = _framed_and_plain(seed)
    assert not np.array_equal(plain, framed)
    a, b = preprocess_canvas(image_to_canvas(plain)), preprocess_canvas(image_to_canvas(framed))
    assert a is not None and b is not None
    assert float(np.corrcoef(a.ravel(), b.ravel())[0, 1]) > 0.9, "the framed photo reaches the network as the digit"


def test_a_framed_blank_page_is_no_digit() -> None:
    from engine.digits.image_import import image_to_canvas
    from engine.digits.preprocess import preprocess_canvas

    page = np.full((300, 400), 200, np.uint8)
    page[:14], page[-9:], page[:, :20] = 40, 40, 40
    noisy = np.clip(page + np.random.default_rng(1).normal(0, 3, page.shape), 0, 255).astype(np.uint8)
    assert preprocess_canvas(image_to_canvas(noisy)) is None


def test_the_photo_test_set_is_a_benchmark_fixture_not_app_code() -> None:
    assert not (ROOT / "engine" / "digits" / "photo_testset.py").exists()
    from bench.photo_testset import make_photo_set

    kinds: list[str] = []
    digits = [np.pad(np.ones((20, 6), np.uint8) * 255, 4)] * 12
    make_photo_set(digits, [1] * 12, seed=3, frame_share=0.5, kinds=kinds)
    assert "framed" in kinds


# --- the GUI: decimal separators, the live canvas, the training panel ------------------------------
@pytest.fixture(params=["en_US", "de_DE"])
def locale_name(request):
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield request.param
    QLocale.setDefault(before)


def _shown(qtbot, widget) -> None:
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)  # Tab moves the focus, as for a person, only in the active window


def _type(qtbot, box, text: str) -> None:
    from PySide6.QtCore import Qt

    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=5000)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not box.hasFocus(), timeout=5000)


@pytest.mark.parametrize("name, text, value", [("CRIM", "1,5", 1.5), ("RM", "6,5", 6.5), ("LSTAT", "4,98", 4.98),
                                               ("RM", "6.5", 6.5), ("TAX", "300", 300.0)])
def test_every_numeric_field_takes_either_decimal_mark(qtbot, locale_name, name, text, value) -> None:
    from gui.houses.form import HouseForm

    form = HouseForm()
    qtbot.addWidget(form)
    _shown(qtbot, form)
    _type(qtbot, form.inputs[name], text)
    assert form.inputs[name].value() == pytest.approx(value)
    assert form.input_problem.text() == ""


@pytest.mark.parametrize("name, text, words", [("RM", "1.234,5", ["RM", "decimal mark"]),
                                               ("RAD", "1,5", ["RAD", "whole number"]),
                                               ("RM", "0,5", ["RM", "outside"]),
                                               ("LSTAT", "4,9812", ["LSTAT", "decimals"])])
def test_what_cannot_be_used_as_typed_is_refused_visibly(qtbot, locale_name, name, text, words) -> None:
    from gui.houses.form import HouseForm

    form = HouseForm()
    qtbot.addWidget(form)
    _shown(qtbot, form)
    before = form.inputs[name].value()
    _type(qtbot, form.inputs[name], text)
    assert form.inputs[name].value() == before, "no keystroke became another number"
    for word in words:
        assert word in form.input_problem.text()
    assert form.inputs[name].styleSheet(), "the field is marked"


def test_the_live_canvas_paints_only_the_new_segment_on_each_move(qtbot, monkeypatch) -> None:
    from gui.digits.canvas import DigitCanvas

    canvas = DigitCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(320, 320)
    canvas.show()
    qtbot.waitExposed(canvas)
    painted = []
    real = canvas._paint_segment
    monkeypatch.setattr(canvas, "_paint_segment", lambda *a: (painted.append(1), real(*a)))
    moves = [0]
    canvas.strokeMoved.connect(lambda: moves.__setitem__(0, moves[0] + 1))
    rng = np.random.default_rng(0)
    per_move = []
    for stroke in range(30):  # a long scribble
        from gui.common.automation import draw_strokes

        before_paint, before_moves = len(painted), moves[0]
        draw_strokes(canvas, [rng.uniform(0.1, 0.9, size=(8, 2)).tolist()])
        canvas.repaint()  # the screen is drawn too: from the kept picture
        per_move.append((len(painted) - before_paint) / (moves[0] - before_moves))
    assert max(per_move) == per_move[0] <= 3, per_move
    incremental = canvas.render_array()
    canvas.resize(330, 330)  # a full re-render gives the same picture
    canvas._model = None
    assert np.abs(canvas.render_array().astype(int) - incremental).max() == 0


def test_the_training_panel_refuses_a_field_beside_it_before_work(qtbot) -> None:
    from gui.digits.training_panel import TrainingPanel

    panel = TrainingPanel()
    qtbot.addWidget(panel)
    _shown(qtbot, panel)
    started = []
    panel.startRequested.connect(lambda *a: started.append(a))
    panel.epochs.setFocus()
    qtbot.waitUntil(panel.epochs.hasFocus, timeout=5000)
    panel.epochs.lineEdit().selectAll()
    qtbot.keyClicks(panel.epochs.lineEdit(), "0")
    panel.start.click()
    assert started == [] and panel.field_problems["epochs"].isVisibleTo(panel)
    assert "0" in panel.field_problems["epochs"].text()
    _type(qtbot, panel.epochs, "2")
    _type(qtbot, panel.lr, "0,002")
    panel.start.click()
    assert len(started) == 1 and started[0][0].epochs == 2 and started[0][0].learning_rate == pytest.approx(0.002)
    assert not panel.field_problems["epochs"].isVisibleTo(panel)


def test_the_house_lab_fields_refuse_a_decimal_comma_instead_of_reading_another_number(qtbot) -> None:
    """Tree depth "1,5" in an English locale must not become 15."""
    from PySide6.QtCore import Qt

    from engine.houses.models import HouseParams
    from gui.houses.lab_page import LabPage

    page = LabPage(HouseParams())
    qtbot.addWidget(page)
    before = page.depth.value()
    page.depth.lineEdit().selectAll()
    qtbot.keyClicks(page.depth.lineEdit(), "1,5")
    qtbot.keyClick(page.depth.lineEdit(), Qt.Key.Key_Tab)
    assert page.depth.value() in (before, 1), "never 15"
    assert page.depth.value() != 15
