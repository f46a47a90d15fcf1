"""`deepmine mine` and `deepmine predict-table` end to end in a subprocess, on a messy table of our own:
GBK text, decimal commas, missing cells, a non-number, a categorical, an ID, a date and a planted leak."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD_LINE = 9  # line of the file holding "abc" in the area column (header = line 1)


def write_messy_table(path: Path, n: int = 240, seed: int = 1) -> Path:
    """学号 (an ID), 城市 (a category), 面积 (decimal commas, some empty, one "abc"), 日期 (a date),
    价格 (the target) and 价格副本 (a copy of the target: planted leakage). GBK, ';'-separated."""
    rng = np.random.default_rng(seed)
    lines = ["学号;城市;面积;日期;价格;价格副本"]
    for i in range(n):
        city = ("北京", "上海", "广州")[i % 3]
        area = rng.uniform(30, 150)
        price = area * (3.0 if city == "北京" else 2.0) + rng.normal(0, 10)
        cell = f"{area:.2f}".replace(".", ",")
        if i % 37 == 5:
            cell = ""
        if i == BAD_LINE - 2:
            cell = "abc"
        date = f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}"
        lines.append(";".join([str(1000 + i), city, cell, date, f"{price:.1f}".replace(".", ","),
                               f"{price * 2 + 1:.1f}".replace(".", ",")]))
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    return path


def deepmine(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEEPMINE_HOME=str(home), DEEPMINE_LANG="en", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "gui.launcher", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=600)


TREES = "tree,forest,boosting"


def test_mine_messy_table_json(deepmine_home, tmp_path) -> None:
    table = write_messy_table(tmp_path / "房价.csv")
    result = deepmine(deepmine_home, "mine", str(table), "--target", "价格", "--models", TREES, "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["task"] == "regression" and data["target"] == "价格"
    assert data["rows_read"] == 240 and data["rows_used"] == 240
    assert set(data["features"]) == {"城市", "面积", "日期"}
    assert {"column": "学号", "reason": "ID-like: every value is different", "code": "id"} in data["ignored"]
    assert [f["column"] for f in data["leakage"]] == ["价格副本"] and data["leakage"][0]["score"] > 0.97
    assert "价格副本" not in data["features"]
    assert set(data["cv"]) == {"tree", "forest", "boosting"}
    assert all(set(m) == {"mse", "mae", "r2"} for m in data["cv"].values())
    assert data["best"] in data["cv"] and data["cv"][data["best"]]["r2"] > 0.8
    assert data["imputed"] == {"面积": 8}, "7 empty cells and the 'abc' are imputed, nothing else"
    bad = [c for c in data["changes"] if c["value"] == "abc"]
    assert bad == [{"line": BAD_LINE, "column": "面积", "value": "abc", "result": "",
                    "reason": "not a number; read as missing"}]
    assert "日期.year" in data["model_inputs"] and "日期.weekday" in data["model_inputs"]
    # notices on stderr: the repaired cell with its line, and the leak
    assert f"line {BAD_LINE}, 面积: 'abc'" in result.stderr
    assert "价格副本 predicts 价格 almost perfectly" in result.stderr


def test_keep_overrides_the_leak_flag(deepmine_home, tmp_path) -> None:
    table = write_messy_table(tmp_path / "t.csv", n=120)
    result = deepmine(deepmine_home, "mine", str(table), "--target", "价格", "--models", "tree", "--keep", "价格副本",
                      "--ignore", "日期", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert "价格副本" in data["features"] and data["leakage"][0]["kept"] is True
    assert {"column": "日期", "reason": "left out by you", "code": "user"} in data["ignored"]
    assert data["cv"]["tree"]["r2"] > 0.95, "the copy of the target makes the tree nearly perfect"


def test_predict_table_writes_beside_the_ids_and_never_over_its_input(deepmine_home, tmp_path) -> None:
    table = write_messy_table(tmp_path / "train.csv")
    rows = tmp_path / "new.csv"
    rows.write_text("学号,城市,面积,日期\n9001,北京,100.5,2021-05-06\n9002,广州,40,2021-06-07\n"
                    "9003,火星,1000000,2021-06-07\n", encoding="utf-8")
    out = tmp_path / "predicted.csv"
    result = deepmine(deepmine_home, "predict-table", str(table), "--target", "价格", "--models", "tree",
                      "--csv", str(rows), "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    with open(out, encoding="utf-8-sig", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert [r["学号"] for r in written] == ["9001", "9002", "9003"]
    assert float(written[0]["predicted_价格"]) > float(written[1]["predicted_价格"]), "Beijing, bigger → dearer"
    assert "面积: 1 value(s) outside the range" in result.stderr, "a flat of a million m² is predicted, and flagged"
    assert "城市: 1 value(s) the models never saw (火星)" in result.stderr
    again = deepmine(deepmine_home, "predict-table", str(table), "--target", "价格", "--models", "tree",
                     "--csv", str(rows), "--out", str(rows))
    assert again.returncode == 2 and "is an input of this command" in again.stderr
    assert rows.read_text(encoding="utf-8").startswith("学号,城市"), "the input is untouched"


@pytest.mark.parametrize("args, words", [
    (["mine", "missing.csv", "--target", "y"], "does not exist"),
    (["mine", "{table}", "--target", "nope", "--models", "tree"], "has no column nope"),
    (["mine", "{table}", "--target", "价格", "--models", "svm"], "Unknown model svm"),
])
def test_bad_mine_input_is_one_clear_line(deepmine_home, tmp_path, args, words) -> None:
    table = write_messy_table(tmp_path / "t.csv", n=60)
    result = deepmine(deepmine_home, *[a.replace("{table}", str(table)) for a in args])
    assert result.returncode == 2, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines[-1].startswith("deepmine: error:") and words in lines[-1]
    assert "Traceback" not in result.stderr
