"""Importing the project register from a spreadsheet: a good file registers every project with its
quantity done and contract; every bad row is named by row and column in Chinese and nothing is saved;
the template downloads and imports as it is; rows outside the user's place are refused."""

from __future__ import annotations

import argparse
import csv
import io
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jieneng.projects.models import Project

pytestmark = pytest.mark.django_db
HEADER = ["项目名称", "项目类型", "地区代码", "开工日期", "计划数量", "已完成数量", "完成数量截至日期",
          "状态", "总投资(元)", "节能服务公司投资(元)", "节能服务公司", "合同类型", "节能服务公司分享比例",
          "合同年限", "保证节能量(kWh/年)"]  # fmt: skip
GOOD = [
    ["榕城区LED路灯改造", "路灯改造", "445202", "2026-01-05", "9016", "6500", "2026-10-31", "实施中",
     "13524000", "13524000", "某节能服务公司", "节能效益分享型", "80%", "8", ""],
    ["榕城区机关大楼改造", "空调系统改造", "445202", "2025-03-01", "12000", "", "", "已完成",
     "3000000", "3000000", "某节能服务公司", "节能量保证型", "", "5", "400000"],
    ["榕城区热泵", "热泵", "445202", "2026-02-01", "21", "21", "2026-09-30", "已完成",
     "0", "", "", "", "", "", ""],
]  # fmt: skip


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["揭阳市榕城区节能项目台账"])  # a title row above the header
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _post(client: Client, path: Path) -> tuple[int, str]:
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post("/projects/import/", {"file": upload}, follow=True)
    return response.status_code, response.content.decode()


def test_a_good_register_is_imported_with_progress_and_contracts(
    people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    client.force_login(people.county_admin)
    status, page = _post(client, _csv(tmp_path / "register.csv", GOOD))
    assert status == 200 and "3 个项目已登记" in page, page
    led = Project.objects.get(name="榕城区LED路灯改造")
    assert (led.kind, led.status, led.contract_type) == ("street_lighting", "under_way", "shared_savings")
    assert led.esco_share == Decimal("0.8") and led.contract_years == 8
    assert led.progress.get().quantity_done == 6500
    building = Project.objects.get(name="榕城区机关大楼改造")
    assert building.contract_type == "guaranteed_savings" and building.guaranteed_kwh == 400000
    assert not building.progress.exists()
    assert Project.objects.get(name="榕城区热泵").contract_type == ""


BAD = [
    (2, "项目类型", "围墙改造", "不是项目类型"),
    (2, "地区代码", "445222", "不是您维护"),
    (2, "开工日期", "2026-13-01", "不是日期"),
    (2, "合同类型", "分成型", "GB/T 24915"),
    (2, "已完成数量", "99999", "超过计划"),
    (2, "节能服务公司分享比例", "", "分享比例"),
    (2, "状态", "差不多", "不是状态"),
]


@pytest.mark.parametrize(("index", "column", "value", "said"), BAD)
def test_a_bad_row_is_named_and_nothing_saved(
    index: int, column: str, value: str, said: str, people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    rows = [list(r) for r in GOOD]
    rows[index - 2][HEADER.index(column)] = value
    client.force_login(people.county_admin)
    status, page = _post(client, _csv(tmp_path / "register.csv", rows))
    assert status == 400 and "没有保存" in page
    assert f"第 {index + 1} 行“{column}”列" in page
    assert said in page, page
    assert not Project.objects.exists()


def test_twice_the_same_project_and_a_missing_column_are_refused(
    people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    client.force_login(people.county_admin)
    status, page = _post(client, _csv(tmp_path / "twice.csv", [GOOD[0], GOOD[0]]))
    assert status == 400 and "也在第 3 行" in page
    status, page = _post(client, _csv(tmp_path / "cols.csv", [r[1:] for r in GOOD], HEADER[1:]))
    assert status == 400 and "项目名称" in page
    assert not Project.objects.exists()
    _post(client, _csv(tmp_path / "once.csv", [GOOD[0]]))
    status, page = _post(client, _csv(tmp_path / "again.csv", [GOOD[0]]))
    assert status == 400 and "已在榕城区登记" in page
    assert Project.objects.count() == 1


def test_the_template_downloads_and_imports_as_it_is(
    people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    client.force_login(people.county_admin)
    response = client.get("/projects/import/template.xlsx")
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        register, accepted = (book.get_sheet_by_index(i).to_python() for i in (0, 1))
    assert register[0][:3] == ["项目名称", "项目类型", "地区代码"]
    assert "节能效益分享型" in [row[2] for row in accepted]
    status, page = _post(client, path)
    assert status == 200 and "1 个项目已登记" in page, page
    assert Project.objects.get().progress.get().quantity_done == 6500


def test_a_viewer_may_not_import(people: SimpleNamespace, client: Client, tmp_path: Path) -> None:
    client.force_login(people.viewer)
    status, _page = _post(client, _csv(tmp_path / "register.csv", GOOD))
    assert status == 403
    assert client.get("/projects/import/template.xlsx").status_code == 403
    assert not Project.objects.exists()


def test_the_command_line_imports_all_or_nothing(
    people: SimpleNamespace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jieneng.projects import commands

    monkeypatch.setattr(commands, "_prepare", lambda: None)  # the test database is migrated
    bad = [list(r) for r in GOOD]
    bad[2][HEADER.index("项目类型")] = "围墙改造"
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(action="import", file=str(_csv(tmp_path / "bad.csv", bad)), user="county_admin")
    assert commands.run(args, out, err) == 2
    assert "第 5 行“项目类型”列" in err.getvalue() and not Project.objects.exists()
    args.user = "viewer"
    assert commands.run(args, out, err) == 2
    args.user, args.file = "county_admin", str(_csv(tmp_path / "good.csv", GOOD))
    assert commands.run(args, out, err) == 0
    assert "3 个项目已登记" in out.getvalue() and Project.objects.count() == 3
    template = tmp_path / "template.xlsx"
    assert commands.run(argparse.Namespace(action="template", output=str(template)), out, err) == 0
    assert template.read_bytes()[:2] == b"PK"
