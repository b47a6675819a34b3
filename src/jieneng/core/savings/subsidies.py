"""Subsidy rules as data: who qualifies, why not, and how much (e.g. 财建〔2010〕249号).

A rule (``reference/data/subsidies/<id>.toml``) names the contract types it supports, the band of annual
savings [tce] a project must fall in (inclusive lower bound, exclusive upper bound; a higher lower bound
for industrial projects), the central rate [元/tce] and the provinces' minimum rate, with each province's
own rate as a parameter. :func:`assess` gives each project's eligibility with its reasons and the
amount as Decimal; the result records the rule's id@version. Every reason code is declared once in
:mod:`jieneng.core.problems.savings` (family SUBSIDY) with its English gettext template and severity: a
blocking reason means no subsidy, an advisory one is a note on a subsidy that stands (``eligible``
itself is the verdict).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jieneng.core.errors import ReferenceDataError
from jieneng.core.problems import Severity, problem_type
from jieneng.core.problems.savings import SubsidyReason

CENT = Decimal("0.01")


@dataclass(frozen=True)
class SubsidyRule:
    id: str
    version: str
    title: str
    source: str
    contract_types: tuple[str, ...]
    central_rate: Decimal  # 元/tce
    minimum_provincial_rate: Decimal
    provincial_rates: Mapping[str, Decimal]  # by province code (GB/T 2260, two digits)
    minimum_tce: Decimal  # inclusive
    maximum_tce: Decimal  # exclusive
    minimum_tce_industrial: Decimal  # inclusive

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SubsidyRule:
        ident = str(data.get("id", "?"))
        try:
            rates = {str(k): Decimal(str(v["rate"])) for k, v in data.get("provincial_rates", {}).items()}
            rule = cls(
                id=ident,
                version=str(data["version"]),
                title=str(data.get("title", "")),
                source=str(data.get("source", "")),
                contract_types=tuple(data["contract_types"]),
                central_rate=Decimal(str(data["central_rate"])),
                minimum_provincial_rate=Decimal(str(data["minimum_provincial_rate"])),
                provincial_rates=rates,
                minimum_tce=Decimal(str(data["minimum_tce"])),
                maximum_tce=Decimal(str(data["maximum_tce"])),
                minimum_tce_industrial=Decimal(str(data["minimum_tce_industrial"])),
            )
        except KeyError as exc:
            raise ReferenceDataError(table=ident, problem=f"the key “{exc.args[0]}” is missing") from exc
        low = [code for code, rate in rates.items() if rate < rule.minimum_provincial_rate]
        if low:
            raise ReferenceDataError(
                table=ident, problem=f"provincial rate below the minimum for {', '.join(low)}"
            )
        return rule


def subsidy_reason(code: str) -> type[SubsidyReason]:
    """The declaration of a reason ``code``; a code of another family raises ``KeyError``."""
    declared = problem_type(code)
    if not issubclass(declared, SubsidyReason):
        raise KeyError(f"{code!r} is not a subsidy reason")
    return declared


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason of an assessment: a declared code and its parameters (made by :meth:`make`)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def make(cls, code: str, **params: Any) -> Reason:
        """A reason of the declared ``code``; a parameter it does not declare, or one its template
        needs and is not given, raises ``TypeError``."""
        declared = subsidy_reason(code)
        unknown = params.keys() - set(declared.params)
        if unknown:
            raise TypeError(f"{code} has no parameter {', '.join(sorted(unknown))}")
        missing = declared.placeholders - params.keys()
        if missing:
            raise TypeError(f"{code} needs the parameter {', '.join(sorted(missing))}")
        return cls(code, params)

    @property
    def declaration(self) -> type[SubsidyReason]:
        return subsidy_reason(self.code)

    @property
    def template(self) -> str:
        return self.declaration.template

    @property
    def severity(self) -> Severity:
        return self.declaration.severity

    @property
    def message(self) -> str:
        return self.template % self.params


@dataclass(frozen=True)
class SubsidyAssessment:
    rule: str  # id@version
    eligible: bool
    reasons: list[Reason]
    central: Decimal
    provincial: Decimal
    amount: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "eligible": self.eligible,
            "reasons": [{"code": r.code, "message": r.message, "params": r.params} for r in self.reasons],
            "central_yuan": str(self.central),
            "provincial_yuan": str(self.provincial),
            "amount_yuan": str(self.amount),
        }


def assess(
    rule: SubsidyRule,
    *,
    annual_tce: Decimal | float | str,
    contract_type: str,
    industrial: bool = False,
    province: str | None = None,
    provincial_rate: Decimal | str | None = None,
) -> SubsidyAssessment:
    """A project's eligibility under ``rule`` with every reason, and the subsidy if eligible.

    The provincial rate is ``provincial_rate`` if given, else the rule's rate for ``province``, else the
    rule's minimum; a rate below the minimum is raised to it (and said so).
    """
    tce = Decimal(str(annual_tce))
    reasons: list[Reason] = []
    if contract_type not in rule.contract_types:
        reasons.append(
            Reason.make(
                "contract_type",
                rule=rule.ref,
                supported=", ".join(rule.contract_types),
                contract=contract_type,
            )
        )
    if tce < rule.minimum_tce:
        reasons.append(Reason.make("below_minimum", tce=tce, minimum=rule.minimum_tce))
    elif industrial and tce < rule.minimum_tce_industrial:
        reasons.append(Reason.make("industrial_below_minimum", tce=tce, minimum=rule.minimum_tce_industrial))
    if tce >= rule.maximum_tce:
        reasons.append(Reason.make("above_maximum", tce=tce, maximum=rule.maximum_tce))
    if provincial_rate is not None:
        rate = Decimal(str(provincial_rate))
    elif province is not None and province[:2] in rule.provincial_rates:
        rate = rule.provincial_rates[province[:2]]
    else:
        rate = rule.minimum_provincial_rate
    notes = []
    if rate < rule.minimum_provincial_rate:
        notes.append(
            Reason.make("provincial_rate_too_low", provincial=rate, minimum=rule.minimum_provincial_rate)
        )
        rate = rule.minimum_provincial_rate
    zero = Decimal("0.00")
    if reasons:
        return SubsidyAssessment(rule.ref, False, reasons + notes, zero, zero, zero)
    central = (tce * rule.central_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    provincial = (tce * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    ok = Reason.make(
        "eligible", tce=tce, rate=rule.central_rate + rate, central=rule.central_rate, provincial=rate
    )
    return SubsidyAssessment(rule.ref, True, [ok, *notes], central, provincial, central + provincial)
