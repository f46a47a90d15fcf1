"""Explaining any mined table without the window: "what if" on a number and on a category, the depth lab
(training vs held-out score as the tree deepens), "keep the top k features", and the table crossing to
the TensorFlow worker in pieces that rebuild exactly the table the window holds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engine.core.tasks import run_task
from engine.tables.mining import MineSettings, mine_task
from engine.tables.pipeline import ModelSizes
from engine.tables.roles import RoleChoice
from engine.tables.table import NUMBER, TEXT, CellChange, Table

SMALL = ModelSizes(n_trees=10, boosting_iter=20)
TREES = MineSettings(models=("tree", "forest", "boosting"), sizes=SMALL)


def shop_table(n: int = 300, seed: int = 3) -> Table:
    """Sales (regression) from price, a count of visits and a city; plus a churn class for classification."""
    rng = np.random.default_rng(seed)
    price = rng.uniform(5, 50, n)
    visits = rng.integers(0, 6, n).astype(float)
    city = rng.choice(["北京", "上海", "广州", "深圳"], n).astype(object)
    sales = 200 - 3 * price + 10 * visits + np.where(city == "北京", 40, 0) + rng.normal(0, 5, n)
    churn = np.where(price + rng.normal(0, 5, n) > 30, "yes", "no").astype(object)
    frame = pd.DataFrame({"price": price, "visits": visits, "city": city, "sales": sales, "churn": churn})
    kinds = {c: NUMBER if pd.api.types.is_numeric_dtype(frame[c]) else TEXT for c in frame.columns}
    return Table("shop", frame, kinds)


@pytest.fixture(scope="module")
def mined_sales():
    table = shop_table()
    return table, run_task(mine_task(table, RoleChoice("sales", ignore=["churn"]), TREES))


def test_what_if_sweeps_a_number_over_its_range_and_a_category_over_its_values(mined_sales) -> None:
    from engine.tables.explain import what_if_row

    table, result = mined_sales
    price = what_if_row(table, result, 0, "price")
    assert price.numeric and len(price.xs) == 40
    assert price.xs[0] == pytest.approx(table.frame["price"].min()) and price.xs[-1] == pytest.approx(
        table.frame["price"].max())
    assert price.current == pytest.approx(table.frame["price"].iloc[0])
    best = price.curves[result.best]
    assert best[0] > best[-1] + 50, "sales fall as the price rises: the sweep shows it"
    visits = what_if_row(table, result, 0, "visits")
    assert visits.xs == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "a count is swept over its own values"
    city = what_if_row(table, result, 0, "city")
    assert not city.numeric and sorted(city.xs) == ["上海", "北京", "广州", "深圳"]
    beijing = city.curves[result.best][city.xs.index("北京")]
    assert all(beijing > v for x, v in zip(city.xs, city.curves[result.best]) if x != "北京")
    assert set(city.curves) == {"tree", "forest", "boosting"}


def test_what_if_for_a_class_shows_a_probability() -> None:
    from engine.tables.explain import what_if_row

    table = shop_table()
    result = run_task(mine_task(table, RoleChoice("churn", ignore=["sales"]), TREES))
    sweep = what_if_row(table, result, 1, "price")
    assert sweep.positive == "yes"
    values = sweep.curves[result.best]
    assert all(0.0 <= v <= 1.0 for v in values) and values[-1] > values[0]


def test_the_depth_lab_shows_overfitting_and_follows_the_leaf_size(mined_sales) -> None:
    from engine.tables.explain import depth_lab_task

    table, result = mined_sales
    curve = run_task(depth_lab_task(table, result, min_leaf=1))
    assert [c["depth"] for c in curve] == list(range(1, 13)) and curve[0]["metric"] == "mse"
    assert curve[-1]["train"] < curve[0]["train"] / 5, "deep trees fit their training rows almost exactly"
    assert curve[-1]["cv"] > curve[-1]["train"] * 2, "and new rows far worse"
    smooth = run_task(depth_lab_task(table, result, min_leaf=40))
    assert smooth[-1]["train"] > curve[-1]["train"] and smooth[0]["min_leaf"] == 40


def test_keep_the_top_k_features_reports_the_score_change(mined_sales) -> None:
    from engine.tables.explain import top_k_task

    table, result = mined_sales
    one = run_task(top_k_task(table, result, 1))
    assert one["k"] == 1 and one["of"] == 3 and one["model"] == result.best and one["metric"] == "mse"
    assert one["all_columns"] == pytest.approx(result.cv[result.best]["mse"])
    assert one["top_k"] > one["all_columns"], "one column of three explains less"
    assert one["columns"] == ["price"]


def test_a_table_crosses_in_pieces_and_arrives_whole(monkeypatch) -> None:
    from engine.tables import tasks

    monkeypatch.setattr(tasks, "PIECE_ROWS", 7)
    monkeypatch.setattr(tasks, "CHANGES_PER_PIECE", 3)
    table = shop_table(50)
    table.frame["city"] = table.frame["city"].astype("str")  # pandas' own text dtype, as read from a file
    table.frame.loc[4, "city"] = None
    table.changes = [CellChange(i + 2, "price", "x", "", "not a number") for i in range(10)]
    table.change_counts = {"price\tnot a number": 10}
    pieces = list(tasks.table_pieces(table))
    assert sum(p[0] == "column" and p[1] == "city" for p in pieces) == 8
    for piece in pieces:
        tasks.receive_piece("k1", piece)
    held = tasks.held_table("k1")
    pd.testing.assert_frame_equal(held.frame, table.frame)
    assert held.changes == table.changes and held.kinds == table.kinds and held.change_counts == table.change_counts
    with pytest.raises(tasks.TableNotHeld):
        tasks.held_table("never-sent")


def test_the_window_accepts_every_table_format_it_can_read() -> None:
    from engine.tables import reading
    from engine.tables.settings import TABLE_SUFFIXES

    assert set(TABLE_SUFFIXES) == set(reading.TEXT_SUFFIXES + reading.EXCEL_SUFFIXES + reading.PARQUET_SUFFIXES)
