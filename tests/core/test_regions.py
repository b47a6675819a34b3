"""Region roll-ups: every region's total equals the sum of its parts."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jieneng.core.regions import ancestry, rollup


@st.composite
def trees_with_values(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    parents = [None] + [str(draw(st.integers(min_value=0, max_value=i - 1))) for i in range(1, n)]
    regions = pl.DataFrame({"code": [str(i) for i in range(n)], "parent_code": parents})
    rows = draw(st.lists(st.tuples(st.integers(0, n - 1), st.floats(0, 1e6)), max_size=60))
    values = pl.DataFrame(
        {"region": [str(r) for r, _ in rows], "kgce": [v for _, v in rows]},
        schema={"region": pl.String, "kgce": pl.Float64},
    )
    return regions, values


@settings(max_examples=150, deadline=None)
@given(trees_with_values())
def test_a_region_total_is_the_sum_of_its_own_rows_and_its_children_totals(case):
    regions, values = case
    tree = ancestry(regions)
    totals = dict(rollup(values, tree, sums=["kgce"]).iter_rows())
    own = dict(values.group_by("region").agg(pl.col("kgce").sum()).iter_rows())
    children: dict[str, list[str]] = {}
    for code, parent in regions.iter_rows():
        if parent is not None:
            children.setdefault(parent, []).append(code)
    for code in regions["code"]:
        expected = own.get(code, 0.0) + sum(totals.get(child, 0.0) for child in children.get(code, []))
        assert totals.get(code, 0.0) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    root_total = totals.get("0", 0.0)
    assert root_total == pytest.approx(values["kgce"].sum(), rel=1e-9, abs=1e-6)


def test_ancestry_depths():
    tree = ancestry(
        pl.DataFrame({"code": ["440000", "445200", "445202"], "parent_code": [None, "440000", "445200"]})
    )
    chain = tree.filter(pl.col("code") == "445202").sort("depth")["ancestor"].to_list()
    assert chain == ["445202", "445200", "440000"]


def test_a_cycle_in_bad_data_does_not_loop_forever():
    tree = ancestry(pl.DataFrame({"code": ["a", "b"], "parent_code": ["b", "a"]}))
    assert tree.height == 4
