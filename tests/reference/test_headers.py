"""The header names and unit names of the reference data (``jieneng.reference.headers``)."""

from __future__ import annotations

import pytest

from jieneng.core.errors import ReferenceDataError
from jieneng.reference import load_units
from jieneng.reference.headers import load_header_names, load_unit_names


def test_every_reader_finds_its_columns() -> None:
    names = load_header_names()
    assert (names.id, names.version) == ("headers", "2")
    assert set(names.table("form")) == {
        "code",
        "name",
        "period",
        "ignored",
        "explanation",
        "quantity_word",
        "cost_word",
    }
    assert set(names.table("longform")) == {
        "org",
        "period",
        "energy_type",
        "quantity",
        "unit",
        "cost",
        "region",
    }
    assert set(names.table("facts")) == {"year", "area_m2", "persons"}


def test_the_first_name_is_the_one_shown() -> None:
    form = load_header_names().table("form")
    assert [form[role].shown("zh-hans") for role in ("code", "name", "period")] == [
        "统一社会信用代码",
        "单位名称",
        "统计期",
    ]
    assert form["code"].shown("en") == "Unified social credit code"
    assert form["ignored"].shown("en") == "序号"  # no English header of its own
    assert load_header_names().column("longform", "unit").borrow == "单位"


def test_a_missing_table_or_column_names_it() -> None:
    names = load_header_names()
    with pytest.raises(ReferenceDataError, match="no table “survey”"):
        names.table("survey")
    with pytest.raises(ReferenceDataError, match="no column “email” in “form”"):
        names.column("form", "email")


def test_unit_names_are_of_known_units() -> None:
    names = load_unit_names()
    assert names["zh"]["kWh"] == "千瓦时"
    assert names["en"]["m3"] == "m³"
    assert set(names["zh"]) | set(names["en"]) <= set(load_units().units)
