"""Option A lighting estimates, contract payments and subsidies, worked by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jieneng.core.problems import ADVISORY, BLOCKING, Family, problem_type
from jieneng.core.savings.contracts import (
    BadContractTerm,
    VerifiedPeriod,
    guaranteed_savings_positions,
    shared_savings_payments,
    totals,
)
from jieneng.core.savings.option_a import BadLampClass, LampClass, lighting_savings
from jieneng.core.savings.subsidies import Reason, assess
from jieneng.reference import load_coefficient_set
from jieneng.reference.savings import load_subsidy_rule

STREET_LIGHTS = [LampClass("高压钠灯 250 W → LED 120 W", 9016, 250.0, 120.0, 4000.0)]


def test_street_lights_at_the_calorific_equivalent() -> None:
    # 9,016 lamps × (250 − 120) W × 4,000 h = 9,016 × 130 × 4,000 Wh = 4,688,320,000 Wh = 4,688,320 kWh;
    # at 0.1229 kgce/kWh (当量值, GB/T 2589): 4,688,320 × 0.1229 = 576,194.528 kgce = 576.194528 tce;
    # at 0.60 元/kWh: 2,812,992.00 元
    result = lighting_savings(STREET_LIGHTS, load_coefficient_set("gbt2589-2008"), "0.60")
    assert result.kwh == pytest.approx(4_688_320.0)
    assert result.tce == pytest.approx(576.194528)
    assert result.money == Decimal("2812992.00")
    assert result.coefficient_set.startswith("gbt2589-2008@")


def test_street_lights_at_the_equal_value() -> None:
    # 等价值 0.31 kgce/kWh: 4,688,320 × 0.31 = 1,453,379.2 kgce = 1,453.3792 tce
    result = lighting_savings(STREET_LIGHTS, load_coefficient_set("electricity-equal-value-031"), "0.60")
    assert result.tce == pytest.approx(1453.3792)
    assert result.kgce_per_kwh == 0.31


def test_a_lamp_class_with_impossible_hours_is_refused() -> None:
    with pytest.raises(BadLampClass):
        lighting_savings([LampClass("x", 10, 100.0, 50.0, 9000.0)], load_coefficient_set(), "0.6")


def test_shared_savings_pays_the_escos_share_of_positive_savings() -> None:
    # 100,000 kWh × 0.60 元 = 60,000.00 元, 80 % to the ESCO = 48,000.00; a period with −5,000 kWh pays 0
    periods = [VerifiedPeriod("2025-01", Decimal("100000")), VerifiedPeriod("2025-02", Decimal("-5000"))]
    rows = shared_savings_payments(periods, "0.8", "0.60")
    assert [r.esco for r in rows] == [Decimal("48000.00"), Decimal("0.00")]
    assert rows[0].client == Decimal("12000.00")
    assert totals(rows)["esco"] == Decimal("48000.00")
    with pytest.raises(BadContractTerm):
        shared_savings_payments(periods, "1.2", "0.60")


def test_guaranteed_savings_shortfall() -> None:
    # guarantee 50,000 kWh a period; verified 42,500 → shortfall 7,500 kWh × 0.65 元 = 4,875.00 元; 55,000 → 0
    periods = [VerifiedPeriod("2025", Decimal("42500")), VerifiedPeriod("2026", Decimal("55000"))]
    rows = guaranteed_savings_positions(periods, "50000", "0.65")
    assert [r.shortfall for r in rows] == [Decimal("7500"), Decimal("0")]
    assert [r.owed for r in rows] == [Decimal("4875.00"), Decimal("0.00")]


RULE = load_subsidy_rule()


def test_the_2010_249_rule_numbers() -> None:
    assert RULE.ref == "caijian-2010-249@1"
    assert (RULE.central_rate, RULE.minimum_provincial_rate) == (Decimal(240), Decimal(60))
    assert (RULE.minimum_tce, RULE.maximum_tce, RULE.minimum_tce_industrial) == tuple(
        Decimal(n) for n in (100, 10000, 500)
    )
    assert RULE.contract_types == ("shared_savings",)


def test_the_street_light_project_earns_240_plus_the_provinces_rate() -> None:
    # 576.194528 tce × 240 = 138,286.69 元 central; × 60 (the minimum) = 34,571.67 元; total 172,858.36 元
    result = assess(RULE, annual_tce="576.194528", contract_type="shared_savings")
    assert result.eligible
    assert (result.central, result.provincial, result.amount) == (
        Decimal("138286.69"),
        Decimal("34571.67"),
        Decimal("172858.36"),
    )
    # 广东 (44) pays 80 元/tce: 576.194528 × 80 = 46,095.56 元
    guangdong = assess(RULE, annual_tce="576.194528", contract_type="shared_savings", province="440100")
    assert guangdong.provincial == Decimal("46095.56")


@pytest.mark.parametrize(
    ("tce", "contract", "industrial", "reasons"),
    [
        ("99.9", "shared_savings", False, ["below_minimum"]),
        ("100", "shared_savings", False, ["eligible"]),  # 100 tce is included (含)
        ("499", "shared_savings", True, ["industrial_below_minimum"]),
        ("500", "shared_savings", True, ["eligible"]),
        ("10000", "shared_savings", False, ["above_maximum"]),  # 10,000 tce is not below 10,000
        ("800", "guaranteed_savings", False, ["contract_type"]),
    ],
)
def test_eligibility_and_its_reasons(tce: str, contract: str, industrial: bool, reasons: list[str]) -> None:
    result = assess(RULE, annual_tce=tce, contract_type=contract, industrial=industrial)
    assert [r.code for r in result.reasons] == reasons
    assert result.eligible == (reasons == ["eligible"])
    if not result.eligible:
        assert result.amount == Decimal("0.00")


def test_a_provincial_rate_below_the_minimum_is_raised_and_said() -> None:
    result = assess(RULE, annual_tce="200", contract_type="shared_savings", provincial_rate="40")
    assert [r.code for r in result.reasons] == ["eligible", "provincial_rate_too_low"]
    assert result.provincial == Decimal("12000.00")


def test_every_reason_is_declared_with_its_verdict() -> None:
    refused = assess(RULE, annual_tce="99.9", contract_type="guaranteed_savings", provincial_rate="40")
    assert [(r.code, r.severity) for r in refused.reasons] == [
        ("contract_type", BLOCKING),
        ("below_minimum", BLOCKING),
        ("provincial_rate_too_low", ADVISORY),
    ]
    granted = assess(RULE, annual_tce="200", contract_type="shared_savings")
    (ok,) = granted.reasons
    assert ok.declaration is problem_type("eligible") and ok.declaration.family == Family.SUBSIDY
    assert ok.severity == ADVISORY and ok.template == problem_type("eligible").template
    assert granted.as_dict()["reasons"] == [
        {
            "code": "eligible",
            "message": "Eligible: 200 tce a year at 300 yuan/tce (240 central + 60 provincial).",
            "params": ok.params,
        }
    ]
    with pytest.raises(TypeError, match="needs the parameter"):
        Reason.make("below_minimum", tce=Decimal(1))
    with pytest.raises(KeyError):
        Reason.make("no_model")  # a savings problem, not a subsidy reason
