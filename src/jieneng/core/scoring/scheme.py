"""A scoring scheme (评价考核计分表) as plain values, built and checked from its mapping.

A scheme has groups of items with points, the way each item is scored, grade bands, veto rules and
the consequences of each grade. Items are scored:

- ``hand``: by hand, 0 up to the item's points (input column ``<id>``);
- ``completion``: from the completion rate = actual reduction ÷ target reduction (columns
  ``<id>_target``, ``<id>_actual``), in bands of the rate (``from`` inclusive, ``to`` exclusive),
  with an optional over-achievement bonus ``over = {step, points, max}`` (国发〔2007〕36号: +3 per
  10 % over, at most +9);
- ``ratio``: the party's value ÷ its peers' average (``<id>_value``, ``<id>_peer``) in bands closed
  above (``≤ 0.9× → 7``); with ``certified_points`` a certified party (``<id>_certified``) gets
  them whatever its ratio (a 节水型单位 for the water item);
- ``yes_no``: the points when yes, 0 when no (``<id>``);
- ``count``: ``per`` points a unit counted, up to the item's points (``<id>``).

An item may name with ``data`` where the platform reads its inputs (``target:<indicator>``,
``statistics_on_time``, ``events:<kind>``, ``decomposition``); the core only carries it.

:func:`build_scheme` merges a scheme with the one it ``extends`` (groups and items by id, ``remove``
drops items; grades, vetoes and consequences replace the base's when given) and checks the result;
every problem found is an :class:`Issue` naming the item, and :class:`SchemeInvalid` carries them all.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jieneng.core.problems import scoring as declared

METHODS = ("hand", "completion", "ratio", "yes_no", "count")
VETO_WHEN = ("target_missed", "zero")
_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Band:
    """Points for a rate or ratio from ``low`` up to ``high`` (``None``: no upper bound)."""

    low: float
    high: float | None
    points: float


@dataclass(frozen=True, slots=True)
class Over:
    """Over-achievement bonus: ``points`` per whole ``step`` of completion above 100 %, at most ``max``."""

    step: float
    points: float
    max: float


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    group: str
    title: str
    points: float  # the item's maximum [points]
    method: str
    bands: tuple[Band, ...] = ()
    closed: str = "low"  # "low": a band includes its lower bound (rates); "high": its upper (ratios)
    over: Over | None = None
    per: float | None = None  # count: points per unit counted
    certified_points: float | None = None  # ratio: points of a certified party
    starred: bool = False  # 示范单位: a starred item at 0 fails the application
    bonus: bool = False  # in a bonus group: counted in the bonus, not the score
    source: str = ""
    status: str = "confirmed"
    data: str = ""  # where the platform reads the item's inputs from (``target:<indicator>`` …); "" by hand


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    title: str
    points: float
    bonus: bool = False


@dataclass(frozen=True, slots=True)
class Grade:
    name: str
    min: float  # the lowest total of the grade [points]


@dataclass(frozen=True, slots=True)
class Veto:
    """When an item of ``items`` meets ``when``, the grade is at most ``grade``, for ``reason``."""

    items: tuple[str, ...]
    when: str
    grade: str
    reason: str


@dataclass(frozen=True, slots=True)
class Consequence:
    grade: str
    kind: str  # praise, accountability, restricted_approval, reward, rectification …
    text: str
    reward_yuan: Decimal | None = None


@dataclass(frozen=True)
class Scheme:
    id: str
    version: str
    title: str
    source: str
    points: float
    bonus_points: float
    groups: tuple[Group, ...]
    items: dict[str, Item]
    grades: tuple[Grade, ...]  # highest first
    vetoes: tuple[Veto, ...] = ()
    consequences: tuple[Consequence, ...] = ()
    lineage: tuple[str, ...] = ()  # the id@version of the schemes it extends, nearest first
    status: str = "confirmed"

    @property
    def ref(self) -> str:
        """``id@version``: what every result records."""
        return f"{self.id}@{self.version}"

    def inputs(self) -> list[tuple[str, str, Item]]:
        """The input columns, as ``(column, kind, item)``; kind is score, target, actual, value, peer,
        certified, yes_no or count."""
        columns: list[tuple[str, str, Item]] = []
        for item in self.items.values():
            if item.method == "completion":
                columns += [(f"{item.id}_target", "target", item), (f"{item.id}_actual", "actual", item)]
            elif item.method == "ratio":
                columns += [(f"{item.id}_value", "value", item), (f"{item.id}_peer", "peer", item)]
                if item.certified_points is not None:
                    columns.append((f"{item.id}_certified", "certified", item))
            else:
                columns.append((item.id, {"hand": "score"}.get(item.method, item.method), item))
        return columns


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem of a scheme: its code (a :mod:`jieneng.core.problems.scoring` declaration), the id
    of the item, group or grade it is about, and the parameters of the code's template."""

    code: str
    item: str
    params: dict[str, Any] = field(default_factory=dict)


class SchemeInvalid(Exception):
    """The problems that keep a scheme from being built; the loader names their file and line."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__(f"{len(issues)} problem(s) in the scheme")
        self.issues = issues


def merge(data: dict[str, Any], base: dict[str, Any] | None) -> dict[str, Any]:
    """The mapping of a scheme that extends ``base``: groups and items merged by id, ``remove`` dropping
    items, other keys (grades, vetoes, consequences, title …) replacing the base's when given."""
    merged = copy.deepcopy(base or {})
    issues: list[Issue] = []
    for key in ("groups", "items"):
        rows = {row.get("id"): row for row in merged.get(key, [])}  # one row per id
        for row in data.get(key, []):
            if row.get("id") in rows:
                rows[row["id"]] = {**rows[row["id"]], **row}
            else:
                rows[row.get("id")] = dict(row)
        merged[key] = list(rows.values())
    for removed in data.get("remove", []):
        kept = [row for row in merged.get("items", []) if row.get("id") != removed]
        if len(kept) == len(merged.get("items", [])):
            issues.append(Issue(declared.SchemeUnknownItem.code, str(removed), {"what": "an item"}))
        merged["items"] = kept
    if issues:
        raise SchemeInvalid(issues)
    for key, value in data.items():
        if key not in ("groups", "items", "remove", "extends"):
            merged[key] = copy.deepcopy(value)
    merged.pop("extends", None)
    return merged


def build_scheme(data: dict[str, Any], lineage: tuple[str, ...] = ()) -> Scheme:
    """The scheme of a merged mapping (:func:`merge`); every problem found raises together."""
    checker = _Checker()
    scheme = checker.build(data, lineage)
    if checker.issues or scheme is None:
        raise SchemeInvalid(checker.issues)
    return scheme


class _Checker:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def bad(self, item: str, problem: str) -> None:
        self.issues.append(Issue(declared.SchemeNotWellFormed.code, item, {"problem": problem}))

    def number(self, row: dict[str, Any], key: str, item: str, *, required: bool = True) -> float | None:
        value = row.get(key)
        if value is None:
            if required:
                self.bad(item, f"the key “{key}” is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.bad(item, f"“{key}” must be a number ≥ 0, not {value!r}")
            return None
        return float(value)

    def build(self, data: dict[str, Any], lineage: tuple[str, ...]) -> Scheme | None:
        scheme_id = str(data.get("id", "?"))
        points = self.number(data, "points", scheme_id)
        bonus_points = self.number(data, "bonus_points", scheme_id, required=False) or 0.0
        groups = self.groups(data.get("groups", []))
        items = self.items(data.get("items", []), {g.id: g for g in groups})
        self.sums(scheme_id, points, bonus_points, groups, items)
        grades = self.grades(data.get("grades", []), scheme_id)
        vetoes = self.vetoes(data.get("vetoes", []), items, {g.name for g in grades})
        consequences = self.consequences(data.get("consequences", []), {g.name for g in grades})
        if self.issues or points is None:
            return None
        return Scheme(
            id=scheme_id,
            version=str(data["version"]),
            title=str(data.get("title", scheme_id)),
            source=str(data.get("source", "")),
            points=points,
            bonus_points=bonus_points,
            groups=tuple(groups),
            items=items,
            grades=grades,
            vetoes=vetoes,
            consequences=consequences,
            lineage=lineage,
            status=str(data.get("status", "confirmed")),
        )

    def groups(self, rows: list[dict[str, Any]]) -> list[Group]:
        groups: list[Group] = []
        for row in rows:
            gid = str(row.get("id", "?"))
            points = self.number(row, "points", gid)
            if points is not None:
                groups.append(Group(gid, str(row.get("title", gid)), points, bool(row.get("bonus", False))))
        return groups

    def items(self, rows: list[dict[str, Any]], groups: dict[str, Group]) -> dict[str, Item]:
        items: dict[str, Item] = {}
        for row in rows:
            item = self.item(row, groups)
            if item is not None:
                items[item.id] = item
        return items

    def item(self, row: dict[str, Any], groups: dict[str, Group]) -> Item | None:
        iid = str(row.get("id", "?"))
        points = self.number(row, "points", iid)
        method = row.get("method")
        group = groups.get(str(row.get("group")))
        if group is None:
            self.issues.append(
                Issue(declared.SchemeUnknownItem.code, str(row.get("group")), {"what": "a group"})
            )
        if method not in METHODS:
            self.bad(iid, f"the method {method!r} is not one of {', '.join(METHODS)}")
            return None
        if points is None or group is None:
            return None
        closed = "high" if method == "ratio" else "low"
        bands = self.bands(row, iid, points, closed) if method in ("completion", "ratio") else ()
        over = self.over(row.get("over"), iid) if method == "completion" else None
        per = self.number(row, "per", iid) if method == "count" else None
        certified = self.number(row, "certified_points", iid, required=False) if method == "ratio" else None
        if certified is not None and certified > points:
            self.bad(iid, f"certified_points {certified:g} is above the item's {points:g} points")
        return Item(
            id=iid,
            group=group.id,
            title=str(row.get("title", iid)),
            points=points,
            method=method,
            bands=bands,
            closed=closed,
            over=over,
            per=per,
            certified_points=certified,
            starred=bool(row.get("starred", False)),
            bonus=group.bonus,
            source=str(row.get("source", "")),
            status=str(row.get("status", "confirmed")),
            data=str(row.get("data", "")),
        )

    def bands(self, row: dict[str, Any], iid: str, points: float, closed: str) -> tuple[Band, ...]:
        rows = row.get("bands") or []
        if not rows:
            self.bad(iid, "a completion or ratio item needs its bands")
            return ()
        bands: list[Band] = []
        for band in rows:
            low = self.number(band, "from", iid, required=False) or 0.0
            high = self.number(band, "to", iid, required=False)
            got = self.number(band, "points", iid)
            if got is None:
                return ()
            if got > points:
                self.bad(iid, f"a band gives {got:g} points, above the item's {points:g}")
            bands.append(Band(low, high, got))
        bands.sort(key=lambda b: b.low)
        gap = self.band_gap(bands)
        if gap:
            self.issues.append(Issue(declared.SchemeBandGap.code, iid, {"problem": gap}))
        return tuple(bands)

    @staticmethod
    def band_gap(bands: list[Band]) -> str | None:
        if bands[0].low > _TOLERANCE:
            return f"start at {bands[0].low:g}, leaving 0–{bands[0].low:g} uncovered"
        for first, second in itertools.pairwise(bands):
            if first.high is None:
                return (
                    f"overlap: one from {first.low:g} has no upper bound but another starts at {second.low:g}"
                )
            if abs(first.high - second.low) > _TOLERANCE:
                kind = "leave a gap" if first.high < second.low else "overlap"
                return f"{kind} between {first.high:g} and {second.low:g}"
        if bands[-1].high is not None:
            return f"end at {bands[-1].high:g}; the last band needs no “to”"
        return None

    def over(self, row: Any, iid: str) -> Over | None:
        if row is None:
            return None
        if not isinstance(row, dict):
            self.bad(iid, "“over” is a table {step, points, max}")
            return None
        step, points, most = (self.number(row, key, iid) for key in ("step", "points", "max"))
        if step is None or points is None or most is None:
            return None
        if step <= 0:
            self.bad(iid, "the over-achievement step must be above 0")
            return None
        return Over(step, points, most)

    def sums(
        self,
        scheme_id: str,
        points: float | None,
        bonus_points: float,
        groups: list[Group],
        items: dict[str, Item],
    ) -> None:
        mismatch = declared.SchemePointsMismatch.code
        for group in groups:
            total = sum(i.points for i in items.values() if i.group == group.id)
            if abs(total - group.points) > _TOLERANCE:
                self.issues.append(
                    Issue(mismatch, group.id, {"points": f"{group.points:g}", "sum": f"{total:g}"})
                )
        for bonus, expected in ((False, points), (True, bonus_points)):
            total = sum(g.points for g in groups if g.bonus is bonus)
            if expected is not None and abs(total - expected) > _TOLERANCE:
                key = "bonus_points" if bonus else "points"
                self.issues.append(
                    Issue(mismatch, scheme_id, {"points": f"{expected:g} ({key})", "sum": f"{total:g}"})
                )

    def grades(self, rows: list[dict[str, Any]], scheme_id: str) -> tuple[Grade, ...]:
        grades: list[Grade] = []
        for row in rows:
            name = str(row.get("name", "?"))
            low = self.number(row, "min", name)
            if low is not None:
                grades.append(Grade(name, low))
        grades.sort(key=lambda g: -g.min)
        if not grades or grades[-1].min > _TOLERANCE:
            self.bad(scheme_id, "the grades need one from 0 points (min = 0)")
        if len({g.name for g in grades}) < len(grades) or len({g.min for g in grades}) < len(grades):
            self.bad(scheme_id, "two grades have the same name or the same min")
        return tuple(grades)

    def vetoes(
        self, rows: list[dict[str, Any]], items: dict[str, Item], grades: set[str]
    ) -> tuple[Veto, ...]:
        vetoes: list[Veto] = []
        for row in rows:
            named = row.get("items")
            named = [named] if isinstance(named, str) else list(named or [])
            unknown = [i for i in named if i not in items]
            for iid in unknown:
                self.issues.append(Issue(declared.SchemeVetoUnknownItem.code, str(iid)))
            label = ", ".join(map(str, named)) or "veto"
            if row.get("when") not in VETO_WHEN:
                self.bad(label, f"a veto's “when” is one of {', '.join(VETO_WHEN)}")
            elif row["when"] == "target_missed" and any(
                items[i].method != "completion" for i in named if i in items
            ):
                self.bad(label, "“target_missed” applies to completion items only")
            if row.get("grade") not in grades:
                self.bad(label, f"a veto's grade {row.get('grade')!r} is not one of the scheme's grades")
            if not named:
                self.bad(label, "a veto names its items")
            if not unknown and named:
                vetoes.append(
                    Veto(
                        tuple(named), str(row.get("when")), str(row.get("grade")), str(row.get("reason", ""))
                    )
                )
        return tuple(vetoes)

    def consequences(self, rows: list[dict[str, Any]], grades: set[str]) -> tuple[Consequence, ...]:
        found: list[Consequence] = []
        for row in rows:
            grade = str(row.get("grade"))
            if grade not in grades:
                self.bad(grade, "a consequence names a grade the scheme does not have")
                continue
            money = row.get("reward_yuan")
            reward = Decimal(str(money)) if money is not None else None
            found.append(Consequence(grade, str(row.get("kind", "")), str(row.get("text", "")), reward))
        return tuple(found)
