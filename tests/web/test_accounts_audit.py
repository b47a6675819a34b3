"""The audit trail page: only the changes about objects inside the actor's place, with who, what and
old → new; filters; pages of fixed query cost."""

import re
from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jieneng.accounts.models import Membership
from jieneng.directory.models import Organisation, OrganisationYear, Region

pytestmark = pytest.mark.django_db
URL = "/accounts/audit/"


def text(response) -> str:
    return response.content.decode()


def rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>")[:-1]]


@pytest.fixture
def changes(people):
    """Renames of one organisation in each county, a change of yearly facts, a revoked role in each
    county; made by the county administrators."""
    school = Organisation.objects.get(pk=people.org[2])
    library = Organisation.objects.get(pk=people.org[6])
    with set_actor(people.county_admin):
        school.name = "榕城区第一中学（新校区）"
        school.save()
        year = OrganisationYear.objects.get(organisation=school, year=2025)
        year.persons = 55
        year.save()
        Membership.objects.get(user=people.reviewer).delete()
    with set_actor(people.other_county_admin):
        library.name = "揭西县图书馆（分馆）"
        library.save()
        Membership.objects.get(user=people.other_reporter).delete()
    return school, library


def test_county_admin_sees_the_changes_of_its_county_only(client, people, changes):
    client.force_login(people.county_admin)
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "操作记录" in page
    shown = rows(page)
    joined = "\n".join(shown)
    assert "榕城区第一中学 → 榕城区第一中学（新校区）" in joined
    assert "50 → 55" in joined
    assert "揭西县图书馆" not in joined and "other_reporter" not in joined
    # the revoked role of the county's reviewer is there (the membership no longer exists)
    revoked = [r for r in shown if "删除" in r and "审核员" in r]
    assert revoked and "reviewer" in revoked[0]
    # newest first, and the actor named
    assert shown[0].startswith(timezone.localtime().strftime("%Y-%m-%d"))
    assert all("county_admin" in r for r in shown[:3])


def test_other_county_sees_its_own(client, people, changes):
    client.force_login(people.other_county_admin)
    joined = "\n".join(rows(text(client.get(URL))))
    assert "揭西县图书馆 → 揭西县图书馆（分馆）" in joined
    assert "新校区" not in joined and "50 → 55" not in joined


def test_city_and_superuser_see_both(client, people, changes):
    for person in (people.city_admin, people.root):
        client.force_login(person)
        joined = "\n".join(rows(text(client.get(URL))))
        assert "新校区" in joined and "分馆" in joined


def test_department_sees_its_units(client, people, changes):
    client.force_login(people.department)
    joined = "\n".join(rows(text(client.get(URL))))
    assert "新校区" in joined and "分馆" not in joined
    assert "审核员" not in joined  # the reviewer's role was at the county, above the department


@pytest.mark.parametrize("name", ["reviewer", "viewer", "reporter", "check_team", "nobody"])
def test_others_may_not_read_the_trail(client, people, name):
    client.force_login(getattr(people, name))
    response = client.get(URL)
    assert response.status_code == 403
    assert "操作记录仅供" in text(response)


def test_filters(client, people, changes):
    client.force_login(people.city_admin)
    by_kind = rows(text(client.get(URL, {"kind": "organisationyear"})))
    assert len(by_kind) == 1 and "50 → 55" in by_kind[0]
    by_who = rows(text(client.get(URL, {"who": "other_county"})))
    assert by_who and all("other_county_admin" in r for r in by_who)
    assert not any("新校区" in r for r in by_who)
    today = timezone.localdate()
    assert rows(text(client.get(URL, {"since": str(today + timedelta(days=1))}))) == []
    assert (
        len(rows(text(client.get(URL, {"since": str(today), "until": str(today), "who": "county_admin"}))))
        >= 5
    )
    bad = client.get(URL, {"since": "2026-13-01"})
    assert "请按 2026-03-01 的格式填写日期" in text(bad)
    backwards = client.get(URL, {"since": str(today), "until": str(today - timedelta(days=3))})
    assert "截止日期早于起始日期" in text(backwards)


def test_pages_cost_the_same_however_long_the_trail(client, people):
    region = Region.objects.current().get(code="445202")
    client.force_login(people.county_admin)

    def rename(times: int) -> None:
        with set_actor(people.city_admin):
            for i in range(times):
                region.name = f"榕城区{i}"
                region.save()

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    rename(60)
    queries()  # the first request also fills the content-type cache
    few = queries()
    rename(240)
    many = queries()
    assert many == few < 30
    first = text(client.get(URL))
    assert len(rows(first)) == 50 and "较早" in first and "较新" not in first
    third = text(client.get(URL, {"page": "3"}))
    assert "较新" in third
    assert queries(page="3") == few
    assert LogEntry.objects.filter(content_type__model="region").count() == 300
