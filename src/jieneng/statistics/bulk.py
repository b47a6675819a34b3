"""Fast writes of many rows: ``COPY`` on PostgreSQL, one prepared ``executemany`` on SQLite.

Model instances and ``bulk_create`` cost about 100 µs a row in Python; an import of 200,000 rows
writes three tables, so the import path writes plain tuples instead. Table and column names always
come from the models' metadata, never from input. Callers hold the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import polars as pl
from django.db import connection, models

BATCH = 5000
FRAME_BATCH = BATCH  # rows of a frame per chunk sent to COPY: the server parses one while the next is written


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field ``name`` of ``model`` (a relation's reverse side has no column)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field


def columns(model: type[models.Model], fields: Sequence[str]) -> tuple[str, list[str]]:
    """The quoted table name and quoted column names of ``fields`` of ``model``."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), [quote(str(_field(model, name).column)) for name in fields]


def insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    on_batch: Callable[[int], object] | None = None,
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``); the number of rows written.

    ``on_batch`` is told the number written so far after every :data:`BATCH` rows (a progress bar).
    """
    report = on_batch or (lambda _count: None)
    table, cols = columns(model, fields)
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
                    if count % BATCH == 0:
                        report(count)
        report(count)
        return count
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608
    batch: list[Sequence[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
                report(count)
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    report(count)
    return count


def insert_frame(
    model: type[models.Model],
    fields: Sequence[str],
    frame: pl.DataFrame,
    on_batch: Callable[[int], object] | None = None,
) -> int:
    """Insert the columns of ``frame``, in order, into ``fields`` of ``model``; the number of rows.

    PostgreSQL: ``COPY`` in its text format, written by Polars with no Python per row (texts escaped
    on whole columns, a null is ``\\N``). SQLite: :func:`insert` of the frame's rows. Values must be
    what the database takes (texts for times and UUIDs on SQLite).
    """
    if connection.vendor != "postgresql":
        return insert(model, fields, frame.iter_rows(), on_batch)
    report = on_batch or (lambda _count: None)
    table, cols = columns(model, fields)
    escaped = frame.with_columns(
        _copy_text(pl.col(name)) for name, kind in frame.schema.items() if kind == pl.String
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for offset in range(0, escaped.height, FRAME_BATCH):
                part = escaped.slice(offset, FRAME_BATCH)
                copy.write(
                    part.write_csv(
                        include_header=False, separator="\t", quote_style="never", null_value="\\N"
                    )
                )
                report(offset + part.height)
    report(frame.height)
    return frame.height


def _copy_text(column: pl.Expr) -> pl.Expr:
    """A text column as COPY's text format takes it: backslash, tab, newline and return escaped."""
    for char, escape in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        column = column.str.replace_all(char, escape, literal=True)
    return column


def db_value(model: type[models.Model], field: str, value: Any) -> Any:
    """``value`` as the database takes it for ``model.field`` (a time as SQLite's text, a UUID as its
    hex): for the values that are the same on every row of a batch."""
    return _field(model, field).get_db_prep_value(value, connection, prepared=False)


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, for rows that others must reference before insertion.

    Call inside the transaction that inserts them. PostgreSQL draws them from the column's sequence;
    SQLite continues after the largest key (the transaction holds the write lock: the project opens
    SQLite transactions as IMMEDIATE).
    """
    if count == 0:
        return []
    table, (pk,) = columns(model, [model._meta.pk.name])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(  # one array, not one row per key
                "SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, count],
            )
            return [int(key) for key in cursor.fetchone()[0]]
        cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def chunks(values: Sequence[Any], size: int = 2000) -> Iterable[Sequence[Any]]:
    """``values`` in slices small enough for an SQL ``IN`` list on every backend."""
    for offset in range(0, len(values), size):
        yield values[offset : offset + size]
