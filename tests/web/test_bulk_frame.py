"""Writing a Polars frame in one go (:func:`jieneng.statistics.bulk.insert_frame`): ``COPY`` on
PostgreSQL, plain inserts on SQLite; a null stays a null and every text stays the text it was, even
an empty one or one that reads like the null marker."""

from __future__ import annotations

import polars as pl
import pytest

from jieneng.directory.models import Region
from jieneng.statistics import bulk

pytestmark = pytest.mark.django_db


def test_texts_and_nulls_survive_the_copy() -> None:
    names = ["", "\\N", 'a "quoted", two\nlines\tand a \\ back', "揭阳市"]
    frame = pl.DataFrame(
        {
            "code": ["445201", "445202", "445203", "445204"],
            "name": names,
            "level": [3, 3, 3, 3],
            "valid_from": ["1991-12-01"] * 4,
            "valid_to": [None, "2020-01-01", None, None],
        }
    )
    progress: list[int] = []
    assert bulk.insert_frame(Region, list(frame.columns), frame, on_batch=progress.append) == 4
    assert progress[-1] == 4
    stored = dict(Region.objects.values_list("code", "name"))
    assert [stored[code] for code in frame["code"]] == names
    ended = dict(Region.objects.values_list("code", "valid_to"))
    assert [ended[code] is None for code in frame["code"]] == [True, False, True, True]


def test_an_empty_frame_writes_nothing() -> None:
    frame = pl.DataFrame(schema={"code": pl.String, "name": pl.String, "level": pl.Int64})
    assert bulk.insert_frame(Region, ["code", "name", "level"], frame) == 0
    assert not Region.objects.exists()
