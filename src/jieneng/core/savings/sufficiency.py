"""Problems that stop or qualify a measured-savings calculation: records with evidence, never exceptions.

Each :class:`Issue` has a stable code, a severity (blocking: nothing is computed; advisory: the result
stands, with the note), an English message template (gettext msgid) and its parameters — the evidence
(days found, days required, the share, the month …). The checks follow CalTRACK 2.0 section 2 with the
thresholds of the method's data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jieneng.core.errors import gettext_noop
from jieneng.core.savings.degree_days import check_celsius
from jieneng.core.savings.method import Method

BLOCKING, ADVISORY = "blocking", "advisory"

TEMPLATES: dict[str, str] = {
    "periods_overlap": gettext_noop(
        "The baseline period %(baseline)s and the reporting period %(reporting)s overlap by %(days)s day(s); "
        "the baseline must end before the reporting period starts."
    ),
    "bad_period": gettext_noop("The period %(period)s ends before it starts."),
    "baseline_after_reporting": gettext_noop(
        "The baseline period %(baseline)s comes after the reporting period %(reporting)s; "
        "the baseline is the time before the retrofit."
    ),
    "baseline_too_short": gettext_noop(
        "The baseline period %(baseline)s has %(days)s day(s); %(method)s needs %(required)s days "
        "immediately before the retrofit."
    ),
    "baseline_trimmed": gettext_noop(
        "The baseline period has %(days)s days; only its last %(required)s days (%(used)s) are used."
    ),
    "baseline_gaps": gettext_noop(
        "Only %(valid)s of the %(days)s baseline days (%(share)s %%) have both use and temperature; "
        "%(method)s needs at least %(required)s %%."
    ),
    "temperature_gaps": gettext_noop(
        "Only %(valid)s of the %(days)s baseline days (%(share)s %%) have a temperature; "
        "%(method)s needs at least %(required)s %%."
    ),
    "month_gaps": gettext_noop(
        "Month %(month)s of the baseline has use and temperature on %(valid)s of %(days)s days "
        "(%(share)s %%, below %(required)s %%)."
    ),
    "negative_use": gettext_noop(
        "%(count)s baseline value(s) of use are negative (first on %(first)s); "
        "net metering cannot be modelled with this method."
    ),
    "temperature_too_high": gettext_noop(
        "The temperatures cannot be daily means in °C: mean %(mean)s, highest %(maximum)s. "
        "If they are in °F, give the temperature unit F."
    ),
    "temperature_too_low": gettext_noop(
        "The temperatures cannot be daily means in °C: lowest %(minimum)s. Check the column and its unit."
    ),
    "looks_fahrenheit": gettext_noop(
        "The temperatures look like °F, not °C: their mean is %(mean)s. Give the temperature unit F, "
        "or convert them to °C."
    ),
    "reporting_empty": gettext_noop(
        "The reporting period %(reporting)s has no day with both use and temperature."
    ),
    "billing_period_excluded": gettext_noop(
        "The billing period %(period)s (%(days)s days) is left out: %(reason)s."
    ),
    "no_model": gettext_noop(
        "No candidate model qualifies for the baseline (every one has a negative coefficient or too few "
        "degree days), so no savings can be computed."
    ),
}

#: reasons a billing period is left out (templates)
REASONS = {
    "too_short": gettext_noop("shorter than %(minimum)s days"),
    "too_long": gettext_noop("longer than %(maximum)s days"),
    "temperature": gettext_noop("temperatures on fewer than %(share)s %% of its days"),
    "no_use": gettext_noop("no use given"),
}


@dataclass(frozen=True, slots=True)
class Issue:
    code: str
    severity: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return TEMPLATES[self.code]

    @property
    def message(self) -> str:
        """English rendering, for logs and JSON."""
        return self.template % self.params

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "evidence": self.params,
        }


def blocking(issues: list[Issue]) -> bool:
    return any(issue.severity == BLOCKING for issue in issues)


def period_text(start: np.datetime64, end: np.datetime64) -> str:
    return f"{start}–{end}"


def check_periods(
    baseline: tuple[np.datetime64, np.datetime64], reporting: tuple[np.datetime64, np.datetime64]
) -> list[Issue]:
    """The two periods are each ordered and do not overlap (the baseline comes first)."""
    issues = []
    for start, end in (baseline, reporting):
        if end < start:
            issues.append(Issue("bad_period", BLOCKING, {"period": period_text(start, end)}))
    if issues:
        return issues
    first = max(baseline[0], reporting[0])
    last = min(baseline[1], reporting[1])
    where = {"baseline": period_text(*baseline), "reporting": period_text(*reporting)}
    if last >= first:
        overlap = int((last - first).astype(int)) + 1
        issues.append(Issue("periods_overlap", BLOCKING, {**where, "days": overlap}))
    elif baseline[0] > reporting[1]:
        issues.append(Issue("baseline_after_reporting", BLOCKING, where))
    return issues


def check_temperature(temperature: NDArray[np.float64], method: Method) -> list[Issue]:
    """Whether the series can be daily mean temperatures in °C (limits from the method's data)."""
    limits = method.temperature
    result = check_celsius(
        temperature,
        max_mean=limits["maximum_mean_c"],
        max_daily=limits["maximum_daily_c"],
        min_daily=limits["minimum_daily_c"],
        fahrenheit_mean=limits["fahrenheit_mean_c"],
    )
    if result.code is None:
        return []
    evidence = {
        "mean": round(result.mean, 2),
        "maximum": round(result.maximum, 2),
        "minimum": round(result.minimum, 2),
    }
    return [Issue(result.code, BLOCKING, evidence)]


def check_baseline_days(
    days: NDArray[np.datetime64],
    valid: NDArray[np.bool_],
    has_temperature: NDArray[np.bool_],
    use: NDArray[np.float64],
    method: Method,
) -> list[Issue]:
    """CalTRACK 2.2.1.2 coverage, per-month coverage and 2.3.5 negative use, on the baseline's days.

    ``days`` is every calendar day of the (trimmed) baseline; ``valid`` marks those with both use and
    temperature (for billing data: the days of the periods kept).
    """
    spec = method.sufficiency
    issues: list[Issue] = []
    total = int(days.size)
    required = float(spec["minimum_coverage"])
    pct = {"method": method.ref, "days": total, "required": round(required * 100, 1)}
    count = int(valid.sum())
    if total and count / total < required:
        issues.append(
            Issue("baseline_gaps", BLOCKING, {**pct, "valid": count, "share": round(100 * count / total, 1)})
        )
    with_t = int(has_temperature.sum())
    if total and with_t / total < required:
        issues.append(
            Issue(
                "temperature_gaps",
                BLOCKING,
                {**pct, "valid": with_t, "share": round(100 * with_t / total, 1)},
            )
        )
    month_required = float(spec["minimum_month_coverage"])
    months = days.astype("datetime64[M]")
    labels, inverse = np.unique(months, return_inverse=True)
    per_month = np.bincount(inverse, minlength=labels.size)
    valid_month = np.bincount(inverse, weights=valid.astype(np.float64), minlength=labels.size)
    for label, size, good in zip(labels, per_month, valid_month, strict=True):
        if good / size < month_required:
            issues.append(
                Issue(
                    "month_gaps",
                    str(spec["month_coverage_severity"]),
                    {
                        "month": str(label),
                        "valid": int(good),
                        "days": int(size),
                        "share": round(100 * good / size, 1),
                        "required": round(month_required * 100, 1),
                    },
                )
            )
    negative = np.flatnonzero(np.isfinite(use) & (use < 0))
    if negative.size:
        issues.append(
            Issue(
                "negative_use",
                str(spec["negative_use_severity"]),
                {
                    "count": int(negative.size),
                    "first": str(days[negative[0]]) if negative[0] < days.size else "",
                },
            )
        )
    return issues
