"""The online form on the hand-made city: the items of the edition in force with their units and the
current values, the live check (the upload's reading rules and checks, messages beside the fields),
draft and submit, a refusal while a blocking problem remains, a new revision after a return, and the
same store as an upload (identical values add nothing)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jieneng.reporting import review
from jieneng.reporting.imports.receive import receive
from jieneng.reporting.imports.run import run_import
from jieneng.reporting.models import ReviewEvent, Revision, Submission

pytestmark = pytest.mark.django_db

PERIOD = "2026-09"  # after the city's data (2026 has January to March only), before today
EN = {"accept-language": "en"}
CHECK, FILL = "/reporting/fill/check/", "/reporting/fill/"


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def data(org: int, values: dict[str, str], action: str | None = None, period: str = PERIOD) -> dict[str, str]:
    out = {"org": str(org), "form": "pi-energy", "period": period}
    out |= {f"v_{code}": text for code, text in values.items()}
    return out | ({"action": action} if action else {})


def messages_of(html: str, code: str) -> str:
    """The message block beside the field ``code``."""
    match = re.search(rf'<div class="msgs" id="msg-{code}"[^>]*>(.*?)</div>', html, re.S)
    assert match, code
    return match.group(1)


def submission(org: int, period: str = PERIOD) -> Submission:
    return Submission.objects.get(organisation_id=org, form="pi-energy", period=period)


@pytest.fixture
def school(people) -> Client:
    """The reporter of 榕城区第一中学 (unit 2), whose electricity is 5,000 kWh a month in 2025."""
    return signed_in(people.reporter)


def test_the_page_lists_the_edition_s_items_with_units_and_the_current_values(people, school):
    org = people.org[2]
    response = school.get(FILL, {"org": org, "form": "pi-energy", "period": "2025-03"})
    assert response.status_code == 200
    text = response.content.decode()
    for words in (
        "公共机构能源资源消费状况",
        "2025年3月",
        "榕城区第一中学",
        "电力消费量",
        "千瓦时",
        "电费",
        "已通过",
    ):
        assert words in text, words
    assert re.search(r'name="v_electricity" id="v_electricity" value="5000"', text)  # 0.5 万kWh approved
    assert (
        'name="v_solar_pv"' in text
        and f'hx-post="{CHECK}"' in text
        and 'hx-trigger="input delay:600ms"' in text
    )
    # quantity and cost side by side: one row of the table per energy type
    row = re.search(r"<tr>\s*<th scope=\"row\">电力消费量</th>(.*?)</tr>", text, re.S)
    assert row and 'name="v_electricity"' in row.group(1) and 'name="v_electricity_cost"' in row.group(1)
    old = school.get(FILL, {"org": org, "form": "pi-energy", "period": "2019-03"}).content.decode()
    assert 'name="v_electricity"' in old and 'name="v_solar_pv"' not in old  # the 2017 edition


def test_the_live_check_finds_a_10000_mix_up_and_a_negative_number(people, school):
    org = people.org[2]
    before = Revision.objects.count()
    response = school.post(CHECK, data(org, {"electricity": "50,000,000", "water": "-5", "gasoline": "１２"}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'hx-swap-oob="true"' in html
    electricity = messages_of(html, "electricity")
    assert 'class="msg advisory" data-code="ten_thousand_off"' in electricity and "万" in electricity
    water = messages_of(html, "water")
    assert 'class="msg blocking" data-code="negative_quantity"' in water and "水消费量为负数（-5）" in water
    assert messages_of(html, "gasoline") == ""  # full-width digits are read
    assert re.search(r'<button type="submit" name="action" value="submit"[^>]* disabled', html)
    assert Revision.objects.count() == before  # checking stores nothing

    english = school.post(CHECK, data(org, {"electricity": "5千"}), headers=EN).content.decode()
    assert "“5千” is not a number" in messages_of(english, "electricity")
    fine = school.post(
        CHECK, data(org, {"electricity": "5,100", "electricity_cost": "4000"})
    ).content.decode()
    assert 'data-code="negative_quantity"' not in fine and "disabled" not in fine


def test_submit_is_refused_while_a_blocking_problem_remains_but_a_draft_is_kept(people, school):
    org = people.org[2]
    refused = school.post(FILL, data(org, {"electricity": "5000", "water": "-5"}, "submit"), headers=EN)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Not submitted: fix the problems marked in red first" in text
    assert 'data-code="negative_quantity"' in text and 'value="-5"' in text  # what was typed stays
    assert not Submission.objects.filter(organisation_id=org, period=PERIOD).exists()

    unreadable = school.post(FILL, data(org, {"electricity": "5千"}, "draft"))
    assert unreadable.status_code == 400 and not Submission.objects.filter(period=PERIOD).exists()
    empty = school.post(FILL, data(org, {}, "draft"), headers=EN)
    assert empty.status_code == 400 and "fill in at least one value" in empty.content.decode()

    draft = school.post(FILL, data(org, {"electricity": "5000", "water": "-5"}, "draft"), headers=EN)
    assert (
        draft.status_code == 302 and draft["Location"] == f"{FILL}?org={org}&form=pi-energy&period={PERIOD}"
    )
    saved = submission(org)
    assert saved.status == Submission.Status.DRAFT
    revision = saved.revisions.get()
    assert (revision.source, revision.author, revision.created_by, revision.row) == (
        "online",
        "reporter",
        people.reporter,
        None,
    )
    assert revision.values["electricity"] == 5000 and revision.values["water"] == -5
    assert "Draft saved" in school.get(draft["Location"], headers=EN).content.decode()


def test_a_draft_is_submitted_and_identical_values_add_nothing(people, school):
    org = people.org[2]
    values = {"electricity": "5,200", "electricity_cost": "４１００"}
    school.post(FILL, data(org, values, "draft"))
    saved = submission(org)
    assert (saved.status, saved.current) == (Submission.Status.DRAFT, 1)
    school.post(FILL, data(org, values, "draft"))
    assert submission(org).revisions.count() == 1  # the same values: nothing new

    handed = school.post(FILL, data(org, values, "submit"))
    assert handed.status_code == 302
    saved = submission(org)
    assert (saved.status, saved.current, saved.revisions.count()) == (Submission.Status.SUBMITTED, 1, 1)
    event = saved.events.get()
    assert (event.action, event.revision, event.actor) == (ReviewEvent.Action.SUBMITTED, 1, "reporter")
    assert saved.revisions.get().values["electricity_cost"] == 4100
    again = school.post(FILL, data(org, values, "submit"), follow=True, headers=EN)
    assert "Nothing changed" in again.content.decode() and submission(org).events.count() == 1


def test_a_returned_submission_shows_the_reason_and_is_submitted_again_as_a_new_revision(people, school):
    org = people.org[2]
    tripled = data(org, {"electricity": "15000"}, "submit")
    refused = school.post(FILL, tripled, headers=EN)  # three times last year: a verification check
    assert refused.status_code == 400 and "need an explanation" in refused.content.decode()
    assert not Submission.objects.filter(organisation_id=org, period=PERIOD).exists()
    school.post(FILL, tripled | {"explanation": "新增空调机组，已核对电表读数"})
    first = submission(org)
    assert first.revisions.get().explanation == "新增空调机组，已核对电表读数"
    assert (first.status, first.current) == (Submission.Status.SUBMITTED, 1)
    assert (
        review.return_([first.pk], reason="电量是去年同期的三倍，请再查一下电表读数", actor="reviewer") == 1
    )

    page = school.get(FILL, {"org": org, "form": "pi-energy", "period": PERIOD}).content.decode()
    assert "请再查一下电表读数" in page and 'value="15000"' in page
    assert 'data-code="yoy_change"' in page  # the current values are checked when the page opens
    home = school.get("/reporting/").content.decode()
    assert "请再查一下电表读数" in home and f"/reporting/fill/?org={org}&amp;form=pi-energy" in home

    school.post(FILL, data(org, {"electricity": "5100"}, "submit"))
    fixed = submission(org)
    assert (fixed.status, fixed.current) == (Submission.Status.SUBMITTED, 2)
    newest = fixed.revisions.get(number=2)
    assert newest.values["electricity"] == 5100 and newest.source == "online"
    assert fixed.revisions.get(number=1).values["electricity"] == 15000  # kept
    after = school.get(FILL, {"org": org, "form": "pi-energy", "period": PERIOD}).content.decode()
    assert "请再查一下电表读数" not in after  # answered: the reason is no longer shown


def test_the_online_form_and_an_upload_share_the_store(people, school, settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"
    org = people.org[2]
    school.post(FILL, data(org, {"electricity": "5100", "electricity_cost": "4000"}, "submit"))
    code = "124452021000000243"  # 榕城区第一中学
    path = tmp_path / "九月.csv"
    path.write_text(
        f"统一社会信用代码,统计期,电力消费量（万千瓦时）,电费（元）\n{code},{PERIOD},0.51,4000\n",
        encoding="utf-8",
    )
    job = run_import(receive(path, path.name, "pi-energy", author="reporter", user=people.reporter).pk)
    assert (job.status, job.created, job.revised, job.unchanged) == ("done", 0, 0, 1)
    assert submission(org).revisions.count() == 1


def test_only_the_units_one_reports_for_can_be_filled(people, school):
    other = people.org[5]  # 揭西县实验小学: not visible to the school's reporter
    assert school.get(FILL, {"org": other, "form": "pi-energy", "period": PERIOD}).status_code == 404
    assert school.post(CHECK, data(other, {"electricity": "1"})).status_code == 404
    assert school.post(FILL, data(other, {"electricity": "1"}, "submit")).status_code == 404
    own = people.org[2]
    for name in ("viewer", "reviewer", "check_team"):
        client = signed_in(getattr(people, name))
        refused = client.get(FILL, {"org": own, "form": "pi-energy", "period": PERIOD})
        assert refused.status_code == (404 if name == "check_team" else 403), name
        assert client.post(CHECK, data(own, {"electricity": "1"})).status_code in (403, 404), name
        assert client.post(FILL, data(own, {"electricity": "1"}, "submit")).status_code in (403, 404), name
    refusal = signed_in(people.viewer).get(
        FILL, {"org": own, "form": "pi-energy", "period": PERIOD}, headers=EN
    )
    assert "You may see this unit but not report for it" in refusal.content.decode()
    assert not Submission.objects.filter(period=PERIOD).exists()


def test_a_bad_request_says_what_is_missing(people, school):
    assert school.get(FILL, {"form": "pi-energy", "period": PERIOD}).status_code == 200  # their one unit
    department = signed_in(people.department)  # two units: choose one
    chooser = department.get(FILL, {"form": "pi-energy", "period": PERIOD}, headers=EN)
    assert chooser.status_code == 400 and "Choose the unit" in chooser.content.decode()
    assert "榕城区第一中学" in chooser.content.decode()
    bad = school.get(FILL, {"org": people.org[2], "form": "pi-energy", "period": "2010-01"}, headers=EN)
    assert bad.status_code == 400 and "not for 2010" in bad.content.decode()
