"""Every chart's .xlsx, read back: a title row, the coefficient set, a header with units, the numbers
(as numbers, the same as the page's table) and, for a ranking, every unit, not only both ends."""

from __future__ import annotations

import io
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from jieneng.dashboard.export import XLSX

pytestmark = pytest.mark.django_db


def sheet(response) -> list[list[Any]]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


def table(rows: list[list[Any]]) -> tuple[list[Any], list[list[Any]]]:
    """The header row (the first whose last cell is filled) and the rows under it."""
    start = next(i for i, row in enumerate(rows) if i > 0 and row[-1] not in ("", None))
    return rows[start], rows[start + 1 :]


@pytest.fixture
def viewer(client, people):
    client.force_login(people.viewer)
    return client


def test_composition(viewer):
    rows = sheet(viewer.get("/region/445200/composition.xlsx", {"year": "2025"}))
    assert "揭阳市" in rows[0][0] and "2025" in rows[0][0] and "分能源品种能耗构成" in rows[0][0]
    assert any("public-institution@" in str(row[0]) for row in rows[1:3])
    header, body = table(rows)
    assert header == ["能源品种", "折标准煤 [tce]", "占比 [%]"]
    assert [r[0] for r in body] == ["电力", "汽油", "天然气", "合计"]
    assert body[0][1] == pytest.approx(119.4588) and body[0][2] == pytest.approx(95.7333869459)
    assert body[-1][1] == pytest.approx(124.7827992) and body[-1][2] == 100


def test_trend(viewer):
    header, body = table(sheet(viewer.get("/region/445200/trend.xlsx", {"year": "2025"})))
    assert len(header) == 6 and header[1].endswith("[tce]") and header[3].endswith("[%]")
    assert len(body) == 12
    for row in body:
        assert row[1] == pytest.approx(10.3985666)  # 124.7827992 / 12
        assert row[2] == pytest.approx(12.99820825)  # × 1.25
        assert row[3] == pytest.approx(-20.0)
        assert (row[4], row[5]) == (4000, 5000)  # water [m³]: 48,000 / 12 and × 1.25


def test_city_ranking(viewer):
    header, body = table(sheet(viewer.get("/region/445200/ranking.xlsx")))
    assert header[-2].endswith("[kgce/m²]") and header[-1].endswith("[%]")
    assert [r[1] for r in body][:2] == ["榕城区", "揭西县"]
    rongcheng = body[0]
    assert rongcheng[0] == 1 and rongcheng[2] == 3  # rank, units
    assert rongcheng[-2] == pytest.approx(3.2017908) and rongcheng[-1] == pytest.approx(8.6021391)
    assert body[-1][1] == "惠来县" and body[-1][0] in ("", None)  # nothing reported: no rank


def test_county_ranking_lists_every_unit(viewer):
    from test_dashboard_pages import _add_units

    _add_units(40)
    _header, body = table(sheet(viewer.get("/region/445202/ranking.xlsx", {"year": "2025"})))
    assert len(body) == 43  # the page shows 2 × 10; the spreadsheet every unit
    assert [r[0] for r in body] == list(range(1, 44))
    school = next(r for r in body if r[1] == "榕城区第一中学")
    assert school[2] == "教育" and school[3] == 12 and school[6] == pytest.approx(4.41558)


def test_types_and_map(viewer, settings):
    from pathlib import Path

    _header, body = table(sheet(viewer.get("/region/445200/types.xlsx")))
    assert [r[0] for r in body] == ["国家机关", "教育", "文化", "卫生", "合计"]
    assert body[0][1] == 3 and body[-1][1] == 7
    settings.JIENENG = settings.JIENENG.replace(
        boundaries_dir=Path(__file__).parents[1] / "fixtures" / "boundaries"
    )
    _header, body = table(sheet(viewer.get("/region/445200/map.xlsx")))
    assert [(r[0], r[1]) for r in body][:2] == [
        ("榕城区", pytest.approx(3.4772133)),
        ("揭西县", pytest.approx(3.0378474)),
    ]
    assert viewer.get("/region/445202/map.xlsx").status_code == 404  # a county has no regions below
    assert viewer.get("/region/445200/nonsense.xlsx").status_code == 404


def test_unit_figures(client, people):
    client.force_login(people.department)
    rows = sheet(client.get(f"/unit/{people.org[1]}/figures.xlsx"))
    assert "榕城区机关事务服务中心" in rows[0][0]
    header, body = table(rows)
    assert header[0] != "" and any("[kgce/m²]" in str(h) for h in header)
    by_year = {r[0]: r for r in body}
    assert set(by_year) == {"2020", "2024", "2025", "2026"}
    y2025 = by_year["2025"]
    assert y2025[1:5] == [12, 100, 5000, pytest.approx(16.0369464)]  # months, persons, m², tce
    assert y2025[7] == pytest.approx(3.20738928) and y2025[8] == pytest.approx(-20.0)
    assert y2025[-1] == (10_000 * 0.8 + 2 * 1_000) * 12  # 元: electricity at 0.8 元/kWh, 2 series × 1,000
    assert by_year["2026"][1] == 3 and by_year["2026"][4] == pytest.approx(3.687)
    assert client.get(f"/unit/{people.org[3]}/figures.xlsx").status_code == 404
