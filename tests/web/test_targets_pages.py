"""The target pages over the hand-made city: scoped (a county sees its parent's target read-only and
nothing of its neighbour), forms refuse bad input with a message in the user's language and change
nothing, a split is stored and checked, and the warning list names the county falling behind."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from jieneng.directory.models import Region
from jieneng.statistics import figures
from jieneng.targets.models import Target

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}


def city_target() -> Target:
    return Target.objects.create(
        name="市单位面积能耗下降",
        region=Region.objects.current().get(code="445200"),
        indicator="energy_per_m2",
        start_year=2025,
        end_year=2025,
        base_year=2024,
        kind="reduction",
        reduction=10.0,
        binding="binding",
    )


def form(**fields: str) -> dict[str, str]:
    data = {
        "name": "市能耗总量上限",
        "indicator": "energy_total",
        "start_year": "2025",
        "end_year": "2025",
        "kind": "cap",
        "value": "100",
        "binding": "binding",
        "tier": "single",
        "warning_rule": "ndrc-2021-629",
        "region": "445200",
    }
    data.update(fields)
    return data


def test_a_county_sees_its_parent_read_only_and_nothing_of_its_neighbour(
    people: SimpleNamespace, client: Client
) -> None:
    parent = city_target()
    client.force_login(people.city_admin)
    client.post(f"/targets/{parent.pk}/split/", {"method": "equal", "reason": "分解"})
    own = parent.children.get(region__code="445202")
    neighbour = parent.children.get(region__code="445222")
    client.force_login(people.county_admin)
    assert client.get(f"/targets/{parent.pk}/").status_code == 200
    assert client.get(f"/targets/{parent.pk}/edit/").status_code == 403
    assert client.get(f"/targets/{own.pk}/edit/").status_code == 200
    assert client.get(f"/targets/{neighbour.pk}/").status_code == 404
    listing = client.get("/targets/", headers=ZH).content.decode()
    assert own.name in listing and parent.name in listing and neighbour.name not in listing


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "range", "value": "", "low": "4.5", "high": "4.0", "base_year": "2024"}, "下限"),
        ({"kind": "reduction", "value": "", "reduction": "5", "base_year": "2025"}, "基期"),
        ({"indicator": "happiness"}, "happiness"),
        ({"end_year": "2024"}, "最后一年"),
    ],
)
def test_a_bad_target_form_says_why_and_stores_nothing(
    people: SimpleNamespace, client: Client, fields: dict[str, str], message: str
) -> None:
    client.force_login(people.city_admin)
    response = client.post("/targets/new/?region=445200", form(**fields), headers=ZH)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_a_target_is_set_split_and_a_short_county_named_in_the_warnings(
    people: SimpleNamespace, client: Client
) -> None:
    client.force_login(people.city_admin)
    frame, _used = figures.region_sums(["445202", "445222"], [2025])
    tce = {r["region"]: r["kgce"] / 1000 for r in frame.iter_rows(named=True)}
    total = sum(tce.values())
    response = client.post("/targets/new/?region=445200", form(value=str(total)), headers=ZH)
    assert response.status_code == 302
    parent = Target.objects.get()
    refused = client.post(
        f"/targets/{parent.pk}/split/",
        {"method": "weights", "share_445202": "0.5", "share_445222": "0.3"},
        headers=ZH,
    )
    assert refused.status_code == 200 and not parent.children.exists()
    # 榕城区 gets less than it uses, 揭西县 more: together exactly the city's cap
    shares = {"share_445202": str(tce["445202"] * 0.8), "share_445222": str(total - tce["445202"] * 0.8)}
    assert (
        client.post(
            f"/targets/{parent.pk}/split/", {"method": "hand", "share_445224": "0", **shares}
        ).status_code
        == 302
    )
    detail = client.get(f"/targets/{parent.pk}/", headers=ZH).content.decode()
    assert "榕城区" in detail and "揭西县" in detail
    assert "上限（不超过）" in detail and "energy_total" not in detail  # display names, never the codes
    warnings = client.get("/targets/warnings/", headers=ZH).content.decode()
    assert "榕城区" in warnings and "揭西县" not in warnings
