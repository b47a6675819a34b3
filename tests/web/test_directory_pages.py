"""The directory pages: the list (search, filters, pages), an organisation's page, and who may see and
change what — a county office sees only its county, a viewer sees but cannot change, a department
administrator changes only the units it supervises."""

from __future__ import annotations

import pytest
from conftest import ORGANISATIONS
from django.urls import reverse

from jieneng.accounts.scope import scope_for
from jieneng.core import credit_code
from jieneng.directory.models import Organisation, Region
from jieneng.registry import browse

NAMES = {index: name for index, _code, name, *_rest in ORGANISATIONS}
CODES = {index: code for index, code, *_rest in ORGANISATIONS}


def listed(response) -> list[str]:
    return [org.name for org in response.context["listing"].rows]


def test_anonymous_is_sent_to_sign_in(client, loaded):
    response = client.get(reverse("directory:organisations"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_city_office_sees_every_organisation_sorted_by_region_then_name(client, people):
    client.force_login(people.city_admin)
    response = client.get(reverse("directory:organisations"))
    assert response.status_code == 200
    # 445200 (the city's own bureau), then 445202, then 445222; by name inside each
    expected = [NAMES[7], *sorted([NAMES[1], NAMES[2], NAMES[3]]), *sorted([NAMES[4], NAMES[5], NAMES[6]])]
    assert listed(response) == expected
    assert response.context["listing"].total == 7
    assert "7 家单位" in response.content.decode()


def test_county_office_sees_only_its_county(client, people):
    client.force_login(people.county_admin)
    response = client.get(reverse("directory:organisations"))
    assert sorted(listed(response)) == sorted(NAMES[i] for i in (1, 2, 3))
    page = response.content.decode()
    for other in (4, 5, 6, 7):
        assert NAMES[other] not in page


def test_department_sees_itself_and_the_units_it_supervises(client, people):
    client.force_login(people.department)
    response = client.get(reverse("directory:organisations"))
    assert sorted(listed(response)) == sorted([NAMES[1], NAMES[2]])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("第一中学", [2]),
        ("人民", [3, 4]),  # 榕城区人民医院, 揭西县人民政府办公室
        (CODES[5], [5]),  # a whole credit code
        (CODES[5].lower(), [5]),  # in lower case
        (credit_code.org_code(CODES[6]), [6]),  # the 9-character organisation code
        (
            credit_code.org_code(CODES[6])[:8] + "-" + credit_code.org_code(CODES[6])[8],
            [6],
        ),  # with its hyphen
        ("12445222", [5, 6]),  # the start of credit codes
        ("没有这个单位", []),
    ],
)
def test_search_by_name_or_code(client, people, query, expected):
    client.force_login(people.city_admin)
    response = client.get(reverse("directory:organisations"), {"q": query})
    assert sorted(listed(response)) == sorted(NAMES[i] for i in expected)
    if not expected:
        assert "没有符合条件的单位" in response.content.decode()


def test_filter_by_region_counts_the_subtree_and_by_type(client, people):
    client.force_login(people.city_admin)
    url = reverse("directory:organisations")
    assert sorted(listed(client.get(url, {"region": "445222"}))) == sorted(NAMES[i] for i in (4, 5, 6))
    assert len(listed(client.get(url, {"region": "445200"}))) == 7  # the city: its subtree
    assert listed(client.get(url, {"region": "445224"})) == []  # 惠来县 has none
    assert sorted(listed(client.get(url, {"type": "021"}))) == sorted([NAMES[2], NAMES[5]])
    assert listed(client.get(url, {"type": "021", "region": "445202"})) == [NAMES[2]]


def test_filter_by_a_region_outside_the_place_is_refused_in_chinese(client, people):
    client.force_login(people.county_admin)
    response = client.get(reverse("directory:organisations"), {"region": "445222"})
    assert response.status_code == 200
    assert response.context["listing"] is None
    assert "地区 445222 不在您的管辖范围内" in response.content.decode()
    options = [code for code, _label in response.context["form"].fields["region"].choices if code]
    assert options == ["445202"]


@pytest.mark.parametrize("query", ["", "测试"])  # read region by region, or in one pass for a search
def test_pages_follow_each_other_without_gaps_or_repeats(client, people, monkeypatch, query):
    """120 more schools in 榕城区 and in 揭西县: pages of 50 forward, and back again."""
    schools = []
    for code, county in (("445202", "榕城区"), ("445222", "揭西县")):
        region = Region.objects.current().get(code=code)
        schools += [
            Organisation(
                credit_code=credit_code.make("1", "2", code, f"9{n:07d}"),
                name=f"{county}测试学校{n % 7}",  # names repeat: the order falls back on the id
                type_code="021",
                region=region,
            )
            for n in range(60)
        ]
    Organisation.objects.bulk_create(schools)
    monkeypatch.setattr(browse, "PAGE_SIZE", 50)
    client.force_login(people.city_admin)
    url = reverse("directory:organisations")
    order = ("region__code", "region__valid_from", "region_id", "name", "pk")
    stored = Organisation.objects.filter(name__contains=query).order_by(*order)
    expected = list(stored.values_list("pk", flat=True))
    assert len(expected) == (127 if not query else 120)

    seen, pages, params = [], [], {"q": query}
    while True:
        listing = client.get(url, params).context["listing"]
        assert listing.total == len(expected)
        pages.append(listing)
        seen += [org.pk for org in listing.rows]
        if listing.next_after is None:
            break
        params = {"q": query, "after": listing.next_after}
    assert [len(p.rows) for p in pages] == [50, 50, len(expected) - 100]
    assert seen == expected
    assert pages[0].previous_before is None

    back = client.get(url, {"q": query, "before": pages[2].previous_before}).context["listing"]
    assert [org.pk for org in back.rows] == expected[50:100]
    first = client.get(url, {"q": query, "before": back.previous_before}).context["listing"]
    assert [org.pk for org in first.rows] == expected[:50]
    assert first.previous_before is None


def test_the_count_stops_at_the_limit(people, monkeypatch):
    monkeypatch.setattr(browse, "COUNT_LIMIT", 5)
    listing = browse.organisations_page(scope_for(people.city_admin), size=3)
    assert (listing.total, listing.more, len(listing.rows)) == (5, True, 3)


def test_a_cursor_outside_the_list_starts_at_the_first_page(client, people):
    client.force_login(people.county_admin)
    response = client.get(reverse("directory:organisations"), {"after": people.org[5]})  # 揭西县
    assert len(listed(response)) == 3


# --- an organisation's page ------------------------------------------------------------------------


def test_organisation_page_shows_fields_facts_and_supervision(client, people):
    client.force_login(people.county_admin)
    response = client.get(reverse("directory:organisation", args=[people.org[1]]))
    assert response.status_code == 200
    page = response.content.decode()
    assert NAMES[1] in page and CODES[1] in page and "国家机关" in page and "地址1号" in page
    assert [s.name for s in response.context["subordinates"]] == [NAMES[2]]
    assert [f.year for f in response.context["facts"]] == [2026, 2025, 2024, 2020]
    assert "5,000.00" in page  # building area of 2025 [m²]
    assert "修改基本信息" in page  # an office administrator may change it

    school = client.get(reverse("directory:organisation", args=[people.org[2]])).content.decode()
    assert f'href="{reverse("directory:organisation", args=[people.org[1]])}"' in school  # its supervisor


@pytest.mark.parametrize("name", ["directory:organisation", "directory:edit", "directory:facts"])
def test_county_office_cannot_reach_another_countys_organisation(client, people, name):
    client.force_login(people.county_admin)
    response = client.get(reverse(name, args=[people.org[5]]))  # 揭西县实验小学
    assert response.status_code == 404
    assert NAMES[5] not in response.content.decode()
    response = client.post(reverse(name, args=[people.org[5]]), {"name": "改名"})
    assert response.status_code in (404, 405)
    assert Organisation.objects.get(pk=people.org[5]).name == NAMES[5]


def test_viewer_sees_but_may_not_change(client, people):
    client.force_login(people.viewer)
    assert client.get(reverse("directory:organisation", args=[people.org[5]])).status_code == 200
    for name in ("directory:edit", "directory:facts"):
        response = client.get(reverse(name, args=[people.org[5]]))
        assert response.status_code == 403
        assert "可以查看" in response.content.decode() and "不能修改" in response.content.decode()
    response = client.post(reverse("directory:edit", args=[people.org[5]]), {"name": "改名"})
    assert response.status_code == 403
    assert Organisation.objects.get(pk=people.org[5]).name == NAMES[5]
    assert client.get(reverse("directory:register")).status_code == 403
    detail = client.get(reverse("directory:organisation", args=[people.org[5]])).content.decode()
    assert reverse("directory:edit", args=[people.org[5]]) not in detail


def test_department_changes_the_unit_it_supervises_but_not_another(client, people):
    client.force_login(people.department)
    assert client.get(reverse("directory:edit", args=[people.org[2]])).status_code == 200
    assert client.get(reverse("directory:edit", args=[people.org[3]])).status_code == 404
    assert client.get(reverse("directory:organisation", args=[people.org[3]])).status_code == 404


def test_reporter_sees_its_own_unit_only_and_changes_nothing(client, people):
    client.force_login(people.reporter)
    assert client.get(reverse("directory:organisation", args=[people.org[2]])).status_code == 200
    assert client.get(reverse("directory:organisation", args=[people.org[1]])).status_code == 404
    assert client.get(reverse("directory:edit", args=[people.org[2]])).status_code == 403
    response = client.get(reverse("directory:organisations"))
    assert listed(response) == [NAMES[2]]
    assert reverse("directory:register") not in response.content.decode()


def test_nobody_sees_nothing(client, people):
    client.force_login(people.nobody)
    assert listed(client.get(reverse("directory:organisations"))) == []
    assert client.get(reverse("directory:organisation", args=[people.org[1]])).status_code == 404


def test_unknown_organisation_is_404(client, people):
    client.force_login(people.root)
    assert client.get(reverse("directory:organisation", args=[999_999])).status_code == 404


def test_pages_read_in_english_too(client, people):
    client.force_login(people.county_admin)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("directory:organisations")).content.decode()
    assert "Organisations in the directory" in page and "3 organisations" in page
    page = client.get(reverse("directory:facts", args=[people.org[2]])).content.decode()
    assert "Add or correct yearly facts" in page
    response = client.post(
        reverse("directory:facts", args=[people.org[2]]),
        {"year": "2025", "building_area_m2": "-1", "persons": "x", "vehicles": ""},
    )
    text = response.content.decode()
    assert "The building area cannot be negative." in text
    assert "Enter the number of persons as a whole number, e.g. 120." in text
