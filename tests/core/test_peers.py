import pytest

from jieneng.core.peers import quantile, standing


def test_quartiles_interpolate_like_numpy() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert quantile(values, 0.25) == pytest.approx(17.5)
    assert quantile(values, 0.5) == pytest.approx(25.0)
    assert quantile(values, 0.75) == pytest.approx(32.5)


def test_rank_counts_the_lower_figures_and_ties_share() -> None:
    got = standing("b", {"a": 10.0, "b": 30.0, "c": 30.0, "d": 50.0, "e": None})
    assert got is not None
    assert (got.rank, got.count, got.median, got.quartile) == (2, 4, 30.0, 2)
    worst = standing("d", {"a": 10.0, "b": 30.0, "c": 30.0, "d": 50.0})
    assert worst is not None and worst.rank == 4 and worst.quartile == 4


def test_too_few_peers_or_no_figure_compare_nothing() -> None:
    assert standing("a", {"a": 1.0, "b": 2.0}) is None
    assert standing("a", {"a": None, "b": 2.0, "c": 3.0, "d": 4.0}) is None
