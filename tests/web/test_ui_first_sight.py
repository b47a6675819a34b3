"""What officials see first: a reporter's landing page with this month's duty (a viewer's without),
chart bars that open the page behind them, and a 404 that explains itself for its part of the site."""

from __future__ import annotations

import json
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.test import Client

from jieneng.reporting.demo import _months_before

pytestmark = pytest.mark.django_db


def signed_in(name: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(get_user_model().objects.get(username=name))
    return client


def test_reporter_landing_says_what_is_due(people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("jieneng.dashboard.unit_views.today", lambda: date(2026, 12, 2))
    html = signed_in("reporter").get("/", follow=True).content.decode()
    assert 'id="duties"' in html
    assert "2026-11" in html and "本月报表" in html
    assert "目前没有被退回的报表" in html


def test_viewer_sees_no_reporting_actions(people: SimpleNamespace) -> None:
    client = signed_in("viewer")
    unit = client.get(f"/unit/{people.org[2]}/").content.decode()
    assert 'id="duties"' not in unit
    index = client.get("/reporting/").content.decode()
    assert 'id="template"' not in index and 'id="imports"' not in index
    assert "不填报、不审核" in index


def test_ranking_bars_carry_their_pages(people: SimpleNamespace) -> None:
    html = signed_in("city_admin").get("/region/445200/").content.decode()
    option = re.search(r'id="chart-ranking-option" type="application/json">(.*?)</script>', html, re.S)
    assert option is not None
    bars = json.loads(option.group(1))["series"][0]["data"]
    links = [bar["link"] for bar in bars if "link" in bar]
    assert links and all(link.startswith("/region/") or link.startswith("/unit/") for link in links)
    assert all(bar["label"]["show"] for bar in bars if bar["value"] is not None)


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/reporting/import/00000000-0000-0000-0000-000000000000/", "您的上传记录中没有这一项"),
        ("/region/999999/", "999999"),
        ("/no/such/page/", "这个地址没有页面"),
    ],
)
def test_404_explains_itself(people: SimpleNamespace, settings: object, path: str, words: str) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    response = signed_in("city_admin").get(path)
    assert response.status_code == 404
    assert words in response.content.decode()
    if "import" in path:
        assert "行政区划代码" not in response.content.decode()


def test_queue_window_of_the_demo() -> None:
    assert _months_before(date(2026, 12, 2), 3) == "2026-09"
    assert _months_before(date(2026, 2, 10), 3) == "2025-11"
