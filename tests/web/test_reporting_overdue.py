"""Deadlines and who has not reported, on the hand-made city with a fixed ``today``: the deadline table
and its loader, the list grouped by region before and after the deadline, only the reviewer's units,
drafts and returned reports counted as not reported, the .xlsx list, and who may see it."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import ORGANISATIONS
from django.test import Client
from python_calamine import CalamineWorkbook

from jieneng.core.errors import ReferenceDataError
from jieneng.reference.deadlines import Deadlines, load_deadlines, period_end
from jieneng.reporting import review
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob, Submission
from jieneng.reporting.views import common

pytestmark = pytest.mark.django_db

PERIOD = "2026-09"
EN = {"accept-language": "en"}
HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）,填写说明\n"
NAMES = {index: name for index, _code, name, *_rest in ORGANISATIONS}


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def today(monkeypatch):
    """Fix the day the pages take as today."""

    def fix(day: date) -> None:
        monkeypatch.setattr(common, "today", lambda: day)

    return fix


@pytest.fixture
def reported(people, tmp_path, settings) -> dict[int, Submission]:
    """2026-09: unit 1 submitted, unit 4 approved, unit 5 returned (not reported), unit 6 draft."""
    settings.UPLOADS_DIR = tmp_path / "uploads"
    rows = [f"{ORGANISATIONS[i - 1][1]},{NAMES[i]},{PERIOD},1000,800,已核实" for i in (1, 4, 5, 6)]
    path = Path(tmp_path) / "九月.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    job = receive(path, path.name, "pi-energy", author="city_admin", user=people.city_admin)
    assert run_import(job.pk).status == ImportJob.Status.DONE
    found = {i: Submission.objects.get(organisation_id=people.org[i], period=PERIOD) for i in (1, 4, 5, 6)}
    review.approve([found[4].pk], actor="city_admin")
    review.return_([found[5].pk], reason="请核实", actor="city_admin")
    draft = found[6]
    draft.status = Submission.Status.DRAFT
    draft.save()
    return found


def test_the_deadline_table():
    deadlines = load_deadlines()
    assert deadlines.of("pi-energy", "month").due(2026, 3, 9) == date(2026, 10, 15)
    assert deadlines.of("pi-energy", "quarter").due(2026, 4) == date(2027, 1, 15)
    assert deadlines.of("pi-energy", "year").due(2027) == date(2028, 3, 31)  # 公共机构节能条例 第十五条
    assert deadlines.of("pi-basic", "year").due(2025) == date(2026, 3, 31)
    assert all(row.source for row in deadlines.rows.values())
    assert period_end(2024, month=2) == date(2024, 2, 29) and period_end(2025, quarter=1) == date(2025, 3, 31)
    with pytest.raises(ReferenceDataError, match="pi-basic reported by month"):
        deadlines.of("pi-basic", "month")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"form": "f", "frequency": "month", "source": "s"}, "either “days” or “month_day”"),
        ({"form": "f", "frequency": "week", "days": 5, "source": "s"}, "frequency must be one of"),
        ({"form": "f", "frequency": "year", "month_day": "02-30", "source": "s"}, "MM-DD"),
        ({"form": "f", "frequency": "month", "days": -1, "source": "s"}, "whole number"),
        ({"frequency": "month", "days": 1, "source": "s"}, "“form” is missing"),
    ],
)
def test_a_bad_deadline_row_names_the_table_and_the_key(row, problem):
    with pytest.raises(ReferenceDataError, match="deadlines") as raised:
        Deadlines.from_mapping({"id": "deadlines", "version": "1", "source": "x", "deadline": [row]})
    assert problem in str(raised.value)


def test_after_the_deadline_the_late_units_by_region(people, reported, today):
    today(date(2026, 11, 21))
    office = signed_in(people.city_admin)
    response = office.get("/reporting/overdue/", {"form": "pi-energy", "period": PERIOD}, headers=EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The deadline was 2026-10-15: 5 units have not reported." in html
    assert "2 of 7 units have reported." in html
    regions = re.findall(
        r"<tr><td>(\S+) <span class=\"code\">(\d{6})</span></td><td class=\"num\">(\d+)</td></tr>", html
    )
    assert regions == [("揭阳市", "445200", "1"), ("榕城区", "445202", "2"), ("揭西县", "445222", "2")]
    late = re.findall(r'<a href="/unit/(\d+)/">([^<]+)</a>', html)
    assert [name for _pk, name in late] == [NAMES[7], NAMES[2], NAMES[3], NAMES[5], NAMES[6]]
    assert all(int(pk) == people.org[index] for (pk, _n), index in zip(late, (7, 2, 3, 5, 6), strict=True))
    assert 'href="/reporting/overdue.xlsx?form=pi-energy&amp;period=2026-09"' in html


def test_before_the_deadline_it_says_when_it_is_due(people, reported, today):
    today(date(2026, 10, 10))
    office = signed_in(people.city_admin)
    html = office.get("/reporting/overdue/", {"period": PERIOD}, headers=EN).content.decode()
    assert "Due on 2026-10-15: 5 units have not reported yet." in html
    today(date(2026, 10, 15))  # the last day still counts as on time
    assert (
        "Due on 2026-10-15"
        in office.get("/reporting/overdue/", {"period": PERIOD}, headers=EN).content.decode()
    )


def test_only_the_reviewer_s_units_are_listed(people, reported, today):
    today(date(2026, 11, 21))
    county = signed_in(people.reviewer).get("/reporting/overdue/", {"period": PERIOD}, headers=EN)
    html = county.content.decode()
    assert "2 units have not reported" in html and "1 of 3 units have reported" in html
    assert NAMES[2] in html and NAMES[3] in html and NAMES[5] not in html and NAMES[7] not in html


def test_every_unit_reported_and_a_bad_period(people, today):
    today(date(2026, 11, 21))
    office = signed_in(people.city_admin)
    march = office.get("/reporting/overdue/", {"period": "2026-03"}, headers=EN).content.decode()
    assert "6 units have not reported" in march  # the city's data has March 2026 for unit 1 only
    done = office.get("/reporting/overdue/", {"period": "2025-06"}, headers=EN).content.decode()
    assert "Every unit has reported." in done and 'class="list late"' not in done
    bad = office.get("/reporting/overdue/", {"period": "2026-13"}, headers=EN)
    assert bad.status_code == 400 and "“2026-13” is not a period" in bad.content.decode()


def test_the_list_as_a_workbook(people, reported, today):
    today(date(2026, 11, 21))
    office = signed_in(people.city_admin)
    response = office.get("/reporting/overdue.xlsx", {"period": PERIOD})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.getvalue()))  # the streamed content, joined
    rows = book.get_sheet_by_index(0).to_python()
    assert "2026年9月" in str(rows[0][0]) and "2026-10-15" in str(rows[0][0])
    listed = [row for row in rows[3:] if row and row[2]]
    assert [row[3] for row in listed] == [NAMES[7], NAMES[2], NAMES[3], NAMES[5], NAMES[6]]
    assert listed[1][:3] == ["445202", "榕城区", ORGANISATIONS[1][1]]
    assert listed[1][5] == NAMES[1]  # the school's supervising department


def test_who_may_see_it(people, loaded):
    for name in ("reporter", "department", "viewer", "check_team", "nobody"):
        client = signed_in(getattr(people, name))
        assert client.get("/reporting/overdue/").status_code == 403, name
        assert client.get("/reporting/overdue.xlsx").status_code == 403, name
    for name in ("reviewer", "county_admin", "city_admin", "root"):
        assert signed_in(getattr(people, name)).get("/reporting/overdue/").status_code == 200, name
