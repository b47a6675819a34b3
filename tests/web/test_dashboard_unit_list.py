"""The unit list of a place: every unit below it by default, or those registered directly in it
(本级); a unit that reported fewer months than the others is listed after the ranking, unranked."""

from __future__ import annotations

import re

import pytest

from jieneng.dashboard import ranking
from jieneng.dashboard.services import RegionRef
from jieneng.statistics.models import UnitFigure

pytestmark = pytest.mark.django_db
CITY = RegionRef("445200", "揭阳市", 2)


def names(response) -> list[str]:
    return [row.name for row in response.context["r"].rows]


def test_the_city_lists_every_unit_below_it_or_its_own(client, people) -> None:
    client.force_login(people.viewer)
    every = client.get("/region/445200/units/", {"year": 2025})
    assert every.status_code == 200
    assert len(names(every)) == 7
    assert "揭西县图书馆" in names(every) and "揭阳市机关事务管理局" in names(every)
    assert "揭阳市及所辖地区的单位（2025年）" in every.content.decode()
    own = client.get("/region/445200/units/", {"year": 2025, "level": "own"})
    assert names(own) == ["揭阳市机关事务管理局"]
    assert "揭阳市本级单位（2025年）" in own.content.decode()
    # the filters keep the choice of units
    assert re.search(r'href="\?year=2024&amp;level=own"', own.content.decode())


def test_a_bad_choice_of_units_says_so(client, people) -> None:
    client.force_login(people.viewer)
    response = client.get("/region/445200/units/", {"level": "county"})
    assert response.status_code == 400 and "“county”不是可选的范围" in response.content.decode()


def test_a_unit_with_fewer_months_is_listed_apart(loaded) -> None:
    figures = UnitFigure.objects.filter(year=2025)
    school = figures.get(organisation__name="揭西县实验小学")
    figures.filter(pk=school.pk).update(months=4)  # as if it had reported January to April only
    listed = ranking.units(CITY, 2025, ends=None, below=True)
    last = listed.rows[-1]
    assert last.name == "揭西县实验小学" and last.partial and last.rank is None
    ranked = [row for row in listed.rows if row.rank is not None]
    assert [row.rank for row in ranked] == list(range(1, 7))
    assert not any(row.partial for row in ranked)
    # and it is not among the peers whose median is the benchmark of its type (021: only 榕城区第一中学)
    schools = [row for row in ranked if row.type_code == "021"]
    assert len(schools) == 1 and schools[0].benchmark == pytest.approx(schools[0].kgce_per_m2)
