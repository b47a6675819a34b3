"""The region dashboards: Chinese by default, English on request, friendly problems; signed in as the
city's viewer (who sees the city and everything under it)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def client(client, people):
    client.force_login(people.viewer)
    return client


def test_city_page_in_chinese_with_hand_computed_figures(client):
    landing = client.get("/")
    assert landing.status_code == 302 and landing["Location"] == "/region/445200/"
    response = client.get("/", follow=True)
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="zh-hans">' in page
    for words in (
        "综合能耗",
        "人均综合能耗",
        "单位建筑面积能耗",
        "人均用水量",
        "揭阳市",
        "电力",
        "揭阳市本级",
    ):
        assert words in page
    # 124,782.7992 kgce; / 850 persons; / 40,500 m²; 120,915.96 / 40,500; 48,000 m³ / 850
    for figure in ("124.78", "146.80", "3.08", "2.99", "56.47", "40,500"):
        assert figure in page
    assert "↓20.00%" in page  # 综合能耗 on 2024
    assert "↓21.88%" in page  # 人均综合能耗 on 2024: 830 / (850 × 1.25) − 1
    assert "↓33.33%" in page  # on the base year 2020
    assert "95.73" in page  # share of electricity
    assert 'href="/region/445202/?year=2025"' in page
    assert "public-institution@" in page and "2025年1–12月" in page


def test_county_link_opens_the_county(client):
    response = client.get("/region/445202/", {"year": "2025"})
    assert response.status_code == 200
    page = text(response)
    assert "榕城区" in page and 'href="/region/445200/?year=2025"' in page
    for figure in ("27.82", "139.09", "3.48", "3.32", "48.00", "↓28.00%"):
        assert figure in page


def test_english_by_accept_language_and_by_cookie(client):
    page = text(client.get("/region/445200/", headers={"accept-language": "en"}))
    assert '<html lang="en">' in page
    assert "Total energy consumption" in page and "Electricity" in page and "kgce/person" in page
    assert "综合能耗" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "综合能耗" in text(client.get("/region/445200/", headers={"accept-language": "en"}))


def test_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/region/445222/"})
    assert response.status_code == 302 and response["Location"] == "/region/445222/"
    assert "Water per person" in text(client.get("/region/445222/"))


def test_unknown_region_is_404(client):
    response = client.get("/region/999999/")
    assert response.status_code == 404
    assert "页面不存在" in text(response)


@pytest.mark.parametrize(("year", "words"), [("abc", "“abc”不是有效的年份"), ("1999", "1999年没有统计数据")])
def test_bad_year_is_explained(client, year, words):
    response = client.get("/region/445200/", {"year": year})
    assert response.status_code == 400
    assert words in text(response)


def test_partial_year_is_flagged(client):
    page = text(client.get("/region/445200/", {"year": "2026"}))
    assert "2026年1—3月累计" in page and "2026年1–3月" in page  # the notice, and the footer's data period


def test_region_without_records(client):
    assert "惠来县尚未报送统计数据" in text(client.get("/region/445224/"))


def test_empty_database_says_what_to_do(db, django_user_model):
    from django.test import Client

    root = django_user_model.objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(root)
    response = client.get("/")
    assert response.status_code == 200
    assert "jieneng demo" in text(response)
