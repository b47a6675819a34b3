"""The M&V report of a project as an .xlsx workbook (xlsxwriter, as the dashboards' exports): the
project and contract, progress, the Option A estimate, the measured savings with the fit statistics
and the monthly series, the contract periods and the subsidy; each figure with the data version it was
computed with."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from jieneng.projects import charts, services
from jieneng.projects.models import Project


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _sheet(book: Any, title: str, rows: list[tuple[Any, ...]], first: bool = False) -> None:
    ws = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, _plain(value), bold if r == 0 else None)
    ws.set_column(0, 0, 28)
    ws.set_column(1, 5, 20)


def workbook(p: Project) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    progress = services.progress(p)
    _sheet(
        book,
        _("Project"),
        [
            (_("Item"), _("Value")),
            (_("Project"), p.name),
            (_("Kind"), p.kind_title),
            (_("Region"), f"{p.region.code} {p.region.name}"),
            (_("Owner unit"), p.owner.name if p.owner else ""),
            (_("Site"), p.site),
            (_("Status"), p.get_status_display()),
            (_("Planned quantity"), f"{p.planned_quantity} {p.unit_title}"),
            (_("Quantity done"), f"{progress.done} {p.unit_title} ({progress.percent or 0} %)"),
            (_("Investment (元)"), p.investment_yuan),
            (_("Energy service company"), p.esco),
            (_("Contract type"), p.get_contract_type_display()),
            (_("ESCO's share of savings"), p.esco_share),
            (_("Contract years"), p.contract_years),
        ],
        first=True,
    )
    estimate = getattr(p, "estimate", None) if hasattr(p, "estimate") else None
    rows: list[tuple[Any, ...]] = [(_("Lamp class"), _("Count"), _("Old W"), _("New W"), _("Hours a year"))]
    rows += [(c.name, c.count, c.old_watts, c.new_watts, c.hours) for c in p.lamp_classes.all()]
    if estimate is not None:
        rows += [
            (),
            (_("kWh a year"), estimate.kwh),
            (_("tce a year"), estimate.tce),
            (_("Money a year (元)"), float(estimate.money_yuan)),
            (_("Electricity conversion"), f"{estimate.coefficient_set} ({estimate.kgce_per_kwh} kgce/kWh)"),
        ]
    _sheet(book, _("Option A estimate"), rows)
    measured = p.measured.order_by("-computed_at").first()
    if measured is not None:
        rows = [
            (_("Item"), _("Value")),
            (_("Method"), measured.method),
            (_("Baseline period"), f"{measured.baseline_start} – {measured.baseline_end}"),
            (_("Reporting period"), f"{measured.reporting_start} – {measured.reporting_end}"),
            (_("Baseline model"), measured.model_type),
            ("R²", measured.r_squared),
            ("CV(RMSE)", measured.cvrmse),
            ("NMBE", measured.nmbe),
            (_("ASHRAE 14 calibration"), _("passes") if measured.calibrated else _("fails")),
            (_("Predicted use (baseline model)"), measured.predicted),
            (_("Observed use"), measured.observed),
            (_("Savings"), measured.savings),
            (_("Fractional savings uncertainty"), measured.uncertainty),
            (),
            (_("Month"), _("Baseline model"), _("Actual use"), _("Cumulative savings")),
        ]
        rows += list(charts.monthly(measured))
        _sheet(book, _("Measured savings"), rows)
    periods = list(p.contract_periods.all())
    rows = [(_("Period"), _("Verified savings (kWh)"), _("Value (元)"), _("ESCO payment (元)"),
             _("Shortfall (kWh)"), _("Owed by the ESCO (元)"))]  # fmt: skip
    rows += [
        (c.period, c.savings_kwh, c.value_yuan, c.esco_yuan, c.shortfall_kwh, c.owed_yuan) for c in periods
    ]
    _sheet(book, _("Contract"), rows)
    rows = [(_("Rule"), _("Eligible"), _("Annual savings (tce)"), _("Amount (元)"), _("Reasons"))]
    for s in p.subsidies.all():
        reasons = " ".join(services.reason_messages(s))
        rows.append((s.rule, _("yes") if s.eligible else _("no"), s.annual_tce, s.amount_yuan, reasons))
    _sheet(book, _("Subsidy"), rows)
    book.close()
    return out.getvalue()
