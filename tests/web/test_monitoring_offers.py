"""The month's metered electricity offered as a pre-filled statistics form: its source (meters, days
covered, gaps) kept, a month the meters did not cover said so, and the figure beside the reported value
on the online form and on the reviewer's page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from jieneng.monitoring import offers
from jieneng.monitoring.models import DailyRollup, Meter, MeterOffer
from jieneng.reporting.models import Submission

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)
START = date(2025, 12, 2)  # a year of figures to 2026-12-01


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    settings.JIENENG = settings.JIENENG.replace(data_dir=tmp_path)
    return tmp_path


@pytest.fixture
def main(people: SimpleNamespace) -> Meter:
    return Meter.objects.create(
        organisation_id=people.org[2], building="教学楼", code="M01", name="总表",
        energy="electricity", unit="kWh", end_use="total",
    )  # fmt: skip


def _november(meter: Meter, skip: tuple[int, ...] = (), short: tuple[int, ...] = ()) -> None:
    DailyRollup.objects.bulk_create(
        DailyRollup(meter=meter, day=date(2026, 11, 1) + timedelta(days=i), value=100.0,
                    intervals=18 if i + 1 in short else 24)
        for i in range(30) if i + 1 not in skip
    )  # fmt: skip


def _offer(client, people: SimpleNamespace, month: str = "2026-11"):
    client.force_login(people.reporter)
    return client.post(f"/monitoring/org/{people.org[2]}/offer/", {"month": month}, follow=True)


def test_a_full_month_is_offered_as_complete_with_its_source(client, people, main) -> None:
    _november(main)
    page = _offer(client, people)
    assert page.redirect_chain[-1][0].startswith("/reporting/fill/")
    offer = MeterOffer.objects.get(organisation_id=people.org[2], period="2026-11")
    assert offer.metered == pytest.approx(3000)
    assert offer.source["meters"] == [{"id": main.pk, "code": "M01"}]
    assert offer.source["covered"] == 30 and offer.source["complete"] is True
    body = page.content.decode()
    notes = body.split('id="value-notes"')[1].split("</section>")[0]
    assert "3,000.00" in notes and 'class="incomplete"' not in notes


def test_a_month_with_gaps_says_so_everywhere(client, people, main) -> None:
    _november(main, skip=(5, 6), short=(12,))
    page = _offer(client, people)
    offer = MeterOffer.objects.get(organisation_id=people.org[2], period="2026-11")
    assert offer.metered == pytest.approx(2800)
    assert offer.source["missing"] == ["2026-11-05", "2026-11-06"]
    assert offer.source["short"] == ["2026-11-12"] and offer.source["complete"] is False
    body = page.content.decode()
    assert "11-05、11-06" in body and "11-12" in body  # in the warning and in the form's note
    notes = body.split('id="value-notes"')[1]
    assert 'class="incomplete"' in notes and "27" in notes
    building = client.get(f"/monitoring/org/{people.org[2]}/教学楼/").content.decode()
    assert "11-05、11-06" in building


def test_the_reviewer_sees_the_metered_figure_beside_the_corrected_value(client, people, main) -> None:
    _november(main)
    _offer(client, people)
    submission = Submission.objects.get(organisation_id=people.org[2], period="2026-11")
    client.force_login(people.department)
    body = client.get(f"/reporting/submission/{submission.pk}/").content.decode()
    notes = body.split('id="value-notes"')[1]
    assert "3,000.00" in notes and "0.00" in notes  # the draft holds the metered figure: no difference


def test_a_month_in_progress_is_not_complete(people, main) -> None:
    DailyRollup.objects.create(meter=main, day=date(2026, 12, 1), value=50.0, intervals=24)
    total = offers.month_total([main], "2026-12", TODAY)
    assert total is not None and total.kwh == 50.0
    assert total.coverage.covered == 1 and not total.coverage.complete
    assert "未结束" in offers.describe(total.source())


def test_nothing_metered_offers_nothing(client, people, main) -> None:
    page = _offer(client, people, "2026-10")
    assert not MeterOffer.objects.exists()
    assert page.redirect_chain[-1][0] == "/monitoring/"


def test_the_back_address_must_be_this_site(client, people, main) -> None:
    client.force_login(people.reporter)
    response = client.post(
        f"/monitoring/org/{people.org[2]}/offer/", {"month": "2026-10", "back": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/monitoring/"


def test_the_demo_prefills_last_month_and_says_where_the_meters_fell_short(people) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from jieneng.monitoring import demo

    assert demo.load("445200", datetime(2026, 12, 2, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai")), buildings=6)
    assert demo.offer_last_month(TODAY, buildings=6) == 6
    made = {o.source["meters"][0]["code"]: o for o in MeterOffer.objects.filter(period="2026-11")}
    assert len(made) == 6
    assert made["B01-M"].source["complete"] is True
    assert made["B05-M"].source["short"] and not made["B05-M"].source["complete"]  # six hours missing
    assert made["B04-M"].source["resets"] and not made["B04-M"].source["complete"]  # replaced
    drafts = Submission.objects.filter(period="2026-11", status="draft")
    assert drafts.count() == 6 and all(r.author == "能耗监测平台" for s in drafts for r in s.revisions.all())


def test_a_building_stands_among_the_visible_peers_of_its_kind(client, people) -> None:
    from jieneng.directory.models import Organisation, OrganisationYear

    orgs = [people.org[2], people.org[3], people.org[5], people.org[6]]
    Organisation.objects.filter(pk__in=orgs).update(type_code="021")
    for i, org in enumerate(orgs):
        meter = Meter.objects.create(organisation_id=org, building="楼", code="M", name="总表",
                                     energy="electricity", unit="kWh", end_use="total")  # fmt: skip
        DailyRollup.objects.bulk_create(
            DailyRollup(meter=meter, day=START + timedelta(days=d), value=10.0 * (i + 1), intervals=24)
            for d in range(365)
        )  # fmt: skip
        OrganisationYear.objects.update_or_create(
            organisation_id=org, year=2026, defaults={"building_area_m2": 1000, "persons": 10}
        )
    main = Meter.objects.get(organisation_id=orgs[1])
    Meter.objects.create(organisation_id=orgs[1], building="楼", code="S", name="分表", energy="electricity",
                         unit="kWh", end_use="hvac", parent=main)  # fmt: skip
    client.force_login(people.root)
    page = client.get(f"/monitoring/org/{orgs[1]}/楼/?view=year&on=2026-12-01").content.decode()
    section = page.split('id="peers"')[1].split("</section>")[0]
    assert "7.3 kWh/m²" in section  # 20 kWh a day for 365 days over 1,000 m²
    assert "2 / 4" in section or "2 of 4" in section or "第 2" in section
    assert ">6.4<" in section and ">9.1<" in section and ">11.9<" in section  # Q1, median, Q3
    client.force_login(people.reporter)  # sees only the school: no peers to compare with
    page = client.get(f"/monitoring/org/{orgs[0]}/楼/?on=2026-12-01").content.decode()
    assert "kWh/m²" not in page.split('id="peers"')[1].split("</section>")[0]
