"""Each dashboard page issues a small, fixed number of queries, whatever the amount of data: no query
per region, unit or row (the national load benchmark relies on it). Counted with the dashboard cache
off: what every first view of a page costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from test_dashboard_pages import _add_units

pytestmark = pytest.mark.django_db

PAGES = [
    ("city_admin", "/region/445200/", 16),
    ("county_admin", "/region/445202/", 17),
    ("viewer", "/region/445202/units/", 11),
    ("viewer", "/region/445202/ranking.xlsx", 16),
    ("department", "/unit/{org1}/", 20),  # with the duties of a unit it reports for
    ("reporter", "/unit/{org2}/", 14),
    ("viewer", "/unit/{org1}/figures.xlsx", 11),
]


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_few_queries_and_no_more_with_many_more_units(
    client, people, django_assert_max_num_queries, settings
):
    settings.JIENENG = settings.JIENENG.replace(dashboard_cache_seconds=0)
    before = {}
    for who, pattern, most in PAGES:
        client.force_login(getattr(people, who))
        url = pattern.format(org1=people.org[1], org2=people.org[2])
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
        before[url] = (who, count(client, url))
    _add_units(60)
    _add_units(30, type_code="01", supervisor=people.org[1])  # a department with many units
    for url, (who, queries) in before.items():
        client.force_login(getattr(people, who))
        assert count(client, url) == queries, url
