"""The M&V report of a project: the project and contract, progress, the Option A estimate, the measured
savings with the fit statistics and the monthly series, the contract periods and the subsidy; each
figure with the data version it was computed with. One list of sections, written as an .xlsx workbook
(xlsxwriter, as the dashboards' exports, a sheet a section) or as a document (a heading and its tables
a section, in the documents' layout) for Word and PDF."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _

from jieneng.core.document import Block, Document, Heading, Paragraph, Table
from jieneng.io.writers.docx import write_docx
from jieneng.io.writers.pdf import docx_to_pdf
from jieneng.projects import charts, services
from jieneng.projects.models import Project
from jieneng.reference.bulletins import load_layout

Rows = list[tuple[Any, ...]]


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


def sections(p: Project) -> list[tuple[str, Rows]]:
    """The report's sections: (title, rows); a section's first row and the row after an empty one
    are headers."""
    out: list[tuple[str, Rows]] = []
    progress = services.progress(p)
    out.append(
        (
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
        )
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
    out.append((_("Option A estimate"), rows))
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
        out.append((_("Measured savings"), rows))
    periods = list(p.contract_periods.all())
    rows = [(_("Period"), _("Verified savings (kWh)"), _("Value (元)"), _("ESCO payment (元)"),
             _("Shortfall (kWh)"), _("Owed by the ESCO (元)"))]  # fmt: skip
    rows += [
        (c.period, c.savings_kwh, c.value_yuan, c.esco_yuan, c.shortfall_kwh, c.owed_yuan) for c in periods
    ]
    out.append((_("Contract"), rows))
    rows = [(_("Rule"), _("Eligible"), _("Annual savings (tce)"), _("Amount (元)"), _("Reasons"))]
    for s in p.subsidies.all():
        reasons = " ".join(services.reason_messages(s))
        rows.append((s.rule, _("yes") if s.eligible else _("no"), s.annual_tce, s.amount_yuan, reasons))
    out.append((_("Subsidy"), rows))
    return out


def workbook(p: Project) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    for i, (title, rows) in enumerate(sections(p)):
        _sheet(book, title, rows, first=i == 0)
    book.close()
    return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _tables(rows: Rows) -> list[Table]:
    """A section's rows as tables: a new table after each empty row, its first row the header."""
    tables: list[Table] = []
    chunk: Rows = []
    for row in [*rows, ()]:
        if row:
            chunk.append(row)
            continue
        if chunk:
            width = max(len(r) for r in chunk)
            body = [[_text(v) for v in (*r, *[""] * (width - len(r)))] for r in chunk[1:]]
            header = [_text(v) for v in (*chunk[0], *[""] * (width - len(chunk[0])))]
            numeric = [c for c in range(1, width) if any(_is_number(r[c]) for r in chunk[1:] if c < len(r))]
            tables.append(Table(caption="", columns=header, rows=body, numeric=numeric))
        chunk = []
    return tables


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def document(p: Project) -> Document:
    """The report as a document: the project's name as its title, a heading and tables a section."""
    blocks: list[Block] = []
    for n, (title, rows) in enumerate(sections(p), start=1):
        blocks.append(Heading(f"{_NUMERALS[n]}、{title}" if n < len(_NUMERALS) else title))
        tables = _tables(rows)
        blocks.extend(tables or [Paragraph(_("None."))])
    return Document(title=_("M&V report: %(project)s") % {"project": p.name}, blocks=blocks)


_NUMERALS = "〇一二三四五六七八九十"


def pdf(p: Project) -> bytes:
    """The report as PDF: the document in the documents' layout, through LibreOffice (raises
    :class:`~jieneng.io.writers.pdf.ConversionUnavailable` where it is not installed)."""
    return docx_to_pdf(write_docx(document(p), load_layout()))
