"""The review queue on the hand-made city: counts per status, filters (status, region with its subtree,
单位性质, period, form), the three orders, capped counts and pages, and a number of queries that does
not grow with the rows shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ORGANISATIONS
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jieneng.reporting import queue, review
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ImportJob, Submission
from jieneng.reporting.views import queue as queue_views

pytestmark = pytest.mark.django_db

PERIOD = "2026-09"
EN = {"accept-language": "en"}
HEADER = "统一社会信用代码,单位名称,统计期,电力消费量（千瓦时）,电费（元）,填写说明\n"
# 2025-09 electricity [kWh] of each unit (conftest.MONTHLY): 10,000 / 5,000 / 2,000 / 20,000 / …
SEPTEMBER = {1: 30_000, 2: 5_000, 3: 2_000, 4: 200_000_000, 5: 3_000, 6: 1_000, 7: 40_000}


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def queued(people, tmp_path, settings) -> dict[int, Submission]:
    """2026-09 of every unit, imported by the city office: unit 1 three times last year's electricity
    (a big change), unit 4 10,000 times (a 万 mix-up); unit 3 returned, unit 6 approved."""
    settings.UPLOADS_DIR = tmp_path / "uploads"
    rows = [
        f"{ORGANISATIONS[i - 1][1]},{ORGANISATIONS[i - 1][2]},{PERIOD},{kwh},{kwh * 0.8:g},已核实电表读数"
        for i, kwh in SEPTEMBER.items()
    ]
    path = Path(tmp_path) / "九月.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    job = receive(path, path.name, "pi-energy", author="city_admin", user=people.city_admin)
    assert run_import(job.pk).status == ImportJob.Status.DONE
    found = {i: Submission.objects.get(organisation_id=people.org[i], period=PERIOD) for i in SEPTEMBER}
    review.return_([found[3].pk], reason="请核实", actor="city_admin")
    review.approve([found[6].pk], actor="city_admin")
    return found


def names_listed(html: str) -> list[str]:
    return re.findall(r'<a href="/reporting/submission/\d+/">([^<]+)</a>', html)


def tab_count(html: str, label: str) -> str:
    match = re.search(rf'{label} <span class="n">([^<]+)</span>', html)
    assert match, label
    return match.group(1)


def test_counts_per_status_and_the_most_flagged_first(people, queued):
    office = signed_in(people.city_admin)
    html = office.get("/reporting/review/", {"period": PERIOD}, headers=EN).content.decode()
    assert (tab_count(html, "Submitted"), tab_count(html, "Returned"), tab_count(html, "Approved")) == (
        "5",
        "1",
        "1",
    )
    listed = names_listed(html)
    assert len(listed) == 5
    flags = {
        s.organisation.name: s.flags
        for s in Submission.objects.filter(period=PERIOD).select_related("organisation")
    }
    assert [flags[name] for name in listed] == sorted((flags[name] for name in listed), reverse=True)
    assert set(listed[:2]) == {ORGANISATIONS[0][2], ORGANISATIONS[3][2]}  # the big change and the 万 mix-up
    assert "Big change on last year" in html and "Maybe off by 10,000" in html
    returned = office.get("/reporting/review/", {"period": PERIOD, "status": "returned"}).content.decode()
    assert names_listed(returned) == [ORGANISATIONS[2][2]]


def test_the_region_filter_counts_the_whole_subtree_within_the_scope(people, queued):
    office = signed_in(people.city_admin)
    page = office.get("/reporting/review/", {"period": PERIOD}).content.decode()
    options = re.findall(r'<option value="(\d{6})"[^>]*>([^<]+)</option>', page)
    assert [code for code, _label in options] == ["445200", "445202", "445222", "445224"]
    assert options[1][1].startswith("\u3000")  # a county is indented under its city
    city = names_listed(
        office.get("/reporting/review/", {"period": PERIOD, "region": "445200"}).content.decode()
    )
    assert len(city) == 5  # the city's own unit and both counties'
    county = office.get(
        "/reporting/review/", {"period": PERIOD, "region": "445222"}, headers=EN
    ).content.decode()
    assert sorted(names_listed(county)) == sorted([ORGANISATIONS[3][2], ORGANISATIONS[4][2]])
    assert tab_count(county, "Approved") == "1"  # 揭西县图书馆
    # a reviewer of 榕城区 is offered 榕城区 alone, and another county is refused with a message
    reviewer = signed_in(people.reviewer)
    own = reviewer.get("/reporting/review/", {"period": PERIOD}).content.decode()
    assert re.findall(r'<option value="(\d{6})"', own) == ["445202"]
    refused = reviewer.get("/reporting/review/", {"period": PERIOD, "region": "445222"}, headers=EN)
    text = refused.content.decode()
    assert "“445222” is not a region whose submissions you review" in text
    assert "揭西县" not in "".join(names_listed(text))


def test_filter_by_type_form_and_period(people, queued):
    office = signed_in(people.city_admin)
    schools = office.get("/reporting/review/", {"period": PERIOD, "type": "021"}).content.decode()
    assert sorted(names_listed(schools)) == sorted([ORGANISATIONS[1][2], ORGANISATIONS[4][2]])
    basic = office.get("/reporting/review/", {"period": PERIOD, "form": "pi-basic"}).content.decode()
    assert names_listed(basic) == []
    every = office.get("/reporting/review/", {"period": "2026年9月", "form": "all"}).content.decode()
    assert len(names_listed(every)) == 5
    august = office.get("/reporting/review/", {"period": "2026-08"}).content.decode()
    assert names_listed(august) == []
    default = office.get("/reporting/review/").content.decode()
    assert re.search(r'<option value="pi-energy" selected>', default)  # the filter shows the form listed
    assert re.search(r'<option value="flags" selected>', default)


def test_the_orders_by_period_and_by_organisation(people, queued):
    office = signed_in(people.city_admin)
    by_org = office.get("/reporting/review/", {"period": PERIOD, "sort": "organisation"}).content.decode()
    expected = list(
        Submission.objects.filter(period=PERIOD, status="submitted")
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )
    assert names_listed(by_org) == expected
    latest = office.get("/reporting/review/", {"status": "approved", "sort": "period"}).content.decode()
    periods = re.findall(r'<td class="nowrap">(\d{4}(?:-\d\d|Q\d)?)</td>', latest)
    assert periods[0] == PERIOD and periods == sorted(periods, reverse=True)


def test_counts_are_capped_and_pages_do_not_count_the_whole_table(people, queued, monkeypatch):
    monkeypatch.setattr(queue, "COUNT_CAP", 3)
    monkeypatch.setattr(queue_views, "PER_PAGE", 2)
    office = signed_in(people.city_admin)
    html = office.get("/reporting/review/", {"period": PERIOD}, headers=EN).content.decode()
    assert tab_count(html, "Submitted") == "3+" and tab_count(html, "Returned") == "1"
    assert "Page 1 of more than 2" in html and len(names_listed(html)) == 2
    second = office.get("/reporting/review/", {"period": PERIOD, "page": "2"}).content.decode()
    assert len(names_listed(second)) == 1  # pages stop at the cap: narrow the filters for the rest
    assert queue.capped_count(Submission.objects.all(), cap=3) == 4


def test_the_number_of_queries_does_not_grow_with_the_rows(people, queued):
    office = signed_in(people.city_admin)

    def queries(params: dict[str, str]) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            html = office.get("/reporting/review/", params).content.decode()
        return len(captured.captured_queries), len(names_listed(html))

    few = queries({"period": PERIOD, "region": "445222"})
    many = queries({"period": PERIOD, "region": "445200"})
    assert few[1] < many[1] and few[0] == many[0]
    approved = queries({"status": "approved"})  # the city's approved months: a full page
    assert approved[1] == queue_views.PER_PAGE and approved[0] <= many[0]
