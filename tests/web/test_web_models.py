"""Models of the registry and the record store: credit codes, validity of regions, yearly facts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.statistics.models import EnergyRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def county() -> Region:
    city = Region.objects.create(code="445200", name="揭阳市", level=2, valid_from=date(1991, 12, 1))
    return Region.objects.create(
        code="445202", name="榕城区", level=3, parent=city, valid_from=date(1991, 12, 1)
    )


def organisation(region: Region, credit_code: str = "11445202100000016B") -> Organisation:
    return Organisation(credit_code=credit_code, name="榕城区机关事务服务中心", type_code="01", region=region)


def test_a_valid_credit_code_passes(county):
    organisation(county).full_clean()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("11445202100000016C", "校验码"),  # last character changed
        ("1144520210000001", "18"),  # too short
        ("1144520210000001OB", "字符"),  # O is not allowed
    ],
)
def test_a_bad_credit_code_is_refused_in_chinese(county, code, words):
    with pytest.raises(ValidationError) as caught:
        organisation(county, code).full_clean()
    assert words in " ".join(caught.value.message_dict["credit_code"])


def test_credit_code_is_unique(county):
    organisation(county).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation(county).save()


def test_type_labels_are_chinese_by_default(county):
    org = organisation(county)
    org.type_code = "024"
    assert org.get_type_code_display() == "卫生"


def test_facts_are_kept_per_year_and_unique(county):
    org = organisation(county)
    org.save()
    OrganisationYear.objects.create(organisation=org, year=2024, building_area_m2=Decimal("5000"), persons=80)
    OrganisationYear.objects.create(
        organisation=org, year=2025, building_area_m2=Decimal("5200"), persons=100
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationYear.objects.create(organisation=org, year=2025, building_area_m2=Decimal("1"), persons=1)
    years = dict(org.years.values_list("year", "persons"))
    assert years == {2024: 80, 2025: 100}


def test_a_reused_code_has_one_row_per_validity_span():
    old = Region.objects.create(
        code="445221", name="揭东县", level=3, valid_from=date(1991, 12, 1), valid_to=date(2011, 11, 30)
    )
    new = Region.objects.create(code="445221", name="新设区", level=3, valid_from=date(2011, 12, 1))
    assert list(Region.objects.valid_on(date(2000, 1, 1)).filter(code="445221")) == [old]
    assert list(Region.objects.valid_on(date(2011, 11, 30)).filter(code="445221")) == [old]
    assert list(Region.objects.valid_on(date(2011, 12, 1)).filter(code="445221")) == [new]
    assert list(Region.objects.current().filter(code="445221")) == [new]
    assert old.valid_on(date(2000, 1, 1)) and not new.valid_on(date(2000, 1, 1))


def test_code_and_valid_from_are_unique_and_dates_ordered():
    Region.objects.create(code="445224", name="惠来县", level=3, valid_from=date(1991, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="445224", name="惠来县", level=3, valid_from=date(1991, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(
            code="445281", name="普宁市", level=3, valid_from=date(1995, 12, 1), valid_to=date(1990, 1, 1)
        )


def test_one_record_per_organisation_month_and_energy_type(county):
    org = organisation(county)
    org.save()
    values = {"organisation": org, "year": 2025, "month": 1, "energy_type": "electricity", "unit": "kWh"}
    EnergyRecord.objects.create(quantity=Decimal("10000.5"), cost=Decimal("8000.40"), **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnergyRecord.objects.create(quantity=Decimal("1"), **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnergyRecord.objects.create(quantity=Decimal("1"), **{**values, "month": 13})
