"""Reproducible demo data: a prefecture city modelled on 揭阳市, and a synthetic national year.

:func:`generate_city` builds the registry (名录库) of a city's public institutions from the GB/T 2260
division table, their yearly facts and monthly energy and water records, calibrated so that annual
intensities land near the published Guangdong 2021 averages by type, and plants a few deliberate
problems (:attr:`DemoData.planted`) for validation to find. :func:`generate_national` makes a
national-size year on a synthetic region tree for benchmarks, with numpy and Polars only.

Both draw everything from ``numpy.random.default_rng(seed)``: the same arguments give identical
frames. The assumptions (names, intensities, seasons, prices) are in :mod:`jieneng.demo.profiles`;
energy is converted with the ``public-institution`` coefficient set (electricity at 当量值).

The city lives on a ``today`` (default: the date in Asia/Shanghai): complete years up to last year,
this year up to the last closed month, and the reports of the latest periods as an office sees them
on that day (:attr:`DemoData.reports`): a few units late or still missing past the deadline, some
reports returned by a reviewer and handed in again, the newest ones still awaiting review, the open
period (its deadline ahead) reported by some of the units so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl

from jieneng.core import credit_code
from jieneng.demo import profiles as P
from jieneng.reference import load_coefficient_set, load_units
from jieneng.reference.deadlines import load_deadlines, period_end
from jieneng.reference.divisions import Division, load_divisions

ENERGY_CODES = tuple(code for code, _, _, _ in P.ENERGIES)
UNITS = ("kWh", "万kWh", "t", "万t", "m3", "L", "kg")
_SEASON_KEYS = tuple(P.SEASONS)
_SEASON = np.array([P.SEASONS[key] for key in _SEASON_KEYS])
_SEASON /= _SEASON.mean(axis=1, keepdims=True)
_DIGITS = "零一二三四五六七八九"
_CHUNK = 400_000  # organisation-years per block of monthly rows


class Planted(TypedDict):
    """A deliberate problem of :func:`generate_city`'s records (``kind`` a key of ``profiles.PLANTED``):
    where it is (``month`` None: the whole year), the energy and unit it touches, its factor, and what
    a reviewer should be told."""

    kind: str
    org: int
    year: int
    month: int | None
    energy_type: str | None
    unit: str | None
    factor: float | None
    description: str


@dataclass(frozen=True)
class DemoData:
    """A city's registry, yearly facts and monthly records; ``planted`` lists the deliberate problems."""

    seed: int
    regions: pl.DataFrame  # code, name, level (1 province, 2 prefecture, 3 county), parent_code
    organisations: pl.DataFrame  # org, credit_code, name, type_code, kind, region, supervisor, address
    facts: pl.DataFrame  # org, year, area_m2 [m²], persons [人], vehicles
    records: pl.DataFrame  # org, region, year, month, energy_type, quantity, unit, cost [元]
    planted: tuple[Planted, ...]
    today: date
    #: one row per reported (org, year, month): submitted, approved (dates; approved null unless
    #: approved), status (approved, submitted, returned, resubmitted), reason (of a return, else null).
    #: Records of what is not reported on ``today`` are not in ``records``.
    reports: pl.DataFrame


@dataclass(frozen=True)
class NationalData:
    """A synthetic national year: region tree, facts and records (energy_type, unit, region as Enum)."""

    regions: pl.DataFrame
    facts: pl.DataFrame
    records: pl.DataFrame


def _lognormal(rng: np.random.Generator, sigma: float, size: int | tuple[int, ...]) -> np.ndarray:
    """Factors with mean 1 and log-spread ``sigma``."""
    return rng.lognormal(-sigma * sigma / 2, sigma, size)


def _spread(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """Unit-to-unit factors (log-spread ``SIGMA_UNIT``) scaled to a mean of exactly 1 within each kind."""
    factor = _lognormal(rng, P.SIGMA_UNIT, len(kind))
    sums = np.bincount(kind, factor, minlength=len(P.KINDS))
    spread: np.ndarray = factor / (sums / np.maximum(np.bincount(kind, minlength=len(P.KINDS)), 1))[kind]
    return spread


def _enum(categories: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """An Enum series from category indices."""
    return pl.Series(categories, dtype=pl.Enum(categories)).gather(codes.astype(np.uint32))


def _kinds(field: str) -> np.ndarray:
    return np.array([getattr(kind, field) for kind in P.KINDS])


def _season_of(energy: str, kind: P.Kind) -> int:
    """Row of the season table for ``energy`` used by ``kind`` (electricity follows the kind)."""
    key = kind.season if energy == "electricity" else P.ENERGY_SEASONS[energy][kind.season == "school"]
    return _SEASON_KEYS.index(key)


def _kgce_factors() -> dict[str, float]:
    """kgce per default unit of each demo energy, from the public-institution coefficient set."""
    coefficients, units = load_coefficient_set("public-institution"), load_units()
    return {code: coefficients.factor(code, units.parse(unit), units) for code, unit, _, _ in P.ENERGIES}


# --- the registry -------------------------------------------------------------------------------


def _ordinal(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (
        (_DIGITS[tens] if tens > 1 else "")
        + ("十" if tens else "")
        + (_DIGITS[ones] if ones or not tens else "")
    )


def _places(scope: str, city: Division, counties: list[Division]) -> list[tuple[str, str, str]]:
    """(region code, county name, town) where a pattern of ``scope`` is instantiated."""
    if scope == "city":
        return [(city.code, "", "")]
    if scope == "county":
        return [(county.code, county.name, "") for county in counties]
    wanted = {"township": ("镇", "乡"), "subdistrict": ("街道",), "town": ("镇", "乡", "街道")}[scope]
    return [
        (c.code, c.name, town) for c in counties for town in P.TOWNS.get(c.code, ()) if town.endswith(wanted)
    ]


def _candidates(
    rng: np.random.Generator, kind: P.Kind, city: Division, counties: list[Division]
) -> list[tuple[str, str, str]]:
    """Distinct (name, region, town) for ``kind``: tier 0 first, then low ordinals, shuffled within."""
    short = city.name.removesuffix("市")
    found: dict[str, tuple[int, int, float, str, str, str]] = {}
    for pattern, scope, tier in kind.names:
        for n in range(1, 21) if "{n}" in pattern else (0,):
            for region, county, town in _places(scope, city, counties):
                name = pattern.format(city=city.name, short=short, county=county, town=town, n=_ordinal(n))
                rank = n if n else int(rng.integers(1, 6))
                found.setdefault(name, (tier, rank, float(rng.random()), name, region, town))
    return [item[3:] for item in sorted(found.values())]


def _allocate(total: int, weights: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Split ``total`` by ``weights`` (largest remainder), at least one each, within ``capacity``."""
    exact = total * weights / weights.sum()
    counts: np.ndarray = np.minimum(np.maximum(np.floor(exact).astype(int), 1), capacity)
    for index in np.argsort(-(exact - np.floor(exact)), kind="stable"):
        if counts.sum() >= total:
            break
        counts[index] += counts[index] < capacity[index]
    while counts.sum() < total and (counts < capacity).any():
        counts[np.argmax(capacity - counts)] += 1
    return counts


def _registry(
    rng: np.random.Generator, city: Division, counties: list[Division], institutions: int, province: str
) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """The organisations frame, each one's kind index and size factor (1.5 at the city level)."""
    rows: list[tuple[int, str, str, str]] = []  # kind index, name, region, town
    departments: dict[tuple[str, str], int] = {}  # (region, department key) → org id
    for place, level in [(city, 0), *((county, 1) for county in counties)]:
        for suffix, key, at_city, at_county in P.DEPARTMENTS:
            if (at_city, at_county)[level]:
                rows.append((0, place.name + suffix, place.code, ""))
                departments[place.code, key] = len(rows)
    pools = [_candidates(rng, kind, city, counties) for kind in P.KINDS[1:]]
    remaining = institutions - len(rows)
    if remaining < len(pools):
        raise ValueError(f"institutions must be at least {len(rows) + len(pools)} for {city.name}")
    counts = _allocate(remaining, _kinds("weight")[1:], np.array([len(pool) for pool in pools]))
    for index, (pool, count) in enumerate(zip(pools, counts, strict=True), start=1):
        rows += [(index, name, region, town) for name, region, town in pool[:count]]
    seat = next((c for c in counties if c.name.endswith("区")), counties[0])
    names = {c.code: c.name for c in counties}
    seen: set[str] = set()
    table = []
    for org, (kind_index, name, region, town) in enumerate(rows, start=1):
        kind = P.KINDS[kind_index]
        registration, category = P.REGISTRATION[kind.type_code]
        code = ""
        while not code or code in seen:
            code = credit_code.make(registration, category, region, f"{int(rng.integers(10**8)):08d}")
        seen.add(code)
        boss = kind.supervisor
        supervisor = departments.get((region, boss), departments.get((city.code, boss))) if boss else None
        county = names.get(region, seat.name)
        road = P.ROADS[int(rng.integers(len(P.ROADS)))]
        address = f"{province}{city.name}{county}{town}{road}{int(rng.integers(1, 300))}号"
        table.append((org, code, name, kind.type_code, kind.key, region, supervisor, address))
    columns = ("org", "credit_code", "name", "type_code", "kind", "region", "supervisor", "address")
    schema = dict.fromkeys(columns, pl.String) | {"org": pl.Int32, "supervisor": pl.Int32}
    frame = pl.DataFrame(table, schema=schema, orient="row")
    kinds = np.array([row[0] for row in rows], dtype=np.int64)
    scale = np.where(np.array([row[2] for row in rows]) == city.code, 1.5, 1.0)
    return frame, kinds, scale


# --- facts and energy ---------------------------------------------------------------------------


def _facts(
    rng: np.random.Generator, kind: np.ndarray, scale: np.ndarray, n_years: int, *, reach: float = 1.0
) -> dict[str, np.ndarray]:
    """Per organisation (rows) and year (columns): persons, area [m²], vehicles.

    ``scale`` multiplies each unit's size; ``reach`` the probability of having vehicles.
    """
    n = len(kind)
    low, high = np.array([k.persons for k in P.KINDS]).T[:, kind]
    base = np.exp(rng.uniform(np.log(low), np.log(high))) * scale
    persons = base[:, None] * np.cumprod(_lognormal(rng, 0.03, (n, n_years)), axis=1)
    m2_per_person = (_kinds("kgce_per_person") / _kinds("kgce_per_m2"))[kind]
    grows_from = np.where(rng.random(n) < 0.1, rng.integers(1, max(n_years, 2), n), n_years)
    growth = np.where(np.arange(n_years) >= grows_from[:, None], rng.uniform(1.1, 1.3, n)[:, None], 1.0)
    area = (base * m2_per_person * _spread(rng, kind))[:, None] * growth
    probability, fewest, most = np.array([k.vehicles for k in P.KINDS]).T[:, kind]
    cars = np.where(rng.random(n) < probability * reach, rng.integers(fewest, most + 1), 0)
    drops_from = np.where(rng.random(n) < 0.2, rng.integers(0, n_years, n), n_years)
    vehicles = np.maximum(cars[:, None] - (np.arange(n_years) >= drops_from[:, None]), 0)
    return {"persons": np.maximum(np.rint(persons), 1), "area": np.round(area, 1), "vehicles": vehicles}


def _facts_frame(facts: dict[str, np.ndarray], years: np.ndarray) -> pl.DataFrame:
    shape: tuple[int, int] = facts["area"].shape
    n, n_years = shape
    return pl.DataFrame({
        "org": np.repeat(np.arange(1, n + 1, dtype=np.int32), n_years), "year": np.tile(years, n),
        "area_m2": facts["area"].ravel(), "persons": facts["persons"].ravel().astype(np.int32),
        "vehicles": facts["vehicles"].ravel().astype(np.int16),
    })  # fmt: skip


def _annual(
    rng: np.random.Generator, kind: np.ndarray, facts: dict[str, np.ndarray], years: np.ndarray, *,
    reach: float = 1.0,
) -> dict[str, np.ndarray]:  # fmt: skip
    """Annual quantity of each energy in its default unit, per organisation and year (0: not used).

    ``reach`` multiplies the probability of a canteen.
    """
    shape: tuple[int, int] = facts["area"].shape
    n, n_years = shape
    factor = _kgce_factors()
    since = years[None, :].astype(float) - P.CALIBRATION_YEAR
    trend = (1 - rng.uniform(*P.TREND, size=n))[:, None] ** since
    energy = (
        facts["area"]
        * _kinds("kgce_per_m2")[kind, None]
        * _spread(rng, kind)[:, None]
        * trend
        * _lognormal(rng, P.SIGMA_YEAR, (n, n_years))
    )  # [kgce]
    diesel_units = rng.random(n) < _kinds("diesel")[kind]
    diesel_cars = np.where(diesel_units[:, None], np.ceil(facts["vehicles"] / 3), 0)
    use = _lognormal(rng, 0.2, n)[:, None]
    fuel = {
        "gasoline": (facts["vehicles"] - diesel_cars) * P.GASOLINE_PER_VEHICLE * use,
        "diesel": diesel_cars * P.DIESEL_PER_VEHICLE * use,
    }  # [L]
    fuel_kgce = fuel["gasoline"] * factor["gasoline"] + fuel["diesel"] * factor["diesel"]
    cap = np.minimum(1.0, P.VEHICLE_CAP * energy / np.maximum(fuel_kgce, 1e-9))
    canteen = rng.random(n) < _kinds("canteen")[kind] * reach
    lpg = canteen & (rng.random(n) < P.LPG_PROBABILITY)
    gas_share = np.minimum(_kinds("gas_share")[kind] * _lognormal(rng, 0.3, n), 0.25)
    gas_kgce = np.where((canteen & ~lpg)[:, None], energy * gas_share[:, None], 0.0)
    lpg_kgce = np.where(lpg[:, None], energy * P.LPG_SHARE, 0.0)
    electricity = (energy - fuel_kgce * cap - gas_kgce - lpg_kgce) / factor["electricity"]
    solar = rng.random(n) < P.SOLAR_SHARE
    start = rng.choice(np.array(P.SOLAR_START_YEARS), n)
    cover = np.where(
        solar[:, None] & (years[None, :] >= start[:, None]), rng.uniform(*P.SOLAR_COVER, size=n)[:, None], 0
    )
    water_trend = (1 - rng.uniform(*P.TREND, size=n))[:, None] ** since
    water = (
        facts["persons"]
        * _kinds("water_per_person")[kind, None]
        * _spread(rng, kind)[:, None]
        * water_trend
        * _lognormal(rng, P.SIGMA_YEAR, (n, n_years))
    )  # [t]
    return {
        "electricity": electricity * (1 - cover),
        "water": water,
        "natural_gas": gas_kgce / factor["natural_gas"],
        "gasoline": fuel["gasoline"] * cap,
        "diesel": fuel["diesel"] * cap,
        "lpg": lpg_kgce / factor["lpg"],
        "solar_pv": electricity * cover,
    }


def _records(
    rng: np.random.Generator, kind: np.ndarray, region: pl.Series, annual: dict[str, np.ndarray], *,
    years: np.ndarray, months: int,
) -> pl.DataFrame:  # fmt: skip
    """Monthly rows (org, region, year, month, energy_type, quantity, unit, cost) from annual use.

    ``region`` holds each organisation's region; energy_type and unit come out as ``pl.Enum``.
    """
    n = len(kind)
    wan, m3 = rng.random(n) < P.WAN_KWH_SHARE, rng.random(n) < P.WATER_M3_SHARE
    parts = []
    for code, default_unit, price, decimals in (row for row in P.ENERGIES if row[0] in annual):
        price_of = price * _lognormal(rng, 0.05, n)
        season_of = np.array([_season_of(code, k) for k in P.KINDS])
        users, used_in = np.nonzero(annual[code] > 0)
        for start in range(0, len(users), _CHUNK):  # in chunks, to bound the memory of a national year
            org, year_index = users[start : start + _CHUNK], used_in[start : start + _CHUNK]
            natural = (annual[code][org, year_index] / 12)[:, None] * _SEASON[season_of[kind[org]], :months]
            natural *= _lognormal(rng, P.SIGMA_MONTH, natural.shape)  # [default unit]
            cost = np.round(natural * price_of[org, None], 2).ravel()
            quantity = np.maximum(np.round(natural, decimals), 10.0**-decimals)
            unit = np.full(len(org), UNITS.index(default_unit))
            if code == "electricity":
                scaled = wan[org]
                unit[scaled], quantity[scaled] = UNITS.index("万kWh"), np.round(natural[scaled] / 1e4, 4)
            elif code == "water":
                unit[m3[org]] = UNITS.index("m3")
            del natural
            rows = np.repeat(org.astype(np.int32), months)
            parts.append(pl.DataFrame({
                "org": rows + 1, "region": region.gather(rows), "year": np.repeat(years[year_index], months),
                "month": np.tile(np.arange(1, months + 1, dtype=np.int8), len(org)),
                "energy_type": pl.Series([code], dtype=pl.Enum(ENERGY_CODES)).new_from_index(0, len(rows)),
                "quantity": quantity.ravel(), "unit": _enum(UNITS, np.repeat(unit, months)), "cost": cost,
            }))  # fmt: skip
    return pl.concat(parts, rechunk=False)


# --- the city -----------------------------------------------------------------------------------


def today_in_china() -> date:
    """Today's date in the time zone of the demo (profiles.TIME_ZONE)."""
    return datetime.now(ZoneInfo(P.TIME_ZONE)).date()


def span(today: date) -> tuple[tuple[int, ...], int]:
    """The years of a demo on ``today`` and the months of its last year: the complete years before
    this one (profiles.COMPLETE_YEARS), then this year up to the last closed month (in January,
    none: the last year is complete)."""
    first = today.year - P.COMPLETE_YEARS
    closed = today.month - 1
    years = tuple(range(first, today.year + (closed > 0)))
    return years, closed or 12


def generate_city(
    seed: int = 2026,
    *,
    city: str = "445200",
    today: date | None = None,
    years: tuple[int, ...] | None = None,
    institutions: int = 420,
) -> DemoData:
    """A prefecture city (default 揭阳市) with ``institutions`` organisations as it stands on ``today``.

    ``years`` default to :func:`span` of ``today``; given, they are complete years, unless one is
    ``today``'s year, which runs to the last closed month. Regions come from the GB/T 2260 table (the
    city's divisions in force today). Organisations are the 市直部门 and county departments (type 01)
    and institutions of every type; records cover every month up to the last closed one, electricity
    and water for everyone, gas, vehicle fuels, LPG and solar for some, less what is not yet reported
    on ``today`` (see :attr:`DemoData.reports`). The same seed and ``today`` give identical frames.
    """
    today = today or today_in_china()
    years = years or span(today)[0]
    rng = np.random.default_rng(seed)
    table = load_divisions()
    prefecture = table.get(city)
    if prefecture.level != 2 or prefecture.parent_code is None:
        raise ValueError(f"{city} {prefecture.name} is not a prefecture-level division")
    province = table.get(prefecture.parent_code)
    counties = [d for d in table.subtree(city)[1:] if d.level == 3 and d.name != "市辖区"]
    regions = pl.DataFrame(
        [(d.code, d.name, d.level, d.parent_code) for d in (province, prefecture, *counties)],
        schema={"code": pl.String, "name": pl.String, "level": pl.Int8, "parent_code": pl.String},
        orient="row",
    )
    organisations, kind, scale = _registry(rng, prefecture, counties, institutions, province.name)
    years_array = np.array(sorted(years), dtype=np.int16)
    facts = _facts(rng, kind, scale, len(years_array))
    facts_frame = _facts_frame(facts, years_array)
    annual = _annual(rng, kind, facts, years_array)
    closed = (pl.col("year") < today.year) | (pl.col("month") < today.month)
    records = (
        _records(rng, kind, organisations["region"], annual, years=years_array, months=12)
        .filter(closed)
        .sort("org", "year", "month", "energy_type")
        .with_columns(pl.col("energy_type", "unit").cast(pl.String))
    )
    complete = years_array[years_array < today.year] if (years_array < today.year).any() else years_array
    records, planted = _plant(rng, records, organisations, complete)
    reports = _reports(np.random.default_rng([seed, today.toordinal()]), records, today)
    records = records.join(reports, on=["org", "year", "month"], how="semi", maintain_order="left")
    return DemoData(seed, regions, organisations, facts_frame, records, planted, today, reports)


def _reports(rng: np.random.Generator, records: pl.DataFrame, today: date) -> pl.DataFrame:
    """Who reported each month by ``today``, when, and how far its review went (DemoData.reports).

    The month deadlines are the reference data's (``deadlines``, pi-energy by month). Periods whose
    deadline has passed, newest first, keep a few units missing, returned or awaiting review
    (profiles.PASSED_*); older ones are all approved. The open period is reported by a share of the
    units that grows over its reporting window. Some reports of every period come in late.
    """
    deadline = load_deadlines().of("pi-energy", "month")
    cells = records.select("org", "year", "month").unique().sort("year", "month", "org")
    periods = cells.select("year", "month").unique(maintain_order=True).rows()
    passed = [p for p in periods if deadline.due(p[0], month=p[1]) < today][::-1]
    parts = []
    for year, month in periods:
        orgs = cells.filter((pl.col("year") == year) & (pl.col("month") == month))["org"].to_numpy()
        n, end, due = len(orgs), period_end(year, month=month), deadline.due(year, month=month)
        window = (due - end).days
        if due < today:
            age = passed.index((year, month))
            recent = age < len(P.PASSED_MISSING)
            missing = P.PASSED_MISSING[age] if recent else 0.0
            returned = P.PASSED_RETURNED[age] if recent else 0.0
            approved = P.PASSED_APPROVED[age] if recent else 1.0
            reported = rng.random(n) >= missing
            late = rng.random(n) < P.LATE_SHARE
            latest = (today - due).days
            overdue = window + rng.integers(1, P.LATE_DAYS + 1, n).clip(max=latest)
            days = np.where(late, overdue, rng.integers(1, window + 1, n))
        else:
            elapsed = (today - end).days
            low, high = P.OPEN_REPORTED
            reported = rng.random(n) < low + (high - low) * elapsed / window
            days = rng.integers(1, elapsed + 1, n)
            returned, approved = P.OPEN_RETURNED, P.OPEN_APPROVED
        submitted = np.datetime64(end) + days.astype("timedelta64[D]")
        never = np.datetime64("NaT")
        review = (submitted + rng.integers(1, P.REVIEW_DAYS + 1, n).astype("timedelta64[D]")).clip(
            max=np.datetime64(today)
        )
        back = rng.random(n) < returned
        again = rng.random(n) < P.RESUBMITTED_SHARE
        status = np.where(
            back,
            np.where(again, "resubmitted", "returned"),
            np.where(rng.random(n) < approved, "approved", "submitted"),
        )
        reason = rng.integers(len(P.RETURN_REASONS), size=n)
        parts.append(
            pl.DataFrame({
                "org": orgs, "year": np.full(n, year, np.int16), "month": np.full(n, month, np.int8),
                "submitted": submitted, "approved": np.where(status == "approved", review, never),
                "status": status, "reason": np.where(back, reason, -1),
            }).filter(pl.Series(reported))
        )  # fmt: skip
    reasons = {index: text for index, (text, *_rest) in enumerate(P.RETURN_REASONS)}
    frame = pl.concat(parts).with_columns(
        pl.col("submitted", "approved").cast(pl.Date),
        reason=pl.col("reason").replace_strict(reasons, default=None, return_dtype=pl.String),
    )
    return frame.with_columns(pl.col("org").cast(records.schema["org"]))


def _plant(
    rng: np.random.Generator, records: pl.DataFrame, organisations: pl.DataFrame, years: np.ndarray
) -> tuple[pl.DataFrame, tuple[Planted, ...]]:
    """Plant a missing month, a 万kWh written as kWh, an 8× spike and water in 万t by mistake."""
    electricity, water = pl.col("energy_type") == "electricity", pl.col("energy_type") == "water"
    wan = records.filter(electricity & (pl.col("unit") == "万kWh"))["org"].unique().sort().to_list()
    tonnes = records.filter(water & (pl.col("unit") == "t"))["org"].unique().sort().to_list()
    everyone = organisations["org"].to_list()
    names = dict(zip(everyone, organisations["name"].to_list(), strict=True))
    pools = {"missing_month": everyone, "unit_confusion": wan, "spike": everyone, "water_scale": tonnes}
    planted: list[Planted] = []
    for kind, pool in pools.items():
        org = int(rng.choice([org for org in pool if org not in {p["org"] for p in planted}]))
        year, drawn = int(rng.choice(years[1:] if len(years) > 1 else years)), int(rng.integers(1, 13))
        energy, unit, factor, text = P.PLANTED[kind]
        month = None if kind == "water_scale" else drawn
        description = text.format(name=names[org], year=year, month=month)
        planted.append({"kind": kind, "org": org, "year": year, "month": month, "energy_type": energy,
                        "unit": unit, "factor": factor, "description": description})  # fmt: skip
    missing, confused, spike, scaled = planted

    def at(problem: Planted) -> pl.Expr:
        cell = (pl.col("org") == problem["org"]) & (pl.col("year") == problem["year"])
        cell = cell & (pl.col("month") == problem["month"]) if problem["month"] else cell
        return cell & (pl.col("energy_type") == problem["energy_type"]) if problem["energy_type"] else cell

    records = records.filter(~at(missing)).with_columns(
        unit=pl.when(at(confused)).then(pl.lit(confused["unit"]))
        .when(at(scaled)).then(pl.lit(scaled["unit"])).otherwise("unit"),
        quantity=pl.when(at(spike)).then((pl.col("quantity") * spike["factor"]).round(4))
        .otherwise("quantity"),
        cost=pl.when(at(spike)).then((pl.col("cost") * spike["factor"]).round(2)).otherwise("cost"),
    )  # fmt: skip
    spike["unit"] = records.filter(at(spike))["unit"].item()
    return records, tuple(planted)


# --- the nation ---------------------------------------------------------------------------------


def _national_regions(
    rng: np.random.Generator, provinces: int = 31, cities: int = 340, counties: int = 2850
) -> pl.DataFrame:
    """A synthetic tree province → city → county with unique six-digit codes (not real ones)."""
    per_province = 2 + rng.multinomial(cities - 2 * provinces, np.full(provinces, 1 / provinces))
    weights = _lognormal(rng, 0.4, cities)
    per_city = 2 + rng.multinomial(counties - 2 * cities, weights / weights.sum())
    rows: list[tuple[str, str, int, str | None]] = []
    city_index = 0
    for p in range(provinces):
        province = f"{11 + p:02d}0000"
        rows.append((province, f"模拟省{province[:2]}", 1, None))
        for c in range(1, per_province[p] + 1):
            city = f"{province[:2]}{c:02d}00"
            rows.append((city, f"模拟市{city[:4]}", 2, province))
            rows += [
                (f"{city[:4]}{k:02d}", f"模拟县{city[:4]}{k:02d}", 3, city)
                for k in range(1, min(per_city[city_index], 99) + 1)
            ]
            city_index += 1
    schema = {"code": pl.String, "name": pl.String, "level": pl.Int8, "parent_code": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")


def generate_national(
    seed: int = 1, *, institutions: int = 1_600_000, year: int = 2024, months: int = 12
) -> NationalData:
    """A national year for benchmarks: ``institutions`` units over a synthetic region tree.

    Every unit reports electricity and water each month; canteens gas, vehicles gasoline and diesel,
    some LPG: about 2.45 rows per unit and month, 47 M rows for 1.6 M units (about 1.5 GiB at peak).
    Records carry ``region``, ``energy_type`` and ``unit`` as ``pl.Enum``; they come in chunks grouped
    by energy type, not sorted. Vectorised: no Python loop over units.
    """
    if not 1 <= months <= 12:
        raise ValueError(f"months must be 1–12, not {months}")
    rng = np.random.default_rng(seed)
    regions = _national_regions(rng)
    county_codes = regions.filter(pl.col("level") == 3)["code"]
    shares = _kinds("national_share")
    kind = rng.choice(len(P.KINDS), size=institutions, p=shares / shares.sum())
    weights = _lognormal(rng, 0.6, len(county_codes))
    county = rng.choice(len(county_codes), size=institutions, p=weights / weights.sum()).astype(np.uint32)
    facts = _facts(rng, kind, np.ones(institutions), 1, reach=P.NATIONAL_REACH)
    facts_frame = _facts_frame(facts, np.array([year], dtype=np.int16))
    annual = _annual(rng, kind, facts, np.array([year], dtype=np.int16), reach=P.NATIONAL_REACH)
    del annual["solar_pv"], facts
    region = _enum(tuple(county_codes), county)
    records = _records(rng, kind, region, annual, years=np.array([year], dtype=np.int16), months=months)
    return NationalData(regions, facts_frame, records)


__all__ = ["DemoData", "NationalData", "generate_city", "generate_national"]
