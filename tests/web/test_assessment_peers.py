"""Ratio items scored against peers from the approved statistics: a unit's energy per m² and per person
against the province's average for the same type of institution (the 示范单位 criteria), read through
the statistics' read services, in the scheme's bands, the average kept with the inputs."""

from __future__ import annotations

import pytest

from jieneng.assessment import sources, units
from jieneng.directory.models import Organisation
from jieneng.reference.schemes import load_scheme
from jieneng.statistics.models import UnitFigure

pytestmark = pytest.mark.django_db


def _expected(org: Organisation, year: int) -> tuple[float, float]:
    own = UnitFigure.objects.get(organisation=org, year=year)
    peers = UnitFigure.objects.filter(year=year, type_code=own.type_code, region__startswith=own.region[:2])
    kgce = sum(p.kgce for p in peers)
    area = sum(p.area_m2 for p in peers)
    return own.kgce / own.area_m2, kgce / area


def test_a_units_energy_per_m2_is_read_with_the_provinces_average_for_its_type(loaded) -> None:
    school = Organisation.objects.get(name="揭西县实验小学")
    value, peer = _expected(school, 2025)
    found = sources.peer_inputs([school.pk], "kgce_per_m2", 2025)
    inputs, what = found[school.pk]
    assert inputs == {"value": pytest.approx(value, abs=1e-4), "peer": pytest.approx(peer, abs=1e-4)}
    # what was read names the average and the coefficient sets used (id@version)
    assert str(inputs["peer"]) in what and "@" in what
    assert sources.peer_inputs([school.pk], "unknown_ratio", 2025) == {}
    assert sources.peer_inputs([school.pk], "kgce_per_m2", 1990) == {}


def test_an_application_is_scored_in_the_schemes_bands_from_the_statistics(loaded) -> None:
    scheme = load_scheme("demonstration-unit")
    school = Organisation.objects.get(name="揭西县实验小学")
    read, what = units.from_statistics(school, 2025)
    assert {"energy_per_m2_value", "energy_per_m2_peer", "energy_per_person_value"} <= set(read)
    assert what and all("：" in w for w in what)
    hand = {c: item.points for c, kind, item in scheme.inputs() if kind not in ("value", "peer", "certified")}
    application = units.apply(school, year=2025, level="city", kind="saving", inputs=hand)
    assert application.inputs["energy_per_m2_peer"] == read["energy_per_m2_peer"]
    ratio = read["energy_per_m2_value"] / read["energy_per_m2_peer"]
    band = next(
        b
        for b in scheme.items["energy_per_m2"].bands
        if (ratio > b.low or b.low <= 0) and (b.high is None or ratio <= b.high)
    )
    assert application.total is not None and application.total >= band.points
    assert application.scheme == "demonstration-unit@2020.1"
