"""National-size data in the store, for the web benchmark (``bench_web``) and its smoke test.

:func:`build` writes, into the configured database, the scale generator's year
(:func:`~jieneng.demo.generator.generate_national`):

* the synthetic region tree (31 provinces, 340 cities, ~2,850 counties);
* one organisation per generated institution, with a valid unified social credit code, and its
  yearly facts;
* the roll-ups the dashboards read, computed by the core from the generated records
  (``convert`` → ``unit_figures`` / ``slices`` over ``ancestry``) and stored by
  :func:`~jieneng.statistics.rollups.store_units` / ``store_slices``;
* the review queue: one monthly submission of the consumption form per organisation (the January
  after the year, built from the unit's own January), awaiting review, a few per cent flagged, one
  revision each.

Everything is computed on whole columns (numpy, Polars); the tables are written with ``COPY`` on
PostgreSQL (CSV written by Polars, or :func:`jieneng.statistics.bulk.insert`), with plain inserts on
SQLite. One transaction, then ``ANALYZE``. On PostgreSQL the foreign keys are not checked row by
row while loading (:func:`trusted_load`): Django declares them deferred, and 8 million checks queued
for the commit took longer than the whole load; the builder writes only ids it has just written, and
the smoke test checks the links. The generator does not hand out each institution's type,
so :func:`institution_kinds` draws it again from the same seed and checks the draw against the
records' regions.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl
from django.db import connection, models, transaction

from jieneng.core import credit_code
from jieneng.core.problems import ADVISORY, Family, declarations
from jieneng.core.regions import ancestry
from jieneng.core.validation import editions
from jieneng.demo import generator
from jieneng.demo import profiles as P
from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.reference import load_forms, load_units
from jieneng.reporting.demo import FORM, monthly_rows
from jieneng.reporting.imports.store import REVISION_FIELDS, SUBMISSION_FIELDS, values_json
from jieneng.reporting.models import Revision, Submission
from jieneng.statistics import bulk, rollups

VALID_FROM = date(2000, 1, 1)  # the synthetic tree is in force long before the generated year
FLAGGED_SHARE = 0.03  # submissions with advisory flags
AUTHOR = "bench"
CHUNK = 200_000  # rows per COPY chunk

Progress = Callable[[str], object]


@dataclass
class Built:
    """What :func:`build` stored, and the places the benchmark visits (the busiest ones)."""

    institutions: int
    year: int
    period: str
    province: str
    county: str
    unit: int  # pk of the organisation with the most energy use in ``county``
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def build(institutions: int, *, seed: int = 1, year: int = 2024, progress: Progress = print) -> Built:
    """Generate the national year for ``institutions`` units and store it (see the module docstring)."""
    started = time.perf_counter()

    def step(text: str) -> None:
        progress(f"[{time.perf_counter() - started:6.1f} s] {text}")

    data = generator.generate_national(seed, institutions=institutions, year=year)
    step(f"generated {data.records.height:,} monthly records of {institutions:,} institutions")
    rows: dict[str, int] = {}
    with transaction.atomic():
        trusted_load()
        region_pk = store_regions(data.regions)
        rows["regions"] = len(region_pk)
        orgs = organisations(seed, institutions, data, region_pk)
        rows["organisations"] = copy_frame(
            Organisation, orgs.select("id", "credit_code", "name", "type_code", "region_id", "address")
        )
        facts = data.facts.join(orgs.select("org", "id"), on="org").select(
            pl.col("id").alias("org"), pl.col("year").cast(pl.Int32), "area_m2", "persons", "vehicles"
        )
        stored = facts.select(
            pl.col("org").alias("organisation_id"), "year", pl.col("area_m2").round(2), "persons", "vehicles"
        )
        rows["yearly facts"] = copy_frame(
            OrganisationYear,
            stored,
            fields=["organisation", "year", "building_area_m2", "persons", "vehicles"],
        )
        step(f"stored {rows['regions']:,} regions, {rows['organisations']:,} organisations and their facts")
        index = data.records["org"] - 1
        records = data.records.with_columns(
            orgs["id"].gather(index).alias("org"),
            orgs["type_code"].gather(index).alias("type_code"),
            pl.col("year").cast(pl.Int32),
        )
        units, parts, used = figures(records, facts, data.regions)
        rows["unit figures"] = rollups.store_units(units, used)
        rows["region figures"] = rollups.store_slices(parts, used)
        step(f"stored roll-ups: {rows['unit figures']:,} unit and {rows['region figures']:,} region rows")
        january = records.filter(pl.col("month") == 1).with_columns(pl.col("year") + 1)
        rows["submissions"], rows["revisions"] = store_queue(january, seed)
        step(f"stored the review queue: {rows['submissions']:,} submissions with one revision each")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    step("ANALYZE done")
    province, county, unit = busiest(units)
    seconds = time.perf_counter() - started
    return Built(institutions, year, f"{year + 1}-01", province, county, unit, rows, seconds)


# --- the directory ------------------------------------------------------------------------------


def store_regions(regions: pl.DataFrame) -> dict[str, int]:
    """The tree, level by level (parents first); code → pk."""
    pks: dict[str, int] = {}
    for level in sorted(regions["level"].unique().to_list()):
        made = Region.objects.bulk_create(
            Region(
                code=code,
                name=name,
                level=level,
                parent_id=pks.get(parent) if parent else None,
                valid_from=VALID_FROM,
            )
            for code, name, parent in regions.filter(pl.col("level") == level)
            .select("code", "name", "parent_code")
            .iter_rows()
        )
        pks |= {region.code: region.pk for region in made}
    return pks


def institution_kinds(seed: int, institutions: int, records: pl.DataFrame) -> np.ndarray:
    """Each institution's index into :data:`~jieneng.demo.profiles.KINDS`, drawn as the generator does.

    Repeats :func:`~jieneng.demo.generator.generate_national`'s first draws (tree, kind, county) and
    checks the counties against the records' regions: a change of the generator's order of draws fails
    here instead of silently mislabelling the units.
    """
    rng = np.random.default_rng(seed)
    county_codes = generator._national_regions(rng).filter(pl.col("level") == 3)["code"]
    shares = np.array([kind.national_share for kind in P.KINDS])
    kind = rng.choice(len(P.KINDS), size=institutions, p=shares / shares.sum())
    weights = generator._lognormal(rng, 0.6, len(county_codes))
    county = rng.choice(len(county_codes), size=institutions, p=weights / weights.sum())
    drawn = pl.DataFrame(
        {"org": np.arange(1, institutions + 1, dtype=np.int32), "drawn": county_codes.gather(county)}
    )
    seen = records.select("org", pl.col("region").cast(pl.String)).unique("org").join(drawn, on="org")
    if seen.height != institutions or (seen["region"] != seen["drawn"]).any():
        raise RuntimeError(
            "generate_national no longer draws kinds and counties as institution_kinds repeats them: "
            "make it return each institution's type instead"
        )
    return kind


def credit_codes(
    registration: pl.Series, category: pl.Series, region: pl.Series, serial: np.ndarray
) -> pl.Series:
    """Valid unified social credit codes (GB 32100-2015) for whole columns at once.

    ``registration`` and ``category``: one character each; ``region``: six-digit codes; ``serial``:
    integers below 10⁸, written as the 8-digit body of the organisation code (GB 11714-1997 §5).
    """
    value = {char: index for index, char in enumerate(credit_code.CHARSET)}
    body = (serial[:, None] // 10 ** np.arange(7, -1, -1)) % 10  # 8 digits, most significant first
    org_check = 11 - (body * np.array(credit_code.ORG_WEIGHTS)).sum(axis=1) % 11  # 1–11
    org_char = np.array([*"0123456789", "X", "0"])[org_check]  # GB 11714: 10 is X, 11 is 0
    codes = region.cast(pl.Int64).to_numpy()
    digits = np.column_stack([
        registration.replace_strict(value, return_dtype=pl.Int64).to_numpy(),
        category.replace_strict(value, return_dtype=pl.Int64).to_numpy(),
        (codes[:, None] // 10 ** np.arange(5, -1, -1)) % 10,
        body,
        np.where(org_check == 10, value["X"], org_check % 11),
    ])  # fmt: skip
    check = (31 - (digits * np.array(credit_code.WEIGHTS)).sum(axis=1) % 31) % 31
    parts = pl.DataFrame({
        "r": registration, "c": category, "region": region, "serial": serial, "o": org_char,
        "check": np.array(list(credit_code.CHARSET))[check],
    })  # fmt: skip
    body_text = pl.col("serial").cast(pl.String).str.zfill(8)
    return parts.select(pl.concat_str("r", "c", "region", body_text, "o", "check").alias("credit_code"))[
        "credit_code"
    ]


def organisations(
    seed: int, institutions: int, data: generator.NationalData, region_pk: dict[str, int]
) -> pl.DataFrame:
    """``org`` (the generator's number), ``id`` (new pk), credit code, name, type, region, address."""
    kind = institution_kinds(seed, institutions, data.records)
    types = pl.Series([k.type_code for k in P.KINDS]).gather(kind)
    region = data.records.select("org", pl.col("region").cast(pl.String)).unique("org").sort("org")["region"]
    serial = np.arange(1, institutions + 1, dtype=np.int64)
    registration = types.replace_strict({t: r for t, (r, _) in P.REGISTRATION.items()})
    category = types.replace_strict({t: c for t, (_, c) in P.REGISTRATION.items()})
    names = data.regions.select(pl.col("code").alias("region"), pl.col("name").alias("county"))
    frame = pl.DataFrame({
        "org": serial.astype(np.int32), "id": np.array(bulk.allocate_ids(Organisation, institutions)),
        "credit_code": credit_codes(registration, category, region, serial), "type_code": types,
        "region": region,
    }).join(names, on="region", how="left", maintain_order="left")  # fmt: skip
    for sample in frame.gather_every(max(1, institutions // 1000)).iter_rows(named=True):
        credit_code.validate(sample["credit_code"])  # the vectorised codes agree with the core's check
    return frame.with_columns(
        region_id=pl.col("region").replace_strict(region_pk, return_dtype=pl.Int64),
        name=pl.format("{}公共机构{}", "county", pl.col("org").cast(pl.String).str.zfill(7)),
        address=pl.format("{}行政服务中心", "county"),
    )


# --- the roll-ups -------------------------------------------------------------------------------


def figures(
    records: pl.DataFrame, facts: pl.DataFrame, regions: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, rollups.Used]:
    """Unit figures and region slices computed as the store computes them, and what was used.

    ``records``: the generated records with ``org`` (pk), ``type_code`` and ``year`` as Int32;
    ``facts``: ``org`` (pk), ``year``, ``area_m2``, ``persons``.
    """
    fact_frame = facts.select("org", "year", "area_m2", pl.col("persons").cast(pl.Float64))
    return rollups.compute(records, fact_frame, lambda: ancestry(regions.select("code", "parent_code")))


def busiest(units: pl.DataFrame) -> tuple[str, str, int]:
    """The province with the most units, its county with the most, and that county's largest unit."""
    counted = units.select("org", "kgce", pl.col("region").cast(pl.String).alias("county")).with_columns(
        province=pl.col("county").str.slice(0, 2) + "0000"
    )
    province = counted.group_by("province").len().sort("len", "province", descending=[True, False])[0, 0]
    in_province = counted.filter(pl.col("province") == province)
    county = in_province.group_by("county").len().sort("len", "county", descending=[True, False])[0, 0]
    unit = int(in_province.filter(pl.col("county") == county).sort("kgce", descending=True)[0, "org"])
    return str(province), str(county), unit


# --- the review queue ---------------------------------------------------------------------------


def store_queue(month: pl.DataFrame, seed: int) -> tuple[int, int]:
    """One submission per organisation for ``month``'s records (status submitted, one revision)."""
    form = load_forms()[FORM]
    org_ids = {int(pk): int(pk) for pk in month["org"].unique().to_list()}
    monthly = month.with_columns(pl.col("energy_type", "unit").cast(pl.String))
    wide = editions(monthly_rows(monthly, org_ids, form, load_units()), form)
    rng = np.random.default_rng(seed + 1)
    count = wide.height
    advisory = [d.code for d in declarations() if d.family == Family.CHECK and d.severity == ADVISORY]
    flagged = rng.random(count) < FLAGGED_SHARE
    first, second = rng.integers(len(advisory), size=count), rng.integers(len(advisory), size=count)
    two = flagged & (rng.random(count) < 0.3) & (first != second)
    chosen = pl.DataFrame({
        "one": flagged, "two": two, "a": np.array(advisory)[first], "b": np.array(advisory)[second]
    })  # fmt: skip
    flags = chosen.select(
        pl.when("two").then(pl.format('["{}", "{}"]', "a", "b"))
        .when("one").then(pl.format('["{}"]', "a"))
        .otherwise(pl.lit("[]"))
    ).to_series()  # fmt: skip
    texts = values_json(wide, form)
    year, month = _month_after(int(wide["year"][0]), int(wide["month"][0]))
    seconds = rng.integers(0, 10 * 86400, size=count).astype("timedelta64[s]").astype("timedelta64[ms]")
    stamps = pl.Series(np.datetime64(f"{year}-{month:02d}-01T00:00:00") + seconds)  # UTC
    ids = np.array(bulk.allocate_ids(Submission, count))
    updated = _timestamps(stamps)
    submissions = pl.DataFrame({
        "id": ids, "organisation_id": wide["org_id"], "form": FORM, "period": wide["period"],
        "year": wide["year"], "quarter": wide["quarter"], "month": wide["month"],
        "status": str(Submission.Status.SUBMITTED), "current": 1,
        "flags": flagged.astype(np.int64) + two.astype(np.int64), "updated_at": updated,
    })  # fmt: skip
    revisions = pl.DataFrame({
        "submission_id": ids, "number": 1, "edition": wide["edition"], "values": texts,
        "digest": [hashlib.sha256(text.encode()).hexdigest() for text in texts.to_list()],
        "flags": flags, "explanation": "", "source": str(Revision.Source.UPLOAD), "author": AUTHOR,
        "created_by_id": None, "created_at": updated, "import_job_id": None, "row": None,
    }, schema_overrides={"created_by_id": pl.Int64, "import_job_id": pl.String, "row": pl.Int64})  # fmt: skip
    made = copy_frame(Submission, submissions, fields=[*SUBMISSION_FIELDS[:9], "flags", "updated_at"])
    return made, copy_frame(Revision, revisions, fields=list(REVISION_FIELDS))


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _timestamps(moments: pl.Series) -> pl.Series:
    """UTC moments as the backend's text: with an offset for PostgreSQL, naive UTC for SQLite."""
    suffix = "+00" if connection.vendor == "postgresql" else ""
    return moments.dt.strftime("%Y-%m-%d %H:%M:%S") + suffix


# --- writing ------------------------------------------------------------------------------------


def trusted_load() -> None:
    """For the rest of the transaction on PostgreSQL: no foreign-key triggers if the connection may
    (a superuser: ``session_replication_role = replica``), else foreign keys checked at each row
    rather than all queued for the commit."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_frame(model: type[models.Model], frame: pl.DataFrame, fields: Sequence[str] | None = None) -> int:
    """Write ``frame``'s columns, in order, into ``fields`` of ``model`` (default: the frame's column
    names with ``_id`` dropped); the number of rows. PostgreSQL: ``COPY`` of CSV written by Polars."""
    names = list(fields or [name.removesuffix("_id") if name != "id" else name for name in frame.columns])
    if connection.vendor != "postgresql":
        return bulk.insert(model, names, frame.iter_rows())
    table, columns = bulk.columns(model, names)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)") as copy:
            for offset in range(0, frame.height, CHUNK):
                buffer = io.BytesIO()
                frame.slice(offset, CHUNK).write_csv(buffer, include_header=False)
                copy.write(buffer.getvalue())
    return frame.height


__all__ = ["Built", "build", "copy_frame", "credit_codes", "institution_kinds"]
