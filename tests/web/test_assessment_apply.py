"""A unit applies to be a demonstration unit on the page: scored against the criteria at once, the ratios
left blank read from the statistics; bad input refused with its message and nothing stored; a user who
reports for no unit is refused."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client

from jieneng.assessment import units
from jieneng.assessment.models import Application
from jieneng.reference.schemes import load_scheme

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}
TODAY = date(2026, 12, 2)


def full_marks(organisation: int) -> dict[str, object]:
    data: dict[str, object] = {"organisation": organisation, "year": 2025, "level": "city", "kind": "saving"}
    for column, kind, item in load_scheme(units.SCHEME).inputs():
        if kind in ("yes_no", "certified"):
            data[f"in_{column}"] = "on"
        elif kind in ("score", "count"):
            data[f"in_{column}"] = f"{item.points:g}" if kind == "score" else "10"
    return data


def test_a_reporter_applies_and_the_application_is_scored(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.reporter)
    school = people.org[2]
    page = client.get("/assessment/units/apply/", headers=ZH).content.decode()
    assert "申报示范单位" in page and "★" in page
    response = client.post("/assessment/units/apply/", full_marks(school), headers=ZH, follow=True)
    application = Application.objects.get()
    assert application.organisation_id == school and application.scheme.startswith("demonstration-unit@")
    assert application.total is not None and application.total > 85
    assert "申报已评分" in response.content.decode()


def test_bad_input_is_refused_and_nothing_stored(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.reporter)
    scheme = load_scheme(units.SCHEME)
    column, _kind, item = next(c for c in scheme.inputs() if c[1] == "score")
    data = full_marks(people.org[2]) | {f"in_{column}": str(item.points + 1)}
    response = client.post("/assessment/units/apply/", data, headers=ZH)
    assert response.status_code == 400 and f"{item.points:g}" in response.content.decode()
    other = full_marks(people.org[5])  # 揭西县实验小学: not the reporter's unit
    assert client.post("/assessment/units/apply/", other, headers=ZH).status_code == 400
    assert not Application.objects.exists()


def test_a_viewer_does_not_apply(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.viewer)
    assert client.get("/assessment/units/apply/").status_code == 403
    assert client.post("/assessment/units/apply/", full_marks(people.org[2])).status_code == 403
    assert not Application.objects.exists()


def test_a_scheme_item_counts_the_accepted_demonstration_units(people: SimpleNamespace) -> None:
    from jieneng.assessment import sources
    from jieneng.assessment.models import Party
    from jieneng.core.scoring import Item
    from jieneng.directory.models import Organisation, Region

    rongcheng = Region.objects.current().get(code="445202")
    school, hospital = (Organisation.objects.get(pk=people.org[i]) for i in (2, 3))
    Application.objects.create(organisation=school, year=2025, level="city", kind="saving", accepted=True)
    Application.objects.create(organisation=hospital, year=2025, level="city", kind="saving", accepted=False)
    Application.objects.create(organisation=hospital, year=2024, level="city", kind="saving", accepted=True)
    party = Party(region=rongcheng)
    party.pk = 1
    item = Item(
        id="units", group="g", title="示范单位", points=6, method="count", per=2, data="demonstration_units"
    )
    value, what = sources.read([party], item, 2025, TODAY)[1]
    assert value == 1.0 and "1" in what
