"""The demonstration city's records enter the store the way a real file does: as monthly submissions
of the consumption form, checked by the same validation, approved when nothing was flagged.

What the checks flag (the generator plants a 万 mix-up, a spike, a missing month …) stays in the
review queue, so the demo opens with work for a reviewer. With the generator's ``reports`` (the city
on a given day) the rest follows them: approved, awaiting review, returned with a reason, or returned
and handed in again as a second revision; revisions and review events carry the days the reports
say (on or after the deadline). Without them everything unflagged is approved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.core.forms import Form
from jieneng.core.problems import needs_explanation
from jieneng.core.units import UnitTable
from jieneng.core.validation import editions, validate
from jieneng.demo.profiles import EXPLANATIONS, RETURN_REASONS
from jieneng.directory.models import Organisation
from jieneng.reference import load_checks, load_forms, load_units
from jieneng.reporting import review
from jieneng.reporting.imports.context import context_for
from jieneng.reporting.imports.store import advisory_flags, store
from jieneng.reporting.models import ReviewEvent, Revision, Submission
from jieneng.statistics import bulk

FORM = "pi-energy"
AUTHOR = "demo"
REVIEWER = "demo-reviewer"
#: the demo city's clock: reports are handed in at 09:00, returned at 15:00, approved at 11:00
ZONE = ZoneInfo("Asia/Shanghai")
#: flagged reports of the last this many months still wait in the queue; older ones the reviewer
#: approved after reading the unit's explanation, as an office does in the ordinary course
QUEUE_MONTHS = 3


def monthly_rows(
    records: pl.DataFrame, org_ids: Mapping[int, int], form: Form, units: UnitTable
) -> pl.DataFrame:
    """Long records (org, year, month, energy_type, quantity, unit, cost) as one row per organisation
    and month with the form's item columns, quantities converted into each item's unit."""
    by_energy = {item.energy: item for item in form.items.values() if item.kind == "quantity"}
    cost_of = {item.energy: item.code for item in form.items.values() if item.kind == "cost"}
    factors = []
    for energy, unit in records.select("energy_type", "unit").unique().iter_rows():
        item = by_energy[energy]
        parsed, target = units.parse(unit), units.parse(item.unit)
        if parsed.dimension == target.dimension:
            factor = parsed.size / target.size
        else:
            factor = parsed.scale * item.equivalents[parsed.unit.symbol]
        factors.append((energy, unit, item.code, cost_of.get(energy), factor))
    table = pl.DataFrame(factors, schema=["energy_type", "unit", "item", "cost_item", "factor"], orient="row")
    long = records.join(table, on=["energy_type", "unit"]).with_columns(
        org_id=pl.col("org").replace_strict(dict(org_ids), return_dtype=pl.Int64),
        value=pl.col("quantity") * pl.col("factor"),
    )
    keys = ["org_id", "year", "month"]
    # summed first, pivoted after: an item an organisation did not report stays empty, not 0
    quantities = (
        long.group_by(*keys, "item")
        .agg(pl.col("value").sum())
        .pivot(on="item", index=keys, values="value", aggregate_function="first")
    )
    costs = (
        long.filter(pl.col("cost_item").is_not_null())
        .group_by(*keys, "cost_item")
        .agg(pl.col("cost").sum())
        .pivot(on="cost_item", index=keys, values="cost", aggregate_function="first")
    )
    wide = quantities.join(costs, on=keys, how="left", maintain_order="left").sort(keys)
    ordered = [code for code in form.items if code in wide.columns]
    return wide.with_columns(
        row=pl.int_range(2, wide.height + 2, dtype=pl.Int32),
        org=pl.col("org_id").cast(pl.String),
        period=pl.format("{}-{}", "year", pl.col("month").cast(pl.String).str.zfill(2)),
        frequency=pl.lit("month"),
        year=pl.col("year").cast(pl.Int16),
        quarter=((pl.col("month") - 1) // 3 + 1).cast(pl.Int8),
        month=pl.col("month").cast(pl.Int8),
    ).select("row", "org", "org_id", "period", "frequency", "year", "quarter", "month", *ordered)


def load_records(
    records: pl.DataFrame,
    org_ids: Mapping[int, int],
    progress: Callable[[str], object],
    today: date,
    reports: pl.DataFrame | None = None,
) -> tuple[int, int]:
    """Store the records as submissions and review them as ``reports`` say (without them: approve
    what the checks do not flag); (approved, awaiting review)."""
    form, units = load_forms()[FORM], load_units()
    rows = monthly_rows(records, org_ids, form, units)
    types = dict(Organisation.objects.filter(pk__in=list(org_ids.values())).values_list("pk", "type_code"))
    rows = editions(rows.with_columns(type_code=pl.col("org_id").replace_strict(types, default=None)), form)
    findings = validate(rows, form, context_for(rows, form, today), load_checks())
    progress(_("Monthly submissions: %(count)s") % {"count": f"{rows.height:,}"})
    flags = advisory_flags(findings)
    store(
        rows,
        form,
        None,
        flags,
        lambda *_: None,
        source=Revision.Source.DEMO,
        author=AUTHOR,
        explanations=_explanations(flags),
    )
    if reports is None:
        clean = Submission.objects.filter(form=FORM, flags=0).values_list("pk", flat=True)
        approved = review.approve(list(clean), actor=AUTHOR)
    else:
        approved = _review(rows, form, flags, _plan(reports, org_ids), today)
    flagged = Submission.objects.filter(form=FORM, status=Submission.Status.SUBMITTED).count()
    progress(
        _("Approved: %(approved)s; left for review: %(flagged)s")
        % {"approved": f"{approved:,}", "flagged": f"{flagged:,}"}
    )
    return approved, flagged


def _explanations(flags: Mapping[int, list[str]]) -> dict[int | None, str]:
    """The units' explanations of the rows a verification check flagged: they handed them in."""
    out: dict[int | None, str] = {}
    for row, codes in flags.items():
        verify = needs_explanation(codes)
        if verify:
            out[row] = EXPLANATIONS.get(verify[0], EXPLANATIONS["yoy_change"])
    return out


def _plan(reports: pl.DataFrame, org_ids: Mapping[int, int]) -> pl.DataFrame:
    """The reports with the stored submission (id, flags) of each."""
    stored = pl.DataFrame(
        list(Submission.objects.filter(form=FORM).values_list("pk", "organisation_id", "period", "flags")),
        schema={"id": pl.Int64, "org_id": pl.Int64, "period": pl.String, "flags": pl.Int64},
        orient="row",
    )
    return reports.with_columns(
        org_id=pl.col("org").replace_strict(dict(org_ids), return_dtype=pl.Int64),
        period=pl.format("{}-{}", "year", pl.col("month").cast(pl.String).str.zfill(2)),
    ).join(stored, on=["org_id", "period"])


def _review(
    rows: pl.DataFrame, form: Form, flags: Mapping[int, list[str]], plan: pl.DataFrame, today: date
) -> int:
    """Approve, return and resubmit as planned, then date revisions, events and submissions."""
    status = pl.col("status")
    clean = plan.filter((status == "approved") & (pl.col("flags") == 0))
    approved = review.approve(clean["id"].to_list(), actor=REVIEWER)
    back = plan.filter(status.is_in(["returned", "resubmitted"]))
    for (reason,), group in back.group_by("reason"):
        review.return_(group["id"].to_list(), reason=str(reason), actor=REVIEWER)
    again = back.filter(status == "resubmitted")
    if not again.is_empty():
        store(
            _corrected(rows, form, again), form, None, flags, lambda *_: None,
            source=Revision.Source.DEMO, author=AUTHOR,
        )  # fmt: skip
    flagged = (status == "approved") & (pl.col("flags") > 0)
    recent = pl.col("period") >= _months_before(today, QUEUE_MONTHS)
    explained = plan.filter(flagged & ~recent)["id"].to_list()
    approved += review.approve(explained, actor=REVIEWER, reason=_("Explanation checked with the unit."))
    waiting = flagged & recent  # flagged lately: still in the queue
    _date(plan.with_columns(status=pl.when(waiting).then(pl.lit("submitted")).otherwise(status)), today)
    return approved


def _months_before(today: date, months: int) -> str:
    """The period (``YYYY-MM``) ``months`` months before the month of ``today``."""
    index = today.year * 12 + today.month - 1 - months
    return f"{index // 12}-{index % 12 + 1:02d}"


def _corrected(rows: pl.DataFrame, form: Form, again: pl.DataFrame) -> pl.DataFrame:
    """The rows of the resubmitted reports with what each return's reason asked corrected."""
    fixed = rows.join(again.select("org_id", "period", "reason"), on=["org_id", "period"])
    code = {(item.energy, item.kind): item.code for item in form.items.values()}
    for reason, energy, kind, factor in RETURN_REASONS:
        column = code[energy, kind]
        if column in fixed.columns:
            fixed = fixed.with_columns(
                pl.when(pl.col("reason") == reason)
                .then(pl.col(column) * factor)
                .otherwise(column)
                .alias(column)
            )
    return fixed.drop("reason")


def _date(plan: pl.DataFrame, today: date) -> None:
    """Set the times of the planned reports' revisions, review events and submissions (one UPDATE …
    FROM a temporary table each): handed in on ``submitted``, returned two days later, handed in
    again the day after, approved on ``approved``; never after now."""
    now = timezone.now()

    @cache  # a few hundred distinct days for tens of thousands of reports
    def at(day: date | None, hour: int) -> Any:
        if day is None:
            return None
        moment = min(datetime.combine(day, datetime.min.time(), ZONE) + timedelta(hours=hour), now)
        return bulk.db_value(Revision, "created_at", moment)

    rows = []
    for pk, status, submitted, approved in plan.select("id", "status", "submitted", "approved").iter_rows():
        returned = (
            min(submitted + timedelta(days=2), today) if status in ("returned", "resubmitted") else None
        )
        again = min(returned + timedelta(days=1), today) if returned and status == "resubmitted" else None
        last = {"approved": (approved, 11), "submitted": (submitted, 9), "returned": (returned, 15)}
        rows.append((
            pk, at(submitted, 9), at(returned, 15), at(again, 9), at(approved, 11),
            at(*last.get(status, (again, 9))),
        ))  # fmt: skip
    kind = "timestamptz" if connection.vendor == "postgresql" else "text"
    revision, event = Revision._meta.db_table, ReviewEvent._meta.db_table
    submission = Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE demo_dates (id bigint PRIMARY KEY, submitted {kind}, "
            f"returned {kind}, again {kind}, approved {kind}, latest {kind})"
        )
        cursor.executemany("INSERT INTO demo_dates VALUES (%s, %s, %s, %s, %s, %s)", rows)
        cursor.execute(
            f"UPDATE {revision} SET created_at = CASE WHEN {revision}.number = 1 THEN d.submitted "  # noqa: S608
            f"ELSE COALESCE(d.again, d.submitted) END FROM demo_dates d WHERE {revision}.submission_id = d.id"
        )
        cursor.execute(
            f"UPDATE {event} SET at = CASE WHEN {event}.action = 'returned' THEN d.returned "  # noqa: S608
            f"ELSE COALESCE(d.approved, d.latest) END FROM demo_dates d WHERE {event}.submission_id = d.id"
        )
        cursor.execute(
            f"UPDATE {submission} SET updated_at = d.latest FROM demo_dates d "  # noqa: S608
            f"WHERE {submission}.id = d.id"
        )
        cursor.execute("DROP TABLE demo_dates")
