"""Filling a form online: the same reading, the same checks and the same store as an upload.

What the reporter typed becomes a one-row sheet (header row, then the unit's row) read by
:func:`jieneng.io.formfile.read_form_grid`, so numbers are read by the upload's rules (full-width
digits, thousands separators, spaces; whole numbers where the item counts units). The row is then
checked by :func:`jieneng.core.validation.validate` against :func:`.imports.context.context_for`, and
saved by :func:`.imports.store.store` with ``source="online"``: a revision records author and time,
identical values add nothing, changed values add a revision. The unit is resolved as an import resolves
it (:func:`jieneng.directory.lookup.with_organisation`).

* **draft** keeps the values (status 草稿) even with a negative value; it is refused only when a
  value cannot be read or the period cannot be reported at all;
* **submit** is refused while any blocking finding remains, and while a verification check (核实性:
  the 万 check, the change on last year, per m², the unit price) flags a value and the explanation
  (填写说明) is empty; it puts the submission in 待审核. A draft handed in unchanged gets a
  ``submitted`` review event instead of a new revision; a new explanation makes a new revision.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, cast

import polars as pl
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from jieneng.core.forms import Edition, Form, Item
from jieneng.core.problems import ADVISORY, BLOCKING, needs_explanation
from jieneng.core.validation import editions, validate
from jieneng.directory.lookup import with_organisation
from jieneng.directory.models import Organisation
from jieneng.i18n import render as render_problem
from jieneng.io.cells import Period
from jieneng.io.formfile import IDENTITY, read_form_grid, shown_unit
from jieneng.io.grid import Grid
from jieneng.reference import load_checks, load_units
from jieneng.reporting.imports.context import context_for
from jieneng.reporting.imports.store import store
from jieneng.reporting.models import ReviewEvent, Revision, Submission
from jieneng.reporting.templates import period_key

#: blocking findings that refuse even a draft: the row itself cannot be kept
ROW_BLOCKERS = frozenset(
    {"period_outside_form", "period_overlap", "unknown_organisation", "conflicting_duplicate"}
)


@dataclass(frozen=True)
class Target:
    """What is filled: one organisation, one form (its edition in force that year), one period."""

    organisation: Organisation
    form: Form
    edition: Edition
    period: Period

    @property
    def key(self) -> str:
        return period_key(self.period)

    def items(self) -> list[Item]:
        return list(self.form.items_of(self.edition))


@dataclass(frozen=True)
class Message:
    """One finding as the page shows it: code, severity, the item it is about (None: the row)."""

    code: str
    severity: str
    item: str | None
    text: str


@dataclass
class Checked:
    """The checked row (empty when nothing could be read or nothing was typed) and every message."""

    rows: pl.DataFrame
    messages: list[Message] = field(default_factory=list)
    unreadable: bool = False  # a value could not be read as a number
    advisory_codes: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> int:
        return sum(m.severity == BLOCKING for m in self.messages)

    @property
    def advisory(self) -> int:
        return sum(m.severity == ADVISORY for m in self.messages)

    @property
    def to_explain(self) -> list[str]:
        """The verification checks (核实性) among the findings: submitting needs an explanation."""
        return needs_explanation(self.advisory_codes)

    def by_item(self) -> dict[str | None, list[Message]]:
        grouped: dict[str | None, list[Message]] = {}
        for message in self.messages:
            grouped.setdefault(message.item, []).append(message)
        return grouped

    @property
    def keeps_row(self) -> bool:
        """Whether a draft may be saved: every value read, the period reportable."""
        return not self.unreadable and not any(m.code in ROW_BLOCKERS for m in self.messages)


class Outcome(StrEnum):
    REFUSED = "refused"  # blocking findings: nothing saved
    UNEXPLAINED = "unexplained"  # submitted with verification findings and no explanation: nothing saved
    EMPTY = "empty"  # nothing typed
    SAVED = "saved"  # a new revision (or a new submission)
    HANDED_IN = "handed_in"  # the same values as the draft, now submitted
    UNCHANGED = "unchanged"  # nothing to do


@dataclass(frozen=True)
class Saved:
    outcome: Outcome
    checked: Checked
    submission: Submission | None


# --- reading and checking ---------------------------------------------------------------------------


def check(target: Target, texts: Mapping[str, str], today: date) -> Checked:
    """Read and check the typed ``texts`` (item code → text) as an upload of one row would be."""
    items = target.items()
    if not any((texts.get(item.code) or "").strip() for item in items):
        return Checked(pl.DataFrame())  # nothing typed: nothing to check, nothing to save
    first = _read(target, items, texts)
    by_header = {header: code for code, header in first.columns.items() if code in target.form.items}
    unread = {by_header.get(p.column or "") for p in first.problems if p.severity == BLOCKING}
    messages = [
        Message(p.code, p.severity, by_header.get(p.column or ""), render_problem(p)) for p in first.problems
    ]
    frame = first.frame
    if unread:  # the other values are still checked: read again without the cells that could not be read
        frame = _read(target, items, {k: v for k, v in texts.items() if k not in unread}).frame
    checked = Checked(frame.head(0), messages, unreadable=bool(unread))
    if frame.is_empty():
        return checked
    rows = editions(with_organisation(frame, target.organisation), target.form)
    findings = validate(rows, target.form, context_for(rows, target.form, today), load_checks())
    for finding in findings:
        item = target.form.items.get(finding.item or "")
        text = render_problem(finding)  # the item, its unit and the periods by their display names
        about = finding.item if item is not None else None
        messages.append(Message(finding.code, finding.severity, about, text))
        if finding.severity == ADVISORY:
            checked.advisory_codes.append(finding.code)
    checked.rows = rows
    return checked


def _read(target: Target, items: list[Item], texts: Mapping[str, str]) -> Any:
    header = [IDENTITY["code"][0], IDENTITY["period"][0], *(item.aliases[0] for item in items)]
    row = [target.organisation.credit_code, target.key, *(texts.get(item.code) or None for item in items)]
    grid = pl.DataFrame(
        {f"c{j}": [name, value] for j, (name, value) in enumerate(zip(header, row, strict=True))},
        schema={f"c{j}": pl.String for j in range(len(header))},
    )
    return read_form_grid(Grid(grid, None), target.form, load_units())


# --- what is stored -------------------------------------------------------------------------------


def submission_of(target: Target) -> Submission | None:
    return Submission.objects.filter(
        organisation=target.organisation, form=target.form.id, period=target.key
    ).first()


def current_explanation(submission: Submission | None) -> str:
    """The explanation (填写说明) of the current revision, as the field shows it."""
    if submission is None:
        return ""
    found = Revision.objects.filter(submission=submission, number=submission.current).values_list(
        "explanation", flat=True
    )
    return next(iter(found), "")


def current_texts(submission: Submission | None) -> dict[str, str]:
    """The current revision's values as the fields show them (``5000``, ``1234.5``)."""
    if submission is None:
        return {}
    revision = Revision.objects.filter(submission=submission, number=submission.current).first()
    if revision is None:
        return {}
    values = revision.values if isinstance(revision.values, dict) else {}
    return {code: _text(value) for code, value in values.items() if value is not None}


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    with contextlib.suppress(InvalidOperation):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def last_return(submission: Submission | None) -> ReviewEvent | None:
    """The reviewer's return, while it is what the reporter must answer (no later submit or approval)."""
    if submission is None or submission.status in (Submission.Status.SUBMITTED, Submission.Status.APPROVED):
        return None
    last = submission.events.order_by("-at", "-pk").first()
    return last if last is not None and last.action == ReviewEvent.Action.RETURNED else None


# --- saving ---------------------------------------------------------------------------------------


def save(
    target: Target,
    texts: Mapping[str, str],
    *,
    submit: bool,
    user: User,
    today: date,
    explanation: str = "",
) -> Saved:
    """Check and save the typed values as a draft or submitted, with the unit's ``explanation``
    (填写说明) of what the checks flag; all or nothing."""
    checked = check(target, texts, today)
    explanation = explanation.strip()
    if checked.rows.is_empty() and not checked.unreadable:
        return Saved(Outcome.EMPTY, checked, submission_of(target))
    if not checked.keeps_row or (submit and checked.blocking):
        return Saved(Outcome.REFUSED, checked, submission_of(target))
    if submit and checked.to_explain and not explanation:
        return Saved(Outcome.UNEXPLAINED, checked, submission_of(target))
    status = Submission.Status.SUBMITTED if submit else Submission.Status.DRAFT
    author = user.get_username()
    rows = checked.rows.with_columns(pl.lit(None, pl.Int32).alias("row"))  # typed, not a file's row
    flags = cast(Mapping[int, list[str]], {None: checked.advisory_codes})  # the one row has no number
    with transaction.atomic():
        before = (
            Submission.objects.select_for_update()
            .filter(organisation=target.organisation, form=target.form.id, period=target.key)
            .first()
        )
        created, revised, _same = store(
            rows,
            target.form,
            None,
            flags,
            lambda *_: None,
            source=Revision.Source.ONLINE,
            author=author,
            user=user,
            status=status,
            explanations={None: explanation},
        )
        submission = submission_of(target)
        if created or revised:
            return Saved(Outcome.SAVED, checked, submission)
        handing_in = (
            submit
            and before is not None
            and before.status
            in (
                Submission.Status.DRAFT,
                Submission.Status.RETURNED,
            )
        )
        if not handing_in or submission is None:
            return Saved(Outcome.UNCHANGED, checked, submission)
        now = timezone.now()
        submission.status, submission.updated_at = Submission.Status.SUBMITTED, now
        submission.save(update_fields=["status", "updated_at"])
        ReviewEvent.objects.create(
            submission=submission,
            revision=submission.current,
            action=ReviewEvent.Action.SUBMITTED,
            actor=author,
            actor_user=user if getattr(user, "pk", None) else None,
            at=now,
        )
    return Saved(Outcome.HANDED_IN, checked, submission)


# --- the page's layout ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    unit: str
    kind: str
    integer: bool


@dataclass(frozen=True)
class Line:
    """One line of the page: an energy type's quantity and its cost side by side, or one other item."""

    label: str
    quantity: Field | None
    cost: Field | None


def lines(target: Target, lang: str) -> list[Line]:
    english = not lang.startswith("zh")
    items = target.items()

    def as_field(item: Item) -> Field:
        return Field(
            item.code, item.en if english else item.zh, shown_unit(item.unit, lang), item.kind, item.integer
        )

    costs = {item.energy: item for item in items if item.kind == "cost" and item.energy}
    paired = {costs[item.energy].code for item in items if item.kind == "quantity" and item.energy in costs}
    out: list[Line] = []
    for item in items:
        if item.code in paired:
            continue
        cost = costs.get(item.energy) if item.kind == "quantity" and item.energy else None
        if item.kind == "cost":
            out.append(Line(as_field(item).label, None, as_field(item)))
        else:
            out.append(Line(as_field(item).label, as_field(item), as_field(cost) if cost else None))
    return out
