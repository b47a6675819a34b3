"""The map: drawn only where a boundary file of the regions below has been supplied; its GeoJSON is
served within the user's scope, reduced to the regions of the place and named as in the registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db
BOUNDARIES = Path(__file__).parents[1] / "fixtures" / "boundaries"


def text(response) -> str:
    return response.content.decode()


def hint(code: str) -> str:
    message = (
        "A map of the regions below appears here once a boundary file %(code)s.json (GeoJSON) is placed "
        "in the boundaries folder (setting JIENENG_BOUNDARIES_DIR)."
    )
    with translation.override("zh-hans"):
        return gettext(message) % {"code": code}


def test_map_with_a_boundary_file(client, people, settings):
    settings.JIENENG = settings.JIENENG.replace(boundaries_dir=BOUNDARIES)
    client.force_login(people.viewer)
    page = text(client.get("/region/445200/"))
    assert 'data-geo="/region/445200/boundary.json" data-map="445200"' in page
    assert 'id="chart-map-option"' in page and 'href="/region/445200/map.xlsx?year=2025"' in page

    geo = client.get("/region/445200/boundary.json")
    assert geo.status_code == 200 and geo["Content-Type"] == "application/json"
    features = geo.json()["features"]
    # "code", "adcode" as a number and as text are all read; the feature of another city is left out
    assert [f["properties"] for f in features] == [
        {"code": "445202", "name": "榕城区"},
        {"code": "445222", "name": "揭西县"},
        {"code": "445224", "name": "惠来县"},
    ]
    assert features[0]["geometry"]["type"] == "Polygon"


def test_map_data_are_the_regions_energy_per_m2(client, people, settings):
    import json
    import re

    settings.JIENENG = settings.JIENENG.replace(boundaries_dir=BOUNDARIES)
    client.force_login(people.viewer)
    page = text(client.get("/region/445200/"))
    found = re.search(r'<script id="chart-map-option" type="application/json">(.*?)</script>', page, re.S)
    series = json.loads(found.group(1))["series"][0]
    assert series["map"] == "445200"
    assert [{k: d[k] for k in ("name", "value")} for d in series["data"]] == [
        {"name": "榕城区", "value": 3.477},
        {"name": "揭西县", "value": 3.038},
        {"name": "惠来县", "value": None},
    ]
    assert series["data"][0]["link"] == "/region/445202/?year=2025"  # a click on a region opens its page


def test_no_map_without_a_file(client, people, settings, tmp_path):
    settings.JIENENG = settings.JIENENG.replace(boundaries_dir=tmp_path)
    client.force_login(people.city_admin)
    page = text(client.get("/region/445200/"))
    assert "chart-map" not in page and "boundary.json" not in page
    assert hint("445200") in page  # an office administrator is told how to get one
    assert client.get("/region/445200/boundary.json").status_code == 404
    client.force_login(people.viewer)
    assert hint("445200") not in text(client.get("/region/445200/"))  # others are not


def test_no_map_where_there_are_no_regions_below(client, people, settings):
    settings.JIENENG = settings.JIENENG.replace(boundaries_dir=BOUNDARIES)
    client.force_login(people.county_admin)
    page = text(client.get("/region/445202/"))
    assert "chart-map" not in page and hint("445202") not in page


def test_boundaries_are_scoped(client, people, settings):
    settings.JIENENG = settings.JIENENG.replace(boundaries_dir=BOUNDARIES)
    for who in ("county_admin", "reporter", "nobody"):
        client.force_login(getattr(people, who))
        assert client.get("/region/445200/boundary.json").status_code == 404, who
    client.logout()
    assert client.get("/region/445200/boundary.json").status_code == 302


def test_a_broken_file_gives_no_map_data(client, people, settings, tmp_path):
    (tmp_path / "445200.json").write_text('{"type": "Feature"}', encoding="utf-8")
    settings.JIENENG = settings.JIENENG.replace(boundaries_dir=tmp_path)
    client.force_login(people.viewer)
    assert client.get("/region/445200/boundary.json").status_code == 404
    assert client.get("/region/445200/").status_code == 200  # the page itself still works
