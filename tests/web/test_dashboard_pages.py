"""The dashboards on the hand-made city of conftest.py: where each user lands, what each may open (a
place outside their view answers 404, as if it did not exist), and the figures of the ranking, the
breakdowns and the unit page against values computed by hand.

Peer benchmarks (2025, energy per m² by type, over 榕城区, 揭西县 and the city's own units):
  01  榕城区 16,036.9464 / 5,000 = 3.20738928; 揭西县 (29,496 + 2,577.8928) / 10,000 = 3.20738928;
      市本级 58,992 / 20,000 = 2.9496 → median 3.20738928
  021 榕城区 8,831.16 / 2,000 = 4.41558; 揭西县 4,424.4 / 2,000 = 2.2122 → median 3.31389
  023 揭西县 1,474.8 / 500 = 2.9496; 024 榕城区 2,949.6 / 1,000 = 2.9496
  榕城区 benchmark (5,000 × 3.20738928 + 2,000 × 3.31389 + 1,000 × 2.9496) / 8,000 = 3.2017908;
  its 3.4772133 is 8.602 % above.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from jieneng.dashboard import ranking
from jieneng.dashboard.services import RegionRef, overview
from jieneng.directory.models import Organisation
from jieneng.statistics.models import UnitFigure

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def main(response) -> str:
    page = text(response)
    return page[page.index("<main>") : page.index("</main>")]


def zh(message: str, **values: object) -> str:
    """``message`` as a Chinese page shows it (whatever the state of the catalogue)."""
    with translation.override("zh-hans"):
        return gettext(message) % values if values else gettext(message)


def chart_option(page: str, key: str) -> dict[str, Any]:
    found = re.search(rf'<script id="chart-{key}-option" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"no option of chart {key}"
    return json.loads(found.group(1))


# --- landing ---------------------------------------------------------------------------------------


REGION_HOMES = {
    "city_admin": "/region/445200/",
    "county_admin": "/region/445202/",
    "other_county_admin": "/region/445222/",
    "viewer": "/region/445200/",
    "reviewer": "/region/445202/",
    "check_team": "/region/445224/",  # its widest place
    "root": "/region/445200/",  # the region holding all data
}
UNIT_HOMES = {"reporter": 2, "other_reporter": 5, "department": 1}


def test_landing(client, people):
    for who, where in REGION_HOMES.items():
        client.force_login(getattr(people, who))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == where, who
        assert client.get("/", {"year": "2024"})["Location"] == where + "?year=2024"
    for who, org in UNIT_HOMES.items():
        client.force_login(getattr(people, who))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == f"/unit/{people.org[org]}/", who


def test_no_place_yet(client, people):
    client.force_login(people.nobody)
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert zh("No place has been assigned to you yet") in page
    assert "nobody" in page
    assert client.get("/region/445200/").status_code == 404


def test_overview_is_the_landing_page_too(client, people):
    from django.urls import reverse

    assert reverse("overview") == reverse("home") == "/"


def test_anonymous_is_sent_to_sign_in(client, loaded):
    for url in ("/", "/region/445200/", "/region/445200/trend.xlsx", "/unit/1/", "/region/445200/units/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


# --- scoping -------------------------------------------------------------------------------------


def test_county_admin_sees_its_county_only(client, people, settings, tmp_path):
    client.force_login(people.county_admin)
    page = text(client.get("/region/445202/"))
    assert "榕城区" in page
    assert 'href="/region/445200/' not in page and 'href="/region/440000/' not in page  # nothing above
    assert f'href="/unit/{people.org[2]}/"' in page  # its units link to their pages
    refused = {
        "/region/445222/": "445222",
        "/region/445200/": "445200",
        "/region/440000/": "440000",
        "/region/445222/units/": "445222",
        "/region/445222/trend.xlsx": "445222",
        "/region/445222/ranking.xlsx": "445222",
        "/region/445200/boundary.json": "445200",
        "/region/999999/": "999999",  # unknown: the same answer
    }
    for url, code in refused.items():
        response = client.get(url)
        assert response.status_code == 404, url
        if not url.endswith(".json"):
            assert zh("There is no region %(code)s within your place.", code=code) in text(response)
    for org in (4, 5, 6, 7):  # the other county's units and the city's own
        assert client.get(f"/unit/{people.org[org]}/").status_code == 404
        assert client.get(f"/unit/{people.org[org]}/figures.xlsx").status_code == 404
    assert client.get(f"/unit/{people.org[3]}/").status_code == 200


def test_the_same_404_for_a_unit_that_does_not_exist(client, people):
    client.force_login(people.county_admin)
    hidden, missing = client.get(f"/unit/{people.org[5]}/"), client.get("/unit/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert zh("There is no such unit within your place.") in text(hidden)
    assert main(hidden).replace(str(people.org[5]), "") == main(missing).replace("999999", "")


def test_viewer_at_the_city_sees_both_counties(client, people):
    client.force_login(people.viewer)
    for code in ("445200", "445202", "445222", "445224"):
        assert client.get(f"/region/{code}/").status_code == 200, code
    county = text(client.get("/region/445222/"))
    assert 'href="/region/445200/?year=2025"' in county  # breadcrumbs up to the city …
    assert 'href="/region/440000/' not in county  # … and no further
    for org in range(1, 8):
        assert client.get(f"/unit/{people.org[org]}/").status_code == 200


def test_reporter_sees_its_unit_only(client, people):
    client.force_login(people.reporter)
    assert client.get("/region/445202/").status_code == 404
    assert client.get("/region/445202/units/").status_code == 404
    assert client.get(f"/unit/{people.org[1]}/").status_code == 404  # its department
    assert client.get(f"/unit/{people.org[3]}/").status_code == 404  # a neighbour
    page = text(client.get(f"/unit/{people.org[2]}/"))
    assert "榕城区第一中学" in page
    assert 'href="/region/' not in page  # no region is within its view


def test_department_sees_the_units_it_supervises(client, people):
    client.force_login(people.department)
    page = text(client.get(f"/unit/{people.org[1]}/"))
    assert 'id="supervised"' in page
    assert f'<a href="/unit/{people.org[2]}/">榕城区第一中学</a>' in page
    assert "8.83" in page and "176.62" in page and "4.416" in page  # 2025: tce, kgce/person, kgce/m²
    assert client.get(f"/unit/{people.org[2]}/").status_code == 200
    assert client.get(f"/unit/{people.org[3]}/").status_code == 404
    assert 'id="supervised"' not in text(client.get(f"/unit/{people.org[2]}/"))  # supervises nobody


def test_check_team_lands_on_an_empty_county_and_sees_its_other_place(client, people):
    client.force_login(people.check_team)
    page = text(client.get("/region/445224/"))
    assert "惠来县尚未报送统计数据" in page
    assert f'href="/unit/{people.org[3]}/"' in page  # its other place
    assert client.get(f"/unit/{people.org[3]}/").status_code == 200
    assert client.get("/region/445202/").status_code == 404


# --- the region page ------------------------------------------------------------------------------


def test_city_ranking_against_peers(client, people):
    client.force_login(people.city_admin)
    page = text(client.get("/region/445200/"))
    option = chart_option(page, "ranking")
    names = option["yAxis"]["data"]
    assert names[:2] == ["榕城区", "揭西县"] and names[2].startswith("揭阳市")  # 本级 last: 2.9496
    bars, marks = (s["data"] for s in option["series"])
    assert [bar["value"] for bar in bars] == [3.477, 3.038, 2.95]
    assert bars[0]["link"] == "/region/445202/?year=2025"  # a click on the bar opens the region
    assert marks == [3.202, 3.214, 3.207]
    assert "↑8.60%" in page and "↓5.48%" in page and "↓8.04%" in page  # against peers
    assert 'href="/region/445200/units/?year=2025&amp;level=own"' in page  # 本级: the city's own units


def test_ranking_of_one_type(loaded):
    o = overview("445200")
    children = [c.region for c in o.children if not c.own]
    r = ranking.regions(o.region, children, 2025, "021")
    assert [(x.name, x.rank) for x in r.rows] == [("榕城区", 1), ("揭西县", 2), ("惠来县", None)]
    first, second, _empty = r.rows
    assert first.benchmark == pytest.approx(3.31389) and second.benchmark == pytest.approx(3.31389)
    assert first.vs_peers == pytest.approx((4.41558 / 3.31389 - 1) * 100)
    assert second.kgce_per_m2 == pytest.approx(2.2122)


def test_type_filter_on_the_page(client, people):
    client.force_login(people.viewer)
    page = text(client.get("/region/445200/", {"type": "021"}))
    assert [b["value"] for b in chart_option(page, "ranking")["series"][0]["data"]] == [4.416, 2.212]
    assert 'href="/region/445200/ranking.xlsx?year=2025&amp;type=021"' in page
    bad = client.get("/region/445200/", {"type": "99"})
    assert bad.status_code == 400
    assert zh(
        "“%(type)s” is not a type of unit. Please choose one from the list on the page.", type="99"
    ) in text(bad)


def test_county_ranks_its_units(client, people):
    client.force_login(people.county_admin)
    page = text(client.get("/region/445202/", {"year": "2025"}))
    option = chart_option(page, "ranking")
    assert option["yAxis"]["data"] == ["榕城区第一中学", "榕城区机关事务服务中心", "榕城区人民医院"]
    assert [b["value"] for b in option["series"][0]["data"]] == [4.416, 3.207, 2.95]
    for org in (1, 2, 3):
        assert f'href="/unit/{people.org[org]}/"' in page
    assert "/region/445202/units/" not in page  # three units: all shown, no need for the full list


def test_trend_composition_and_types(client, people):
    client.force_login(people.viewer)
    page = text(client.get("/region/445200/"))
    trend = chart_option(page, "trend")
    this, last = trend["series"]
    assert (this["name"], last["name"]) == ("2025", "2024")
    assert this["data"] == [10.399] * 12  # 124.7827992 tce / 12
    assert last["data"] == [12.998] * 12  # × 1.25
    ring = chart_option(page, "composition")["series"][0]["data"]
    assert [d["name"] for d in ring] == ["电力", "汽油", "天然气"]
    assert ring[0]["value"] == 119.459
    types = chart_option(page, "types")
    assert types["xAxis"]["data"] == ["国家机关", "教育", "文化", "卫生"]
    # 01: (16,036.9464 + 32,073.8928 + 58,992) / 35,000; 021: (8,831.16 + 4,424.4) / 4,000
    assert [b["value"] for b in types["series"][0]["data"]] == [3.06, 3.314, 2.95, 2.95]
    assert "public-institution@" in page  # the coefficient set of the figures


def test_every_chart_has_its_table_and_download(client, people):
    client.force_login(people.viewer)
    page = text(client.get("/region/445200/"))
    for key in ("trend", "composition", "ranking", "types"):
        section = page[page.index(f'id="chart-{key}"') :]
        section = section[: section.index("</section>")]
        assert '<details class="chart-table">' in section, key
        assert "<table" in section, key
    for key in ("trend", "composition", "ranking", "types"):
        assert f'href="/region/445200/{key}.xlsx?year=2025"' in page
    assert "echarts.min.js" in page and "charts.js" in page
    assert "cdn" not in page.lower()


def test_bad_and_missing_years(client, people):
    client.force_login(people.viewer)
    assert client.get("/region/445200/", {"year": "20x5"}).status_code == 400
    missing = client.get("/region/445200/", {"year": "1999"})
    assert missing.status_code == 400 and "1999年没有统计数据" in text(missing)
    assert client.get(f"/unit/{people.org[1]}/", {"year": "1999"}).status_code == 400


# --- the full list of units -----------------------------------------------------------------------


def _add_units(
    count: int,
    region: str = "445202",
    type_code: str = "021",
    year: int = 2025,
    supervisor: int | None = None,
) -> None:
    """``count`` extra units of ``type_code`` registered in ``region`` (under ``supervisor``) with
    figures in ``year``: kgce/m² 1, 2, … count."""
    from jieneng.directory.models import Region

    place = Region.objects.current().get(code=region)
    orgs = Organisation.objects.bulk_create(
        Organisation(
            credit_code=f"X{type_code:0>3}{region}{i:08d}",
            name=f"测试{type_code}-{i:03d}" if type_code != "021" else f"测试学校{i:03d}",
            type_code=type_code,
            region=place,
            supervisor_id=supervisor,
        )
        for i in range(1, count + 1)
    )
    UnitFigure.objects.bulk_create(
        UnitFigure(
            organisation=org,
            region=region,
            type_code=type_code,
            year=year,
            kgce=1000.0 * i,
            kgce_excl_vehicle=1000.0 * i,
            water_m3=100.0,
            persons=10.0,
            area_m2=1000.0,
            months=12,
            coefficient_set="public-institution@test",
        )
        for i, org in enumerate(orgs, start=1)
    )


def test_many_units_show_both_ends_and_link_the_full_list(client, people):
    _add_units(40)
    client.force_login(people.county_admin)
    page = text(client.get("/region/445202/"))
    names = chart_option(page, "ranking")["yAxis"]["data"]
    assert len(names) == 2 * ranking.ENDS + 1  # the top and the bottom, and a gap between
    assert names[0] == "测试学校040" and names[-1] == "测试学校001"
    assert 'href="/region/445202/units/?year=2025"' in page
    full = text(client.get("/region/445202/units/", {"year": "2025"}))
    assert full.count('href="/unit/') == 43 - 0  # 43 units, one page
    assert "测试学校020" in full


def test_short_and_full_lists_give_a_unit_the_same_rank_and_name(people):
    _add_units(40)
    UnitFigure.objects.filter(organisation__name__in=["测试学校039", "测试学校040"]).update(kgce=39_000.0)
    place = RegionRef("445202", "榕城区", 3)
    short, full = ranking.units(place, 2025), ranking.units(place, 2025, ends=None)
    assert (short.total, full.total, short.omitted) == (43, 43, 43 - 2 * ranking.ENDS)
    by_unit = {r.organisation: (r.rank, r.name) for r in full.rows}
    assert all(by_unit[r.organisation] == (r.rank, r.name) for r in short.rows)
    # equal values: the unit registered first ranks first, in both lists
    assert [r.name for r in short.rows[:2]] == ["测试学校039", "测试学校040"]
    assert [r.rank for r in short.rows[:2]] == [1, 2]


def test_peer_median_of_a_unit(client, people):
    _add_units(2)  # two more schools in 榕城区 at 1 and 2 kgce/m²: the median of 1, 2, 4.41558 is 2
    client.force_login(people.reporter)
    page = text(client.get(f"/unit/{people.org[2]}/"))
    assert "4.416" in page and "2.000" in page and "↑120.78%" in page  # 4.41558 / 2 − 1
    place = RegionRef("445202", "榕城区", 3)
    school = next(r for r in ranking.units(place, 2025).rows if r.organisation == people.org[2])
    assert school.benchmark == pytest.approx(2.0) and school.vs_peers == pytest.approx(120.779)


def test_unit_page_figures_and_submissions(client, people):
    from jieneng.reporting.models import Submission

    client.force_login(people.reporter)
    response = client.get(f"/unit/{people.org[2]}/")
    page = text(response)
    option = chart_option(page, "figures")
    assert option["xAxis"]["data"][:3] == ["2020", "2024", "2025"]
    # 2025: 8,831.16 kgce / 2,000 m²; 2024 × 1.25; 2020 × 1.5
    assert [b["value"] for b in option["series"][0]["data"]][:3] == [6.623, 5.519, 4.416]
    ids = list(Submission.objects.filter(organisation_id=people.org[2]).values_list("pk", flat=True))
    shown = response.context["shown"]
    assert shown.paginator.count == len(ids) > 0
    for s in shown.object_list:
        assert f'href="/reporting/submission/{s.pk}/"' in page
    assert 'href="/unit/' + str(people.org[2]) + '/figures.xlsx"' in page
