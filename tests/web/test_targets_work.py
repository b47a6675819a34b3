"""The organisation of the work, the letters and the deployed tasks over the hand-made city: coverage is
computed from the records (and said as a bulletin says it), a file that is not what its name says is
refused naming it and nothing is stored, a task goes to many counties at once and the late ones are
reminded (in the platform, and by email where a mail server is set), a county sees its own assignment
and nothing of its neighbour's."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date
from types import SimpleNamespace

import pytest
from django.conf import LazySettings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jieneng.directory.models import Region
from jieneng.targets import attachments, coverage, organising, services, tasks
from jieneng.targets.models import Assignment, Attachment, Deployment, Group, Letter, Meeting, Notice, Target

pytestmark = pytest.mark.django_db
ZH = {"Accept-Language": "zh-hans"}
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
COUNTIES = ("445202", "445222", "445224")


def region(code: str) -> Region:
    return Region.objects.current().get(code=code)


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_coverage_is_computed_from_the_records(people: SimpleNamespace) -> None:
    city = region("445200")
    Group.objects.create(region=region("445202"), leader="区长", agency="节能办", staff=3, joint_meeting=True)
    Group.objects.create(region=region("445222"), leader="县长")
    Meeting.objects.create(region=region("445202"), held_on=date(2026, 3, 1), topic="部署会")
    organising.issue_letters(city, 2026, "目标责任书", regions=[region(c) for c in COUNTIES])
    letter = Letter.objects.get(region__code="445202")
    organising.sign(letter, date(2026, 9, 6))
    found = services.coverage("445200", 2026)
    names = {
        f: [p.code for p in getattr(found, f)] for f in ("no_group", "no_agency", "no_meeting", "not_signed")
    }
    assert names == {
        "no_group": ["445224"],
        "no_agency": ["445222", "445224"],
        "no_meeting": ["445222", "445224"],
        "not_signed": ["445222", "445224"],
    }
    assert found.staff == {"445202": 3, "445222": 0}
    assert found.say("no_agency") == "2 个县"
    assert city.parent is not None
    province = services.coverage(city.parent.code, 2026, level=3)
    assert {p.code for p in province.no_agency} >= {"445222", "445224"}


def test_a_city_that_has_not_passed_its_targets_down_is_named(people: SimpleNamespace) -> None:
    city = region("445200")
    Target.objects.create(
        name="省目标", region=city.parent, indicator="energy_per_m2", start_year=2026, end_year=2026,
        base_year=2025, kind="reduction", reduction=3.0, binding="binding",
    )  # fmt: skip
    Target.objects.create(
        name="市目标", region=city, indicator="energy_per_m2", start_year=2026, end_year=2026,
        base_year=2025, kind="reduction", reduction=3.0, binding="binding",
    )  # fmt: skip
    found = coverage.coverage(city.parent, 2026)  # type: ignore[arg-type]
    assert [p.code for p in found.not_passed_down] == ["445200"]


def test_minutes_that_are_not_what_their_name_says_store_nothing(
    people: SimpleNamespace, client: Client
) -> None:
    signed_in(client, people.county_admin)
    fake = SimpleUploadedFile("会议纪要.pdf", docx(), content_type="application/pdf")
    data = {"kind": "group", "held_on": "2026-03-01", "topic": "领导小组会议", "decisions": "", "file": fake}
    response = client.post("/targets/organising/445202/meeting/", data, headers=ZH)
    assert response.status_code == 200
    assert "会议纪要.pdf" in response.text and "Word" in response.text
    assert not Meeting.objects.exists() and not Attachment.objects.exists()
    good = SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")
    response = client.post("/targets/organising/445202/meeting/", {**data, "file": good}, headers=ZH)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.minutes is not None and meeting.minutes.kind == "pdf"
    assert client.get(f"/targets/files/{meeting.minutes.pk}/").content == PDF
    other = signed_in(Client(), people.other_county_admin)
    assert other.get(f"/targets/files/{meeting.minutes.pk}/").status_code == 404
    assert other.get("/targets/organising/?region=445202").status_code == 404


def test_a_letter_is_signed_with_its_scan_and_the_missing_are_named(
    people: SimpleNamespace, client: Client
) -> None:
    signed_in(client, people.city_admin)
    assert client.post("/targets/letters/issue/445200/?year=2026").status_code == 302
    assert Letter.objects.filter(issuer__code="445200", year=2026).count() == 3
    letter = Letter.objects.get(region__code="445222")
    renamed = SimpleUploadedFile("责任书.pdf", docx())
    response = client.post(
        f"/targets/letters/{letter.pk}/sign/", {"signed_on": "2026-09-06", "scan": renamed}, headers=ZH
    )
    assert response.status_code == 200 and "责任书.pdf" in response.text
    letter.refresh_from_db()
    assert letter.signed_on is None and not Attachment.objects.exists()
    scan = SimpleUploadedFile("责任书.pdf", PDF)
    response = client.post(f"/targets/letters/{letter.pk}/sign/", {"signed_on": "2026-09-06", "scan": scan})
    assert response.status_code == 302
    page = client.get("/targets/letters/?region=445200&year=2026", headers=ZH).text
    assert "榕城区" in page and "惠来县" in page
    assert [x.region.code for x in organising.unsigned(region("445200"), 2026)] == ["445202", "445224"]
    # the county sees its own letter, not its neighbour's
    county = signed_in(Client(), people.county_admin).get("/targets/letters/?region=445202&year=2026").text
    assert "榕城区" in county and letter.title not in county


def test_a_task_goes_to_many_the_late_are_reminded(people: SimpleNamespace, settings: LazySettings) -> None:
    city = region("445200")
    with pytest.raises(tasks.TaskRejected) as refused:
        tasks.deploy_task(city, "实施方案", date(2026, 9, 1), [], today=date(2026, 9, 6))
    assert {p.code for p in refused.value.problems} == {"task_without_recipients", "task_due_before_deployed"}
    assert not Deployment.objects.exists()
    plan = services.deploy_task(
        city, "报送实施方案", date(2026, 9, 20), [region(c) for c in COUNTIES], today=date(2026, 9, 6)
    )
    a, b, _c = plan.assignments.order_by("region__code")
    tasks.submit(a, "已报送", [SimpleUploadedFile("方案.pdf", PDF)], day=date(2026, 9, 18))
    tasks.submit(b, "补报", [], day=date(2026, 9, 25))
    s = tasks.summary(plan, date(2026, 12, 2))
    assert (s.done, s.done_late, s.late, s.open, s.late_names) == (1, 1, 1, 0, ("惠来县",))
    with pytest.raises(attachments.AttachmentRejected):
        tasks.submit(_c, "x", [SimpleUploadedFile("方案.xlsx", PDF)], day=date(2026, 12, 2))
    assert Assignment.objects.get(pk=_c.pk).done_on is None
    people.county_admin.email = "a@example.org"
    people.county_admin.save()
    [notice] = tasks.remind(plan, date(2026, 12, 2))
    assert notice.assignment.region.code == "445224" and notice.emailed == 0 and not mail.outbox
    settings.JIENENG = dataclasses.replace(settings.JIENENG, email_host="mail.invalid")
    user = people.other_county_admin
    user.email = "huilai@example.org"
    from jieneng.accounts.models import Membership

    Membership.objects.create(user=user, region=region("445224"), role="office_admin")
    user.save()
    [again] = tasks.remind(plan, date(2026, 12, 2))
    assert again.emailed == 1 and mail.outbox[0].to == ["huilai@example.org"]
    assert Notice.objects.count() == 2


def test_the_monthly_report_and_who_has_not_filed(people: SimpleNamespace) -> None:
    city = region("445200")
    below = [region(c) for c in COUNTIES]
    report = tasks.ensure_monthly_report(city, 2026, 11, below)
    assert report.due == date(2026, 11, 30) and tasks.ensure_monthly_report(city, 2026, 11, below) == report
    tasks.submit(report.assignments.get(region__code="445202"), "11月工作情况", [], day=date(2026, 11, 28))
    assert [r.code for r in tasks.not_filed(city, 2026, 11)] == ["445222", "445224"]


def test_a_county_sees_its_own_assignment_only(people: SimpleNamespace) -> None:
    plan = tasks.deploy_task(
        region("445200"), "报送实施方案", date(2026, 12, 20), [region(c) for c in COUNTIES]
    )
    mine = plan.assignments.get(region__code="445202")
    county = signed_in(Client(), people.county_admin)
    page = county.get(f"/targets/tasks/{plan.pk}/", headers=ZH).text
    assert "榕城区" in page and "揭西县" not in page
    assert county.post(f"/targets/tasks/{plan.pk}/remind/").status_code == 403
    other = signed_in(Client(), people.other_county_admin)
    assert other.get(f"/targets/assignments/{mine.pk}/").status_code == 404
    response = county.post(
        f"/targets/assignments/{mine.pk}/", {"note": "已完成", "evidence": [SimpleUploadedFile("a.pdf", PDF)]}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.done_on is not None and mine.evidence.count() == 1


def test_deploying_from_the_page(people: SimpleNamespace, client: Client) -> None:
    signed_in(client, people.city_admin)
    data = {
        "region": "445200",
        "title": "报送实施方案",
        "due": "2099-09-20",
        "recipients": ["445202", "445222"],
    }
    response = client.post("/targets/tasks/new/", data)
    assert response.status_code == 302
    assert Deployment.objects.get().assignments.count() == 2
    response = client.post("/targets/tasks/new/", {**data, "recipients": []}, headers=ZH)
    assert response.status_code == 200 and Deployment.objects.count() == 1
    assert (
        signed_in(Client(), people.county_admin).get("/targets/tasks/new/?region=445200").status_code == 404
    )


def test_the_demonstration_looks_like_an_office_in_december(people: SimpleNamespace) -> None:
    from jieneng.targets import demo_work

    today = date(2026, 12, 2)
    assert demo_work.ensure(today) == 4 and demo_work.ensure(today) == 0
    city = region("445200")
    found = services.coverage(city, 2026)
    assert [p.code for p in found.not_signed] == ["445222", "445224"]
    assert [p.code for p in found.no_agency] == ["445224"]
    plan = Deployment.objects.get(title__startswith="报送", issuer=city)
    assert plan.due == date(2026, 9, 20)
    s = tasks.summary(plan, today)
    assert (s.done, s.done_late, s.late) == (1, 1, 1)
    assert [r.code for r in tasks.not_filed(city, 2026, 11)] == ["445222", "445224"]
    assert tasks.not_filed(city, 2026, 10) == []
    demo_work.forget()
    assert not Group.objects.exists() and not Attachment.objects.exists()


def test_the_target_page_says_who_has_passed_its_share_down(people: SimpleNamespace, client: Client) -> None:
    city = region("445200")
    assert city.parent is not None
    goal = {"indicator": "energy_per_m2", "start_year": 2026, "end_year": 2026, "base_year": 2025}
    province = Target.objects.create(
        name="省目标", region=city.parent, kind="reduction", reduction=3.0, binding="binding", **goal
    )
    Target.objects.create(
        name="市目标",
        region=city,
        parent=province,
        kind="reduction",
        reduction=3.0,
        binding="binding",
        **goal,
    )
    client.force_login(people.root)
    page = client.get(f"/targets/{province.pk}/", headers=ZH).text
    assert "1 个下级尚未继续分解下达" in page and "揭阳市" in page
