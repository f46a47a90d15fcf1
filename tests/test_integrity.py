"""Data integrity: what a careless or hostile person found — files overwritten, numbers read
wrong or silently replaced, values no house can have, refusals that came only after minutes of
work, and notices that vanished in a pipe. Each test is one scenario of that issue;
``bench/reliability.py`` counts them with the fault suite.

Refusals must come before any work: those tests run the CLI with scikit-learn, TensorFlow,
Keras and mlxtend made unimportable, so a command that starts training before it checks its
input crashes instead of refusing.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest

from engine.houses.boston import FEATURES

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("sklearn", "tensorflow", "keras", "mlxtend")
# Native libraries' own stderr lines: absl/glog-formatted ones of any severity, and the known phrases
# (TensorFlow's start-up notices, LiteRT's delegate line). Matched per line, anywhere in the output.
CHATTER = re.compile(r"^[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\]|absl::InitializeLog|oneDNN|cpu_feature_guard|"
                     r"rebuild TensorFlow with the appropriate compiler flags|XNNPACK|TensorFlow Lite", re.M)


@pytest.fixture(scope="module")
def no_work(tmp_path_factory) -> Path:
    """A PYTHONPATH entry whose heavy libraries raise on import: any training is a crash."""
    root = tmp_path_factory.mktemp("no-work")
    for name in HEAVY:
        (root / name).mkdir()
        (root / name / "__init__.py").write_text(f"raise ImportError('{name} imported before the input was checked')\n")
    return root


def deepmine(home: Path, *args: str, cwd: Path | None = None, block: Path | None = None, env: dict | None = None,
             unset: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess; stdout and stderr are pipes (not a terminal), as in a script or a log."""
    path = os.pathsep.join(str(p) for p in (block, ROOT) if p is not None)
    full = dict(os.environ, DEEPMINE_HOME=str(home), DEEPMINE_LANG="en", PYTHONPATH=path, QT_QPA_PLATFORM="offscreen",
                **(env or {}))
    for name in unset:
        full.pop(name, None)
    return subprocess.run([sys.executable, "-m", "gui.launcher", *args], capture_output=True, text=True, env=full,
                          cwd=cwd or ROOT, timeout=900)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2 with one clear last line holding ``words``, and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode == 2, result.stderr[-2000:]
    assert lines and lines[-1].startswith("deepmine: error:"), result.stderr[-2000:]
    for word in words:
        assert word in lines[-1], lines[-1]
    return lines[-1]


def boston_rows(n: int = 30) -> np.ndarray:
    from engine.houses.boston import load_boston

    return load_boston().X[:n]


def write_houses(path: Path, rows: np.ndarray | None = None, *, sep: str = ",", comma: bool = False,
                 extra: dict[str, list[str]] | None = None, cells: dict[tuple[int, str], str] | None = None) -> Path:
    """A CSV of Boston houses; ``extra`` columns go first, ``cells[(row, column)]`` overrides one cell."""
    rows = boston_rows() if rows is None else rows
    extra = extra or {}
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\n")
    writer.writerow(list(extra) + FEATURES)
    for i, row in enumerate(rows):
        values = [f"{v:.6g}".replace(".", ",") if comma else f"{v:.6g}" for v in row]
        for (r, column), text in (cells or {}).items():
            if r == i:
                values[FEATURES.index(column)] = text
        writer.writerow([extra[k][i] for k in extra] + values)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


# --- data lost: where results are written -------------------------------------------------------
def test_pricing_a_file_into_itself_is_refused_and_the_input_kept(deepmine_home, tmp_path, no_work) -> None:
    houses = write_houses(tmp_path / "houses.csv")
    before = houses.read_bytes()
    refused(deepmine(deepmine_home, "predict-house", "--csv", "houses.csv", "--out", "houses.csv", "--force",
                     cwd=tmp_path, block=no_work), "houses.csv", "input")
    assert houses.read_bytes() == before


@pytest.mark.parametrize("alias", ["dotdot", "symlink", "hardlink"])
def test_the_input_under_another_name_is_not_overwritten(deepmine_home, tmp_path, no_work, alias) -> None:
    houses = write_houses(tmp_path / "houses.csv")
    before = houses.read_bytes()
    (tmp_path / "sub").mkdir()
    if alias == "dotdot":
        out = tmp_path / "sub" / ".." / "houses.csv"
    else:
        out = tmp_path / "sub" / "same.csv"
        (os.symlink if alias == "symlink" else os.link)(houses, out)
    refused(deepmine(deepmine_home, "predict-house", "--csv", str(houses), "--out", str(out), "--force",
                     block=no_work), "input")
    assert houses.read_bytes() == before


def test_a_wrong_suffix_is_refused_not_renamed(deepmine_home, tmp_path, no_work) -> None:
    houses = write_houses(tmp_path / "houses.csv")
    line = refused(deepmine(deepmine_home, "predict-house", "--csv", str(houses), "--out", str(tmp_path / "v2.xlsx"),
                            block=no_work), "v2.xlsx", ".csv")
    assert "renamed" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["houses.csv"]


@pytest.mark.parametrize("given", ["explicit", "default"])
def test_an_existing_output_is_not_replaced_without_force(deepmine_home, tmp_path, no_work, given) -> None:
    houses = write_houses(tmp_path / "houses.csv")
    out = tmp_path / ("v2.csv" if given == "explicit" else "houses-priced.csv")
    out.write_text("my earlier work\n")
    args = ["--out", str(out)] if given == "explicit" else []
    refused(deepmine(deepmine_home, "predict-house", "--csv", str(houses), *args, block=no_work),
            out.name, "already exists", "--force")
    assert out.read_text() == "my earlier work\n"


def _missing_folder(tmp_path: Path, where: str) -> Path:
    return (tmp_path / "no" / "such" if where == "tmp" else Path("/") / f"deepmine-missing-{uuid.uuid4().hex}")


@pytest.mark.parametrize("command, where", [("csv", "tmp"), ("csv", "root"), ("report", "tmp"), ("compare", "tmp")])
def test_a_missing_folder_is_refused_the_same_way_everywhere(deepmine_home, tmp_path, no_work, command, where) -> None:
    folder = _missing_folder(tmp_path, where)
    houses = write_houses(tmp_path / "houses.csv")
    args = {"csv": ["predict-house", "--csv", str(houses), "--out", str(folder / "out.csv")],
            "report": ["report", str(folder / "report.html")],
            "compare": ["compare", "--csv", str(folder / "cells.csv")]}[command]
    try:
        line = refused(deepmine(deepmine_home, *args, block=no_work), str(folder))
        assert line == f"deepmine: error: The folder {folder} does not exist."
        assert not folder.exists(), "no folder is created behind the person's back"
    finally:
        if where == "root" and folder.exists():  # only what this test made
            for p in sorted(folder.rglob("*"), reverse=True):
                p.unlink() if p.is_file() else p.rmdir()
            folder.rmdir()


@pytest.mark.parametrize("command", ["csv", "report"])
@pytest.mark.parametrize("folder", ["a-file", "proc"])
def test_an_unusable_folder_is_refused_before_any_work(deepmine_home, tmp_path, no_work, command, folder) -> None:
    if folder == "a-file":
        base = tmp_path / "notes.txt"
        base.write_text("a file, not a folder")
    else:
        base = Path("/proc")  # exists, is a folder, takes no files — not even from root
    houses = write_houses(tmp_path / "houses.csv")
    args = (["predict-house", "--csv", str(houses), "--out", str(base / "out.csv")] if command == "csv"
            else ["report", str(base / "report.html")])
    refused(deepmine(deepmine_home, *args, block=no_work), str(base))


# --- numbers silently wrong: NAME=VALUE ---------------------------------------------------------
@pytest.mark.parametrize("args, words", [
    (["predict-house", "RM=6", "RM=7"], ["RM", "twice"]),
    (["predict-house", "rm=6", "RM=7"], ["RM", "twice"]),
    (["predict-house", "XYZ=1"], ["Unknown feature XYZ"]),
    (["predict-house", "RM=nan"], ["RM", "finite"]),
    (["predict-house", "LSTAT=-inf"], ["LSTAT", "finite"]),
    (["predict-house", "RM=1e308"], ["RM", "too large"]),
    (["predict-house", "TAX=1e39"], ["TAX", "too large"]),
    (["predict-house", "CHAS=2"], ["CHAS", "0 or 1"]),
    (["predict-house", "CHAS=0.5"], ["CHAS", "0 or 1"]),
    (["predict-house", "RM=-5"], ["RM", "impossible"]),
    (["predict-house", "CRIM=-0.1"], ["CRIM", "impossible"]),
    (["predict-house", "ZN=150"], ["ZN", "impossible"]),
    (["predict-house", "TAX=-300"], ["TAX", "impossible"]),
    (["predict-house", "RAD=4.5"], ["RAD", "whole number"]),
    (["predict-house", "B=500"], ["B", "impossible"]),
    (["predict-house", "RM=6,5"], ["RM", "decimal point"]),
    (["predict-house", "--no-b", "B=390"], ["--no-b"]),
    (["predict-house", "--csv", "f.csv", "--out", "o.csv", "RM=9", "XYZ=1"], ["--csv", "not both", "XYZ=1"]),
    (["predict-house", "--out", "o.csv", "RM=6"], ["--out", "--csv"]),
    (["report", "r.html", "--house", "TAX=1e308"], ["TAX", "too large"]),
    (["report", "r.html", "--house", "RM=7,RM=8"], ["RM", "twice"]),
    (["report", "r.html", "--house", "XYZ=1"], ["Unknown feature XYZ"]),
    (["report", "r.html", "--sections", "digits,housse"], ["housse"]),
])
def test_bad_values_are_refused_in_one_line_before_any_work(deepmine_home, tmp_path, no_work, args, words) -> None:
    refused(deepmine(deepmine_home, *args, cwd=tmp_path, block=no_work), *words)
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "o.csv").exists()


def test_good_values_pass_the_same_check() -> None:
    from engine.houses.validation import split_pairs, validate_house_values

    assert validate_house_values(split_pairs(["rm=6.5", "CHAS=1", "LSTAT=4", "TAX=1.5e2"])) == {
        "RM": 6.5, "CHAS": 1.0, "LSTAT": 4.0, "TAX": 150.0}


def test_physical_bounds_cover_every_feature_and_the_real_data() -> None:
    from engine.houses.boston import PHYSICAL_BOUNDS, load_boston

    assert set(PHYSICAL_BOUNDS) == set(FEATURES)
    for feature, (low, high) in load_boston().ranges().items():
        assert PHYSICAL_BOUNDS[feature][0] <= low and high <= PHYSICAL_BOUNDS[feature][1], feature


# --- numbers silently wrong: CSV cells ----------------------------------------------------------
@pytest.mark.parametrize("cell, words", [
    ("abc", ["Line 5", "RM", "'abc'", "not a number"]),
    ("=cmd|' /C calc'!A0", ["Line 5", "RM", "formula"]),
    ("", ["Line 5", "RM", "empty"]),
    ("1e308", ["Line 5", "RM", "large"]),
    ("-5", ["Line 5", "RM", "possible range"]),
])
def test_a_cell_that_is_not_a_usable_number_is_named_not_replaced(deepmine_home, tmp_path, no_work, cell,
                                                                  words) -> None:
    houses = write_houses(tmp_path / "houses.csv", cells={(3, "RM"): cell})
    line = refused(deepmine(deepmine_home, "predict-house", "--csv", str(houses), block=no_work), *words)
    assert "--fill median" in line
    assert not (tmp_path / "houses-priced.csv").exists()


def test_a_file_mixing_decimal_points_and_commas_is_refused_with_the_reason(deepmine_home, tmp_path,
                                                                            no_work) -> None:
    houses = write_houses(tmp_path / "houses.csv", sep=";", cells={(2, "TAX"): "1.242,5"})
    refused(deepmine(deepmine_home, "predict-house", "--csv", str(houses), block=no_work),
            "decimal points", "decimal commas", "--decimal")


def test_two_columns_with_one_name_are_refused(tmp_path) -> None:
    from engine.core.errors import DataError
    from engine.houses.csv_io import read_house_batch

    path = tmp_path / "twice.csv"
    path.write_text(",".join(FEATURES + ["RM"]) + "\n" + ",".join(["1"] * 14) + "\n")
    with pytest.raises(DataError, match="two columns named RM"):
        read_house_batch(path, FEATURES)


def test_a_european_thousands_cell_is_read_as_written(tmp_path) -> None:
    from engine.houses.csv_io import read_house_batch

    rows = boston_rows(5)
    path = write_houses(tmp_path / "eu.csv", rows, sep=";", comma=True, cells={(1, "TAX"): "1.242,5"})
    batch = read_house_batch(path, FEATURES)
    assert batch.decimal == ","
    assert batch.X[1, FEATURES.index("TAX")] == 1242.5
    assert np.allclose(np.delete(batch.X, 1, axis=0), np.delete(rows, 1, axis=0), rtol=1e-5)


def test_a_semicolon_file_with_decimal_commas_trains_on_the_right_numbers(tmp_path) -> None:
    from engine.houses.boston import load_boston
    from engine.houses.csv_io import import_house_csv

    boston = load_boston()
    path = tmp_path / "eu.csv"
    lines = [";".join(FEATURES + ["MEDV"])]
    lines += [";".join(f"{v:.6g}".replace(".", ",") for v in [*x, y]) for x, y in zip(boston.X[:60], boston.y[:60])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = import_house_csv(path, fill=None)
    assert np.allclose(data.X, boston.X[:60], rtol=1e-5) and np.allclose(data.y, boston.y[:60])
    assert data.quality.actions == []


def test_the_decimal_mark_can_be_forced(tmp_path) -> None:
    from engine.houses.csv_io import read_house_batch

    rows = np.floor(boston_rows(5))  # whole numbers: nothing but TAX tells the decimal mark
    path = write_houses(tmp_path / "ambiguous.csv", rows, sep=";", cells={(0, "TAX"): "1,500"})
    tax = FEATURES.index("TAX")
    assert read_house_batch(path, FEATURES).X[0, tax] == 1.5, "in a semicolon file 1,500 is one and a half"
    assert read_house_batch(path, FEATURES, decimal=".").X[0, tax] == 1500.0
    assert np.array_equal(read_house_batch(path, FEATURES, decimal=".").X[1:], rows[1:])


# --- the shared write-path check ------------------------------------------------------------------
def test_check_output_rules(tmp_path) -> None:
    from engine.core.errors import InputError
    from engine.core.output_paths import check_output

    source = tmp_path / "in.csv"
    source.write_text("x\n")
    existing = tmp_path / "old.csv"
    existing.write_text("keep\n")
    assert check_output(tmp_path / "new.csv", inputs=[source], allowed_suffixes=[".csv"]) == tmp_path / "new.csv"
    assert check_output(existing, inputs=[source], force=True) == existing
    for kwargs in ({"path": source, "inputs": [source], "force": True},
                   {"path": existing},
                   {"path": tmp_path / "new.CSV.bak", "allowed_suffixes": [".csv"]},
                   {"path": tmp_path / "gone" / "new.csv"},
                   {"path": tmp_path}):
        with pytest.raises(InputError):
            check_output(**kwargs)
    assert existing.read_text() == "keep\n" and sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "old.csv"]


# --- silence where the person needed to know ----------------------------------------------------
def test_notices_reach_stderr_when_it_is_not_a_terminal(capsys) -> None:
    from engine.cli.main import terminal_progress
    from engine.core.tasks import Progress

    report = terminal_progress()
    report(Progress(None, "The cached model digits-x is unusable; it will be rebuilt.", "notice"))
    assert "it will be rebuilt" in capsys.readouterr().err


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_silences_notices_but_not_the_answer(capsys, monkeypatch, quiet) -> None:
    from engine.cli import houses, main
    from engine.core.tasks import Progress

    monkeypatch.setattr(os, "environ", dict(os.environ))  # main() quiets TensorFlow through the environment

    def handler(args) -> int:
        main.terminal_progress()(Progress(None, "An interrupted save left 1 unfinished file(s).", "notice"))
        print("the answer")
        return 0

    monkeypatch.setattr(houses, "_predict", handler)
    monkeypatch.setitem(main._state, "quiet", False)  # restored for the tests that follow
    assert main.main(["predict-house", *(["-q"] if quiet else [])]) == 0
    out, err = capsys.readouterr()
    assert out == "the answer\n"
    assert ("interrupted save" in err) != quiet


# --- end to end, with the house models trained once -------------------------------------------------
@pytest.fixture(scope="module")
def priced(tmp_path_factory) -> dict:
    """One realistic run: a European file (semicolons, decimal commas) with an ID and an address,
    one text and one formula cell, priced with ``--fill median`` into ``prices.txt`` beside an
    older ``prices.csv`` that must survive."""
    folder = tmp_path_factory.mktemp("priced")
    home = tmp_path_factory.mktemp("priced-home")
    rows = boston_rows(30)
    extra = {"ID": [f"H-{i:03d}" for i in range(30)], "Address": [f"{i} Main St, Boston" for i in range(30)]}
    source = write_houses(folder / "houses.csv", rows, sep=";", comma=True, extra=extra,
                          cells={(4, "RM"): "abc", (9, "CRIM"): "=cmd|' /C calc'!A0"})
    (folder / "prices.csv").write_text("older work\n")
    result = deepmine(home, "predict-house", "--csv", str(source), "--out", str(folder / "prices.txt"),
                      "--fill", "median")
    return {"folder": folder, "rows": rows, "extra": extra, "result": result, "source": source}


def _read(path: Path, sep: str) -> list[list[str]]:
    return list(csv.reader(path.open(encoding="utf-8", newline=""), delimiter=sep))


def test_the_named_output_is_written_exactly_and_nothing_else_is_touched(priced) -> None:
    result, folder = priced["result"], priced["folder"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert (folder / "prices.txt").exists()
    assert (folder / "prices.csv").read_text() == "older work\n"
    assert str(folder / "prices.txt") in result.stdout


def test_identifier_columns_are_carried_through_in_order(priced) -> None:
    table = _read(priced["folder"] / "prices.txt", ";")
    source = _read(priced["source"], ";")
    header, body = table[0], table[1:]
    assert header[:len(source[0])] == source[0]
    assert [c for c in header[len(source[0]):] if c.startswith("predicted_")], header
    assert len(body) == 30
    assert [r[:len(source[0])] for r in body] == source[1:], "every input cell as written, rows in order"
    assert [r[0] for r in body] == priced["extra"]["ID"]


def test_replaced_cells_are_listed_on_stderr_and_beside_the_output(priced) -> None:
    from engine.houses.boston import load_boston

    err = priced["result"].stderr
    assert "2 cell(s)" in err and "prices.repairs.csv" in err
    assert "line 6, RM: 'abc'" in err
    repairs = _read(priced["folder"] / "prices.repairs.csv", ",")
    assert repairs[0] == ["line", "column", "original", "replacement", "note"]
    by_column = {r[1]: r for r in repairs[1:]}
    assert by_column["RM"][:3] == ["6", "RM", "abc"]
    assert by_column["CRIM"][2].startswith("'="), "a formula is never written back live"
    rm = np.delete(load_boston().X[:30, FEATURES.index("RM")], 4)
    assert float(by_column["RM"][3]) == pytest.approx(np.median(rm), rel=1e-4), "the decimal commas were read right"
    table = _read(priced["folder"] / "prices.txt", ";")
    repaired = table[0].index("repaired")
    assert table[5][repaired].startswith("RM=") and table[10][repaired].startswith("CRIM=")
    assert table[1][repaired] == ""


# --- notices and library chatter of the digit commands -------------------------------------------
@pytest.fixture(scope="module")
def digit_run(tmp_path_factory) -> dict:
    """Train a tiny model, leave what a killed save leaves, then recognise an image — through pipes,
    with a stray ``TF_CPP_MIN_LOG_LEVEL=0`` in the environment (the person's shell, a tutorial)."""
    from PIL import Image

    from engine.digits.mnist import load_offline_sample

    home = tmp_path_factory.mktemp("digit-home")
    chatty = {"TF_CPP_MIN_LOG_LEVEL": "0"}
    unset = ("GLOG_minloglevel", "ABSL_MIN_LOG_LEVEL")
    trained = deepmine(home, "train", "--model", "mlp", "--epochs", "1", "--data", "auto", "--no-download",
                       env=chatty, unset=unset)
    (home / "models").mkdir(exist_ok=True)
    (home / "models" / ".digits-0123456789abcdef.keras.x1y2.tmp.keras").write_bytes(b"PK" + b"x" * 1000)
    image = tmp_path_factory.mktemp("images") / "seven.png"
    Image.fromarray((255 - load_offline_sample().x[0] * 255).astype(np.uint8)).resize((200, 200)).save(image)
    predicted = deepmine(home, "predict-digit", str(image), env=chatty, unset=unset)
    return {"trained": trained, "predicted": predicted}


def test_the_sample_data_fallback_is_reported_in_a_pipe(digit_run) -> None:
    result = digit_run["trained"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "5,000-digit" in result.stderr


def test_a_cleaned_up_killed_save_is_reported_in_a_pipe(digit_run) -> None:
    result = digit_run["predicted"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "interrupted save" in result.stderr
    assert result.stdout.split("\t")[1] in "0123456789"


def native_chatter(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if CHATTER.search(line)]


def test_the_chatter_check_knows_the_lines_tensorflow_and_litert_print() -> None:
    """The check below is only as good as its patterns: the lines seen on a 2-core x86 machine."""
    seen = ["WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
            "I0000 00:00:1796163522.946911    6432 port.cc:153] oneDNN custom operations are on. You may see "
            "slightly different numerical results due to floating-point round-off errors.",
            "I0000 00:00:1796163523.009046    6432 cpu_feature_guard.cc:227] This TensorFlow binary is optimized.",
            "W1201 22:17:03.123456    6432 some_kernel.cc:12] any later native warning",
            "INFO: Created TensorFlow Lite XNNPACK delegate for CPU."]
    ours = ["Trained on the offline 5,000-digit sample (no MNIST download).",
            "Removed an interrupted save: .digits-0123.keras.tmp", "7\t0.998"]
    assert native_chatter("\n".join(seen)) == seen
    assert native_chatter("\n".join(ours)) == []


@pytest.mark.parametrize("run", ["trained", "predicted"])
def test_no_tensorflow_chatter_by_default(digit_run, run) -> None:
    result = digit_run[run]
    assert result.returncode == 0, result.stderr[-2000:]  # the model was loaded and used
    assert native_chatter(result.stderr) == [], result.stderr[-2000:]
