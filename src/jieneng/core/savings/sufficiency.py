"""Problems that stop or qualify a measured-savings calculation: records with evidence, never exceptions.

Every code is declared once in :mod:`jieneng.core.problems.savings` (family SAVINGS), with its severity
(blocking: nothing is computed; advisory: the result stands, with the note), its English message
template (gettext msgid) and its parameters — the evidence (days found, days required, the share, the
month …). An :class:`Issue` takes its template and severity from that declaration; ``month_gaps`` and
``negative_use`` are declared with a default severity and a ``severity_key``, and their records carry
the severity the method's data give (``month_coverage_severity``, ``negative_use_severity``). The checks
follow CalTRACK 2.0 section 2 with the thresholds of the method's data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from jieneng.core.problems import ADVISORY, BLOCKING, Severity, gettext_noop, problem_type
from jieneng.core.problems.savings import SavingsProblem
from jieneng.core.savings.degree_days import check_celsius
from jieneng.core.savings.method import Method

__all__ = [
    "ADVISORY",
    "BLOCKING",
    "REASONS",
    "Issue",
    "blocking",
    "check_baseline_days",
    "check_periods",
    "check_temperature",
    "period_text",
    "savings_problem",
]

#: why a billing period is left out: phrases of the ``reason`` of ``billing_period_excluded`` (templates
#: in their own right, translated when the message is rendered), not problem codes
REASONS = {
    "too_short": gettext_noop("shorter than %(minimum)s days"),
    "too_long": gettext_noop("longer than %(maximum)s days"),
    "temperature": gettext_noop("temperatures on fewer than %(share)s %% of its days"),
    "no_use": gettext_noop("no use given"),
}


def savings_problem(code: str) -> type[SavingsProblem]:
    """The declaration of a measurement ``code``; a code of another family raises ``KeyError``."""
    declared = problem_type(code)
    if not issubclass(declared, SavingsProblem):
        raise KeyError(f"{code!r} is not a savings problem")
    return declared


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem of a measured-savings calculation, made from its declaration by :meth:`make`.

    ``params`` are the evidence (and the template's parameters, in English); ``phrases`` the
    parameters that are messages themselves (the reason a bill is left out): name → (template,
    params), so that a renderer can translate them too.
    """

    code: str
    severity: Severity
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    phrases: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def make(
        cls,
        code: str,
        *,
        data: Mapping[str, Any] | None = None,
        phrases: Mapping[str, tuple[str, Mapping[str, Any]]] | None = None,
        **params: Any,
    ) -> Issue:
        """An issue of the declared ``code`` with its evidence.

        ``data``: the method's ``[sufficiency]`` table, for a code whose severity it sets (the
        declaration's ``severity_key``); ``phrases`` are rendered into the parameters of their names.
        Parameters the code does not declare, or one its template needs and is not given, raise
        ``TypeError``.
        """
        declared = savings_problem(code)
        severity = declared.severity
        if declared.severity_key is not None:
            if data is None:
                raise TypeError(f"{code} takes its severity from the method's {declared.severity_key}")
            severity = Severity(str(data[declared.severity_key]))
        parts = {name: (template, dict(values)) for name, (template, values) in (phrases or {}).items()}
        values = {**params, **{name: template % p for name, (template, p) in parts.items()}}
        declared.check_params(values, values)
        return cls(code, severity, declared.template, values, parts)

    @property
    def declaration(self) -> type[SavingsProblem]:
        return savings_problem(self.code)

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
            issues.append(Issue.make("period_reversed", period=period_text(start, end)))
    if issues:
        return issues
    first = max(baseline[0], reporting[0])
    last = min(baseline[1], reporting[1])
    where: dict[str, Any] = {"baseline": period_text(*baseline), "reporting": period_text(*reporting)}
    if last >= first:
        overlap = int((last - first).astype(int)) + 1
        issues.append(Issue.make("periods_overlap", **where, days=overlap))
    elif baseline[0] > reporting[1]:
        issues.append(Issue.make("baseline_after_reporting", **where))
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
    evidence: dict[str, Any] = {
        "mean": round(result.mean, 2),
        "maximum": round(result.maximum, 2),
        "minimum": round(result.minimum, 2),
    }
    return [Issue.make(result.code, **evidence)]


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
    pct: dict[str, Any] = {"method": method.ref, "days": total, "required": round(required * 100, 1)}
    count = int(valid.sum())
    if total and count / total < required:
        issues.append(Issue.make("baseline_gaps", **pct, valid=count, share=round(100 * count / total, 1)))
    with_t = int(has_temperature.sum())
    if total and with_t / total < required:
        issues.append(
            Issue.make("temperature_gaps", **pct, valid=with_t, share=round(100 * with_t / total, 1))
        )
    month_required = float(spec["minimum_month_coverage"])
    months = days.astype("datetime64[M]")
    labels, inverse = np.unique(months, return_inverse=True)
    per_month = np.bincount(inverse, minlength=labels.size)
    valid_month = np.bincount(inverse, weights=valid.astype(np.float64), minlength=labels.size)
    for label, size, good in zip(labels, per_month, valid_month, strict=True):
        if good / size < month_required:
            issues.append(
                Issue.make(
                    "month_gaps",
                    data=spec,
                    month=str(label),
                    valid=int(good),
                    days=int(size),
                    share=round(100 * good / size, 1),
                    required=round(month_required * 100, 1),
                )
            )
    negative = np.flatnonzero(np.isfinite(use) & (use < 0))
    if negative.size:
        issues.append(
            Issue.make(
                "negative_use",
                data=spec,
                count=int(negative.size),
                first=str(days[negative[0]]) if negative[0] < days.size else "",
            )
        )
    return issues
