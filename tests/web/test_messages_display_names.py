"""Every problem code, rendered with the parameters its producers give, names items, units and
periods by their display names: no internal code (energy type id, frequency id, unit symbol) in
the Chinese text."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from jieneng import i18n
from jieneng.core.problems import Family, Problem, declarations
from jieneng.reference import load_energy_types, load_forms

FORM = load_forms()["pi-energy"]
ITEM = FORM.items["natural_gas"] if "natural_gas" in FORM.items else next(iter(FORM.items.values()))

#: what the producers put in each parameter (codes where they put codes), by parameter name
REALISTIC = {
    "label": ITEM.code,
    "item_zh": ITEM.zh,
    "item_en": ITEM.en,
    "item": ITEM.code,
    "energy": "gasoline",
    "unit": "m3",
    "expected": "kWh",
    "frequency": "month",
    "frequencies": "month, quarter, year",
    "allowed": "quarter, year",
    "period": "2026-09",
    "other": "2026Q3",
    "last_period": "2025-09",
    "year": "2026",
    "years": "2019–2026",
    "months": "1, 2, 3",
    "latest": "2026-11",
    "value": "12.5",
    "org": "91110108MA01ABCD2X",
}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _params(declared):
    return {name: REALISTIC.get(name, "3") for name in declared.params}


#: the command line's problems name the option values the user types (``--by month``)
SHOWN = [d for d in declarations() if d.family != Family.COMMAND]


@pytest.mark.parametrize("declared", SHOWN, ids=lambda d: f"{d.code}-{d.__name__}")
def test_no_internal_code_in_the_chinese_message(declared):
    params = _params(declared)
    problem = Problem(declared.code, 7, "数量", "12.5", declared.template, params, declared.severity)
    codes = i18n.internal_codes()
    with translation.override("zh-hans"):
        chinese = i18n.describe(problem)
    with translation.override("en"):
        english = i18n.describe(problem)
    leaked = set(_WORD.findall(chinese)) & codes
    assert not leaked, f"{declared.code}: {sorted(leaked)} in “{chinese}”"
    assert english != chinese
    if "label" in declared.placeholders:
        assert ITEM.zh in chinese and ITEM.en in english


def test_the_reported_cases_read_with_display_names():
    negative = Problem.make(
        "negative_quantity", value="-3", label="electricity", item_zh="电力", item_en="Electricity"
    )
    with translation.override("zh-hans"):
        assert "电力为负数" in i18n.render(negative)
        outside = Problem.make(
            "period_outside_form",
            period="2031-01",
            reason="future",
            form=FORM.zh,
            years="2019–2026",
            frequencies="month, quarter, year",
            latest="2026-11",
        )
        text = i18n.render(outside)
    assert "month" not in text and "按月" in text and "按年" in text
    with translation.override("en"):
        assert "monthly, quarterly, yearly" in i18n.render(outside)


def test_every_energy_type_has_a_display_name_in_both_languages():
    codes = i18n.internal_codes()
    for code, energy in load_energy_types().types.items():
        assert code in codes
        with translation.override("zh-hans"):
            assert i18n.display_params({"energy": code})["energy"] == energy.zh
        with translation.override("en"):
            assert i18n.display_params({"energy": code})["energy"] == energy.en
