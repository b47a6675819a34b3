"""Use cases of the project register: what a user may see, progress, and the figures the core computes
for a project (Option A estimate, Option C savings, subsidy, contract periods), stored with the data
version each used.

:func:`quantity_done` is the read service other domains use for counted-quantity targets: the quantity
done by a date of the projects of a kind in a region and below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from jieneng.accounts.scope import Scope
from jieneng.core.savings import contracts
from jieneng.core.savings.measure import SavingsResult
from jieneng.core.savings.option_a import LampClass as CoreLampClass
from jieneng.core.savings.option_a import electricity_coefficient, lighting_savings
from jieneng.core.savings.subsidies import assess
from jieneng.directory.services import subtree_ids_of
from jieneng.projects.models import (
    ContractPeriod,
    LampClass,
    MeasuredSavings,
    OptionAEstimate,
    ProgressEntry,
    Project,
    SubsidyDecision,
)
from jieneng.reference import load_coefficient_set
from jieneng.reference.savings import DEFAULT_SUBSIDY_RULE, load_subsidy_rule

PERCENT = Decimal("0.1")


def visible(scope: Scope, capability: str = "view") -> QuerySet[Project]:
    """The projects of the regions and organisations the user's ``capability`` covers."""
    regions = scope.region_ids(capability)
    base = Project.objects.select_related("region", "owner")
    if regions is None:
        return base.all()
    orgs = scope.organisation_ids(capability)
    return base.filter(Q(region_id__in=regions) | Q(owner_id__in=orgs))


@dataclass(frozen=True)
class Progress:
    on: date | None
    done: Decimal
    planned: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.planned:
            return None
        return (self.done / self.planned * 100).quantize(PERCENT, rounding=ROUND_HALF_UP)


def progress(project: Project, until: date | None = None) -> Progress:
    """The latest cumulative quantity done on or before ``until`` against the planned quantity."""
    rows = ProgressEntry.objects.filter(project=project)
    if until is not None:
        rows = rows.filter(on__lte=until)
    last = rows.order_by("-on").first()
    return Progress(
        last.on if last else None, last.quantity_done if last else Decimal(0), project.planned_quantity
    )


def quantity_done(region: str, kind: str, until: date) -> Decimal:
    """The quantity done by ``until`` of the projects of ``kind`` in region ``region`` (GB/T 2260 code)
    and every region below it: the sum over projects of each one's latest cumulative entry. Not scoped:
    a read service for the other domains' computations."""
    projects = Project.objects.filter(kind=kind, region_id__in=subtree_ids_of(region))
    total = Decimal(0)
    for pk in projects.values_list("pk", flat=True):
        last = ProgressEntry.objects.filter(project_id=pk, on__lte=until).order_by("-on").first()
        if last is not None:
            total += last.quantity_done
    return total


def register_totals(projects: QuerySet[Project]) -> dict[str, Any]:
    """Count, investment and funding sums of a filtered register."""
    sums = projects.aggregate(
        investment=Sum("investment_yuan"), fiscal=Sum("fiscal_yuan"), own=Sum("own_yuan"), emc=Sum("emc_yuan")
    )
    estimates = OptionAEstimate.objects.filter(project__in=projects).aggregate(kwh=Sum("kwh"), tce=Sum("tce"))
    subsidies = SubsidyDecision.objects.filter(project__in=projects, eligible=True).aggregate(
        amount=Sum("amount_yuan")
    )
    return {"count": projects.count(), **sums, **estimates, "subsidy": subsidies["amount"]}


@transaction.atomic
def compute_estimate(project: Project) -> OptionAEstimate | None:
    """The Option A estimate of the project's lamp classes (none: no lamp class), stored."""
    classes = [
        CoreLampClass(c.name, c.count, c.old_watts, c.new_watts, c.hours)
        for c in LampClass.objects.filter(project=project)
    ]
    if not classes:
        OptionAEstimate.objects.filter(project=project).delete()
        return None
    result = lighting_savings(classes, load_coefficient_set(project.coefficient_set), project.tariff)
    estimate, _created = OptionAEstimate.objects.update_or_create(
        project=project,
        defaults={
            "kwh": result.kwh,
            "tce": result.tce,
            "money_yuan": result.money,
            "coefficient_set": result.coefficient_set,
            "kgce_per_kwh": result.kgce_per_kwh,
            "tariff": result.tariff,
            "detail": result.as_dict(),
        },
    )
    return estimate


def record_measured(project: Project, result: SavingsResult) -> MeasuredSavings:
    """Store a measured-savings result of the core; the caller has checked ``result.ok``."""
    if not result.ok or result.model is None:
        raise ValueError("only a result with savings is stored")
    stats = result.model.statistics
    data = result.as_dict()
    data["series"] = {k: [str(v) for v in values] for k, values in result.series.items()}
    unc = result.uncertainty
    assert result.predicted is not None and result.observed is not None and result.savings is not None
    return MeasuredSavings.objects.create(
        project=project,
        method=result.method,
        interval=result.interval,
        baseline_start=str(result.baseline[0]),
        baseline_end=str(result.baseline[1]),
        reporting_start=str(result.reporting[0]),
        reporting_end=str(result.reporting[1]),
        model_type=result.model.model_type,
        predicted=result.predicted,
        observed=result.observed,
        savings=result.savings,
        fractional_savings=result.fractional_savings,
        r_squared=_finite(stats.r_squared),
        cvrmse=_finite(stats.cvrmse),
        nmbe=_finite(stats.nmbe),
        calibrated=bool(result.model.calibration.passes),
        uncertainty=_finite(unc.fractional) if unc else None,
        detail=data,
    )


def _finite(x: float | None) -> float | None:
    import math

    return x if x is not None and math.isfinite(x) else None


def annual_tce(project: Project) -> tuple[Decimal, str] | None:
    """The annual savings [tce] a subsidy is assessed on, and its basis: the latest measured savings
    (Option C) over its reporting period scaled to 365 days and converted with the project's
    coefficient set; else the Option A estimate."""
    measured = project.measured.order_by("-computed_at").first()
    if measured is not None:
        coefficients = load_coefficient_set(project.coefficient_set)
        days = (measured.reporting_end - measured.reporting_start).days + 1
        kwh = measured.savings * 365 / days
        tce = kwh * electricity_coefficient(coefficients) / 1000
        return Decimal(repr(tce)).quantize(
            Decimal("0.0001")
        ), f"option-c {measured.method} {coefficients.ref}"
    estimate = OptionAEstimate.objects.filter(project=project).first()
    if estimate is None:
        return None
    return Decimal(repr(estimate.tce)).quantize(Decimal("0.0001")), f"option-a {estimate.coefficient_set}"


@transaction.atomic
def assess_subsidy(project: Project, rule_id: str = DEFAULT_SUBSIDY_RULE) -> SubsidyDecision | None:
    """The project's eligibility and amount under the rule (none: no savings figure to assess yet)."""
    basis = annual_tce(project)
    if basis is None:
        return None
    tce, source = basis
    rule = load_subsidy_rule(rule_id)
    result = assess(
        rule,
        annual_tce=tce,
        contract_type=project.contract_type or "none",
        industrial=project.industrial,
        province=project.region.code[:2],
    )
    decision, _created = SubsidyDecision.objects.update_or_create(
        project=project,
        rule=result.rule,
        defaults={
            "annual_tce": tce,
            "basis": source,
            "eligible": result.eligible,
            "reasons": [
                {"code": r.code, "params": {k: str(v) for k, v in r.params.items()}} for r in result.reasons
            ],
            "central_yuan": result.central,
            "provincial_yuan": result.provincial,
            "amount_yuan": result.amount,
        },
    )
    return decision


@transaction.atomic
def record_contract_periods(project: Project, periods: Sequence[tuple[str, Decimal]]) -> list[ContractPeriod]:
    """Each period's ESCO payment (shared savings) or shortfall (guaranteed savings) from verified
    savings [kWh], stored (a period stored before is replaced)."""
    verified = [contracts.VerifiedPeriod(p, kwh) for p, kwh in periods]
    rows: list[ContractPeriod] = []
    if project.contract_type == contracts.SHARED_SAVINGS:
        for pay in contracts.shared_savings_payments(
            verified, project.esco_share or Decimal(0), project.tariff
        ):
            rows.append(
                ContractPeriod(
                    project=project, period=pay.period, savings_kwh=pay.savings, value_yuan=pay.value,
                    esco_yuan=pay.esco,
                )
            )  # fmt: skip
    elif project.contract_type == contracts.GUARANTEED_SAVINGS:
        guaranteed = project.guaranteed_kwh or Decimal(0)
        for pos in contracts.guaranteed_savings_positions(verified, guaranteed, project.tariff):
            rows.append(
                ContractPeriod(
                    project=project, period=pos.period, savings_kwh=pos.savings, shortfall_kwh=pos.shortfall,
                    owed_yuan=pos.owed,
                )
            )  # fmt: skip
    stored = []
    for row in rows:
        ContractPeriod.objects.filter(project=project, period=row.period).delete()
        row.save()
        stored.append(row)
    return stored


@transaction.atomic
def record_progress(project: Project, on: date, done: Decimal, note: str = "") -> ProgressEntry:
    """The cumulative quantity done on ``on`` (a second entry of the same day replaces the first)."""
    entry, _created = ProgressEntry.objects.update_or_create(
        project=project, on=on, defaults={"quantity_done": done, "note": note}
    )
    return entry


def verified_periods(project: Project) -> list[tuple[str, Decimal]]:
    """The verified savings [kWh] by contract year: the latest measured savings (Option C) summed over
    each complete twelve months from the start of its reporting period (a period "2025-12/2026-11");
    without a measurement, the Option A estimate for each full calendar year since completion up to
    last year."""
    measured = project.measured.order_by("-computed_at").first()
    if measured is not None:
        first = measured.reporting_start
        by_year: dict[int, list[float]] = {}
        series = measured.detail.get("series", {})
        for start, pred, obs in zip(
            series.get("start", []), series.get("predicted", []), series.get("observed", []), strict=False
        ):
            if pred in (None, "None", "nan") or obs in (None, "None", "nan"):
                continue
            day = date.fromisoformat(str(start)[:10])
            index = ((day.year - first.year) * 12 + day.month - first.month) // 12
            by_year.setdefault(index, []).append(float(pred) - float(obs))
        out = []
        last_day = measured.reporting_end
        for index, values in sorted(by_year.items()):
            months = first.month - 1 + 12 * index
            begins = date(first.year + months // 12, months % 12 + 1, 1)
            ends_month = months + 11
            label = f"{begins:%Y-%m}/{first.year + ends_month // 12}-{ends_month % 12 + 1:02d}"
            following = ends_month + 1
            complete_by = date(first.year + following // 12, following % 12 + 1, 1) - timedelta(days=1)
            if complete_by > last_day:
                continue  # an incomplete contract year is not settled
            out.append((label, Decimal(repr(sum(values))).quantize(Decimal("0.01"))))
        return out
    estimate = OptionAEstimate.objects.filter(project=project).first()
    if estimate is None or project.end is None:
        return []
    last = timezone.localdate().year - 1
    kwh = Decimal(repr(estimate.kwh)).quantize(Decimal("0.01"))
    return [(str(y), kwh) for y in range(project.end.year + 1, last + 1)][: project.contract_years or None]


@transaction.atomic
def refresh(project: Project) -> None:
    """Compute again what the core computes for the project: the estimate, the subsidy, the contract."""
    compute_estimate(project)
    assess_subsidy(project)
    ContractPeriod.objects.filter(project=project).delete()
    record_contract_periods(project, verified_periods(project))


def contract_totals(periods: Sequence[ContractPeriod]) -> dict[str, Decimal | None]:
    """The sums of the periods' columns (None for a column no period has)."""
    out: dict[str, Decimal | None] = {}
    for key in ("savings_kwh", "value_yuan", "esco_yuan", "shortfall_kwh", "owed_yuan"):
        values = [getattr(p, key) for p in periods if getattr(p, key) is not None]
        out[key] = sum(values, Decimal(0)) if values else None
    return out


def reason_messages(decision: SubsidyDecision) -> list[str]:
    """The decision's reasons in the user's language, contract types by their display names."""
    from django.utils.translation import gettext as _

    from jieneng.core.savings.subsidies import subsidy_reason

    names = {code: str(label) for code, label in Project.Contract.choices}
    names["none"] = names[""]
    out = []
    for reason in decision.reasons:
        params = dict(reason["params"])
        for key in ("contract", "supported"):
            if key in params:
                params[key] = "、".join(str(names.get(c.strip(), c)) for c in params[key].split(","))
        out.append(_(subsidy_reason(reason["code"]).template) % params)
    return out
