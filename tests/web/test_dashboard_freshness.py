"""A dashboard is computed once per state of its province's data and recomputed as soon as that data
changes: an approval, a renamed unit or region, a rebuild. A change in another province keeps it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from test_rollups import _revise

from jieneng.dashboard.region import RegionPage, region_page, units_page
from jieneng.directory.models import Organisation, Region
from jieneng.reporting import review
from jieneng.reporting.models import Submission
from jieneng.statistics import freshness, rollups
from jieneng.statistics.models import Stamp

pytestmark = pytest.mark.django_db


def computed(code: str, **more: Any) -> tuple[RegionPage, bool]:
    """The page of ``code`` and whether it was computed (it read the roll-ups) rather than cached."""
    with CaptureQueriesContext(connection) as queries:
        page = region_page(code, **more)
    return page, any("statistics_regionfigure" in q["sql"] for q in queries.captured_queries)


def test_a_second_view_reads_only_the_stamps(loaded):
    first, was_computed = computed("445200")
    assert was_computed
    with CaptureQueriesContext(connection) as queries:
        again = region_page("445200")
    assert again == first
    assert len(queries) == 1 and "statistics_stamp" in queries[0]["sql"]


def test_an_approval_shows_at_once(loaded):
    before, _ = computed("445200")
    school = Organisation.objects.get(name="榕城区第一中学")
    submission = Submission.objects.get(organisation=school, form="pi-energy", period="2025-03")
    _revise(submission, {"electricity": 1_000_000.0})
    assert computed("445200")[0] == before  # awaiting review: nothing changes yet
    assert review.approve([submission.pk], actor="test") == 1
    after, was_computed = computed("445200")
    assert was_computed
    assert after.overview.totals.tce.value is not None and before.overview.totals.tce.value is not None
    assert after.overview.totals.tce.value > before.overview.totals.tce.value


def test_a_renamed_unit_and_region_show_at_once(loaded):
    names = [r.name for r in region_page("445202").ranking.rows]
    assert "榕城区人民医院" in names
    hospital = Organisation.objects.get(name="榕城区人民医院")
    hospital.name = "揭阳市榕城区人民医院"
    hospital.save()
    assert "揭阳市榕城区人民医院" in [r.name for r in region_page("445202").ranking.rows]
    county = Region.objects.current().get(code="445222")
    county.name = "揭西县（新）"
    county.save()
    assert "揭西县（新）" in [c.region.name for c in region_page("445200").overview.children]


def test_a_change_in_another_province_keeps_the_page(loaded):
    computed("445200")
    freshness.renew(["350105"])
    assert not computed("445200")[1]
    freshness.renew(["445224"])  # a county of the same province, even one without data
    assert computed("445200")[1]


def test_a_rebuild_and_a_move_renew_the_provinces(loaded):
    computed("445200")
    rollups.rebuild()
    assert computed("445200")[1]
    library = Organisation.objects.get(name="揭西县图书馆")
    before = {c.region.code: c.units for c in region_page("445200").overview.children}
    with rollups.tracking([(library.pk, 2024), (library.pk, 2025)]):
        Organisation.objects.filter(pk=library.pk).update(region=Region.objects.current().get(code="445202"))
    after = {c.region.code: c.units for c in region_page("445200").overview.children}
    assert (after["445202"], after["445222"]) == (before["445202"] + 1, before["445222"] - 1)


def test_each_language_and_argument_has_its_own_entry(loaded):
    with translation.override("zh-hans"):
        zh = [t.label for t in region_page("445200").types]
    with translation.override("en"):
        en = [t.label for t in region_page("445200").types]
    assert zh[0] == "国家机关" and en[0] != zh[0]
    assert [r.rank for r in region_page("445200", type_code="021").ranking.rows] == [1, 2, None]
    ranked, years = units_page("445202")
    assert years == (2020, 2024, 2025, 2026) and ranked.total == 3


def test_stamps_are_replaced_not_counted(loaded):
    freshness.renew(["445202", "445200"])  # one province, one row
    first = Stamp.objects.get(province="44").value
    freshness.renew(["445202"])
    assert Stamp.objects.filter(province="44").count() == 1
    assert Stamp.objects.get(province="44").value not in ("", first)


def test_no_caching_when_switched_off(loaded, settings):
    settings.JIENENG = settings.JIENENG.replace(dashboard_cache_seconds=0)
    computed("445200")
    assert computed("445200")[1]
