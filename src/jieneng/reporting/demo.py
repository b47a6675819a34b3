"""The demonstration city's records enter the store the way a real file does: as monthly submissions
of the consumption form, checked by the same validation, approved when nothing was flagged.

What the checks flag (the generator plants a 万 mix-up, a spike, a missing month …) stays in the
review queue, so the demo opens with work for a reviewer. Everything else is approved, so the
dashboard has six years of figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import polars as pl
from django.utils.translation import gettext as _

from jieneng.core.forms import Form
from jieneng.core.units import UnitTable
from jieneng.core.validation import editions, validate
from jieneng.directory.models import Organisation
from jieneng.reference import load_checks, load_forms, load_units
from jieneng.reporting import review
from jieneng.reporting.imports.context import context_for
from jieneng.reporting.imports.store import advisory_flags, store
from jieneng.reporting.models import Revision, Submission

FORM = "pi-energy"
AUTHOR = "demo"


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
    records: pl.DataFrame, org_ids: Mapping[int, int], progress: Callable[[str], object], today: date
) -> tuple[int, int]:
    """Store the records as submissions, approve those the checks do not flag; (approved, flagged)."""
    form, units = load_forms()[FORM], load_units()
    rows = monthly_rows(records, org_ids, form, units)
    types = dict(Organisation.objects.filter(pk__in=list(org_ids.values())).values_list("pk", "type_code"))
    rows = editions(rows.with_columns(type_code=pl.col("org_id").replace_strict(types, default=None)), form)
    findings = validate(rows, form, context_for(rows, form, today), load_checks())
    progress(_("Monthly submissions: %(count)s") % {"count": f"{rows.height:,}"})
    flags = advisory_flags(findings)
    store(rows, form, None, flags, lambda *_: None, source=Revision.Source.DEMO, author=AUTHOR)
    clean = Submission.objects.filter(form=FORM, flags=0).values_list("pk", flat=True)
    approved = review.approve(list(clean), actor=AUTHOR)
    flagged = Submission.objects.filter(form=FORM, status=Submission.Status.SUBMITTED).count()
    progress(
        _("Approved: %(approved)s; left for review: %(flagged)s")
        % {"approved": f"{approved:,}", "flagged": f"{flagged:,}"}
    )
    return approved, flagged
