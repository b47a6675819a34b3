"""The project register: scoping, progress, the core's figures stored with their data versions, the
forms' messages, the measured-savings upload (bad input refused, nothing saved), the report, the audit
and the read service for counted-quantity targets."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import polars as pl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jieneng.core.document import Heading, Table
from jieneng.core.savings.option_a import electricity_coefficient
from jieneng.demo.projects import Meter, building_meter
from jieneng.directory.models import Region
from jieneng.projects import demo, services
from jieneng.projects import report as mv_report
from jieneng.projects.models import LampClass, MeasuredSavings, ProgressEntry, Project
from jieneng.reference import load_coefficient_set
from jieneng.reference.savings import load_subsidy_rule

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 2)


def _project(code: str = "445202", **more: object) -> Project:
    fields: dict[str, object] = {
        "name": "榕城区路灯改造", "kind": "street_lighting", "start": date(2026, 1, 1),
        "planned_quantity": 9016,
        "contract_type": "shared_savings", "esco": "某节能服务公司", "esco_share": Decimal("0.8"),
        "tariff": Decimal("0.68"), "coefficient_set": "electricity-equal-value-031",
    }  # fmt: skip
    fields.update(more)
    return Project.objects.create(region=Region.objects.current().get(code=code), **fields)


@pytest.fixture
def lit(people: SimpleNamespace) -> Project:
    p = _project()
    for on, done in ((date(2026, 3, 31), 2000), (date(2026, 6, 30), 4500), (date(2026, 9, 30), 6500)):
        ProgressEntry.objects.create(project=p, on=on, quantity_done=done)
    LampClass.objects.create(project=p, name="140→65", count=5200, old_watts=140, new_watts=65, hours=4200)
    LampClass.objects.create(project=p, name="300→110", count=3816, old_watts=300, new_watts=110, hours=4200)
    services.refresh(p)
    return p


def test_progress_is_the_latest_cumulative_entry(lit: Project) -> None:
    pr = services.progress(lit)
    assert (pr.done, pr.planned, pr.on) == (Decimal(6500), Decimal(9016), date(2026, 9, 30))
    assert pr.percent == (Decimal(6500) / Decimal(9016) * 100).quantize(Decimal("0.1"))
    assert services.progress(lit, until=date(2026, 6, 30)).done == 4500
    assert services.progress(lit, until=date(2026, 1, 1)).done == 0


def test_quantity_done_sums_a_region_and_below(lit: Project) -> None:
    other = _project("445222", name="揭西县路灯")
    ProgressEntry.objects.create(project=other, on=date(2026, 5, 1), quantity_done=300)
    _project("445222", name="揭西县热泵", kind="heat_pump")
    assert services.quantity_done("445200", "street_lighting", date(2026, 12, 31)) == 6800
    assert services.quantity_done("445200", "street_lighting", date(2026, 4, 30)) == 2000
    assert services.quantity_done("445202", "street_lighting", date(2026, 12, 31)) == 6500
    assert services.quantity_done("445222", "heat_pump", date(2026, 12, 31)) == 0


def test_the_estimate_and_subsidy_come_from_the_core_with_their_versions(lit: Project) -> None:
    est = lit.estimate
    kwh = sum(c.count * (c.old_watts - c.new_watts) * c.hours / 1000 for c in lit.lamp_classes.all())
    kgce = electricity_coefficient(load_coefficient_set("electricity-equal-value-031"))
    assert est.kwh == pytest.approx(kwh)
    assert est.tce == pytest.approx(kwh * kgce / 1000)
    assert est.coefficient_set.startswith("electricity-equal-value-031@")
    rule = load_subsidy_rule()
    decision = lit.subsidies.get()
    assert decision.rule == rule.ref
    tce = Decimal(repr(est.tce)).quantize(Decimal("0.0001"))
    eligible = rule.minimum_tce <= tce < rule.maximum_tce
    assert decision.eligible == eligible
    if eligible:
        rate = rule.central_rate + rule.provincial_rates.get("44", rule.minimum_provincial_rate)
        assert decision.amount_yuan == pytest.approx(tce * rate, abs=Decimal("0.02"))


def test_a_guaranteed_contract_without_a_subsidy_says_why(people: SimpleNamespace) -> None:
    p = _project(contract_type="guaranteed_savings", guaranteed_kwh=Decimal("1000000"), esco_share=None)
    LampClass.objects.create(project=p, name="a", count=9016, old_watts=250, new_watts=100, hours=4200)
    services.refresh(p)
    decision = p.subsidies.get()
    assert not decision.eligible
    assert [r["code"] for r in decision.reasons] == ["contract_type"]
    message = services.reason_messages(decision)[0]
    assert "guaranteed_savings" not in message and "shared_savings" not in message


def test_contract_periods_shared_and_guaranteed(people: SimpleNamespace) -> None:
    shared = _project()
    rows = services.record_contract_periods(shared, [("2025", Decimal("100000")), ("2026", Decimal("-5"))])
    assert [(r.period, r.value_yuan, r.esco_yuan) for r in rows] == [
        ("2025", Decimal("68000.00"), Decimal("54400.00")),
        ("2026", Decimal("0.00"), Decimal("0.00")),
    ]
    guaranteed = _project(name="保证型", contract_type="guaranteed_savings", guaranteed_kwh=Decimal("120000"))
    row = services.record_contract_periods(guaranteed, [("2025", Decimal("100000"))])[0]
    assert (row.shortfall_kwh, row.owed_yuan) == (Decimal("20000"), Decimal("13600.00"))


def test_the_register_is_scoped_and_filtered(lit: Project, people: SimpleNamespace, client: Client) -> None:
    _project("445222", name="揭西县热泵项目", kind="heat_pump", contract_type="")
    client.force_login(people.county_admin)
    page = client.get("/projects/").content.decode()
    assert "榕城区路灯改造" in page and "揭西县热泵项目" not in page
    client.force_login(people.city_admin)
    page = client.get("/projects/?kind=heat_pump").content.decode()
    assert "揭西县热泵项目" in page and "榕城区路灯改造" not in page
    page = client.get("/projects/?region=445202&contract=shared_savings").content.decode()
    assert "榕城区路灯改造" in page and "揭西县热泵项目" not in page
    assert "6,500 / 9,016" in page and "(72 %)" in page
    bad = client.get("/projects/?region=44").content.decode()
    assert "六位" in bad


def test_the_project_page_shows_progress_estimate_contract_and_subsidy(
    lit: Project, people: SimpleNamespace, client: Client
) -> None:
    client.force_login(people.county_admin)
    page = client.get(f"/projects/{lit.pk}/").content.decode()
    assert "6,500" in page and "9,016" in page and "72 %" in page
    assert f"{lit.estimate.kwh:,.0f}" in page
    assert "electricity-equal-value-031@" in page
    assert "节能效益分享型" in page


def test_the_form_refuses_bad_input_with_chinese_messages(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.county_admin)
    region = Region.objects.current().get(code="445202").pk
    data = {
        "name": "新项目", "kind": "envelope", "region": region, "start": "2026-05-01", "end": "2026-01-01",
        "status": "planned", "planned_quantity": "1000", "investment_yuan": "100", "fiscal_yuan": "80",
        "own_yuan": "80", "emc_yuan": "0", "contract_type": "shared_savings", "tariff": "0.6",
        "coefficient_set": "public-institution",
    }  # fmt: skip
    response = client.post("/projects/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "完成日期早于开始日期" in page
    assert "资金来源合计超过投资" in page
    assert "节能服务公司" in page
    assert not Project.objects.filter(name="新项目").exists()
    data.update(end="2026-12-31", own_yuan="20", esco="某公司", esco_share="0.7")
    response = client.post("/projects/new/", data)
    assert response.status_code == 302
    p = Project.objects.get(name="新项目")
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Project), object_pk=str(p.pk))
    assert entry.actor == people.county_admin


def test_progress_must_be_cumulative(lit: Project, people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.county_admin)
    response = client.post(
        f"/projects/{lit.pk}/progress/", {"on": "2026-10-31", "quantity_done": "6000"}, follow=True
    )
    assert "累计" in response.content.decode()
    assert services.progress(lit).done == 6500
    client.post(f"/projects/{lit.pk}/progress/", {"on": "2026-10-31", "quantity_done": "7000"})
    assert services.progress(lit).done == 7000


def _csv(
    meter: Meter, path: Path, *, temperature: np.ndarray | None = None, drop: slice | None = None
) -> Path:
    t = meter.temperature if temperature is None else temperature
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["日期", "日均气温", "用量"])
    for i, (d, temp, use) in enumerate(zip(meter.days, t, meter.use, strict=True)):
        if drop is not None and drop.start <= i < drop.stop:
            continue
        writer.writerow([str(d), f"{temp:.1f}", f"{use:.1f}"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _post(
    client: Client, p: Project, path: Path, baseline: tuple[date, date], reporting: tuple[date, date]
) -> str:
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    response = client.post(
        f"/projects/{p.pk}/measure/",
        {"file": upload, "interval": "daily", "unit": "C", "baseline_start": baseline[0],
         "baseline_end": baseline[1], "reporting_start": reporting[0], "reporting_end": reporting[1]},
        follow=True,
    )  # fmt: skip
    return str(response.content.decode())


@pytest.mark.parametrize(
    ("case", "said"),
    [("short", "基期"), ("gaps", "%"), ("fahrenheit", "°C"), ("overlap", "重叠")],
)
def test_bad_meter_data_is_refused_and_nothing_saved(
    case: str, said: str, people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    p = _project(kind="hvac", name="大楼改造", contract_type="")
    meter = building_meter(TODAY)
    baseline, reporting = meter.baseline, meter.reporting
    path = tmp_path / "meter.csv"
    if case == "short":
        baseline = (baseline[1] - timedelta(days=90), baseline[1])
        _csv(meter, path)
    elif case == "gaps":
        _csv(meter, path, drop=slice(30, 120))
    elif case == "fahrenheit":
        _csv(meter, path, temperature=meter.temperature * 9 / 5 + 32)
    else:
        reporting = (baseline[1] - timedelta(days=30), reporting[1])
        _csv(meter, path)
    client.force_login(people.county_admin)
    page = _post(client, p, path, baseline, reporting)
    assert "没有保存" in page and said in page
    assert not MeasuredSavings.objects.filter(project=p).exists()


def test_good_meter_data_is_measured_and_charted(
    people: SimpleNamespace, client: Client, tmp_path: Path
) -> None:
    p = _project(
        kind="hvac", name="大楼改造", contract_type="guaranteed_savings", guaranteed_kwh=Decimal("10")
    )
    meter = building_meter(TODAY)
    client.force_login(people.county_admin)
    page = _post(client, p, _csv(meter, tmp_path / "meter.csv"), meter.baseline, meter.reporting)
    m = MeasuredSavings.objects.get(project=p)
    expected = float(np.sum(meter.use[meter.days >= np.datetime64(meter.retrofit)]))
    assert m.observed == pytest.approx(expected)
    assert m.savings > 0 and m.method.startswith("caltrack-2.0-daily@") and m.r_squared is not None
    assert "chart-savings" in page
    series = m.detail["series"]
    year_end = date(meter.reporting[0].year + 1, meter.reporting[0].month, 1)
    first_year = sum(
        float(pr) - float(ob)
        for d, pr, ob in zip(series["start"], series["predicted"], series["observed"], strict=True)
        if date.fromisoformat(d) < year_end and pr not in (None, "None") and ob not in (None, "None")
    )
    periods = list(p.contract_periods.all())
    assert len(periods) == 1  # the one complete contract year; the day after it is not settled
    assert float(periods[0].savings_kwh) == pytest.approx(first_year, abs=0.01)
    assert periods[0].shortfall_kwh == 0
    decision = p.subsidies.get()
    assert decision.basis.startswith("option-c caltrack-2.0-daily@")
    assert not decision.eligible  # a guaranteed-savings contract
    report = client.get(f"/projects/{p.pk}/report.xlsx")
    assert report.status_code == 200
    sheets = pl.read_excel(io.BytesIO(report.content), sheet_id=0)
    assert len(sheets) == 5
    measured = next(iter(v for k, v in sheets.items() if "实测" in k))
    assert m.method in str(measured.rows())
    document = mv_report.document(p)  # the same sections, for Word and PDF
    headings = [b.text for b in document.blocks if isinstance(b, Heading)]
    assert len(headings) == 5 and headings[0].startswith("一、")
    cells = [c for b in document.blocks if isinstance(b, Table) for row in b.rows for c in row]
    assert m.method in cells and f"{m.savings:,.2f}" in cells
    pdf = client.get(f"/projects/{p.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "大楼改造" in text and m.method in text and f"{m.savings:,.2f}" in text


def test_the_demo_projects_are_computed_by_the_core(people: SimpleNamespace) -> None:
    assert demo.load("445200", TODAY) == 2
    led = Project.objects.get(name=demo.LED_NAME)
    assert services.progress(led).percent == pytest.approx(Decimal("72.1"), abs=Decimal("0.1"))
    last = services.progress(led).on
    assert last is not None and last < TODAY
    assert led.estimate.kwh > 0 and led.subsidies.get().eligible
    building = Project.objects.get(name=demo.BUILDING_NAME)
    assert building.measured.get().savings > 0
    assert demo.load("445200", TODAY) == 0  # once


def test_the_api_lists_and_details_projects(lit: Project, people: SimpleNamespace, client: Client) -> None:
    from jieneng.accounts.models import ApiToken

    _token, secret = ApiToken.issue(people.county_admin, "projects", ["view"])
    headers = {"Authorization": f"Bearer {secret}"}
    listed = client.get("/api/v1/projects", {"kind": "street_lighting"}, headers=headers).json()
    assert [row["name"] for row in listed["items"]] == [lit.name]
    assert listed["items"][0]["region"] == "445202"
    detail = client.get(f"/api/v1/projects/{lit.pk}", headers=headers).json()
    assert Decimal(detail["progress"]["done"]) == 6500
    assert detail["estimate"]["coefficient_set"] == lit.estimate.coefficient_set
    assert detail["subsidies"][0]["rule"] == lit.subsidies.get().rule
    assert detail["subsidies"][0]["reasons"]
