"""Bad input for measured savings: each a blocking problem with its evidence, and no figures.

The series are written at test time (a year of temperatures and a constant-plus-HDD use).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from jieneng.core.problems import Family, Severity, declarations, problem_type
from jieneng.core.savings.measure import measure_billing, measure_daily
from jieneng.core.savings.sufficiency import ADVISORY, BLOCKING, REASONS, Issue
from jieneng.reference.savings import load_method

DAILY = load_method("daily")
BILLING = load_method("billing")
ONE = np.timedelta64(1, "D")
FIRST = np.datetime64("2023-01-01")


def series(days: int = 730) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    d = np.arange(days)
    t = 12.0 - 15.0 * np.cos(2 * np.pi * d / 365.0) + rng.normal(0.0, 3.0, days)
    use = 10.0 + 1.2 * np.maximum(15.0 - t, 0.0) + rng.normal(0.0, 0.5, days)
    return FIRST + d * ONE, use, t


def codes(result: object) -> dict[str, str]:
    return {i.code: i.severity for i in result.issues}  # type: ignore[attr-defined]


BASELINE = (FIRST, FIRST + 364 * ONE)
REPORTING = (FIRST + 365 * ONE, FIRST + 729 * ONE)


def test_good_data_has_no_problem() -> None:
    days, use, t = series()
    result = measure_daily(days, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert result.ok and result.issues == []


def test_a_baseline_shorter_than_365_days_is_refused() -> None:
    days, use, t = series()
    result = measure_daily(
        days, use, t, baseline=(FIRST + 10 * ONE, FIRST + 364 * ONE), reporting=REPORTING, method=DAILY
    )
    assert codes(result) == {"baseline_too_short": BLOCKING}
    assert result.savings is None and result.model is None
    issue = result.issues[0]
    assert issue.params["days"] == 355 and issue.params["required"] == 365
    assert "355 day(s)" in issue.message and "365 days" in issue.message


def test_a_longer_baseline_keeps_its_last_365_days() -> None:
    days, use, t = series(800)
    result = measure_daily(
        days,
        use,
        t,
        baseline=(FIRST, FIRST + 434 * ONE),
        reporting=(FIRST + 435 * ONE, FIRST + 799 * ONE),
        method=DAILY,
    )
    assert codes(result) == {"baseline_trimmed": ADVISORY}
    assert result.ok and result.baseline == (FIRST + 70 * ONE, FIRST + 434 * ONE)


def test_gaps_over_ten_percent_are_refused_with_the_count() -> None:
    days, use, t = series()
    use[:40] = np.nan  # 325 of 365 days left: 89.0 % < 90 %
    result = measure_daily(days, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert codes(result)["baseline_gaps"] == BLOCKING
    gaps = next(i for i in result.issues if i.code == "baseline_gaps")
    assert gaps.params["valid"] == 325 and gaps.params["share"] == 89.0
    assert result.savings is None


def test_gaps_within_ten_percent_pass_but_a_thin_month_is_noted() -> None:
    days, use, t = series()
    use[:30] = np.nan  # 335 of 365 (91.8 %) pass; January has 1 of 31 days
    result = measure_daily(days, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert result.ok
    month = next(i for i in result.issues if i.code == "month_gaps")
    assert month.severity == ADVISORY and month.params["month"] == "2023-01" and month.params["valid"] == 1


def test_missing_temperatures_are_counted_apart() -> None:
    days, use, t = series()
    t[100:150] = np.nan
    result = measure_daily(days, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert codes(result)["temperature_gaps"] == BLOCKING


@pytest.mark.parametrize(
    ("transform", "code"),
    [
        (lambda t: t * 1.8 + 32.0, "looks_fahrenheit"),  # mean 53.6: a °F series
        (lambda t: t + 200.0, "temperature_too_high"),  # mean 212: neither °C nor °F air
        (lambda t: t - 90.0, "temperature_too_low"),
    ],
)
def test_temperatures_that_cannot_be_celsius_are_refused(transform: object, code: str) -> None:
    days, use, t = series()
    result = measure_daily(days, use, transform(t), baseline=BASELINE, reporting=REPORTING, method=DAILY)  # type: ignore[operator]
    assert codes(result) == {code: BLOCKING}
    assert result.savings is None
    assert {"mean", "maximum", "minimum"} <= set(result.issues[0].params)


def test_an_overlapping_reporting_period_is_refused() -> None:
    days, use, t = series()
    result = measure_daily(
        days, use, t, baseline=BASELINE, reporting=(FIRST + 300 * ONE, FIRST + 729 * ONE), method=DAILY
    )
    assert codes(result) == {"periods_overlap": BLOCKING}
    assert result.issues[0].params["days"] == 65
    assert result.savings is None


def test_a_baseline_after_the_reporting_period_is_refused() -> None:
    days, use, t = series()
    result = measure_daily(days, use, t, baseline=REPORTING, reporting=BASELINE, method=DAILY)
    assert codes(result) == {"baseline_after_reporting": BLOCKING}


def test_a_reversed_period_is_refused() -> None:
    days, use, t = series()
    result = measure_daily(
        days, use, t, baseline=BASELINE, reporting=(FIRST + 729 * ONE, FIRST + 400 * ONE), method=DAILY
    )
    assert codes(result) == {"period_reversed": BLOCKING}


def test_negative_use_is_refused() -> None:
    days, use, t = series()
    use[5] = -3.0
    result = measure_daily(days, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert codes(result)["negative_use"] == BLOCKING
    assert next(i for i in result.issues if i.code == "negative_use").params["first"] == "2023-01-06"


def test_an_empty_reporting_period_is_refused() -> None:
    days, use, t = series()
    use[365:] = np.nan
    result = measure_daily(days, use, t, baseline=BASELINE, reporting=REPORTING, method=DAILY)
    assert "reporting_empty" in codes(result) and result.savings is None


def test_billing_periods_of_the_wrong_length_are_left_out_and_counted() -> None:
    days, use, t = series()
    months = np.arange(np.datetime64("2023-01"), np.datetime64("2025-01"))
    starts = months.astype("datetime64[D]")
    ends = (months + 1).astype("datetime64[D]") - ONE
    starts, ends = np.delete(starts, 3), np.delete(ends, 2)  # March and April billed together: 61 days
    first = (starts - FIRST).astype(int)
    last = (ends.astype("datetime64[D]") - FIRST).astype(int)  # ends: days (the stubs say durations)
    bill = np.array([use[a : b + 1].sum() for a, b in zip(first, last, strict=True)])
    result = measure_billing(
        starts, ends, bill, days, t, baseline=BASELINE, reporting=REPORTING, method=BILLING
    )
    excluded = [i for i in result.issues if i.code == "billing_period_excluded"]
    assert len(excluded) == 1 and excluded[0].params["days"] == 61
    assert "longer than 35 days" in excluded[0].message
    # 304 of 365 days remain (83.3 %): below CalTRACK's 90 %, so nothing is computed
    assert codes(result)["baseline_gaps"] == BLOCKING and result.savings is None


SOURCES = Path(__file__).parents[3] / "src" / "jieneng"


def test_every_code_the_savings_core_makes_is_declared_in_its_family() -> None:
    made = set()
    for path in [*(SOURCES / "core" / "savings").glob("*.py")]:
        made |= set(re.findall(r'(?:Issue|Reason)\.make\(\s*"(\w+)"', path.read_text(encoding="utf-8")))
    made |= {"temperature_too_high", "temperature_too_low", "looks_fahrenheit"}  # check_celsius's codes
    assert {"period_reversed", "no_model", "eligible", "provincial_rate_too_low"} <= made
    for code in made:
        assert problem_type(code).family in (Family.SAVINGS, Family.SUBSIDY), code
    # the cell problem bad_period keeps its meaning; the savings one has its own code
    assert problem_type("bad_period").family == Family.CELL
    declared = {d.code for d in declarations() if d.family in (Family.SAVINGS, Family.SUBSIDY)}
    assert declared - made == {"bad_lamp_class", "bad_contract_term"}  # the errors of Option A and contracts


def test_an_issue_takes_its_template_and_severity_from_the_declaration() -> None:
    issue = Issue.make("baseline_trimmed", days=400, required=365, used="2023-02-05–2024-02-04")
    assert issue.template == problem_type("baseline_trimmed").template
    assert issue.severity is Severity.ADVISORY
    assert issue.as_dict() == {
        "code": "baseline_trimmed",
        "severity": "advisory",
        "message": "The baseline period has 400 days; only its last 365 days (2023-02-05–2024-02-04) "
        "are used.",
        "evidence": {"days": 400, "required": 365, "used": "2023-02-05–2024-02-04"},
    }
    with pytest.raises(TypeError, match="no parameter"):
        Issue.make("no_model", days=3)
    with pytest.raises(TypeError, match="needs the parameter"):
        Issue.make("period_reversed")
    with pytest.raises(KeyError):
        Issue.make("bad_period", value="x")  # a cell problem, not a savings one


def test_the_method_data_set_the_severity_of_month_gaps_and_negative_use() -> None:
    evidence: dict[str, Any] = {"count": 1, "first": "2023-01-06"}
    assert problem_type("negative_use").severity == BLOCKING
    assert Issue.make("negative_use", data=DAILY.sufficiency, **evidence).severity == BLOCKING
    relaxed = {**DAILY.sufficiency, "negative_use_severity": "advisory"}
    assert Issue.make("negative_use", data=relaxed, **evidence).severity == ADVISORY
    with pytest.raises(TypeError, match="negative_use_severity"):
        Issue.make("negative_use", **evidence)
    strict = {**DAILY.sufficiency, "month_coverage_severity": "blocking"}
    month: dict[str, Any] = {"month": "2023-01", "valid": 1, "days": 31, "share": 3.2, "required": 90.0}
    assert Issue.make("month_gaps", data=strict, **month).severity == BLOCKING
    with pytest.raises(ValueError):
        Issue.make("month_gaps", data={"month_coverage_severity": "fatal"}, **month)


def test_a_bill_left_out_keeps_its_reason_as_a_phrase() -> None:
    issue = Issue.make(
        "billing_period_excluded",
        period="2023-03-01–2023-04-30",
        days=61,
        phrases={"reason": (REASONS["too_long"], {"maximum": 35})},
    )
    assert issue.params["reason"] == "longer than 35 days"
    assert issue.phrases == {"reason": (REASONS["too_long"], {"maximum": 35})}
    assert issue.message.endswith("is left out: longer than 35 days.")
