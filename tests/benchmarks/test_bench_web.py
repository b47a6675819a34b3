"""The web benchmark's data builder (benchmarks/_national_store.py) on a small nation: what it stores
is consistent — regions add up from their units, the queue holds one submission per unit, the
codes are valid. No server and no load here: timings belong to the benchmark, not to tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import polars as pl
import pytest
from django.db.models import Count, Sum

from jieneng.core import credit_code
from jieneng.demo.generator import generate_national
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.reporting.models import Revision, Submission
from jieneng.statistics.models import RegionFigure, UnitFigure

INSTITUTIONS = 3_000
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_national_store", BENCHMARKS / "_national_store.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


store = _builder()


@pytest.fixture
def built(db: None):
    return store.build(INSTITUTIONS, progress=lambda _text: None)


def _year_row(region: str, year: int) -> RegionFigure:
    return RegionFigure.objects.get(region=region, year=year, month=0, type_code="", energy="")


def test_every_province_is_the_sum_of_the_unit_figures_of_its_units(built):
    provinces = list(Region.objects.filter(level=1).values_list("code", flat=True))
    assert len(provinces) == 31
    checked = 0
    for code in provinces:
        units = UnitFigure.objects.filter(region__startswith=code[:2], year=built.year)
        sums = units.aggregate(kgce=Sum("kgce"), water=Sum("water_m3"), n=Count("pk"))
        if not sums["n"]:
            assert not RegionFigure.objects.filter(region=code).exists()
            continue
        row = _year_row(code, built.year)
        assert row.units == sums["n"]
        assert row.kgce == pytest.approx(sums["kgce"], rel=1e-9)
        assert row.water_m3 == pytest.approx(sums["water"], rel=1e-9)
        months = RegionFigure.objects.filter(
            region=code, year=built.year, month__gte=1, type_code="", energy=""
        )
        assert months.count() == 12
        assert months.aggregate(k=Sum("kgce"))["k"] == pytest.approx(row.kgce, rel=1e-9)
        checked += 1
    assert checked > 20  # 3,000 units reach most provinces
    assert UnitFigure.objects.count() == INSTITUTIONS


def test_the_water_stored_is_the_water_generated(built):
    records = generate_national(institutions=INSTITUTIONS, year=built.year).records
    water = records.filter(pl.col("energy_type") == "water")["quantity"].sum()  # t ≡ m³
    national = RegionFigure.objects.filter(
        region__in=Region.objects.filter(level=1).values("code"),
        year=built.year,
        month=0,
        type_code="",
        energy="",
    ).aggregate(w=Sum("water_m3"))["w"]
    assert national == pytest.approx(water, rel=1e-9)


def test_directory_holds_every_institution_with_a_valid_code_and_its_facts(built):
    codes = list(Organisation.objects.values_list("credit_code", flat=True))
    assert len(codes) == len(set(codes)) == INSTITUTIONS
    assert all(credit_code.is_valid(code) for code in codes)
    assert OrganisationYear.objects.filter(year=built.year).count() == INSTITUTIONS
    assert not Organisation.objects.exclude(region__level=3).exists()
    where = dict(Organisation.objects.values_list("pk", "region__code"))
    figures = dict(UnitFigure.objects.values_list("organisation_id", "region"))
    assert figures == where  # each unit's figures sit in its own county


def test_the_queue_holds_one_submission_per_unit_with_one_revision(built):
    submissions = Submission.objects.filter(period=built.period)
    assert submissions.count() == INSTITUTIONS
    assert set(submissions.values_list("status", flat=True)) == {Submission.Status.SUBMITTED}
    assert submissions.values("organisation").distinct().count() == INSTITUTIONS
    assert Revision.objects.count() == INSTITUTIONS
    # every link resolves (the load does not check foreign keys row by row on PostgreSQL)
    assert Revision.objects.filter(submission__organisation__region__level=3).count() == INSTITUTIONS
    assert UnitFigure.objects.filter(organisation__years__year=built.year).count() == INSTITUTIONS
    flagged = submissions.filter(flags__gt=0).count()
    assert 0.01 * INSTITUTIONS < flagged < 0.06 * INSTITUTIONS
    for revision in Revision.objects.select_related("submission").filter(submission__flags__gt=0)[:50]:
        assert len(revision.flags) == revision.submission.flags
        assert revision.values["electricity"] > 0
    assert Revision.objects.values("digest").distinct().count() == INSTITUTIONS  # each unit's own values
    assert set(Revision.objects.values_list("edition", flat=True)) == {"pi-energy@2022"}


def test_the_places_visited_are_the_busiest(built):
    provinces = dict(
        RegionFigure.objects.filter(
            region__endswith="0000", year=built.year, month=0, type_code="", energy=""
        ).values_list("region", "units")
    )
    assert provinces[built.province] == max(provinces.values())
    assert built.county.startswith(built.province[:2])
    unit = Organisation.objects.get(pk=built.unit)
    assert unit.region.code == built.county


def test_vectorised_credit_codes_match_the_core():
    serial = np.arange(1, 301, dtype=np.int64)
    region = pl.Series(["445202"] * 300)
    made = store.credit_codes(pl.Series(["1"] * 300), pl.Series(["2"] * 300), region, serial)
    expected = [credit_code.make("1", "2", "445202", f"{n:08d}") for n in serial.tolist()]
    assert made.to_list() == expected
    org_checks = {code[16] for code in expected}
    assert {"X", "0"} <= org_checks  # both special cases of GB 11714 occur among these serials
