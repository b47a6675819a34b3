"""The roll-up tables: kept current on approval by adding differences, they must always equal a
rebuild from the approved records (:func:`jieneng.statistics.rollups.rebuild`)."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import FACTS_2025
from django.utils import timezone

from jieneng import config
from jieneng.core.carbon import Convention
from jieneng.directory.models import Organisation, OrganisationYear
from jieneng.reference.emissions import load_emission_factor_set
from jieneng.reporting import review
from jieneng.reporting.models import Revision, Submission
from jieneng.statistics import rollups
from jieneng.statistics.models import RegionFigure, UnitFigure

pytestmark = pytest.mark.django_db


def _snapshot() -> tuple[dict[tuple[Any, ...], tuple[Any, ...]], dict[tuple[Any, ...], tuple[Any, ...]]]:
    regions = {
        (f.region, f.year, f.month, f.type_code, f.energy): (
            round(f.kgce, 3),
            round(f.kgce_excl_vehicle, 3),
            round(f.water_m3, 3),
            round(f.cost, 2),
            round(f.persons, 3),
            round(f.area_m2, 3),
            f.units,
            f.coefficient_set,
            round(f.kgco2, 3),
            f.co2_missing,
            f.emission_factors,
        )
        for f in RegionFigure.objects.all()
    }
    units = {
        (f.organisation_id, f.year): (
            round(f.kgce, 3),
            round(f.persons, 3),
            f.months,
            f.region,
            f.type_code,
            None if f.kgco2 is None else round(f.kgco2, 3),
            f.co2_problem,
            f.emission_factors,
        )
        for f in UnitFigure.objects.all()
    }
    return regions, units


def _assert_equals_rebuild() -> None:
    kept = _snapshot()
    rollups.rebuild()
    rebuilt = _snapshot()
    assert kept[1] == rebuilt[1]
    assert kept[0].keys() == rebuilt[0].keys()
    for key, values in rebuilt[0].items():
        assert kept[0][key] == pytest.approx(values, rel=1e-9, abs=1e-3), key


def _revise(submission: Submission, change: dict[str, float | None]) -> None:
    """A new revision of ``submission`` with some values changed (None removes one), awaiting review."""
    current = Revision.objects.get(submission=submission, number=submission.current)
    values = {**current.values, **change}
    values = {k: v for k, v in values.items() if v is not None}
    Revision.objects.create(
        submission=submission,
        number=submission.current + 1,
        edition=current.edition,
        values=values,
        digest=f"test-{submission.current + 1}",
        source=current.source,
        author="test",
        created_at=timezone.now(),
    )
    submission.current += 1
    submission.status = Submission.Status.SUBMITTED
    submission.save()


def test_the_loaded_city_equals_a_rebuild(loaded: SimpleNamespace) -> None:
    assert RegionFigure.objects.filter(region="440000", year=2025, month=0, type_code="", energy="").exists()
    _assert_equals_rebuild()


def test_figures_record_the_coefficient_set_version(loaded: SimpleNamespace) -> None:
    used = set(RegionFigure.objects.values_list("coefficient_set", flat=True))
    used |= set(UnitFigure.objects.values_list("coefficient_set", flat=True))
    assert len(used) == 1
    assert used.pop().startswith("public-institution@")


def test_an_approved_correction_moves_every_region_above_by_its_difference(loaded: SimpleNamespace) -> None:
    school = Organisation.objects.get(name="榕城区第一中学")
    submission = Submission.objects.get(organisation=school, form="pi-energy", period="2025-03")
    before = {
        code: RegionFigure.objects.get(region=code, year=2025, month=3, type_code="", energy="").water_m3
        for code in ("445202", "445200", "440000")
    }
    unit_before = UnitFigure.objects.get(organisation=school, year=2025).water_m3
    _revise(submission, {"water": 200 + 1_000})  # 200 m³ a month in the hand-made city, now 1,200
    assert review.approve([submission.pk], actor="test") == 1
    for code, water in before.items():
        after = RegionFigure.objects.get(region=code, year=2025, month=3, type_code="", energy="").water_m3
        assert after == pytest.approx(water + 1_000)
    assert UnitFigure.objects.get(organisation=school, year=2025).water_m3 == pytest.approx(
        unit_before + 1_000
    )
    unrelated = RegionFigure.objects.get(region="445222", year=2025, month=3, type_code="", energy="")
    assert unrelated.water_m3 == pytest.approx(1_000 + 150 + 50)  # 揭西县's three units, unchanged


def test_a_returned_revision_changes_nothing(loaded: SimpleNamespace) -> None:
    submission = Submission.objects.filter(form="pi-energy", period="2025-05").first()
    assert submission is not None
    kept = _snapshot()
    _revise(submission, {"water": 9_999})
    review.return_([submission.pk], reason="too much water", actor="test")
    assert _snapshot() == kept


def test_random_corrections_keep_the_roll_ups_equal_to_a_rebuild(loaded: SimpleNamespace) -> None:
    rng = random.Random(20261121)
    pool = list(Submission.objects.filter(form="pi-energy").order_by("pk"))
    for _round in range(4):
        chosen = rng.sample(pool, 6)
        for submission in chosen:
            submission.refresh_from_db()
            change: dict[str, float | None] = {"electricity": round(rng.uniform(0, 50_000), 2)}
            if rng.random() < 0.3:
                change["water"] = None  # a value removed
            if rng.random() < 0.3:
                change["natural_gas"] = round(rng.uniform(0, 500), 2)  # a new energy type
            _revise(submission, change)
        review.approve([s.pk for s in chosen[:4]], actor="test")
    _assert_equals_rebuild()


def test_yearly_facts_and_a_move_to_another_county_follow_through_tracking(loaded: SimpleNamespace) -> None:
    library = Organisation.objects.get(name="揭西县图书馆")
    years = list(UnitFigure.objects.filter(organisation=library).values_list("year", flat=True))
    unit_kgce = UnitFigure.objects.get(organisation=library, year=2025).kgce

    def county_kgce(code: str) -> float:
        return RegionFigure.objects.get(region=code, year=2025, month=0, type_code="", energy="").kgce

    rongcheng, jiexi = county_kgce("445202"), county_kgce("445222")
    with rollups.tracking([(library.pk, year) for year in years]):
        library.region = Organisation.objects.get(name="榕城区人民医院").region
        library.save()
        facts = OrganisationYear.objects.get(organisation=library, year=2025)
        facts.persons += 90
        facts.save()
    assert county_kgce("445202") == pytest.approx(rongcheng + unit_kgce)
    assert county_kgce("445222") == pytest.approx(jiexi - unit_kgce)
    persons = RegionFigure.objects.get(region="445200", year=2025, month=0, type_code="", energy="").persons
    assert persons == pytest.approx(sum(p for p, _area in FACTS_2025.values()) + 90)
    _assert_equals_rebuild()


# --- CO₂ in the roll-ups ------------------------------------------------------------------------------


def _guangdong_kwh_factor(year: int) -> float:
    """kgCO₂/kWh of Guangdong's electricity for reporting ``year`` under the default convention, read
    from the emission-factor set as the roll-ups are configured."""
    factors = load_emission_factor_set(config.current().emission_factor_set)
    convention = rollups.co2_convention()
    data_year = convention.pick(year, factors.data_years(convention.variant))
    assert data_year is not None
    factor = factors.electricity_factor(data_year, convention.variant, "44", convention.finest)
    assert factor is not None and factor.unit == "kWh"
    return factor.kgco2


def test_co2_is_kept_with_the_factor_set_and_convention_it_used(loaded: SimpleNamespace) -> None:
    labels = set(RegionFigure.objects.values_list("emission_factors", flat=True))
    labels |= set(UnitFigure.objects.values_list("emission_factors", flat=True))
    assert len(labels) == 1
    assert labels.pop().startswith("mee-nbs-electricity@")
    city = RegionFigure.objects.get(region="445200", year=2025, month=0, type_code="", energy="")
    assert city.kgco2 > 0 and city.co2_missing == 0
    units = UnitFigure.objects.filter(region__startswith="4452", year=2025)
    assert city.kgco2 == pytest.approx(sum(u.kgco2 or 0 for u in units))
    by_energy = RegionFigure.objects.filter(region="445200", year=2025, month=0, type_code="").exclude(
        energy=""
    )
    assert sum(f.kgco2 for f in by_energy) == pytest.approx(city.kgco2)


def test_an_approved_correction_of_electricity_moves_co2_by_its_factor(loaded: SimpleNamespace) -> None:
    school = Organisation.objects.get(name="榕城区第一中学")
    submission = Submission.objects.get(organisation=school, form="pi-energy", period="2025-03")
    current = Revision.objects.get(submission=submission, number=submission.current)
    before = {
        code: RegionFigure.objects.get(region=code, year=2025, month=0, type_code="", energy="").kgco2
        for code in ("445202", "445200", "440000")
    }
    _revise(submission, {"electricity": float(current.values["electricity"]) + 1_000})
    assert review.approve([submission.pk], actor="test") == 1
    added = 1_000 * _guangdong_kwh_factor(2025)
    for code, kgco2 in before.items():
        after = RegionFigure.objects.get(region=code, year=2025, month=0, type_code="", energy="").kgco2
        assert after == pytest.approx(kgco2 + added)
    _assert_equals_rebuild()


def test_a_year_the_factor_set_does_not_cover_is_approved_without_co2(loaded: SimpleNamespace) -> None:
    # the set's first data year is 2021: under “latest”, the base year 2020 has no electricity factor
    assert rollups.co2_convention() == Convention()
    school = Organisation.objects.get(name="榕城区第一中学")
    submission = Submission.objects.get(organisation=school, form="pi-energy", period="2020-03")
    _revise(submission, {"water": 1_200})
    assert review.approve([submission.pk], actor="test") == 1  # the approval goes through
    unit = UnitFigure.objects.get(organisation=school, year=2020)
    assert unit.kgco2 is None and unit.kgce > 0
    assert '"code": "emission_year_not_covered"' in unit.co2_problem
    for code in ("445202", "445200"):
        row = RegionFigure.objects.get(region=code, year=2020, month=0, type_code="", energy="")
        assert row.co2_missing == row.units > 0
        assert row.kgco2 == 0  # nothing summed for the units without CO₂, and none is shown as a total
    electricity = RegionFigure.objects.get(
        region="445200", year=2020, month=0, type_code="", energy="electricity"
    )
    assert electricity.co2_missing == electricity.units
    assert UnitFigure.objects.get(organisation=school, year=2025).co2_problem == ""
    _assert_equals_rebuild()


def test_a_settings_change_is_followed_by_a_rebuild(loaded: SimpleNamespace, settings: Any) -> None:
    settings.JIENENG = settings.JIENENG.replace(co2_factor_year="2021")  # one factor for every year
    assert rollups.co2_convention() == Convention(year_rule="fixed", data_year=2021)
    rollups.rebuild()
    rows = RegionFigure.objects.filter(region="445200", month=0, type_code="", energy="")
    assert {r.year for r in rows if r.co2_missing == 0} >= {2020, 2024, 2025}
    assert {r.emission_factors.rsplit(" ", 1)[-1] for r in rows} == {"fixed2021"}


# --- every kind of write keeps the roll-ups equal to a rebuild; an unsound sum is refused -------------


def test_every_kind_of_write_keeps_the_roll_ups_equal_to_a_rebuild(loaded: SimpleNamespace) -> None:
    from jieneng.directory.models import Region
    from jieneng.registry.maintenance import keeping_figures

    pool = list(Submission.objects.filter(form="pi-energy").order_by("pk"))
    first, second, third = pool[0], pool[7], pool[13]
    _revise(first, {"electricity": 123_456.7})  # a correction, approved
    review.approve([first.pk], actor="test")
    _assert_equals_rebuild()
    _revise(first, {"electricity": 1.5})  # the correction of the correction
    review.approve([first.pk], actor="test")
    _assert_equals_rebuild()
    current = Revision.objects.get(submission=second, number=second.current)
    _revise(second, dict.fromkeys(current.values))  # every value cleared, approved
    review.approve([second.pk], actor="test")
    _assert_equals_rebuild()
    org = third.organisation
    other = Region.objects.exclude(pk=org.region_id).filter(code__startswith="4452").exclude(code="445200")
    with keeping_figures([org.pk]):  # a directory change: the unit moves to another county
        Organisation.objects.filter(pk=org.pk).update(region=other.first())
    _assert_equals_rebuild()
    rollups.rebuild()
    _assert_equals_rebuild()


def test_an_unsound_sum_is_refused_and_nothing_is_written(loaded: SimpleNamespace) -> None:
    from jieneng.core.errors import RollupRefused

    school = Organisation.objects.get(name="榕城区第一中学")
    submission = Submission.objects.get(organisation=school, form="pi-energy", period="2025-03")
    county = RegionFigure.objects.get(region="445202", year=2025, month=0, type_code="", energy="")
    county.cost = 1.0  # the kept sum drifted below what the units give
    county.save()
    kept = _snapshot()
    _revise(submission, {"electricity_cost": 0.0})
    with pytest.raises(RollupRefused) as refused:
        review.approve([submission.pk], actor="test")
    assert refused.value.params["region"] == "445202" and refused.value.params["sum"] == "cost"
    assert _snapshot() == kept
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_the_api_renders_a_non_finite_number_as_null() -> None:
    import json
    import math

    from jieneng.api.endpoints import Renderer

    text = Renderer().render(None, {"kgce": math.inf, "rows": [math.nan, 1.5]}, response_status=200)  # type: ignore[arg-type]
    assert json.loads(text, parse_constant=pytest.fail) == {"kgce": None, "rows": [None, 1.5]}
