"""Use cases of the registry: bulk, idempotent loads of regions, organisations and yearly facts, and the
region tree that the indicator roll-ups need.

Loads compare with what is stored and only create or change what differs, so loading the same frame
twice changes nothing. Call them inside the caller's transaction (``reporting.services.load_demo``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.db.models import Q
from django.utils import timezone

from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.reference.divisions import DivisionTable, UnknownDivision, load_divisions

#: valid_from for a code that is neither in the frame's dates nor in the GB/T 2260 table
#: (GB/T 2260 was first issued in 1980)
EARLIEST = date(1980, 1, 1)


def load_regions(frame: pl.DataFrame) -> int:
    """Store regions from ``code, name, level, parent_code`` (optional ``valid_from, valid_to``).

    Without dates a row takes the validity of the code's latest row in the GB/T 2260 table. A parent is
    the row of ``parent_code`` valid on the child's ``valid_from`` (else its latest row). Returns the
    number of rows created or changed.
    """
    divisions = load_divisions()
    changed = 0
    for level in sorted(frame["level"].unique().to_list()):
        rows = frame.filter(pl.col("level") == level).to_dicts()
        wanted = [_region_values(row, divisions) for row in rows]
        codes = {v["code"] for v in wanted} | {r["parent_code"] for r in rows if r["parent_code"]}
        stored = list(Region.objects.filter(code__in=codes))
        by_key = {(r.code, r.valid_from): r for r in stored}
        new, updated = [], []
        for values, row in zip(wanted, rows, strict=True):
            values["parent_id"] = _pick(stored, row["parent_code"], values["valid_from"])
            region = by_key.get((values["code"], values["valid_from"]))
            if region is None:
                new.append(Region(**values))
            elif any(getattr(region, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(region, key, value)
                updated.append(region)
        Region.objects.bulk_create(new)
        Region.objects.bulk_update(updated, ["name", "level", "parent", "valid_to"])
        changed += len(new) + len(updated)
    return changed


def _region_values(row: Mapping[str, Any], divisions: DivisionTable) -> dict[str, Any]:
    valid_from, valid_to = row.get("valid_from"), row.get("valid_to")
    if valid_from is None:
        try:
            known = divisions.get(str(row["code"]))
            valid_from, valid_to = known.valid_from, known.valid_to
        except UnknownDivision:
            valid_from, valid_to = EARLIEST, None
    return {
        "code": str(row["code"]),
        "name": str(row["name"]),
        "level": int(row["level"]),
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


def _pick(regions: list[Region], code: str | None, day: date) -> int | None:
    """The id of the row of ``code`` valid on ``day``, else of its latest row; None without a code."""
    if not code:
        return None
    rows = sorted((r for r in regions if r.code == code), key=lambda r: r.valid_from)
    if not rows:
        raise UnknownDivision(code, day)
    valid = [r for r in rows if r.valid_on(day)]
    return (valid or rows)[-1].pk


def current_region_ids(codes: set[str]) -> dict[str, int]:
    """Region id for each code: the row in force today, else the code's latest row."""
    today = timezone.localdate()
    rows: dict[str, list[Region]] = {}
    for region in Region.objects.filter(code__in=codes).order_by("valid_from"):
        rows.setdefault(region.code, []).append(region)
    found = {code: ([r for r in same if r.valid_on(today)] or same)[-1].pk for code, same in rows.items()}
    missing = sorted(codes - found.keys())
    if missing:
        raise UnknownDivision(", ".join(missing))
    return found


_ORG_FIELDS = ("name", "type_code", "region_id", "address")


def load_organisations(frame: pl.DataFrame) -> dict[int, int]:
    """Store organisations from ``org, credit_code, name, type_code, region, supervisor, address``.

    The credit code identifies an organisation; ``org`` and ``supervisor`` are the frame's own ids.
    Returns the stored id of each frame ``org``, for :func:`load_facts` and the records.
    """
    rows = frame.to_dicts()
    regions = current_region_ids({str(row["region"]) for row in rows})
    credit_codes = frame["credit_code"].to_list()
    stored = {o.credit_code: o for o in Organisation.objects.filter(credit_code__in=credit_codes)}
    new, updated = [], []
    for row in rows:
        values = {
            "name": row["name"],
            "type_code": row["type_code"],
            "region_id": regions[str(row["region"])],
            "address": row.get("address") or "",
        }
        org = stored.get(row["credit_code"])
        if org is None:
            org = Organisation(credit_code=row["credit_code"], **values)
            new.append(org)
            stored[org.credit_code] = org
        elif any(getattr(org, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(org, key, value)
            updated.append(org)
    Organisation.objects.bulk_create(new)
    Organisation.objects.bulk_update(updated, list(_ORG_FIELDS))
    ids = dict(Organisation.objects.filter(credit_code__in=credit_codes).values_list("credit_code", "pk"))
    org_ids = {int(row["org"]): ids[row["credit_code"]] for row in rows}
    supervised = []
    for row in rows:
        org = stored[row["credit_code"]]
        org.pk = ids[row["credit_code"]]
        supervisor = org_ids.get(int(row["supervisor"])) if row.get("supervisor") is not None else None
        if org.supervisor_id != supervisor:
            org.supervisor_id = supervisor
            supervised.append(org)
    Organisation.objects.bulk_update(supervised, ["supervisor"])
    return org_ids


def load_facts(frame: pl.DataFrame, org_ids: Mapping[int, int] | None = None) -> int:
    """Store yearly facts from ``org, year, area_m2, persons, vehicles``; one row per organisation and year.

    ``org_ids`` maps the frame's ``org`` to stored ids (from :func:`load_organisations`); without it
    ``org`` is the stored id. Returns the number of rows created or changed.
    """
    facts = frame.with_columns(pl.col("area_m2").cast(pl.Decimal(12, 2)))
    if "vehicles" not in facts.columns:
        facts = facts.with_columns(pl.lit(0).alias("vehicles"))
    wanted = {}
    for row in facts.iter_rows(named=True):
        org = org_ids[int(row["org"])] if org_ids is not None else int(row["org"])
        wanted[(org, int(row["year"]))] = {
            "building_area_m2": row["area_m2"] or Decimal(0),
            "persons": int(row["persons"] or 0),
            "vehicles": int(row["vehicles"] or 0),
        }
    stored = {
        (f.organisation_id, f.year): f
        for f in OrganisationYear.objects.filter(
            organisation_id__in={org for org, _ in wanted}, year__in={year for _, year in wanted}
        )
    }
    new, updated = [], []
    for (org, year), values in wanted.items():
        fact = stored.get((org, year))
        if fact is None:
            new.append(OrganisationYear(organisation_id=org, year=year, **values))
        elif any(getattr(fact, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(fact, key, value)
            updated.append(fact)
    OrganisationYear.objects.bulk_create(new, batch_size=5000)
    OrganisationYear.objects.bulk_update(
        updated, ["building_area_m2", "persons", "vehicles"], batch_size=2000
    )
    return len(new) + len(updated)


def region_tree(code: str, on: date | None = None) -> pl.DataFrame:
    """The region ``code`` and its descendants valid on ``on`` (default today): ``code, name, level,
    parent_code``, each parent before its children; the top row's ``parent_code`` is null.

    Raises :class:`~jieneng.reference.divisions.UnknownDivision` for a code not valid on that day.
    """
    day = on or timezone.localdate()
    # GB/T 2260: every division shares the first two digits of its province
    rows = Region.objects.valid_on(day).filter(code__startswith=code[:2])
    children: dict[str | None, list[tuple[str, str, int]]] = {}
    found = None
    for child, name, level, parent in rows.values_list("code", "name", "level", "parent__code"):
        children.setdefault(parent, []).append((child, name, level))
        if child == code:
            found = (child, name, level)
    if found is None:
        raise UnknownDivision(code, on)
    out: list[tuple[str, str, int, str | None]] = [(*found, None)]
    for current, _name, _level, _parent in out:
        out.extend((*row, current) for row in sorted(children.get(current, [])))
    return pl.DataFrame(
        out,
        schema={"code": pl.String, "name": pl.String, "level": pl.Int8, "parent_code": pl.String},
        orient="row",
    )


def region_with_children(code: str, on: date | None = None) -> pl.DataFrame:
    """The region ``code`` and the regions directly below it valid on ``on`` (default today), in the
    shape of :func:`region_tree`: one query, where a dashboard needs no deeper level.

    Raises :class:`~jieneng.reference.divisions.UnknownDivision` for a code not valid on that day.
    """
    day = on or timezone.localdate()
    rows = Region.objects.valid_on(day).filter(Q(code=code) | Q(parent__code=code))
    found, children = None, []
    for child, name, level, parent in rows.values_list("code", "name", "level", "parent__code"):
        if child == code:
            found = (child, name, level, None)
        elif parent == code:
            children.append((child, name, level, code))
    if found is None:
        raise UnknownDivision(code, on)
    return pl.DataFrame(
        [found, *sorted(children)],
        schema={"code": pl.String, "name": pl.String, "level": pl.Int8, "parent_code": pl.String},
        orient="row",
    )


def top_region_code() -> str | None:
    """The deepest region holding every organisation (the place the data is about); None when empty."""
    codes = set(Organisation.objects.values_list("region__code", flat=True).distinct())
    if not codes:
        return None
    parents = dict(Region.objects.current().values_list("code", "parent__code"))
    chains = []
    for code in codes:
        chain: list[str] = []
        current: str | None = code
        while current and current not in chain:
            chain.append(current)
            current = parents.get(current)
        chains.append(chain[::-1])
    common = None
    for level in zip(*chains, strict=False):
        if len(set(level)) > 1:
            break
        common = level[0]
    return common


def subtree_ids(roots: Iterable[int]) -> set[int]:
    """``roots`` (region row ids) and every region row below them through ``parent``, any validity.

    One query per province concerned: GB/T 2260 divisions share their province's first two digits."""
    found = set(roots)
    if not found:
        return found
    prefixes = {code[:2] for code in Region.objects.filter(pk__in=found).values_list("code", flat=True)}
    q = Q()
    for prefix in prefixes:
        q |= Q(code__startswith=prefix)
    children: dict[int | None, list[int]] = {}
    for pk, parent in Region.objects.filter(q).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    todo = list(found)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def subtree_ids_of(code: str) -> set[int]:
    """Ids of the region rows of ``code`` (any validity) and of every region below them."""
    return subtree_ids(Region.objects.filter(code=code).values_list("pk", flat=True))
