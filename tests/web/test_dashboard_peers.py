"""Peer comparison arithmetic and the spreadsheet writer, without a database."""

from __future__ import annotations

import io

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from jieneng.dashboard import peers
from jieneng.dashboard.export import workbook
from jieneng.dashboard.tables import CHANGE, TEXT, Column, Row, Table


def test_type_medians_leave_out_rows_without_a_value():
    rows = pl.DataFrame(
        {"type_code": ["01", "01", "01", "021", "021"], "kgce_per_m2": [1.0, 5.0, None, 2.0, 4.0]}
    )
    medians = {
        r["type_code"]: (r["median"], r["peers"]) for r in peers.type_medians(rows).iter_rows(named=True)
    }
    assert medians == {"01": (3.0, 2), "021": (3.0, 2)}


def test_benchmark_weights_each_type_by_the_place_s_own_area():
    medians = pl.DataFrame({"type_code": ["01", "021"], "median": [3.0, 6.0]})
    type_rows = pl.DataFrame(
        {
            "region": ["a", "a", "b", "c"],
            "type_code": ["01", "021", "01", "024"],  # c: a type without a median
            "area_m2": [3_000.0, 1_000.0, 500.0, 800.0],
        }
    )
    out = dict(peers.benchmark(type_rows, medians, key="region").iter_rows())
    assert out["a"] == pytest.approx((3_000 * 3 + 1_000 * 6) / 4_000)  # 3.75
    assert out["b"] == pytest.approx(3.0)
    assert "c" not in out


def test_versus_and_ranking():
    frame = pl.DataFrame(
        {
            "name": ["x", "y", "z", "w"],
            "kgce_per_m2": [4.0, None, 2.0, 4.0],
            "benchmark": [2.0, 2.0, 0.0, None],
        }
    )
    out = peers.ranked(frame.with_columns(peers.versus().alias("vs")), then=("name",))
    assert out["name"].to_list() == ["w", "x", "z", "y"]  # highest first, ties by name, no value last
    assert out["rank"].to_list() == [1, 2, 3, None]
    assert out["vs"].to_list() == [None, 100.0, None, None]  # no benchmark, or a zero one: no change


def test_workbook_has_title_lines_units_and_numbers():
    table = Table(
        "揭阳市 2025年 测试",
        (Column("地区", kind=TEXT), Column("综合能耗", "tce", decimals=3), Column("同比", kind=CHANGE)),
        (Row(("榕城区", 27.8177064, -20.0)), Row(gap="……"), Row(("惠来县", None, None))),
        foot=(Row(("合计", 27.8177064, None)),),
        notes=("说明",),
    )
    book = CalamineWorkbook.from_filelike(io.BytesIO(workbook(table, ("折标准煤系数：x@1",))))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][0] == "揭阳市 2025年 测试" and rows[1][0] == "折标准煤系数：x@1" and rows[2][0] == "说明"
    assert rows[4] == ["地区", "综合能耗 [tce]", "同比 [%]"]
    assert rows[5] == ["榕城区", pytest.approx(27.8177064), -20.0]  # full precision, formatted in Excel
    assert rows[6][0] == "惠来县" and rows[6][1:] == ["", ""]  # the gap row is not written
    assert rows[7][0] == "合计"
