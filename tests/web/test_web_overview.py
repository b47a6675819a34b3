"""The overview service on the hand-made city of conftest.py, against values computed by hand.

Coefficients (public-institution set): electricity 0.1229 kgce/kWh; gasoline 1.4714 kgce/kg × 0.73 kg/L
= 1.074122 kgce/L; natural gas 1.2143 kgce/m³; water and solar PV are not counted in 综合能耗.

2025 (12 × the monthly quantities):
  electricity  榕城区 (120,000 + 60,000 + 24,000) = 204,000 kWh; 揭西县 (240,000 + 36,000 + 12,000) = 288,000;
               市本级 480,000; city 972,000 kWh × 0.1229 = 119,458.8 kgce
  gasoline     榕城区 1,200 L, 揭西县 2,400 L: 3,600 L × 1.074122 = 3,866.8392 kgce
  natural gas  榕城区 1,200 m³ × 1.2143 = 1,457.16 kgce
  city         119,458.8 + 3,866.8392 + 1,457.16 = 124,782.7992 kgce; without vehicle fuel 120,915.96 kgce
  persons      100 + 50 + 50 + 200 + 40 + 10 + 400 = 850; area 5,000 + 2,000 + 1,000 + 10,000 + 2,000 + 500
               + 20,000 = 40,500 m²; water (500 + 200 + 100 + 1,000 + 150 + 50 + 2,000) × 12 = 48,000 m³
2024 = 2025 × 1.25 with 830 persons (org 1 had 80); 2020 = 2025 × 1.5 with 900 persons (org 4 had 250).
"""

import pytest

from jieneng.dashboard.services import NoData, YearNotAvailable, overview
from jieneng.reference.divisions import UnknownDivision

pytestmark = pytest.mark.django_db


def test_city_totals_and_indicators(loaded):
    o = overview("445200")
    assert (o.region.code, o.region.name, o.year, o.base_year) == ("445200", "揭阳市", 2025, 2020)
    assert o.years == (2020, 2024, 2025, 2026)  # 2026 has 3 months, so 2025 is the default year
    assert (o.months, o.first_month, o.last_month) == (12, 1, 12)
    t = o.totals
    assert (t.units, t.persons, t.area_m2) == (7, 850, 40_500)
    assert t.tce.value == pytest.approx(124.7827992)  # 124,782.7992 kgce / 1,000
    assert t.kgce_per_person.value == pytest.approx(146.80329317647)  # 124,782.7992 / 850
    assert t.kgce_per_m2.value == pytest.approx(3.08105677037)  # 124,782.7992 / 40,500
    assert t.kgce_per_m2_excl_vehicle.value == pytest.approx(2.98557925926)  # 120,915.96 / 40,500
    assert t.water_per_person.value == pytest.approx(56.4705882353)  # 48,000 / 850
    # electricity: 81,000 kWh a month × 0.8 元 × 12; the 10 other series × 12 months × 1,000 元 (the form
    # asks no cost for solar generation, org 6's 18th series)
    assert t.cost.value == pytest.approx(81_000 * 0.8 * 12 + 10 * 12 * 1_000.0)


def test_city_changes_on_last_year_and_base_year(loaded):
    t = overview("445200").totals
    assert t.tce.previous == pytest.approx(155.978499)  # × 1.25
    assert t.tce.yoy == pytest.approx(-20.0)  # 1 / 1.25 − 1
    assert t.tce.vs_base == pytest.approx(-100 / 3)  # 1 / 1.5 − 1
    assert t.kgce_per_person.yoy == pytest.approx(-21.8823529412)  # 830 / (850 × 1.25) − 1
    assert t.kgce_per_person.vs_base == pytest.approx(-29.4117647059)  # 900 / (850 × 1.5) − 1
    assert t.kgce_per_m2.yoy == pytest.approx(-20.0)  # same area in both years
    assert t.kgce_per_m2_excl_vehicle.vs_base == pytest.approx(-100 / 3)
    assert t.water_per_person.yoy == pytest.approx(-21.8823529412)


def test_children_and_units_directly_under_the_city(loaded):
    o = overview("445200")
    assert [(c.region.name, c.own, c.units) for c in o.children] == [
        ("榕城区", False, 3),
        ("揭西县", False, 3),
        ("惠来县", False, 0),
        ("揭阳市", True, 1),
    ]
    rongcheng, jiexi, huilai, own = o.children
    # 榕城区: 204,000 × 0.1229 + 1,200 × 1.074122 + 1,457.16 = 27,817.7064 kgce; 200 persons; 8,000 m²
    assert rongcheng.tce.value == pytest.approx(27.8177064)
    assert rongcheng.kgce_per_person.value == pytest.approx(139.088532)
    assert rongcheng.kgce_per_m2.value == pytest.approx(3.4772133)
    assert rongcheng.kgce_per_m2_excl_vehicle.value == pytest.approx(3.316095)  # 26,528.76 / 8,000
    assert rongcheng.water_per_person.value == pytest.approx(48.0)  # 9,600 / 200
    assert rongcheng.kgce_per_person.yoy == pytest.approx(-28.0)  # 180 / (200 × 1.25) − 1
    # 揭西县: 288,000 × 0.1229 + 2,400 × 1.074122 = 37,973.0928 kgce (solar PV not counted); 250 persons
    assert jiexi.tce.value == pytest.approx(37.9730928)
    assert jiexi.kgce_per_person.value == pytest.approx(151.8923712)
    assert jiexi.kgce_per_m2_excl_vehicle.value == pytest.approx(2.831616)  # 35,395.2 / 12,500
    assert jiexi.water_per_person.value == pytest.approx(57.6)  # 14,400 / 250
    assert jiexi.kgce_per_person.vs_base == pytest.approx(-20.0)  # 300 / (250 × 1.5) − 1
    assert huilai.tce.value is None and huilai.kgce_per_person.yoy is None
    # 市本级: 480,000 × 0.1229 = 58,992 kgce; 400 persons; 20,000 m²
    assert own.tce.value == pytest.approx(58.992)
    assert own.kgce_per_person.value == pytest.approx(147.48)
    assert own.kgce_per_m2.value == pytest.approx(2.9496)
    assert rongcheng.tce.value is not None and jiexi.tce.value is not None and own.tce.value is not None
    total = rongcheng.tce.value + jiexi.tce.value + own.tce.value
    assert total == pytest.approx(o.totals.tce.value)


def test_composition_and_provenance(loaded):
    o = overview("445200")
    assert [(s.code, s.zh) for s in o.composition] == [
        ("electricity", "电力"),
        ("gasoline", "汽油"),
        ("natural_gas", "天然气"),
    ]
    electricity, gasoline, gas = o.composition
    assert electricity.tce == pytest.approx(119.4588)
    assert electricity.share == pytest.approx(95.7333869459)  # 119,458.8 / 124,782.7992
    assert gasoline.share == pytest.approx(3.0988559519)  # 3,866.8392 / 124,782.7992
    assert gas.tce == pytest.approx(1.45716)
    assert o.coefficient_set.startswith("public-institution@")
    assert [a.name for a in o.ancestors] == ["广东省"]


def test_top_region_default_and_a_county(loaded):
    assert overview().region.code == "445200"
    county = overview("445202", 2024)
    assert county.children == () and county.year == 2024
    assert county.totals.tce.value == pytest.approx(34.772133)  # 27.8177064 × 1.25
    assert county.totals.tce.yoy is None  # nothing reported for 2023
    assert [a.code for a in county.ancestors] == ["440000", "445200"]


def test_a_partial_year(loaded):
    o = overview("445200", 2026)
    assert (o.months, o.first_month, o.last_month) == (3, 1, 3)
    assert o.totals.tce.value == pytest.approx(3.687)  # 30,000 kWh × 0.1229 = 3,687 kgce


def test_problems(loaded):
    with pytest.raises(UnknownDivision):
        overview("999999")
    with pytest.raises(YearNotAvailable) as caught:
        overview("445200", 1999)
    assert caught.value.years == (2020, 2024, 2025, 2026)
    with pytest.raises(NoData):
        overview("445224")


def test_empty_database():
    with pytest.raises(NoData):
        overview()
