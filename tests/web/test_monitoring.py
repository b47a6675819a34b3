"""The monitoring services: readings files in (checks, idempotent resends, rollover and reset), the
Parquet store, the daily roll-ups and alerts, and the demonstration buildings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from jieneng.io.meter_readings import read_readings_file
from jieneng.monitoring import demo, readings, rollups
from jieneng.monitoring.models import Alert, DailyRollup, ImportLog, Meter

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    settings.JIENENG = settings.JIENENG.replace(data_dir=tmp_path)
    return tmp_path


@pytest.fixture
def meters(people: SimpleNamespace) -> SimpleNamespace:
    school = people.org[2]
    main = Meter.objects.create(
        organisation_id=school,
        building="教学楼",
        code="M01",
        name="总表",
        energy="electricity",
        unit="kWh",
        end_use="total",
        kind="register",
        rollover=1_000_000,
    )
    sub = Meter.objects.create(
        organisation_id=school,
        building="教学楼",
        code="M02",
        name="空调",
        energy="electricity",
        unit="kWh",
        end_use="hvac",
        parent=main,
    )
    virtual = Meter.objects.create(
        organisation_id=school,
        building="教学楼",
        code="M03",
        name="其他",
        energy="electricity",
        unit="kWh",
        end_use="special",
        kind="virtual",
        formula="M01 - M02",
    )
    return SimpleNamespace(main=main, sub=sub, virtual=virtual, school=school, people=people)


def _ingest(tmp_path: Path, name: str, text: str, m: SimpleNamespace) -> ImportLog:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    feedable = Meter.objects.filter(organisation_id=m.school)
    return readings.ingest(
        read_readings_file(path), feedable, source="file", name=name, user=m.people.reporter, now=NOW
    )


GOOD = """表号,时间,读数,单位
M01,2026-11-30 01:00,999990,kWh
M01,2026-11-30 02:00,999995,kWh
M01,2026-11-30 03:00,5,kWh
M02,2026-11-30 02:00,2,kWh
M02,2026-11-30 03:00,3,kWh
M01,2026-11-30 04:00,1,kWh
"""


def test_a_file_is_stored_rolled_up_and_a_resend_is_idempotent(
    tmp_path: Path, meters: SimpleNamespace
) -> None:
    log = _ingest(tmp_path, "a.csv", GOOD, meters)
    assert log.status == "stored", list(log.rejections.values())
    assert (log.accepted, log.duplicates) == (6, 0)
    codes = [n["code"] for n in log.notes]
    assert "reading_naive_time" in codes and "register_rollover" in codes and "register_reset" in codes
    day = DailyRollup.objects.get(meter=meters.main, day=date(2026, 11, 30))
    assert day.value == pytest.approx(5 + 10) and day.resets == 1
    assert DailyRollup.objects.get(meter=meters.virtual, day=date(2026, 11, 30)).value == pytest.approx(10)
    again = _ingest(tmp_path, "a.csv", GOOD, meters)
    assert (again.status, again.accepted, again.duplicates) == ("stored", 0, 6)
    assert Alert.objects.filter(meter=meters.main, rule="register_reset").exists()


def test_bad_rows_refuse_the_whole_file_each_with_its_reason(tmp_path: Path, meters: SimpleNamespace) -> None:
    text = """表号,时间,读数,单位
M01,2026-11-30 01:00,100,kWh
M99,2026-11-30 01:00,1,kWh
M01,2026-11-30 02:00,abc,kWh
M01,2026-12-03 02:00,200,kWh
M02,2026-11-30 02:00,2,m3
M01,not a time,2,kWh
M03,2026-11-30 02:00,2,kWh
"""
    log = _ingest(tmp_path, "bad.csv", text, meters)
    assert log.status == "refused"
    got = sorted((r.row, r.code) for r in log.rejections.all())
    assert got == [
        (3, "reading_unknown_meter"),
        (4, "reading_bad_number"),
        (5, "reading_future"),
        (6, "reading_unit_mismatch"),
        (7, "reading_bad_time"),
        (8, "reading_virtual_meter"),
    ]
    assert not rollups.store().has_data() and not DailyRollup.objects.exists()


def test_a_changed_resend_is_refused_and_megawatt_hours_are_converted(tmp_path, meters) -> None:
    assert _ingest(tmp_path, "a.csv", GOOD, meters).status == "stored"
    changed = GOOD.replace("M02,2026-11-30 03:00,3,kWh", "M02,2026-11-30 03:00,4,kWh")
    log = _ingest(tmp_path, "b.csv", changed, meters)
    assert [(r.row, r.code) for r in log.rejections.all()] == [(6, "reading_conflict")]
    mwh = "表号,时间,读数,单位\nM02,2026-11-30T05:00:00+08:00,0.004,MWh\n"
    assert _ingest(tmp_path, "c.csv", mwh, meters).status == "stored"
    assert DailyRollup.objects.get(meter=meters.sub, day=date(2026, 11, 30)).value == pytest.approx(9)


def test_the_demo_buildings_have_a_year_and_the_planted_anomalies(loaded) -> None:
    made = demo.load("445200", NOW)
    assert made == 7 + 4 + 1  # every organisation of the hand-made city; sub-meters and the virtual one
    assert DailyRollup.objects.filter(meter__code="B01-M").count() >= 365
    rules = set(Alert.objects.values_list("meter__code", "rule"))
    assert ("B02-M", "night_base_load") in rules
    assert ("B03-M", "flat_line") in rules
    assert ("B04-M", "register_reset") in rules
    assert ("B05-M", "gap") in rules
    assert ("B01-M", "submeter_excess") in rules
    assert demo.load("445200", NOW) == 0
    assert datetime.now(UTC) > NOW  # the fixed clock is not ahead of the machine's


def test_the_pages_show_the_demo_buildings(people, client) -> None:
    demo.load("445200", NOW)
    client.force_login(people.city_admin)
    index = client.get("/monitoring/")
    assert index.status_code == 200
    meter = Meter.objects.get(code="B01-M")
    base = f"/monitoring/org/{meter.organisation_id}/{meter.building}/"
    for view in ("day", "week", "year"):
        page = client.get(base, {"view": view})
        assert page.status_code == 200, view
        assert "chart-profile-option" in page.content.decode()
    assert client.get(base + "daily.csv").status_code == 200
    alerts = client.get("/monitoring/alerts/")
    assert alerts.status_code == 200
    one = Alert.objects.filter(meter__code="B02-M").first()
    assert client.get(f"/monitoring/alerts/{one.pk}/").status_code == 200


def test_an_upload_shows_each_rejected_row(people, client, tmp_path) -> None:
    Meter.objects.create(
        organisation_id=people.org[2],
        building="教学楼",
        code="M01",
        name="总表",
        energy="electricity",
        unit="kWh",
        end_use="total",
    )
    client.force_login(people.reporter)
    path = tmp_path / "r.csv"
    path.write_text("表号,时间,读数\nM01,2026-11-30 01:00,1\nM01,2026-11-30 02:00,x\n", encoding="utf-8")
    with path.open("rb") as f:
        response = client.post("/monitoring/upload/", {"file": f})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 3 行" in page or "Row 3" in page
    assert not rollups.store().has_data()


def test_a_gateway_pushes_a_batch_and_a_bad_one_is_refused_whole(meters, client) -> None:
    from jieneng.accounts.models import ApiToken

    _token, secret = ApiToken.issue(meters.people.reporter, "gateway", ["view", "report"])
    headers = {"Authorization": f"Bearer {secret}"}
    good = {"readings": [{"meter": "M02", "time": "2026-11-30T02:00:00+08:00", "value": 2},
                         {"meter": "M02", "time": "2026-11-30T01:00:00+08:00", "value": "1.5"}]}  # fmt: skip
    response = client.post("/api/v1/meters/readings", good, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 2
    again = client.post("/api/v1/meters/readings", good, content_type="application/json", headers=headers)
    assert again.json()["duplicates"] == 2
    bad = {"readings": [{"meter": "M02", "time": "2026-11-30T03:00:00+08:00", "value": 1},
                        {"meter": "nope", "time": "2026-11-30T03:00", "value": 1}]}  # fmt: skip
    refused = client.post("/api/v1/meters/readings", bad, content_type="application/json", headers=headers)
    assert refused.status_code == 400
    body = refused.json()
    assert body["status"] == "refused" and [
        p["row"] for p in body["problems"] if p["code"] != "reading_naive_time"
    ] == [2]
    daily = client.get(
        f"/api/v1/meters/{meters.sub.pk}/daily?start=2026-11-01&end=2026-11-30", headers=headers
    )
    assert daily.json() == [{"day": "2026-11-30", "value": 3.5}]
    assert len(client.get("/api/v1/meters", headers=headers).json()["items"]) == 3


def test_a_month_of_meters_is_offered_to_the_form_and_the_difference_kept(tmp_path, meters, client) -> None:
    from jieneng.monitoring.models import MeterOffer
    from jieneng.reporting.models import Submission

    assert _ingest(tmp_path, "a.csv", GOOD, meters).status == "stored"
    client.force_login(meters.people.reporter)
    response = client.post(f"/monitoring/org/{meters.school}/offer/", {"month": "2026-11"})
    assert response.status_code == 302 and "/reporting/fill/" in response["Location"]
    offer = MeterOffer.objects.get(organisation_id=meters.school, period="2026-11")
    assert offer.metered == pytest.approx(15) and offer.item == "electricity"
    submission = Submission.objects.get(organisation_id=meters.school, form=offer.form, period="2026-11")
    assert submission.status == "draft"
    page = client.get(f"/monitoring/org/{meters.school}/教学楼/").content.decode()
    assert "15.00" in page
