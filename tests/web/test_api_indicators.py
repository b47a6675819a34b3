"""The figures endpoints: a region's overview equals the overview service (and the hand-computed city
figures of conftest.py), problems answer 400 with the message, and a unit's yearly sums."""

from typing import Any

import pytest
from django.utils import translation

from jieneng.accounts.models import ApiToken
from jieneng.accounts.roles import CAPABILITIES
from jieneng.dashboard.services import overview
from jieneng.statistics.models import UnitFigure

pytestmark = pytest.mark.django_db
INDICATORS = ("tce", "kgce_per_person", "kgce_per_m2", "kgce_per_m2_excl_vehicle", "water_per_person", "cost")


def bearer(user, capabilities=CAPABILITIES) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "测试", list(capabilities))
    return {"Authorization": f"Bearer {secret}"}


def zh(text: str, **params) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text) % params


def assert_figures(data: dict[str, Any], expected) -> None:
    assert data["region"]["code"] == expected.region.code
    assert (data["own"], data["units"], data["persons"], data["area_m2"]) == (
        expected.own, expected.units, expected.persons, expected.area_m2,
    )  # fmt: skip
    for name in INDICATORS:
        figure = getattr(expected, name)
        for part in ("value", "previous", "base", "yoy", "vs_base"):
            assert data[name][part] == pytest.approx(getattr(figure, part), nan_ok=True), (name, part)


def test_the_city_in_2025_equals_the_overview_service(client, people):
    response = client.get("/api/v1/indicators/445200", {"year": 2025}, headers=bearer(people.viewer))
    assert response.status_code == 200
    data, expected = response.json(), overview("445200", 2025)
    assert (data["year"], data["previous_year"], data["base_year"]) == (2025, 2024, 2020)
    assert data["years"] == [2020, 2024, 2025, 2026] and data["months"] == 12
    assert [a["code"] for a in data["ancestors"]] == ["440000"]
    assert_figures(data["totals"], expected.totals)
    # by hand (conftest.py): 124,782.7992 kgce; / 850 persons; / 40,500 m²; 48,000 m³ / 850; −20 % on 2024
    totals = data["totals"]
    assert totals["tce"]["value"] == pytest.approx(124.7827992)
    assert totals["kgce_per_person"]["value"] == pytest.approx(146.80329317647)
    assert totals["kgce_per_m2"]["value"] == pytest.approx(3.08105677037)
    assert totals["water_per_person"]["value"] == pytest.approx(56.4705882353)
    assert totals["tce"]["yoy"] == pytest.approx(-20.0) and totals["tce"]["vs_base"] == pytest.approx(
        -100 / 3
    )
    assert [(c["region"]["code"], c["own"]) for c in data["children"]] == [
        ("445202", False), ("445222", False), ("445224", False), ("445200", True),
    ]  # fmt: skip
    for child, wanted in zip(data["children"], expected.children, strict=True):
        assert_figures(child, wanted)
    assert [s["code"] for s in data["composition"]] == [s.code for s in expected.composition]
    assert data["composition"][0] == {
        "code": "electricity", "name": "电力", "tce": pytest.approx(119.4588),
        "share": pytest.approx(expected.composition[0].share),
    }  # fmt: skip
    assert data["coefficient_set"] == expected.coefficient_set and data["coefficient_set"].startswith(
        "public-institution@"
    )


def test_the_default_year_and_english_names(client, people):
    headers = {**bearer(people.county_admin), "accept-language": "en"}
    data = client.get("/api/v1/indicators/445202", headers=headers).json()
    assert data["year"] == 2025  # the latest whole year; 2026 has three months
    assert data["totals"]["kgce_per_person"]["value"] == pytest.approx(139.088532)
    assert data["composition"][0]["name"] == "Electricity"


def test_problems_of_the_service_answer_400(client, people):
    headers = bearer(people.city_admin)
    response = client.get("/api/v1/indicators/445200", {"year": 2019}, headers=headers)
    assert response.status_code == 400
    assert response.json()["detail"] == zh(
        "There are no records for %(year)s. Years with records: %(years)s.",
        year=2019,
        years="2020、2024、2025、2026",
    )
    assert response.json()["years"] == [2020, 2024, 2025, 2026]
    empty = client.get("/api/v1/indicators/445224", headers=headers)
    assert empty.status_code == 400
    assert empty.json()["detail"] == zh("No records have been reported for %(region)s yet.", region="惠来县")
    not_a_year = client.get("/api/v1/indicators/445200", {"year": "去年"}, headers=headers)
    assert not_a_year.status_code == 422
    assert not_a_year.json()["errors"] == [
        {"location": "query", "field": "year", "message": zh("Enter a whole number.")}
    ]


def test_indicators_outside_the_place_do_not_exist(client, people):
    for who, code in (("county_admin", "445200"), ("county_admin", "445222"), ("reporter", "445202"),
                      ("check_team", "445202"), ("viewer", "440000"), ("nobody", "445200")):  # fmt: skip
        response = client.get(f"/api/v1/indicators/{code}", headers=bearer(getattr(people, who)))
        assert response.status_code == 404, (who, code)
        assert response.json()["detail"] == zh(
            "No region with the code %(code)s is in your place.", code=code
        )


def test_a_units_yearly_figures(client, people):
    org = people.org[2]
    response = client.get(f"/api/v1/units/{org}/figures", headers=bearer(people.reporter))
    assert response.status_code == 200
    rows = response.json()
    assert [r["year"] for r in rows] == [2020, 2024, 2025]
    row = rows[2]
    # 12 × (0.5 万kWh × 10,000 × 0.1229 + 100 m³ natural gas × 1.2143) = 8,831.16 kgce; water 12 × 200 m³
    assert row["kgce"] == pytest.approx(8_831.16) and row["water_m3"] == pytest.approx(2_400)
    assert (row["region_code"], row["type_code"], row["persons"], row["area_m2"], row["months"]) == (
        "445202", "021", 50, 2_000, 12,
    )  # fmt: skip
    stored = UnitFigure.objects.get(organisation_id=org, year=2025)
    assert row["coefficient_set"] == stored.coefficient_set and row["cost"] == stored.cost
    only = client.get(
        f"/api/v1/units/{org}/figures", {"year": 2024}, headers=bearer(people.department)
    ).json()
    assert [r["year"] for r in only] == [2024]


def test_unit_figures_outside_the_place_do_not_exist(client, people):
    for who, index in (("reporter", 3), ("department", 3), ("other_county_admin", 2), ("check_team", 2)):
        org = people.org[index]
        response = client.get(f"/api/v1/units/{org}/figures", headers=bearer(getattr(people, who)))
        assert response.status_code == 404, (who, index)


def test_co2_in_the_indicators_and_the_unit_figures(client, people):
    from jieneng.reference.emissions import load_emission_factor_set

    data = client.get("/api/v1/indicators/445200", {"year": 2025}, headers=bearer(people.viewer)).json()
    expected = overview("445200", 2025)
    for name in ("tco2", "kgco2_per_person", "kgco2_per_m2"):
        figure = getattr(expected.totals, name)
        for part in ("value", "previous", "base", "yoy", "vs_base"):
            assert data["totals"][name][part] == pytest.approx(getattr(figure, part), nan_ok=True), name
    assert data["totals"]["co2_missing"] == 0 and data["totals"]["tco2"]["value"] > 0
    # the base year 2020 precedes the set's first data year (2021): no CO₂ figure, so no change on it
    assert data["totals"]["tco2"]["base"] is None and data["totals"]["tco2"]["vs_base"] is None
    assert data["emission_factors"].startswith("mee-nbs-electricity@") and data["emission_title"]
    assert sum(s["tco2"] or 0 for s in data["co2_composition"]) == pytest.approx(
        data["totals"]["tco2"]["value"]
    )
    assert data["co2_path"]["plan"].startswith("pi-14th-five-year@") and data["co2_path"]["change"] == -7.0
    assert data["co2_path"]["base_value"] is None and data["co2_path"]["years"] == []

    # 榕城区第一中学 in 2025, by hand: 12 × (5,000 kWh × the 南方 grid's 2023 factor — Guangdong has no
    # province factor of 2023 — + 100 m³ natural gas × 389.31 GJ/万m³ × 15.3 tC/TJ × 99 % × 44/12)
    factors = load_emission_factor_set("mee-nbs-electricity")
    grid = factors.electricity_factor(2023, "average", "44", "province")
    assert grid is not None and grid.level == "grid"
    gas = 389.31 / 10_000 * 15.3 / 1_000 * 0.99 * 44 / 12 * 1_000  # [kgCO₂/m³]
    assert factors.fuels["natural_gas"].kgco2 == pytest.approx(gas, rel=1e-6)
    rows = client.get(f"/api/v1/units/{people.org[2]}/figures", headers=bearer(people.reporter)).json()
    by_year = {r["year"]: r for r in rows}
    assert by_year[2025]["kgco2"] == pytest.approx(12 * (5_000 * grid.kgco2 + 100 * gas))
    assert by_year[2025]["co2_problem"] is None
    assert by_year[2025]["emission_factors"] == data["emission_factors"]
    assert by_year[2020]["kgco2"] is None
    assert by_year[2020]["co2_problem"]["code"] == "emission_year_not_covered"
