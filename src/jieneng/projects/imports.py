"""Import a project register from a spreadsheet (.xlsx or .csv): one row per project.

The file is read in a bounded child process (:func:`jieneng.io.contained.read_contained` with
:func:`jieneng.io.project_register.read_project_register`). Each row is then resolved and checked: the
kind, status and contract type by their titles (Chinese or English, or the code), the region by its code
among those the user maintains, the owner unit by its name or credit code within them, and everything
the register form checks (:class:`~jieneng.projects.forms.ProjectForm`), plus the quantity done (not
above the plan, not dated in the future) and a name already registered in the region or given twice.
Every problem is a message naming the row and the column; when there is one, nothing is saved. Otherwise
every project (with its quantity done) is saved in one transaction and its figures computed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import xlsxwriter
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jieneng.accounts.scope import Scope
from jieneng.i18n import describe
from jieneng.io.contained import read_contained
from jieneng.io.problems import BLOCKING
from jieneng.io.project_register import FIELDS, headers_of, read_project_register
from jieneng.projects import services
from jieneng.projects.forms import ProjectForm
from jieneng.projects.models import Project
from jieneng.reference import DEFAULT_COEFFICIENT_SET
from jieneng.reference.projects import load_project_kinds

_BRACKETED = re.compile(r"[（(]([^（）()]+)[）)]")


@dataclass
class ImportResult:
    created: list[Project] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _titles(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Every way a choice may be written → its code: the code, the English and the Chinese title and a
    bracketed Chinese term of a title (``Shared savings (节能效益分享型)`` → 节能效益分享型)."""
    found: dict[str, str] = {}
    for code, label in choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                title = str(label)
            found[_key(title)] = code
            for term in _BRACKETED.findall(title):
                found[_key(term)] = code
        found[_key(code)] = code
    return found


def _kinds() -> dict[str, str]:
    found: dict[str, str] = {}
    for kind in load_project_kinds().kinds.values():
        for title in (kind.code, kind.zh, kind.en):
            found[_key(title)] = kind.code
    return found


def _where(row: int, column: str, message: str) -> str:
    return _("%(where)s: %(message)s") % {
        "where": _("Row %(row)s, column “%(column)s”") % {"row": row, "column": column},
        "message": message,
    }


def _row_of(message: str) -> int:
    found = re.search(r"\d+", message)
    return int(found.group()) if found else 0


def _decimal(value: float | None) -> str:
    if value is None:
        return ""
    try:
        return str(Decimal(repr(value)).normalize())
    except InvalidOperation:
        return ""


class _Rows:
    """Resolves and checks one row after another against the user's place and the register's rules."""

    def __init__(self, scope: Scope, headers: dict[str, str]) -> None:
        self.scope = scope
        self.headers = headers
        self.regions = {r.code: r for r in scope.regions("directory").current()}
        self.organisations = scope.organisations("directory")
        self.kinds = _kinds()
        self.statuses = _titles(list(Project.Status.choices))
        self.contracts = _titles(list(Project.Contract.choices))
        self.today = timezone.localdate()
        self.seen: dict[tuple[str, str], int] = {}
        self.number = 0
        self.errors: list[str] = []

    def bad(self, name: str, message: str) -> None:
        self.errors.append(_where(self.number, self.headers.get(name, name), message))

    def check(self, row: dict[str, Any]) -> tuple[ProjectForm, float | None, date] | None:
        """The row's bound form and quantity done, or ``None`` after recording its problems."""
        self.number, before = int(row["row"]), len(self.errors)
        data: dict[str, Any] = {k: (row[k] or "").strip() for k in ("name", "site", "esco")}
        data |= self._choices(row) | self._place(row)
        data |= {k: row[k].isoformat() if row[k] else "" for k in ("start", "end")}
        data |= {k: _decimal(row[k]) for k in _NUMBERS}
        data |= {
            k: data[k] or "0" for k in ("investment_yuan", "fiscal_yuan", "own_yuan", "emc_yuan", "tariff")
        }
        data["coefficient_set"] = DEFAULT_COEFFICIENT_SET
        form = ProjectForm(data, scope=self.scope)
        if not form.is_valid():
            for name, messages in form.errors.items():
                if (
                    name in ("region", "owner", "kind", "status", "contract_type")
                    and len(self.errors) > before
                ):
                    continue  # already said in the user's words
                for message in messages:
                    self.bad(name if name in self.headers else "name", str(message))
        done, done_on = row["done"], row["done_on"] or self.today
        if done is not None and row["planned_quantity"] is not None and done > row["planned_quantity"]:
            self.bad("done", _("The quantity done is more than the planned quantity."))
        if done is not None and done_on > self.today:
            self.bad("done_on", _("A quantity done cannot be dated in the future."))
        self._unique(data["name"], data["region"])
        return (form, done, done_on) if len(self.errors) == before else None

    def _choices(self, row: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kinds.get(_key(row["kind"] or ""), "")}
        if not data["kind"]:
            names = "、".join(k.zh for k in load_project_kinds().kinds.values())
            self.bad("kind", _("“%(value)s” is not a project kind; write one of %(names)s.")
                     % {"value": row["kind"], "names": names})  # fmt: skip
        data["status"] = self.statuses.get(_key(row["status"] or ""), "") if row["status"] else "planned"
        if not data["status"]:
            titles = "、".join(str(label) for _code, label in Project.Status.choices)
            self.bad("status", _("“%(value)s” is not a status; write one of %(names)s.")
                     % {"value": row["status"], "names": titles})  # fmt: skip
        written = row["contract_type"] or ""
        data["contract_type"] = "" if _key(written) in ("", "无", "—") else self.contracts.get(_key(written))
        if data["contract_type"] is None:
            self.bad("contract_type", _(
                "“%(value)s” is not a contract type of GB/T 24915; write one of "
                "节能效益分享型、节能量保证型、能源费用托管型、融资租赁型、混合型."
            ) % {"value": written})  # fmt: skip
        return data

    def _place(self, row: dict[str, Any]) -> dict[str, Any]:
        region = self.regions.get((row["region"] or "").strip())
        if region is None:
            self.bad("region", _("“%(value)s” is not the code of a region whose project register you "
                                 "maintain.") % {"value": row["region"]})  # fmt: skip
        data: dict[str, Any] = {"region": region.pk if region else "", "owner": ""}
        written = (row["owner"] or "").strip()
        if written:
            owner = self.organisations.filter(Q(name=written) | Q(credit_code=written)).first()
            if owner is None:
                self.bad("owner", _("“%(value)s” is not a unit of the directory you maintain (write its "
                                    "name or credit code).") % {"value": written})  # fmt: skip
            data["owner"] = owner.pk if owner else ""
        return data

    def _unique(self, name: str, region_pk: Any) -> None:
        if not name or not region_pk:
            return
        key = (str(region_pk), name)
        if key in self.seen:
            self.bad("name", _("The project “%(name)s” of this region is also in row %(first)s.")
                     % {"name": name, "first": self.seen[key]})  # fmt: skip
            return
        self.seen[key] = self.number
        existing = Project.objects.filter(region_id=region_pk, name=name).select_related("region").first()
        if existing is not None:
            self.bad("name", _("The project “%(name)s” is already registered in %(region)s.")
                     % {"name": name, "region": existing.region.name})  # fmt: skip


_NUMBERS = ("planned_quantity", "investment_yuan", "fiscal_yuan", "own_yuan", "emc_yuan", "esco_share",
            "contract_years", "guaranteed_kwh", "fee_yuan", "tariff")  # fmt: skip


def import_register(path: Path, scope: Scope) -> ImportResult:
    """Read ``path`` and register its projects in ``scope``'s regions; all or nothing."""
    read = read_contained(read_project_register, path)
    result = ImportResult(errors=[describe(p) for p in read.problems if p.severity == BLOCKING])
    result.warnings = [describe(p) for p in read.problems if p.severity != BLOCKING]
    frame, headers = headers_of(read.frame)
    if not result.errors and frame.height == 0:
        result.errors.append(_("The file has no project rows."))
    if frame.height == 0:
        return result
    rows = _Rows(scope, headers)  # the rows read are checked too, so that every problem is listed at once
    checked = [rows.check(row) for row in frame.iter_rows(named=True)]
    result.errors = sorted(result.errors + rows.errors, key=_row_of)
    if result.errors:
        return result
    with transaction.atomic():
        for form, done, done_on in (c for c in checked if c is not None):
            project = form.save()
            if done:
                services.record_progress(project, done_on, Decimal(_decimal(done)), _("imported"))
            services.refresh(project)
            result.created.append(project)
    return result


EXAMPLE: dict[str, Any] = {
    "name": "榕城区LED路灯改造", "kind": "路灯改造", "region": "445202", "owner": "",
    "site": "榕城区主次干道",
    "start": "2026-01-05", "end": "2026-12-31", "status": "实施中", "planned_quantity": 9016, "done": 6500,
    "done_on": "2026-10-31", "investment_yuan": 13524000, "fiscal_yuan": 0, "own_yuan": 0,
    "emc_yuan": 13524000, "esco": "揭阳某节能服务有限公司", "contract_type": "节能效益分享型",
    "esco_share": "80%", "contract_years": 8, "guaranteed_kwh": "", "fee_yuan": "", "tariff": 0.68,
}  # fmt: skip


def template() -> bytes:
    """The register's template: the header row, one example row, and a sheet of the accepted titles."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#e8eef6", "border": 1})
    plain = book.add_format({"bg_color": "#f4f6f9", "border": 1})
    ws = book.add_worksheet(_("Project register")[:31])
    for c, (name, aliases, _kind, required) in enumerate(FIELDS):
        ws.write(0, c, aliases[0], bold if required else plain)
        ws.write(1, c, EXAMPLE[name])
        ws.set_column(c, c, max(12, len(aliases[0]) * 2 + 2))
    ws.freeze_panes(1, 0)
    values = book.add_worksheet(_("Accepted values")[:31])
    columns = [
        (_("Project kind"), [k.zh for k in load_project_kinds().kinds.values()]),
        (_("Status"), [str(label) for _c, label in Project.Status.choices]),
        (_("Contract type"), ["节能效益分享型", "节能量保证型", "能源费用托管型", "融资租赁型", "混合型"]),
    ]
    for c, (title, items) in enumerate(columns):
        values.write(0, c, title, bold)
        for r, item in enumerate(items, start=1):
            values.write(r, c, item)
        values.set_column(c, c, 20)
    notes = book.add_worksheet(_("Notes")[:31])
    for r, line in enumerate((
        _("One row per project; the columns in bold are required: name, kind, region code, start, "
          "planned quantity."),
        _("The region is its six-digit code; the owner unit its name or credit code in the directory."),
        _("The ESCO's share as 80% or 0.8; the quantity done is cumulative, by the date given (else today)."),
        _("If any row has a problem, nothing is saved; every problem is listed by row and column."),
    )):  # fmt: skip
        notes.write(r, 0, line)
    notes.set_column(0, 0, 100)
    book.close()
    return out.getvalue()
