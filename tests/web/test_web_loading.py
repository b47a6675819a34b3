"""Loading the demo frames (idempotent) and reading them back as frames for the core."""

import polars as pl
import pytest

from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.directory.services import load_facts, load_regions, region_tree, top_region_code
from jieneng.reporting.services import load_demo
from jieneng.statistics.models import EnergyRecord
from jieneng.statistics.records import facts_frame, months_reported, records_frame
from jieneng.web.settings import database_from_url


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Region, Organisation, OrganisationYear, EnergyRecord))


@pytest.mark.django_db
def test_load_stores_every_row(loaded):
    # 5 regions, 7 organisations, 7 × 4 years of facts,
    # records: (3+3+2+3+2+3+2 = 18 series) × 12 months × 3 years + 3 months of 2026 = 651
    assert counts() == (5, 7, 28, 651)
    school = Organisation.objects.get(credit_code="124452021000000243")
    assert school.supervisor.name == "榕城区机关事务服务中心"
    assert school.region.code == "445202"
    assert school.get_type_code_display() == "教育"
    county = Region.objects.get(code="445222")
    assert (county.parent.code, county.level, str(county.valid_from)) == ("445200", 3, "1991-12-01")


@pytest.mark.django_db
def test_loading_twice_changes_nothing(loaded):
    before = counts()
    snapshot = list(EnergyRecord.objects.order_by("pk").values_list("pk", "quantity", "cost"))
    facts = list(OrganisationYear.objects.order_by("pk").values())
    assert load_demo(loaded, progress=lambda _message: None)["records"] == 651
    assert counts() == before
    assert list(EnergyRecord.objects.order_by("pk").values_list("pk", "quantity", "cost")) == snapshot
    assert list(OrganisationYear.objects.order_by("pk").values()) == facts
    assert load_regions(loaded.regions) == 0
    stored = dict(Organisation.objects.values_list("credit_code", "pk"))
    org_ids = {org: stored[code] for org, code, *_ in loaded.organisations.iter_rows()}
    assert load_facts(loaded.facts, org_ids) == 0


@pytest.mark.django_db
def test_a_changed_fact_is_updated_in_its_year_only(loaded):
    org = Organisation.objects.get(credit_code="11445202100000016B")
    changed = pl.DataFrame(
        {"org": [org.pk], "year": [2025], "area_m2": [5_500.0], "persons": [110], "vehicles": [2]}
    )
    assert load_facts(changed) == 1
    assert dict(org.years.values_list("year", "persons")) == {2020: 100, 2024: 80, 2025: 110, 2026: 100}


@pytest.mark.django_db
def test_region_tree_and_top_region(loaded):
    tree = region_tree("445200")
    assert tree.rows() == [
        ("445200", "揭阳市", 2, None),
        ("445202", "榕城区", 3, "445200"),
        ("445222", "揭西县", 3, "445200"),
        ("445224", "惠来县", 3, "445200"),
    ]
    assert top_region_code() == "445200"  # the deepest region holding every organisation


@pytest.mark.django_db
def test_records_frame_sums_months_per_unit_of_measure(loaded):
    frame = records_frame("445202", [2025])
    assert frame.columns == ["org", "region", "year", "energy_type", "quantity", "unit", "cost"]
    assert frame.schema["quantity"] == pl.Float64 and frame.schema["cost"] == pl.Float64
    assert frame.height == 8  # 3 + 3 + 2 series of 榕城区's organisations
    by_key = {(r["energy_type"], r["unit"], r["quantity"], r["cost"]) for r in frame.iter_rows(named=True)}
    assert ("electricity", "kWh", 120_000.0, 96_000.0) in by_key  # 10,000 kWh × 12 months at 0.8 元
    assert ("electricity", "kWh", 60_000.0, 48_000.0) in by_key  # 0.5 万kWh × 12, stored in the form's kWh
    assert ("gasoline", "L", 1_200.0, 12_000.0) in by_key  # 100 L × 12
    whole = records_frame("445200", [2024, 2025])
    assert whole.height == 36  # 18 series in each of two years
    assert whole.filter(pl.col("year") == 2024)["region"].unique().sort().to_list() == [
        "445200",
        "445202",
        "445222",
    ]
    assert records_frame("445224", [2025]).height == 0


@pytest.mark.django_db
def test_facts_frame_and_months(loaded):
    facts = facts_frame("445222", [2020, 2025])
    assert facts.height == 6
    assert facts.filter(pl.col("year") == 2020)["persons"].sum() == 250 + 40 + 10
    assert facts.filter(pl.col("year") == 2025)["area_m2"].sum() == 12_500.0
    assert months_reported("445200") == {
        2020: (12, 1, 12),
        2024: (12, 1, 12),
        2025: (12, 1, 12),
        2026: (3, 1, 3),
    }
    assert months_reported("445222") == {2020: (12, 1, 12), 2024: (12, 1, 12), 2025: (12, 1, 12)}


def test_database_urls():
    sqlite = database_from_url("sqlite:///srv/jieneng/db.sqlite3")
    assert str(sqlite["NAME"]) == "/srv/jieneng/db.sqlite3"
    assert sqlite["OPTIONS"]["init_command"] == "PRAGMA journal_mode=WAL;"
    pg = database_from_url("postgresql://jn:p%40ss@db.example:5433/jieneng")
    assert (pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "jieneng",
        "jn",
        "p@ss",
        "db.example",
        "5433",
    )
    assert pg["TEST"]["NAME"] == "test_jieneng"
    with pytest.raises(ValueError, match="scheme"):
        database_from_url("mysql://x/y")
