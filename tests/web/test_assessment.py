"""The assessment round end to end through its services and pages: open, self-check (with evidence),
verify with reasons, finalise, recompute; the scoping of drafts and results."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jieneng.assessment import services, sources
from jieneng.assessment.models import Adjustment, Entry, Event, Evidence, Party, Result, Round, State
from jieneng.assessment.services import ItemInput, Refused
from jieneng.directory.models import Organisation, Region
from jieneng.targets.models import Deployment, Target

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)
PDF = b"%PDF-1.4\n% evidence\n"


def _open(scheme: str = "public-institution") -> Round:
    city = Region.objects.current().get(code="445200")
    counties = list(Region.objects.current().filter(code__in=["445202", "445222"]).order_by("code"))
    return services.open_round(
        region=city,
        title="揭阳市2025年度考核",
        scheme_ref=scheme,
        year=2025,
        parties=counties,
        self_check_due=date(2026, 3, 31),
        verification_due=date(2026, 8, 27),
    )


def _full(round_: Round, party: Party, *, water_share: float = 1.1) -> dict[str, ItemInput]:
    built = services.scheme(round_)
    given = {}
    for entry in Entry.objects.filter(party=party):
        item = built.items[entry.item]
        if item.method == "completion":
            target = entry.inputs.get("target") or 4.0
            share = water_share if item.id == "water_per_person" else 1.05
            given[item.id] = ItemInput(inputs={"target": target, "actual": target * share})
        elif item.method == "yes_no":
            given[item.id] = ItemInput(value=1.0)
        elif item.method == "count":
            given[item.id] = ItemInput(value=3.0)
        else:
            given[item.id] = ItemInput(value=item.points * 0.9)
    return given


def _login(client: Client, name: str) -> Client:
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=name))
    return client


@pytest.fixture
def finished(people: SimpleNamespace) -> SimpleNamespace:
    """A round in which 榕城区 met everything and 揭西县 missed its water target at 91 %."""
    round_ = _open()
    services.advance(round_, None, TODAY)
    rongcheng, jiexi = round_.parties.order_by("region__code")
    assert services.save_self_check(rongcheng, _full(round_, rongcheng), submit=True, user=None) == []
    given = _full(round_, jiexi, water_share=0.91)
    assert services.save_self_check(jiexi, given, submit=True, user=None) == []
    services.advance(round_, None, TODAY)
    lowered = {"retrofits": ItemInput(value=5.0, reason="现场核查：改造未完工")}
    assert services.verify(rongcheng, lowered, user=None) == []
    services.advance(round_, None, TODAY)
    round_.refresh_from_db()
    return SimpleNamespace(round=round_, rongcheng=rongcheng, jiexi=jiexi)


def test_a_county_at_91_percent_of_its_water_target_is_vetoed(finished):
    results = {r.party.name: r for r in Result.objects.filter(party__round=finished.round)}
    assert finished.round.state == State.FINALISED and finished.round.locked
    assert results["揭西县"].grade == "未完成" and results["揭西县"].vetoed
    assert "人均用水量" in results["揭西县"].veto_reason
    assert results["榕城区"].grade != "未完成" and not results["榕城区"].vetoed
    assert results["榕城区"].items["retrofits"] == 5.0
    assert results["榕城区"].scheme == "public-institution@2024.1"
    tasks = services.rectification_tasks(finished.round)
    assert [t.party.name for t in tasks] == ["揭西县"]
    assert (
        tasks[0].due - timezone.localdate(finished.round.finalised_at)
    ).days == services.RECTIFICATION_DAYS
    # finalising deployed it through the targets' deployments: one task to 揭西县, due in a month
    deployed = Deployment.objects.get(kind=Deployment.Kind.RECTIFICATION)
    assert deployed.issuer == finished.round.region and deployed.due == tasks[0].due
    assert [a.region.name for a in deployed.assignments.all()] == ["揭西县"]


def test_the_decomposition_item_reads_whether_the_targets_were_passed_down(finished):
    parties = {p.name: p for p in finished.round.parties.all()}
    assert sources.decomposition_done(list(parties.values()), 2025) == {}  # no targets: by hand
    goal = {"indicator": "energy_per_m2", "start_year": 2025, "end_year": 2025, "base_year": 2024}
    for name in parties:
        region = Region.objects.current().get(name=name)
        Target.objects.create(name=f"{name}目标", region=region, kind="reduction", reduction=3.0, **goal)
    kept = Target.objects.get(region__name="榕城区")
    school = Organisation.objects.filter(region=kept.region).first()
    Target.objects.create(
        name="分解", parent=kept, organisation=school, kind="reduction", reduction=3.0, **goal
    )
    done = sources.decomposition_done(list(parties.values()), 2025)
    assert done[parties["榕城区"].pk][0] == 1.0
    assert done[parties["揭西县"].pk][0] == 0.0 and "尚未分解下达" in done[parties["揭西县"].pk][1]


def test_a_finalised_round_recomputes_to_the_same_scores_and_is_locked(finished):
    assert services.recompute(finished.round) == []
    with pytest.raises(Refused):
        services.advance(finished.round, None, TODAY)
    assert services.save_self_check(finished.jiexi, {}, submit=False, user=None)


def test_every_change_of_the_check_team_is_kept_with_its_reason(finished):
    change = Adjustment.objects.get(entry__party=finished.rongcheng)
    assert (change.old, change.new, change.reason) == (9.0, 5.0, "现场核查：改造未完工")


def test_a_change_without_a_reason_and_a_score_above_the_maximum_save_nothing(people):
    round_ = _open()
    services.advance(round_, None, TODAY)
    party = round_.parties.get(region__code="445202")
    bad = {"leadership": ItemInput(value=9.5), "retrofits": ItemInput(value=2.0)}
    problems = services.save_self_check(party, bad, submit=False, user=None)
    assert problems == ["“节能工作领导机构、管理人员和制度”：9.5 超出 0–8 分。"]
    assert Entry.objects.get(party=party, item="retrofits").value is None
    services.save_self_check(party, _full(round_, party), submit=True, user=None)
    services.save_self_check(
        round_.parties.exclude(pk=party.pk).get(), _full(round_, party), submit=True, user=None
    )
    services.advance(round_, None, TODAY)
    problems = services.verify(party, {"retrofits": ItemInput(value=1.0)}, user=None)
    assert "调整原因" in problems[0] and not Adjustment.objects.exists()


def test_the_verification_waits_for_every_self_check(people):
    round_ = _open()
    services.advance(round_, None, TODAY)
    with pytest.raises(Refused) as refused:
        services.advance(round_, None, TODAY)
    assert "榕城区" in refused.value.problems[0]


def test_trainings_are_counted_from_the_events(people):
    rongcheng = Region.objects.current().get(code="445202")
    Event.objects.create(
        region=rongcheng, on=date(2025, 5, 1), kind="training", title="培训", participants=40
    )
    Event.objects.create(
        region=rongcheng, on=date(2024, 5, 1), kind="training", title="去年", participants=40
    )
    round_ = _open()
    services.advance(round_, None, TODAY)
    entry = Entry.objects.get(party__region=rongcheng, item="trainings")
    assert entry.value == 1.0 and entry.source
    assert sources.decomposition_done([entry.party], 2025) == {}  # no target in force: by hand


def test_an_evidence_file_that_is_not_what_its_name_says_is_refused(people, client):
    round_ = _open()
    services.advance(round_, None, TODAY)
    party = round_.parties.get(region__code="445202")
    _login(client, "county_admin")
    url = f"/assessment/{round_.pk}/party/{party.pk}/"
    fake = SimpleUploadedFile("自查报告.pdf", b"MZ not a pdf")
    response = client.post(url, {"action": "save", "v_leadership": "7", "file_leadership": fake})
    assert "自查报告.pdf" in response.content.decode() and not Evidence.objects.exists()
    assert Entry.objects.get(party=party, item="leadership").value is None
    real = SimpleUploadedFile("自查报告.pdf", PDF)
    response = client.post(url, {"action": "save", "v_leadership": "7", "file_leadership": real})
    assert response.status_code == 302 and Evidence.objects.count() == 1
    download = client.get(f"/assessment/evidence/{Evidence.objects.get().pk}/")
    assert download.status_code == 200 and bytes(download.content) == PDF


def test_nobody_sees_another_countys_draft(people, client):
    round_ = _open()
    services.advance(round_, None, TODAY)
    rongcheng = round_.parties.get(region__code="445202")
    services.save_self_check(
        rongcheng, {"leadership": ItemInput(value=7.0, note="草稿")}, submit=False, user=None
    )
    url = f"/assessment/{round_.pk}/party/{rongcheng.pk}/"
    assert _login(Client(), "county_admin").get(url).status_code == 200
    assert _login(Client(), "other_county_admin").get(url).status_code == 404
    assert _login(Client(), "city_admin").get(url).status_code == 404  # the office: once submitted
    page = _login(Client(), "other_county_admin").get(f"/assessment/{round_.pk}/").content.decode()
    assert "揭西县" in page and "榕城区" not in page


def test_a_party_sees_only_its_own_result_and_the_office_every_grade(finished, client):
    url = f"/assessment/{finished.round.pk}/results/"
    own = _login(Client(), "other_county_admin").get(url).content.decode()
    assert "揭西县" in own and "榕城区" not in own and "一票否决" in own
    office = _login(Client(), "city_admin").get(url).content.decode()
    assert "榕城区" in office and "揭西县" in office and "整改" in office


def test_the_office_opens_a_round_from_its_page(people, client):
    _login(client, "city_admin")
    form = client.get("/assessment/new/").content.decode()
    assert "榕城区" in form and "惠来县" in form
    data = {
        "region": "445200",
        "title": "2025年度考核",
        "scheme": "gf2007-36-province",
        "year": "2025",
        "self_check_due": "2026-03-31",
        "verification_due": "2026-03-01",
        "parties": ["445202", "445222"],
    }
    response = client.post("/assessment/new/", data)
    assert "核查" in response.content.decode() or response.status_code == 200
    assert not Round.objects.exists()
    data["verification_due"] = "2026-08-27"
    response = client.post("/assessment/new/", data)
    round_ = Round.objects.get()
    assert response.status_code == 302 and round_.scheme == "gf2007-36-province@2007.1"
    assert round_.parties.count() == 2 and round_.state == State.OPEN
    assert _login(Client(), "county_admin").get("/assessment/new/?region=445200").status_code == 404


def test_a_demonstration_unit_passes_at_85_and_fails_on_a_starred_zero(people, client):
    from jieneng.assessment.units import apply
    from jieneng.directory.models import Organisation
    from jieneng.reference.schemes import load_scheme

    scheme = load_scheme("demonstration-unit")
    inputs: dict[str, object] = {}
    for column, kind, item in scheme.inputs():
        inputs[column] = {"value": 0.85, "peer": 1.0, "certified": False, "yes_no": True}.get(
            kind, item.points
        )
    school = Organisation.objects.get(name="榕城区第一中学")
    accepted = apply(school, year=2025, level="city", kind="saving", inputs=inputs)
    assert accepted.accepted and accepted.scheme == "demonstration-unit@2020.1"
    library = Organisation.objects.get(name="揭西县图书馆")
    failed = apply(library, year=2025, level="provincial", kind="water", inputs={**inputs, "statistics": 0.0})
    assert failed.accepted is False and "得0分" in failed.reason
    page = _login(Client(), "other_county_admin").get("/assessment/units/?kind=water").content.decode()
    assert "揭西县图书馆" in page and "榕城区第一中学" not in page
    assert "榕城区第一中学" in _login(Client(), "city_admin").get("/assessment/units/").content.decode()


def test_a_county_records_its_trainings_and_sees_only_its_own(people, client):
    _login(client, "county_admin")
    data = {
        "on": "2025-06-01",
        "kind": "training",
        "title": "节能培训",
        "participants": "50",
        "materials": "80",
    }
    assert client.post("/assessment/events/", data).status_code == 302
    event = Event.objects.get()
    assert event.region is not None and event.region.code == "445202" and event.participants == 50
    assert client.post("/assessment/events/", {**data, "participants": "-1"}).status_code == 200
    assert Event.objects.count() == 1
    assert (
        "节能培训" not in _login(Client(), "other_county_admin").get("/assessment/events/").content.decode()
    )
    assert "节能培训" in _login(Client(), "city_admin").get("/assessment/events/").content.decode()


def test_a_check_team_correcting_a_computed_item_keeps_both_figures(people):
    round_ = _open()
    services.advance(round_, None, TODAY)
    for party in round_.parties.all():
        assert services.save_self_check(party, _full(round_, party), submit=True, user=None) == []
    services.advance(round_, None, TODAY)
    party = round_.parties.get(region__code="445222")
    before = Entry.objects.get(party=party, item="water_per_person").inputs
    corrected = {"target": before["target"], "actual": before["target"] * 0.5}
    change = {"water_per_person": ItemInput(inputs=corrected, reason="统计局核定数低于自查")}
    assert services.verify(party, change, user=None) == []
    adjustment = Adjustment.objects.get()
    assert adjustment.old_inputs == before and adjustment.new_inputs == corrected
    services.advance(round_, None, TODAY)
    assert Result.objects.get(party=party).vetoed


def test_the_results_bulletin_has_the_grade_table_the_veto_and_the_lists(finished, people):
    import io

    import docx

    from jieneng.assessment.models import Application
    from jieneng.bulletins import services as bulletins

    city = finished.round.region
    school = Organisation.objects.get(pk=people.org[2])
    Application.objects.create(organisation=school, year=2025, level="city", kind="saving", accepted=True)
    doc = bulletins.generate("assessment", city, "2025")
    assert doc.template == "assessment@2" and [r["party"] for r in doc.snapshot["rows"]][:2]
    word = docx.Document(io.BytesIO(bulletins.render(doc, "docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "评价考核结果的通报" in text.replace("\n", "") and "实行一票否决的 1 个：揭西县（" in text
    assert "揭西县要在一个月内" in text and "未完成（一票否决）" in cells and "榕城区" in cells
    assert f"{school.name}等 1 家单位获评节约型公共机构示范单位" in text
    assert bulletins.compose(doc).title == bulletins.compose(doc).title  # made again from its snapshot
    # a year without a finalised round: a message, no document
    client = Client()
    client.force_login(people.city_admin)
    before = doc.__class__.objects.count()
    answer = client.post("/documents/", {"kind": "assessment", "region": city.code, "period": "2024"})
    assert answer.status_code == 200 and "没有已定稿的考核" in answer.content.decode()
    assert doc.__class__.objects.count() == before
