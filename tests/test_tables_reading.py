"""Opening any table: encodings, delimiters, decimal marks, Excel and Parquet, every changed cell listed,
broken files refused with their line, and a byte limit for any input."""

from __future__ import annotations

import os
import threading

import numpy as np
import pandas as pd
import pytest

from engine.core.errors import DataError
from engine.tables.reading import ReadOptions, read_table
from engine.tables.table import DATE, NUMBER, TEXT


def test_every_changed_cell_is_listed_with_line_column_value_and_reason(tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("id;城市;x\n1; 北京 ;1,5\n\n2;上海;NA\n3;广州;2.5\n4;北京;zz\n5;上海;inf\n6;北京;\n7;上海;4,25\n"
                     "8;北京;3\n9;上海;7\n10;北京;8\n11;上海;9\n12;北京;10\n13;上海;11\n14;北京;12\n15;上海;13\n"
                     "16;北京;14\n17;上海;15\n18;北京;16\n19;上海;17\n20;北京;18\n".encode("gbk"))
    table = read_table(path)
    assert table.source["encoding"] == "gb18030" and table.source["delimiter"] == ";" and table.source["decimal"] == ","
    assert table.kinds == {"id": NUMBER, "城市": TEXT, "x": NUMBER}
    listed = {(c.line, c.column, c.value, c.result, c.reason) for c in table.changes}
    assert listed == {
        (2, "城市", " 北京 ", "北京", "surrounding spaces removed"),
        (4, "x", "NA", "", "a missing-value marker; read as missing"),
        (5, "x", "2.5", "2.5", "written with the other decimal mark; read as a number"),
        (6, "x", "zz", "", "not a number; read as missing"),
        (7, "x", "inf", "", "not a finite number; read as missing"),
    }, "the blank line 3 shifts nothing: lines are the file's own"
    x = table.frame["x"].to_numpy()
    assert x[0] == 1.5 and x[6] == 4.25 and np.isnan(x[5]), "empty cells are missing, not changed"
    assert table.changed_cells == 5


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("utf-16", True), ("utf-16-le", False)])
def test_text_encodings(tmp_path, encoding, bom) -> None:
    text = "名字\t分数\n张三\t90.5\n李四\t80\n"
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    path = tmp_path / "scores.tsv"
    path.write_bytes(data)
    table = read_table(path)
    assert table.columns == ["名字", "分数"]
    assert table.frame["名字"].tolist() == ["张三", "李四"]
    assert table.frame["分数"].tolist() == [90.5, 80.0]


@pytest.mark.parametrize("content, words", [
    ("a,b\n1,2\n3,4,5\n", "Line 3 of t.csv cannot be read: it has 3 fields, but the header has 2"),
    ("a,b\n1,2\n3\n", "Line 3 of t.csv cannot be read: it has 1 fields"),
    ("a,a\n1,2\n", "two columns are named a"),
    ("a,,c\n1,2,3\n", "column 2 has no name"),
    ("a,b\n", "has a header but no rows"),
    ("", "is empty"),
])
def test_broken_files_are_refused_with_line_and_reason(tmp_path, content, words) -> None:
    path = tmp_path / "t.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table(path)
    assert words in str(err.value)


def test_binary_and_undecodable_files_are_refused(tmp_path) -> None:
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"a,b\n\x00\x01\x02\x03" * 50)
    with pytest.raises(DataError, match="binary data"):
        read_table(binary)
    wrong = tmp_path / "w.csv"
    wrong.write_bytes("a,b\n1,2\n".encode("utf-8") + b"3,\xff\xff\n")
    with pytest.raises(DataError, match=r"Line 3 of w.csv is not UTF-8"):
        read_table(wrong, ReadOptions(encoding="utf-8"))


def test_the_byte_limit_holds_for_files_and_pipes(tmp_path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "1,2\n" * 1000, encoding="utf-8")
    with pytest.raises(DataError, match="larger than"):
        read_table(path, ReadOptions(max_bytes=1000))
    read_end, write_end = os.pipe()  # a pipe, as /dev/stdin or a FIFO would be: its size is unknown

    def write() -> None:
        try:
            os.write(write_end, ("a,b\n" + "1,2\n" * 5000).encode())
        except BrokenPipeError:
            pass
        finally:
            os.close(write_end)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with pytest.raises(DataError, match="larger than"):
            read_table(f"/dev/fd/{read_end}", ReadOptions(max_bytes=2000))
    finally:
        os.close(read_end)
        writer.join(5)
    assert not writer.is_alive()
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="is empty"):  # no writer: nothing to read, and no hang
        read_table(fifo)


def test_excel_with_a_bad_cell_names_its_sheet_row(tmp_path) -> None:
    frame = pd.DataFrame({"编号": range(1, 31), "城市": ["北京", "上海", "广州"] * 10,
                          "面积": [50.5 + i for i in range(30)], "日期": pd.date_range("2021-01-01", periods=30)})
    frame["面积"] = frame["面积"].astype(object)
    frame.loc[3, "面积"] = "n/a?"
    path = tmp_path / "houses.xlsx"
    frame.to_excel(path, index=False)
    table = read_table(path)
    assert table.kinds == {"编号": NUMBER, "城市": TEXT, "面积": NUMBER, "日期": DATE}
    assert [(c.line, c.column, c.value) for c in table.changes] == [(5, "面积", "n/a?")]
    assert table.line_label == "row"
    assert table.frame["日期"].iloc[0] == pd.Timestamp("2021-01-01")


def test_parquet_keeps_its_types(tmp_path) -> None:
    frame = pd.DataFrame({"x": [1.5, 2.0, None], "flag": [True, False, True], "name": ["a", None, "c"],
                          "when": pd.to_datetime(["2020-01-01", None, "2020-03-01"])})
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    table = read_table(path)
    assert table.kinds == {"x": NUMBER, "flag": NUMBER, "name": TEXT, "when": DATE}
    assert table.changes == [] and table.rows == 3
    assert table.frame["name"].iloc[1] is None or pd.isna(table.frame["name"].iloc[1])


def test_a_table_crosses_to_the_worker_process_unchanged(tmp_path) -> None:
    """Tables are pickled column by column on their way to the TensorFlow worker: nothing may change."""
    import pickle

    path = tmp_path / "t.csv"
    path.write_text("id,城市,x,d\n" + "".join(f"{i},{'北京' if i % 2 else ''},{i / 3:.3f},2024-01-{1 + i % 28:02d}\n"
                                              for i in range(60)) + "60,上海,zz,2024-02-01\n", encoding="utf-8")
    table = read_table(path)
    copy = pickle.loads(pickle.dumps(table))
    pd.testing.assert_frame_equal(copy.frame, table.frame)
    assert (copy.kinds, copy.changes, copy.change_counts, copy.source) == (table.kinds, table.changes,
                                                                           table.change_counts, table.source)
    assert copy.kinds["d"] == DATE and copy.line_of(60) == 62
