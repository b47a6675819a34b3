"""Passing a target down from a 下达任务指标表: a good sheet stores every child; a sheet with a region not
below, a region twice, an unknown indicator or a cell that is not a number stores nothing and names each
row; a renamed file is read by its content."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jieneng.directory.models import Region
from jieneng.targets import sheet_import
from jieneng.targets.models import Target

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}
CHILDREN = {"445202": "榕城区", "445222": "揭西县", "445224": "惠来县"}


def city_target() -> Target:
    return Target.objects.create(
        name="市单位面积能耗下降",
        region=Region.objects.current().get(code="445200"),
        indicator="energy_per_m2",
        start_year=2025,
        end_year=2025,
        base_year=2024,
        kind="reduction",
        reduction=3.0,
        binding="binding",
    )


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("分解表")
    sheet.write_row(0, 0, ["2025年度节能目标任务分解表"])
    sheet.write_row(1, 0, ["行政区划代码", "地区", "指标", "下降率（%）"])
    for n, row in enumerate(rows, start=2):
        sheet.write_row(n, 0, row)
    book.close()
    return path


def test_a_good_sheet_passes_the_target_down(loaded: SimpleNamespace, tmp_path: Path) -> None:
    parent = city_target()
    path = workbook(
        tmp_path / "分解表.xlsx",
        [
            ["445202", "榕城区", "单位建筑面积能耗", 3],
            ["445222", "揭西县", "", 3],
            [445224, "惠来县", "energy_per_m2", 3],
        ],
    )
    stored, problems = sheet_import.import_sheet(parent, path, CHILDREN)
    assert [p.code for p in problems if p.severity == "blocking"] == []
    assert sorted(t.region.code for t in stored if t.region) == sorted(CHILDREN)
    assert {t.reduction for t in stored} == {3.0}


def test_every_bad_row_is_named_and_nothing_is_stored(loaded: SimpleNamespace, tmp_path: Path) -> None:
    parent = city_target()
    path = workbook(
        tmp_path / "分解表.xlsx",
        [
            ["445202", "榕城区", "单位建筑面积能耗", 3],
            ["445202", "榕城区", "", 3],
            ["445281", "普宁市", "", 3],
            ["445222", "揭西县", "人均水耗量", 3],
            ["4452", "惠来县", "", "三"],
        ],
    )
    stored, problems = sheet_import.import_sheet(parent, path, CHILDREN)
    found = {(p.code, p.row) for p in problems}
    assert {
        ("sheet_region_twice", 4),
        ("sheet_region_not_below", 5),
        ("sheet_unknown_indicator", 6),
        ("sheet_bad_region_code", 7),
        ("bad_number", 7),
    } <= found
    assert stored == [] and not parent.children.exists()


def test_the_page_imports_the_sheet_or_says_why_not(
    people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    parent = city_target()
    client.force_login(people.city_admin)
    bad = workbook(tmp_path / "bad.xlsx", [["445202", "榕城区", "", "三"]])
    upload = SimpleUploadedFile("分解表.xlsx", bad.read_bytes())
    response = client.post(f"/targets/{parent.pk}/split/sheet/", {"sheet": upload}, headers=ZH)
    assert response.status_code == 400 and "第 3 行" in response.text
    assert not parent.children.exists()
    csv = "行政区划代码,地区,下降率（%）\n445202,榕城区,3\n445222,揭西县,3\n445224,惠来县,3\n".encode()
    upload = SimpleUploadedFile("分解表.xlsx", csv)  # a CSV named .xlsx: read by its content
    response = client.post(f"/targets/{parent.pk}/split/sheet/", {"sheet": upload}, headers=ZH)
    assert response.status_code == 302 and parent.children.count() == 3
    county = Client()
    county.force_login(people.county_admin)
    assert county.post(f"/targets/{parent.pk}/split/sheet/", {"sheet": upload}).status_code == 403
