"""Scopes: each membership's place, per capability (:mod:`jieneng.accounts.scope`)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from jieneng.accounts.models import ApiToken
from jieneng.accounts.scope import Scope
from jieneng.reporting.access import submissions

pytestmark = pytest.mark.django_db


def _names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


JIEXI = {"揭西县人民政府办公室", "揭西县实验小学", "揭西县图书馆"}
RONGCHENG = {"榕城区机关事务服务中心", "榕城区第一中学", "榕城区人民医院"}


def test_an_office_sees_its_region_and_everything_under_it(people: SimpleNamespace) -> None:
    city = Scope(people.city_admin)
    assert _names(city.organisations()) == RONGCHENG | JIEXI | {"揭阳市机关事务管理局"}
    assert {"445200", "445202", "445222", "445224"} <= set(city.regions().values_list("code", flat=True))
    assert "440000" not in set(city.regions().values_list("code", flat=True))
    county = Scope(people.county_admin)
    assert _names(county.organisations("directory")) == RONGCHENG
    assert not county.allows_region("445222")
    assert county.allows_region("445202", "review")


def test_a_department_sees_its_units_and_a_reporter_only_itself(
    people: SimpleNamespace,
) -> None:
    assert _names(Scope(people.department).organisations()) == {"榕城区机关事务服务中心", "榕城区第一中学"}
    reporter = Scope(people.reporter)
    assert _names(reporter.organisations("report")) == {"榕城区第一中学"}
    assert not reporter.can("review")
    assert _names(reporter.organisations("review")) == set()
    assert reporter.regions().count() == 0


def test_capabilities_follow_the_role(people: SimpleNamespace) -> None:
    reviewer, viewer = Scope(people.reviewer), Scope(people.viewer)
    assert reviewer.can("review") and not reviewer.can("directory")
    assert viewer.can("view") and not viewer.can("review") and not viewer.can("report")
    assert _names(viewer.organisations("review")) == set()
    assert Scope(people.check_team).can("view") and not Scope(people.check_team).can("report")
    assert _names(Scope(people.check_team).organisations()) == {"榕城区人民医院"}  # and 惠来县, empty


def test_nobody_and_anonymous_see_nothing_and_a_superuser_everything(people: SimpleNamespace) -> None:
    assert Scope(people.nobody).organisations().count() == 0
    assert submissions(Scope(AnonymousUser())).count() == 0
    assert Scope(people.nobody).home is None
    assert Scope(people.root).organisations().count() == 7
    people.root.is_active = False
    assert Scope(people.root).organisations().count() == 0


def test_submissions_follow_the_organisations(people: SimpleNamespace) -> None:
    county = submissions(Scope(people.county_admin))
    assert set(county.values_list("organisation__region__code", flat=True)) == {"445202"}


def test_a_token_is_limited_to_its_capabilities(people: SimpleNamespace) -> None:
    token, secret = ApiToken.issue(people.county_admin, "meter feed", ["view"])
    found = ApiToken.lookup(secret)
    assert found is not None and found.pk == token.pk
    limited = Scope(found.user, limit=found.capabilities)
    assert limited.organisations().count() == 3
    assert not limited.can("review") and limited.organisations("review").count() == 0
    token.revoke()
    assert ApiToken.lookup(secret) is None
    assert ApiToken.lookup(secret + "x") is None


def test_home_is_the_widest_region_else_the_first_organisation(people: SimpleNamespace) -> None:
    home = Scope(people.city_admin).home
    assert home is not None and (home.kind, home.code) == ("region", "445200")
    reporter_home = Scope(people.reporter).home
    assert reporter_home is not None and reporter_home.kind == "organisation"
