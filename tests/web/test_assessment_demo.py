"""The demonstration assessment: last year's round of the city's counties, finalised, with two items
lowered by the check team, one county vetoed, and the demonstration-unit applications."""

from datetime import date

import pytest

from jieneng.assessment import demo, services
from jieneng.assessment.models import Adjustment, Application, Result, Round, State

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def test_last_years_round_is_finalised_with_one_veto_and_two_lowered_items(loaded):
    assert demo.ensure(TODAY) == 3
    round_ = Round.objects.get()
    assert round_.year == 2025 and round_.state == State.FINALISED
    assert round_.finalised_at is not None and round_.finalised_at.date() < TODAY
    vetoed = list(Result.objects.filter(vetoed=True).values_list("party__name", "grade"))
    assert vetoed == [("揭西县", "未完成")]
    assert sorted(Adjustment.objects.values_list("entry__item", flat=True)) == ["publicity_week", "retrofits"]
    assert all(a.reason for a in Adjustment.objects.all())
    assert services.recompute(round_) == []
    assert Application.objects.filter(accepted=True).count() == 2
    assert Application.objects.filter(accepted=False).count() == 1


def test_made_only_once_and_forgotten_before_a_reset(loaded):
    demo.ensure(TODAY)
    assert demo.ensure(TODAY) == 0 and Round.objects.count() == 1
    demo.forget()
    assert not Round.objects.exists() and not Application.objects.exists()


def test_nothing_without_a_city(db):
    assert demo.ensure(TODAY) == 0
