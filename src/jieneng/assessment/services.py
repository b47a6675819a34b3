"""The steps of an assessment round, each one transaction: open, start the self-check (items with data
filled from it), save or submit a self-check, verify with a reason per change, finalise (score with
the core, store each result with its inputs and the scheme), and recompute a finalised round from
its stored inputs. A step refused returns its problems, each naming the party and the item, and saves
nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.assessment import sources
from jieneng.assessment.evidence import Upload, store
from jieneng.assessment.models import Adjustment, Application, Entry, Party, Result, Round, State
from jieneng.core.scoring import Item, Scheme, score
from jieneng.directory.models import Organisation, Region
from jieneng.directory.services import subtree_ids_of
from jieneng.i18n import render
from jieneng.reference.schemes import scheme_mapping, scheme_of
from jieneng.targets import tasks
from jieneng.targets.models import Deployment

#: the rectification report is due this long after the round is finalised (国发〔2007〕36号: 一个月内)
RECTIFICATION_DAYS = 30


class Refused(Exception):
    """A step that cannot be taken; ``problems`` are messages in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def scheme(round_: Round) -> Scheme:
    """The round's scheme as it was when the round was opened."""
    return scheme_of(round_.scheme_data, tuple(round_.lineage))


# --- opening and moving on -----------------------------------------------------------------------


@transaction.atomic
def open_round(
    *,
    region: Region,
    title: str,
    scheme_ref: str,
    year: int,
    parties: Sequence[Region | Organisation],
    self_check_due: date,
    verification_due: date,
    user: Any = None,
) -> Round:
    """A new round of ``region``'s office with one entry per party and item (the scheme's mapping kept)."""
    if not parties:
        raise Refused([_("Choose at least one party to assess.")])
    if verification_due < self_check_due:
        raise Refused([_("The verification cannot be due before the self-check.")])
    mapping, lineage = scheme_mapping(scheme_ref)
    built = scheme_of(mapping, lineage)
    round_ = Round.objects.create(
        title=title,
        region=region,
        scheme=built.ref,
        scheme_data=mapping,
        lineage=list(lineage),
        year=year,
        self_check_due=self_check_due,
        verification_due=verification_due,
        created_by=user,
    )
    for place in parties:
        if isinstance(place, Region):
            party = Party.objects.create(round=round_, region=place, name=place.name)
        else:
            party = Party.objects.create(round=round_, organisation=place, name=place.name)
        Entry.objects.bulk_create(Entry(party=party, item=iid) for iid in built.items)
    return round_


def _fill_from_data(round_: Round, today: date) -> None:
    built = scheme(round_)
    parties = list(round_.parties.select_related("region"))
    entries = {(e.party_id, e.item): e for e in Entry.objects.filter(party__round=round_)}
    for item in built.items.values():
        if not item.data:
            continue
        for party_pk, (found, what) in sources.read(parties, item, round_.year, today).items():
            entry = entries[(party_pk, item.id)]
            if isinstance(found, dict):
                entry.inputs = found
            else:
                entry.value = found
            entry.source = what[:200]
            entry.save(update_fields=["inputs", "value", "source"])


@transaction.atomic
def advance(round_: Round, user: Any, today: date) -> Round:
    """Move the round on: opened → self-check (items with data filled) → verification (every party
    has submitted) → finalised (:func:`finalise`)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state == State.OPEN:
        _fill_from_data(round_, today)
        round_.state = State.SELF_CHECK
    elif round_.state == State.SELF_CHECK:
        waiting = list(round_.parties.filter(submitted_at__isnull=True).values_list("name", flat=True))
        if waiting:
            raise Refused([_("Not yet submitted: %(names)s.") % {"names": "、".join(waiting)}])
        round_.state = State.VERIFICATION
    elif round_.state == State.VERIFICATION:
        return finalise(round_, user)
    else:
        raise Refused([_("This round is finalised and locked.")])
    round_.save(update_fields=["state"])
    return round_


# --- self-check and verification -----------------------------------------------------------------


@dataclass
class ItemInput:
    """What a form gives for one item: a value (score, 1/0, count) or the inputs of a computed item."""

    value: float | None = None
    inputs: dict[str, float | None] = field(default_factory=dict)
    note: str = ""
    reason: str = ""
    files: list[Upload] = field(default_factory=list)


def _check_inputs(item: Item, given: ItemInput) -> str | None:
    names = ("target", "actual") if item.method == "completion" else ("value", "peer")
    if any(given.inputs.get(n) is None for n in names):
        return _("“%(item)s”: give both figures.") % {"item": item.title}
    if not given.inputs.get(names[0]) or (item.method == "ratio" and not given.inputs.get(names[1])):
        return _("“%(item)s”: the target or the peers' average cannot be 0.") % {"item": item.title}
    return None


def _check_value(item: Item, given: ItemInput) -> str | None:
    """Why the item's value cannot be stored (naming the item), or None."""
    if item.method in ("completion", "ratio"):
        return _check_inputs(item, given)
    value, names = given.value, {"item": item.title}
    if value is None:
        return _("“%(item)s”: no value given.") % names
    wrong = {
        "yes_no": value not in (0.0, 1.0),
        "count": value < 0 or value != int(value),
        "hand": not 0 <= value <= item.points,
    }
    if not wrong.get(item.method, False):
        return None
    if item.method == "yes_no":
        return _("“%(item)s”: answer yes or no.") % names
    if item.method == "count":
        return _("“%(item)s”: a count is a whole number ≥ 0, not %(value)s.") % {**names, "value": value}
    return _("“%(item)s”: %(value)s is outside 0–%(max)s points.") % {
        **names,
        "value": f"{value:g}",
        "max": f"{item.points:g}",
    }


def _entries(party: Party) -> dict[str, Entry]:
    return {e.item: e for e in Entry.objects.select_for_update().filter(party=party)}


@transaction.atomic
def save_self_check(party: Party, given: Mapping[str, ItemInput], *, submit: bool, user: Any) -> list[str]:
    """Store the party's self-check (every item checked first; nothing saved when one is wrong);
    with ``submit`` the self-check goes to the check team and can no longer be changed."""
    party = Party.objects.select_for_update().select_related("round").get(pk=party.pk)
    if party.round.state != State.SELF_CHECK or party.submitted_at is not None:
        return [_("The self-check of %(party)s is closed.") % {"party": party.name}]
    built = scheme(party.round)
    problems = [
        p for iid, g in given.items() if iid in built.items if (p := _check_value(built.items[iid], g))
    ]
    problems += [
        _("No item “%(item)s” in the scheme.") % {"item": iid} for iid in given if iid not in built.items
    ]
    entries = _entries(party)
    if submit:
        for iid, item in built.items.items():
            g = given.get(iid)
            computed = item.method in ("completion", "ratio")
            has = (
                (bool(g.inputs) if computed else g.value is not None)
                if g is not None
                else (bool(entries[iid].inputs) if computed else entries[iid].value is not None)
            )
            if not has and (g is None or _check_value(item, g) is None):
                problems.append(_("“%(item)s”: no value given.") % {"item": item.title})
    upload_problems = [p for g in given.values() for f in g.files if (p := f.problem())]
    problems += upload_problems
    if problems:
        return problems
    for iid, g in given.items():
        entry = entries[iid]
        if built.items[iid].method in ("completion", "ratio"):
            entry.inputs = dict(g.inputs)
        else:
            entry.value = g.value
        entry.note = g.note[:500]
        entry.save(update_fields=["value", "inputs", "note"])
        for upload in g.files:
            store(entry, upload, user)
    if submit:
        party.submitted_at, party.submitted_by = timezone.now(), user
        party.save(update_fields=["submitted_at", "submitted_by"])
    return []


def current(entry: Entry) -> tuple[float | None, dict[str, Any]]:
    value = entry.verified if entry.verified is not None else entry.value
    inputs = entry.verified_inputs if entry.verified_inputs is not None else entry.inputs
    return value, dict(inputs or {})


@transaction.atomic
def verify(party: Party, given: Mapping[str, ItemInput], *, user: Any) -> list[str]:
    """The check team's verification of one party: each changed item needs its reason; every change
    is kept as an :class:`Adjustment`."""
    party = Party.objects.select_for_update().select_related("round").get(pk=party.pk)
    if party.round.state != State.VERIFICATION:
        return [_("The round is not in verification.")]
    built = scheme(party.round)
    entries = _entries(party)
    changes: list[tuple[Entry, Item, ItemInput]] = []
    problems: list[str] = []
    for iid, g in given.items():
        item = built.items.get(iid)
        if item is None:
            problems.append(_("No item “%(item)s” in the scheme.") % {"item": iid})
            continue
        value, inputs = current(entries[iid])
        computed = item.method in ("completion", "ratio")
        same = dict(g.inputs) == inputs if computed else g.value == value
        if same:
            continue
        if (p := _check_value(item, g)) is not None:
            problems.append(p)
        elif not g.reason.strip():
            problems.append(_("“%(item)s”: give the reason for the change.") % {"item": item.title})
        else:
            changes.append((entries[iid], item, g))
    if problems:
        return problems
    for entry, item, g in changes:
        before, figures = current(entry)
        if item.method in ("completion", "ratio"):
            entry.verified_inputs = dict(g.inputs)
            Adjustment.objects.create(
                entry=entry,
                old=None,
                new=None,
                old_inputs=figures,
                new_inputs=dict(g.inputs),
                reason=g.reason[:500],
                user=user,
            )
        else:
            entry.verified = g.value
            Adjustment.objects.create(entry=entry, old=before, new=g.value, reason=g.reason[:500], user=user)
        entry.save(update_fields=["verified", "verified_inputs"])
    party.verified_at = timezone.now()
    party.save(update_fields=["verified_at"])
    return []


# --- finalising ----------------------------------------------------------------------------------


_VALUE, _YES_NO, _COMPLETION, _RATIO = range(4)


def _plan(built: Scheme) -> list[tuple[str, int, tuple[str, ...]]]:
    """Each item's id, kind of input and input columns (:meth:`Scheme.inputs`), worked out once."""
    out: list[tuple[str, int, tuple[str, ...]]] = []
    for iid, item in built.items.items():
        if item.method == "completion":
            out.append((iid, _COMPLETION, (f"{iid}_target", f"{iid}_actual")))
        elif item.method == "ratio":
            certified = (f"{iid}_certified",) if item.certified_points is not None else ()
            out.append((iid, _RATIO, (f"{iid}_value", f"{iid}_peer", *certified)))
        else:
            out.append((iid, _YES_NO if item.method == "yes_no" else _VALUE, (iid,)))
    return out


def input_row(built: Scheme, entries: Mapping[str, Entry], row: int, name: str) -> dict[str, Any]:
    """One party's input columns of the core (:meth:`Scheme.inputs`), from its current entries."""
    return _input_row(_plan(built), entries, row, name)


def _input_row(
    plan: list[tuple[str, int, tuple[str, ...]]], entries: Mapping[str, Entry], row: int, name: str
) -> dict[str, Any]:
    # the check team's figures where it changed them (as :func:`current`), without copying
    out: dict[str, Any] = {"row": row, "party": name}
    for iid, kind, columns in plan:
        entry = entries.get(iid)
        if kind < _COMPLETION:
            value = None if entry is None else entry.verified
            if value is None and entry is not None:
                value = entry.value
            out[iid] = value if kind == _VALUE or value is None else bool(value)
            continue
        inputs = None if entry is None else entry.verified_inputs
        if inputs is None:
            inputs = (entry.inputs if entry is not None else None) or {}
        first, second = ("target", "actual") if kind == _COMPLETION else ("value", "peer")
        out[columns[0]], out[columns[1]] = inputs.get(first), inputs.get(second)
        if len(columns) == 3:
            out[columns[2]] = bool(inputs.get("certified"))
    return out


def input_rows(
    built: Scheme, parties: Sequence[tuple[int, str, Mapping[str, Entry]]]
) -> list[dict[str, Any]]:
    """The input rows of many parties (row id, name, current entries), the columns worked out once."""
    plan = _plan(built)
    return [_input_row(plan, entries, row, name) for row, name, entries in parties]


def _schema(built: Scheme) -> dict[str, Any]:
    schema: dict[str, Any] = {"row": pl.Int64, "party": pl.String}
    for column, kind, _item in built.inputs():
        schema[column] = pl.Boolean if kind in ("yes_no", "certified") else pl.Float64
    return schema


def score_rows(built: Scheme, rows: list[dict[str, Any]]) -> tuple[pl.DataFrame, list[str]]:
    frame = pl.DataFrame(rows, schema=_schema(built), orient="row")
    scored = score(built, frame)
    return scored.frame, [render(p) for p in scored.problems]


@transaction.atomic
def finalise(round_: Round, user: Any) -> Round:
    """Score every party from its verified entries and lock the round."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != State.VERIFICATION:
        raise Refused([_("Only a round in verification can be finalised.")])
    built = scheme(round_)
    parties = list(round_.parties.order_by("pk"))
    by_party: dict[int, dict[str, Entry]] = {}
    for entry in Entry.objects.filter(party__round=round_):
        by_party.setdefault(entry.party_id, {})[entry.item] = entry
    rows = input_rows(built, [(p.pk, p.name, by_party.get(p.pk, {})) for p in parties])
    frame, problems = score_rows(built, rows)
    ungraded = frame.filter(pl.col("grade").is_null())["party"].to_list()
    if problems or ungraded:
        raise Refused(
            problems or [_("Not every item is scored: %(names)s.") % {"names": "、".join(ungraded)}]
        )
    inputs = {r["row"]: r for r in rows}
    item_ids = [c for i in built.items.values() for c in (i.id, f"{i.id}_over") if c in frame.columns]
    for out in frame.iter_rows(named=True):
        money = out["reward_yuan"]
        Result.objects.create(
            party_id=out["row"],
            score=out["score"],
            bonus=out["bonus"],
            total=out["total"],
            grade=out["grade"],
            vetoed=bool(out["vetoed"]),
            veto_reason=(out["veto_reason"] or "")[:500],
            rank=out["rank"],
            consequences=(out["consequences"] or "")[:500],
            reward_yuan=Decimal(str(money)) if money is not None else None,
            items={c: out[c] for c in item_ids},
            inputs={k: v for k, v in inputs[out["row"]].items() if k not in ("row", "party")},
            scheme=built.ref,
        )
    round_.state, round_.finalised_at = State.FINALISED, timezone.now()
    round_.save(update_fields=["state", "finalised_at"])
    deploy_rectification(round_, user)
    return round_


def deploy_rectification(round_: Round, user: Any) -> int:
    """Deploy the rectification-report tasks of a finalised round (:func:`rectification_tasks`)
    through the targets' deployments, one task to each region graded so; the number deployed. An
    organisation party is told by the grade table and its office (deployments go to regions)."""
    deployed = 0
    for task in rectification_tasks(round_):
        if task.party.region is None:
            continue
        tasks.deploy_task(
            round_.region,
            task.title,
            task.due,
            [task.party.region],
            description=task.reason,
            kind=Deployment.Kind.RECTIFICATION,
            user=user,
            today=timezone.localdate(round_.finalised_at),
        )
        deployed += 1
    return deployed


def recompute(round_: Round) -> list[str]:
    """Score a finalised round again from its stored inputs and scheme; the parties whose total or
    grade would differ (none: the round is reproducible)."""
    built = scheme(round_)
    results = list(Result.objects.filter(party__round=round_).select_related("party"))
    rows = [{"row": r.party_id, "party": r.party.name, **r.inputs} for r in results]
    if not rows:
        return []
    frame, _problems = score_rows(built, rows)
    again = {r["row"]: (r["total"], r["grade"]) for r in frame.iter_rows(named=True)}
    return [r.party.name for r in results if again.get(r.party_id) != (r.total, r.grade)]


# --- what follows from the results ---------------------------------------------------------------


@dataclass(frozen=True)
class RectificationTask:
    """A task to deploy to a party graded 未完成: hand in a written rectification report by ``due``."""

    party: Party
    title: str
    due: date
    reason: str


def rectification_due(finalised: date) -> date:
    """The day a rectification report is due after a round finalised on ``finalised``."""
    return finalised + timedelta(days=RECTIFICATION_DAYS)


def accepted_units(region: Region, year: int) -> list[str]:
    """The names of the units of ``region`` and below accepted as demonstration units in ``year``."""
    accepted = Application.objects.filter(
        year=year, accepted=True, organisation__region_id__in=subtree_ids_of(region.code)
    ).order_by("organisation__name")
    return list(dict.fromkeys(accepted.values_list("organisation__name", flat=True)))


def finalised_round(region: Region, year: int) -> tuple[Round, list[Result]] | None:
    """The latest round the office of ``region`` finalised for ``year`` and its results by rank (the
    read service of the documents); None when there is none."""
    round_ = (
        Round.objects.filter(region=region, year=year, state=State.FINALISED)
        .order_by("-finalised_at")
        .first()
    )
    if round_ is None:
        return None
    results = list(
        Result.objects.filter(party__round=round_).select_related("party").order_by("rank", "party__name")
    )
    return round_, results


def rectification_tasks(round_: Round) -> list[RectificationTask]:
    """What would be deployed after finalising: one rectification-report task per party whose grade
    carries a ``rectification`` consequence in the scheme, due :data:`RECTIFICATION_DAYS` after the
    round was finalised; :func:`deploy_rectification` deploys them when the round is finalised."""
    if round_.finalised_at is None:
        return []
    built = scheme(round_)
    grades = {c.grade: c.text for c in built.consequences if c.kind == "rectification"}
    due = rectification_due(timezone.localdate(round_.finalised_at))
    found = []
    for result in Result.objects.filter(party__round=round_).select_related("party").order_by("rank", "pk"):
        if result.grade in grades:
            title = _("%(party)s: %(text)s") % {"party": result.party.name, "text": grades[result.grade]}
            found.append(RectificationTask(result.party, title, due, result.veto_reason or result.grade))
    return found


def consequence_lists(round_: Round, results: Sequence[Result]) -> list[dict[str, Any]]:
    """The reward and penalty lists: for each consequence of the scheme, the parties whose grade
    carries it (praise, accountability, restricted approvals, rectification, reward money)."""
    built = scheme(round_)
    lists = []
    for consequence in built.consequences:
        names = [r.party.name for r in results if r.grade == consequence.grade]
        if names:
            lists.append({"consequence": consequence, "parties": names})
    return lists
