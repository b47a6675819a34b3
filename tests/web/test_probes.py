"""Refusal probes: every route of the site and the API is tried, from an account whose place does not
hold the resource, and must refuse (404 for an object outside the place, 403 for an action the role
lacks) or leave it out of a list. A route without a probe fails :func:`test_every_route_has_a_probe`,
so a new page or endpoint cannot ship unprobed.

The prober is ``other_county_admin``: office administrator of 揭西县, holding every capability there.
The resources belong to 榕城区 (the school, org 2, and its people).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import ORGANISATIONS
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from jieneng.accounts.models import ApiToken, Membership
from jieneng.assessment.models import Application
from jieneng.bulletins.models import CardBatch, IssuedDocument
from jieneng.directory.models import Organisation, Region
from jieneng.monitoring.models import Alert, DailyRollup, Meter
from jieneng.monitoring.models import ImportLog as MeterImport
from jieneng.operations.health import CHECKS
from jieneng.operations.models import WorkerHeartbeat
from jieneng.projects.models import LampClass, MeasuredSavings, ProgressEntry, Project
from jieneng.reporting.models import ImportJob, Submission
from jieneng.targets import organising, tasks
from jieneng.targets.models import (
    Action,
    ActionGoal,
    ActionPlan,
    ActionReport,
    Assignment,
    Attachment,
    CountReport,
    Deployment,
    Group,
    Letter,
    Meeting,
    Notice,
    Target,
)

pytestmark = pytest.mark.django_db

#: names only 榕城区's rows carry: none may appear on a page the prober lists
RONGCHENG = (
    *(name for _i, _c, name, _t, region, _s in ORGANISATIONS if region == "445202"),
    "榕城区第一中学照明改造",
)
#: routes with no resource of a place behind them
EXEMPT = {
    "set_language",
    "login",
    "logout",
    "accounts:login",
    "password_change",
    "password_change_done",
    "accounts:password_change",
    "accounts:password_change_done",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
}
REFUSED = {403, 404}


def routes() -> Iterator[tuple[str, str]]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}", prefix + str(p.pattern)

    for name, route in walk(get_resolver().url_patterns, "", ""):
        if not name.startswith("admin:"):
            yield name, route


@dataclass(frozen=True)
class Probe:
    method: str
    url: Callable[[SimpleNamespace], str]
    data: Callable[[SimpleNamespace], dict[str, Any]] | None = None
    #: "refused": 403/404; "absent": 200 and no 榕城区 name on the page; "blocked": refused or a form error;
    #: "public": 200 to anyone, with the names of the health checks and ok/failing only
    expect: str = "refused"


def get(url: Callable[[SimpleNamespace], str], expect: str = "refused") -> Probe:
    return Probe("get", url, None, expect)


def post(
    url: Callable[[SimpleNamespace], str], data: Callable[[SimpleNamespace], dict[str, Any]] | None = None
) -> Probe:
    return Probe("post", url, data or (lambda t: {}), "refused")


def _register_upload() -> Any:
    """A project register naming a project of 榕城区 (445202), outside the prober's place."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "项目名称,项目类型,地区代码,开工日期,计划数量\n探针项目,路灯改造,445202,2026-01-01,1\n"
    return SimpleUploadedFile("register.csv", body.encode("utf-8"))


API = "/api/v1"
PROBES: dict[str, list[Probe]] = {
    # dashboards
    "home": [get(lambda t: "/", expect="absent")],
    "overview": [get(lambda t: "/", expect="absent")],
    "region": [get(lambda t: "/region/445202/"), get(lambda t: "/region/445200/")],
    "region_units": [get(lambda t: "/region/445202/units/")],
    "region_boundary": [get(lambda t: "/region/445202/boundary.json")],
    "region_chart": [
        get(lambda t: "/region/445202/trend.xlsx"),
        get(lambda t: "/region/445202/ranking.xlsx"),
    ],
    "unit": [get(lambda t: f"/unit/{t.school}/")],
    "unit_figures": [get(lambda t: f"/unit/{t.school}/figures.xlsx")],
    # accounts
    "accounts:users": [
        get(lambda t: "/accounts/users/", expect="absent"),
        get(lambda t: "/accounts/users/?q=reporter", expect="absent"),
    ],
    "accounts:user_new": [
        Probe(
            "post",
            lambda t: "/accounts/users/new/",
            lambda t: {
                "username": "intruder",
                "full_name": "x",
                "password": "Long-enough-pass-2026",
                "role": "reporter",
                "place": "124452021000000243",
                "note": "",
            },
            "blocked",
        )
    ],
    "accounts:user": [get(lambda t: f"/accounts/users/{t.reporter}/")],
    "accounts:grant": [
        post(
            lambda t: f"/accounts/users/{t.reporter}/roles/", lambda t: {"role": "viewer", "place": "445222"}
        )
    ],
    "accounts:revoke": [post(lambda t: f"/accounts/users/{t.reporter}/roles/{t.membership}/revoke/")],
    "accounts:set_active": [
        post(lambda t: f"/accounts/users/{t.reporter}/active/", lambda t: {"active": "0"})
    ],
    "accounts:unlock": [post(lambda t: f"/accounts/users/{t.reporter}/unlock/")],
    "accounts:place": [get(lambda t: "/accounts/place/?place=124452021000000243", expect="absent")],
    "accounts:tokens": [get(lambda t: "/accounts/tokens/", expect="absent")],
    "accounts:token_revoke": [post(lambda t: f"/accounts/tokens/{t.token}/revoke/")],
    "accounts:audit": [get(lambda t: "/accounts/audit/", expect="absent")],
    # reporting
    "reporting:index": [get(lambda t: "/reporting/", expect="absent")],
    "reporting:template": [
        get(lambda t: "/reporting/template/?form=pi-energy&period=2025-03&region=445202", expect="blocked")
    ],
    "reporting:upload": [get(lambda t: "/reporting/import/", expect="absent")],
    "reporting:job": [get(lambda t: f"/reporting/import/{t.job}/")],
    "reporting:job_status": [get(lambda t: f"/reporting/import/{t.job}/status/")],
    "reporting:again": [post(lambda t: f"/reporting/import/{t.job}/again/", lambda t: {"clear_blanks": "1"})],
    "reporting:annotated": [get(lambda t: f"/reporting/import/{t.job}/annotated.xlsx")],
    "reporting:report": [get(lambda t: f"/reporting/import/{t.job}/report.json")],
    "reporting:fill": [get(lambda t: f"/reporting/fill/?org={t.school}&form=pi-energy&period=2025-03")],
    "reporting:fill_check": [
        post(
            lambda t: "/reporting/fill/check/",
            lambda t: {"org": t.school, "form": "pi-energy", "period": "2025-03", "electricity": "1"},
        )
    ],
    "reporting:queue": [
        get(lambda t: "/reporting/review/", expect="absent"),
        get(lambda t: "/reporting/review/?region=445202&status=approved", expect="absent"),
    ],
    "reporting:review_action": [
        post(
            lambda t: "/reporting/review/action/",
            lambda t: {"action": "return", "ids": str(t.submission), "reason": "probe"},
        )
    ],
    "reporting:submission": [get(lambda t: f"/reporting/submission/{t.submission}/")],
    "reporting:overdue": [
        get(lambda t: "/reporting/overdue/?form=pi-energy&period=2026-01&region=445202", expect="absent")
    ],
    "reporting:overdue_xlsx": [
        get(lambda t: "/reporting/overdue.xlsx?form=pi-energy&period=2026-01&region=445202", expect="absent")
    ],
    # directory
    "directory:organisations": [
        get(lambda t: "/directory/", expect="absent"),
        get(lambda t: "/directory/?region=445202&q=榕城", expect="absent"),
    ],
    "directory:register": [
        Probe(
            "post",
            lambda t: "/directory/organisation/new/",
            lambda t: {
                "credit_code": "12445202100000083A",
                "name": "探针单位",
                "type_code": "021",
                "region": t.rongcheng_region,
                "address": "",
            },
            "blocked",
        )
    ],
    "directory:organisation": [get(lambda t: f"/directory/organisation/{t.school}/")],
    "directory:edit": [
        get(lambda t: f"/directory/organisation/{t.school}/edit/"),
        post(lambda t: f"/directory/organisation/{t.school}/edit/", lambda t: {"name": "改名"}),
    ],
    "directory:facts": [
        post(
            lambda t: f"/directory/organisation/{t.school}/facts/",
            lambda t: {"year": "2025", "building_area_m2": "1", "persons": "1", "vehicles": "0"},
        )
    ],
    "directory:regions": [get(lambda t: "/directory/regions/", expect="absent")],
    "directory:rename_region": [
        post(lambda t: f"/directory/regions/{t.rongcheng_region}/rename/", lambda t: {"name": "改名区"})
    ],
    # projects
    "projects:register": [
        get(lambda t: "/projects/", expect="absent"),
        get(lambda t: "/projects/?region=445202&kind=street_lighting", expect="absent"),
    ],
    "projects:create": [
        Probe(
            "post",
            lambda t: "/projects/new/",
            lambda t: {
                "name": "探针项目",
                "kind": "other",
                "region": t.rongcheng_region,
                "start": "2026-01-01",
                "status": "planned",
                "planned_quantity": "1",
                "coefficient_set": "public-institution",
            },
            "blocked",
        )
    ],
    "projects:import": [
        get(lambda t: "/projects/import/", expect="blocked"),
        Probe("post", lambda t: "/projects/import/", lambda t: {"file": _register_upload()}, "blocked"),
    ],
    "projects:import_template": [get(lambda t: "/projects/import/template.xlsx", expect="blocked")],
    "projects:project": [get(lambda t: f"/projects/{t.project}/")],
    "projects:edit": [
        get(lambda t: f"/projects/{t.project}/edit/"),
        post(lambda t: f"/projects/{t.project}/edit/", lambda t: {"name": "改名"}),
    ],
    "projects:progress": [
        post(
            lambda t: f"/projects/{t.project}/progress/", lambda t: {"on": "2026-01-01", "quantity_done": "1"}
        )
    ],
    "projects:lamps": [
        post(
            lambda t: f"/projects/{t.project}/lamps/",
            lambda t: {"name": "x", "count": "1", "old_watts": "100", "new_watts": "50", "hours": "4000"},
        )
    ],
    "projects:measure": [
        get(lambda t: f"/projects/{t.project}/measure/"),
        post(lambda t: f"/projects/{t.project}/measure/"),
    ],
    "projects:report": [get(lambda t: f"/projects/{t.project}/report.xlsx")],
    "projects:report_pdf": [get(lambda t: f"/projects/{t.project}/report.pdf")],
    # API (the prober's token has every capability of its place)
    "api:list_regions": [get(lambda t: f"{API}/regions", expect="absent_api")],
    "api:get_region": [get(lambda t: f"{API}/regions/445202")],
    "api:list_organisations": [get(lambda t: f"{API}/organisations?region=445202", expect="absent_api")],
    "api:get_organisation": [get(lambda t: f"{API}/organisations/{t.school}")],
    "api:change_organisation": [
        Probe("patch", lambda t: f"{API}/organisations/{t.school}", lambda t: {"name": "改名"})
    ],
    "api:organisation_years": [get(lambda t: f"{API}/organisations/{t.school}/years")],
    "api:list_submissions": [get(lambda t: f"{API}/submissions?region=445202", expect="absent_api")],
    "api:get_submission": [get(lambda t: f"{API}/submissions/{t.submission}")],
    "api:approve": [post(lambda t: f"{API}/submissions/{t.submission}/approve")],
    "api:return_submission": [
        post(lambda t: f"{API}/submissions/{t.submission}/return", lambda t: {"reason": "probe"})
    ],
    "api:indicators": [get(lambda t: f"{API}/indicators/445202?year=2025")],
    "api:unit_figures": [get(lambda t: f"{API}/units/{t.school}/figures")],
    # targets
    "targets:index": [
        get(lambda t: "/targets/", expect="absent"),
        get(lambda t: "/targets/?region=445202", expect="absent"),
    ],
    "targets:new": [
        get(lambda t: "/targets/new/?region=445202"),
        post(lambda t: "/targets/new/", lambda t: {"region": "445202", "name": "探针"}),
    ],
    "targets:warnings": [get(lambda t: "/targets/warnings/", expect="absent")],
    "targets:detail": [get(lambda t: f"/targets/{t.target}/"), get(lambda t: f"/targets/{t.unit_target}/")],
    "targets:edit": [
        get(lambda t: f"/targets/{t.target}/edit/"),
        post(lambda t: f"/targets/{t.target}/edit/", lambda t: {"name": "改名", "reduction": "1"}),
    ],
    "targets:count": [
        post(lambda t: f"/targets/{t.count_target}/count/", lambda t: {"year": 2025, "month": 1, "count": 9})
    ],
    "targets:split": [
        get(lambda t: f"/targets/{t.target}/split/"),
        post(lambda t: f"/targets/{t.target}/split/", lambda t: {"method": "equal"}),
    ],
    # monitoring
    "monitoring:index": [
        get(lambda t: "/monitoring/", expect="absent"),
        get(lambda t: f"/monitoring/?org={t.school}", expect="absent"),
    ],
    "monitoring:building": [get(lambda t: f"/monitoring/org/{t.school}/教学楼/?view=year")],
    "monitoring:export": [get(lambda t: f"/monitoring/org/{t.school}/教学楼/daily.csv")],
    "monitoring:offer": [
        post(lambda t: f"/monitoring/org/{t.school}/offer/", lambda t: {"month": "2026-11"})
    ],
    "monitoring:alerts": [
        get(lambda t: "/monitoring/alerts/", expect="absent"),
        get(lambda t: "/monitoring/alerts/?q=榕城区&rule=gap", expect="absent"),
    ],
    "monitoring:alert": [get(lambda t: f"/monitoring/alerts/{t.alert}/")],
    "monitoring:upload": [
        Probe(
            "post",
            lambda t: "/monitoring/upload/",
            lambda t: {
                "file": SimpleUploadedFile("r.csv", "表号,时间,读数\nM01,2026-11-30 01:00,1\n".encode())
            },
            "blocked",
        )
    ],
    "monitoring:import": [get(lambda t: f"/monitoring/imports/{t.meter_import}/")],
    "api:push_readings": [
        Probe(
            "post",
            lambda t: f"{API}/meters/readings",
            lambda t: {"readings": [{"meter": "M01", "time": "2026-11-30T01:00:00+08:00", "value": 1}]},
            "blocked",
        )
    ],
    "api:list_meters": [get(lambda t: f"{API}/meters", expect="absent_api")],
    "api:meter_daily": [get(lambda t: f"{API}/meters/{t.meter}/daily?start=2026-01-01&end=2026-12-31")],
    "api:list_projects": [get(lambda t: f"{API}/projects?region=445202", expect="absent_api")],
    "api:get_project": [get(lambda t: f"{API}/projects/{t.project}")],
    "api:list_targets": [get(lambda t: f"{API}/targets?region=445202", expect="absent_api")],
    "api:list_warnings": [get(lambda t: f"{API}/targets/warnings", expect="absent_api")],
    "api:get_target": [
        get(lambda t: f"{API}/targets/{t.target}"),
        get(lambda t: f"{API}/targets/{t.unit_target}"),
    ],
    "targets:split_sheet": [post(lambda t: f"/targets/{t.target}/split/sheet/", lambda t: {})],
    "targets:work": [get(lambda t: "/targets/organising/?region=445202")],
    "targets:group": [
        get(lambda t: "/targets/organising/445202/group/"),
        post(lambda t: "/targets/organising/445202/group/", lambda t: {"leader": "探针"}),
    ],
    "targets:meeting": [
        get(lambda t: "/targets/organising/445202/meeting/"),
        post(
            lambda t: "/targets/organising/445202/meeting/",
            lambda t: {"kind": "group", "held_on": "2026-01-01", "topic": "探针"},
        ),
    ],
    "targets:letters": [
        get(lambda t: "/targets/letters/?region=445202"),
        get(lambda t: "/targets/letters/?region=445200"),
    ],
    "targets:letters_issue": [post(lambda t: "/targets/letters/issue/445200/", lambda t: {})],
    "targets:sign": [
        get(lambda t: f"/targets/letters/{t.letter}/sign/"),
        post(lambda t: f"/targets/letters/{t.letter}/sign/", lambda t: {"signed_on": "2026-09-06"}),
    ],
    "targets:file": [get(lambda t: f"/targets/files/{t.file}/")],
    "targets:tasks": [get(lambda t: "/targets/tasks/", expect="absent")],
    "targets:task_new": [
        get(lambda t: "/targets/tasks/new/?region=445200"),
        post(
            lambda t: "/targets/tasks/new/",
            lambda t: {"region": "445202", "title": "探针", "due": "2099-01-01"},
        ),
    ],
    "targets:task": [get(lambda t: f"/targets/tasks/{t.deployment}/")],
    "targets:task_remind": [post(lambda t: f"/targets/tasks/{t.deployment}/remind/", lambda t: {})],
    "targets:assignment": [
        get(lambda t: f"/targets/assignments/{t.assignment}/"),
        post(lambda t: f"/targets/assignments/{t.assignment}/", lambda t: {"note": "探针"}),
    ],
    "targets:plans": [get(lambda t: "/targets/plans/", expect="absent")],
    "targets:plan_new": [
        get(lambda t: "/targets/plans/new/?region=445202"),
        post(
            lambda t: "/targets/plans/new/?region=445202",
            lambda t: {"region": "445202", "title": "探针", "start_year": "2026", "end_year": "2026"},
        ),
    ],
    "targets:plan": [get(lambda t: f"/targets/plans/{t.plan}/")],
    "targets:action_report": [
        post(
            lambda t: f"/targets/plans/actions/{t.action}/report/",
            lambda t: {"status": "done", "reported_on": "2026-11-30", "value": "9"},
        )
    ],
    # assessment: a round of the city assessing 榕城区 (drafting) and 揭西县 (the prober's own county)
    "assessment:index": [get(lambda t: "/assessment/", expect="absent")],
    "assessment:new": [
        get(lambda t: "/assessment/new/?region=445200"),
        post(lambda t: "/assessment/new/", lambda t: {"region": "445202", "title": "探针"}),
    ],
    "assessment:round": [get(lambda t: f"/assessment/{t.other_round}/")],
    "assessment:advance": [post(lambda t: f"/assessment/{t.round}/advance/")],
    "assessment:results": [get(lambda t: f"/assessment/{t.other_round}/results/")],
    "assessment:self_check": [
        get(lambda t: f"/assessment/{t.round}/party/{t.party}/"),
        post(lambda t: f"/assessment/{t.round}/party/{t.party}/", lambda t: {"v_leadership": "1"}),
    ],
    "assessment:verify": [
        get(lambda t: f"/assessment/{t.round}/party/{t.party}/verify/"),
        get(lambda t: f"/assessment/{t.round}/party/{t.own_party}/verify/"),
        post(lambda t: f"/assessment/{t.round}/party/{t.own_party}/verify/", lambda t: {"v_leadership": "1"}),
    ],
    "assessment:evidence": [get(lambda t: f"/assessment/evidence/{t.evidence}/")],
    "assessment:units": [get(lambda t: "/assessment/units/", expect="absent")],
    "assessment:apply_unit": [
        get(lambda t: "/assessment/units/apply/", expect="absent"),
        Probe(
            "post",
            lambda t: "/assessment/units/apply/",
            lambda t: {"organisation": t.school, "year": 2025, "level": "city", "kind": "saving"},
            "blocked",
        ),
    ],
    "assessment:events": [get(lambda t: "/assessment/events/", expect="absent")],
    # documents (bulletins): the prober may neither read 榕城区's document nor make one about 榕城区
    "bulletins:index": [
        get(lambda t: "/documents/", expect="absent"),
        Probe(
            "post",
            lambda t: "/documents/",
            lambda t: {"kind": "statistics", "region": "445202", "period": "2025"},
            "blocked",
        ),
    ],
    "bulletins:detail": [get(lambda t: f"/documents/{t.document}/")],
    "bulletins:page": [get(lambda t: f"/documents/{t.document}/page/1.png")],
    "bulletins:download": [
        get(lambda t: f"/documents/{t.document}/file.docx"),
        get(lambda t: f"/documents/{t.document}/file.xlsx"),
    ],
    "bulletins:issue": [
        post(
            lambda t: f"/documents/{t.document}/issue/", lambda t: {"number_prefix": "x", "on": "2026-12-02"}
        )
    ],
    "bulletins:cards": [
        post(lambda t: "/documents/cards/", lambda t: {"region": "445202", "period": "2025"})
    ],
    "bulletins:card_batch": [get(lambda t: f"/documents/cards/{t.batch}/")],
    "bulletins:card_zip": [get(lambda t: f"/documents/cards/{t.batch}/cards.zip")],
    "bulletins:template": [
        get(lambda t: "/documents/template/statistics/445202/?download=1"),
        post(lambda t: "/documents/template/statistics/445202/"),
    ],
    "api:list_documents": [get(lambda t: f"{API}/documents?region=445202", expect="absent_api")],
    "api:document_file": [get(lambda t: f"{API}/documents/{t.document}/file.docx")],
    # operations: public, and says nothing beyond the names of its checks
    "healthz": [get(lambda t: "/healthz", expect="public")],
}


@pytest.fixture
def targets(people: SimpleNamespace) -> SimpleNamespace:
    school = people.org[2]
    submission = Submission.objects.filter(
        organisation_id=school, form="pi-energy", status="submitted"
    ).first()
    if submission is None:  # every month of the school was approved: put one back in the queue
        submission = Submission.objects.filter(organisation_id=school, form="pi-energy").first()
        assert submission is not None
        submission.status = Submission.Status.SUBMITTED
        submission.save()
    token, _secret = ApiToken.issue(people.reporter, "school meter feed", ["view", "report"])
    WorkerHeartbeat.beat("probe-worker")  # a live worker: /healthz answers 200
    job = ImportJob.objects.create(
        form="pi-energy", file_name="榕城区第一中学.xlsx", sha256="0" * 64, size=1, source="upload",
        author="reporter", created_by=people.reporter, created_at=timezone.now(),
    )  # fmt: skip
    rongcheng = Region.objects.current().get(code="445202")
    goal = {"indicator": "energy_per_m2", "start_year": 2025, "end_year": 2025, "base_year": 2024}
    target = Target.objects.create(
        name=f"{RONGCHENG[0]}所在区目标",
        region=rongcheng,
        kind="reduction",
        reduction=3.0,
        binding="binding",
        **goal,
    )
    unit_target = Target.objects.create(
        name="单位目标", organisation_id=school, kind="reduction", reduction=2.0, binding="binding", **goal
    )
    count_target = Target.objects.create(
        name="榕城区LED路灯", region=rongcheng, indicator="count", counted_unit="盏", start_year=2025,
        end_year=2025, kind="value", value=100.0, binding="expected",
    )  # fmt: skip
    project = Project.objects.create(
        name="榕城区第一中学照明改造",
        kind="indoor_lighting",
        region=Region.objects.current().get(code="445202"),
        owner_id=school, start=date(2025, 3, 1), planned_quantity=100,
    )  # fmt: skip
    minutes = Attachment.objects.create(
        name=f"{RONGCHENG[0]}纪要.pdf", kind="pdf", size=5, sha256="0" * 64, data=b"%PDF-"
    )
    Group.objects.create(region=rongcheng, leader=RONGCHENG[0])
    Meeting.objects.create(region=rongcheng, held_on=date(2026, 3, 1), topic=RONGCHENG[0], minutes=minutes)
    assert rongcheng.parent is not None
    [letter] = organising.issue_letters(rongcheng.parent, 2026, RONGCHENG[0], regions=[rongcheng])
    deployment = tasks.deploy_task(
        rongcheng.parent, f"{RONGCHENG[0]}实施方案", date(2026, 1, 1), [rongcheng], today=date(2026, 1, 1)
    )
    plan = ActionPlan.objects.create(
        region=rongcheng, title=f"{RONGCHENG[0]}行动计划", start_year=2026, end_year=2027
    )
    action = Action.objects.create(plan=plan, number=1, title=f"{RONGCHENG[0]}行动", lead=RONGCHENG[0])
    ActionGoal.objects.create(action=action, quantity="专利", base_year=2025, base=1, year=2027, target=5)
    from jieneng.assessment import services as assessment
    from jieneng.assessment.evidence import Upload
    from jieneng.assessment.models import Application, Entry, Event, Party

    city = Region.objects.current().get(code="445200")
    jiexi = Region.objects.current().get(code="445222")
    dates = {"self_check_due": date(2026, 3, 31), "verification_due": date(2026, 8, 27)}
    round_ = assessment.open_round(
        region=city, title="市考核", scheme_ref="public-institution", year=2025, parties=[rongcheng, jiexi],
        **dates,
    )  # fmt: skip
    assessment.advance(round_, None, date(2026, 12, 2))
    party = Party.objects.get(round=round_, region=rongcheng)
    pdf = Upload("榕城区第一中学自查.pdf", b"%PDF-1.4", "x")
    assessment.save_self_check(
        party, {"leadership": assessment.ItemInput(value=5.0, files=[pdf])}, submit=False, user=None
    )
    other_round = assessment.open_round(
        region=city, title="另一次考核", scheme_ref="public-institution", year=2024, parties=[rongcheng],
        **dates,
    )  # fmt: skip
    Application.objects.create(organisation_id=school, year=2025, level="city", kind="saving")
    Event.objects.create(region=rongcheng, on=date(2025, 5, 1), kind="training", title=f"{RONGCHENG[0]}培训")
    meter = Meter.objects.create(
        organisation_id=school, building="教学楼", code="M01", name="总表", energy="electricity", unit="kWh",
        end_use="total",
    )  # fmt: skip
    alert = Alert.objects.create(
        meter=meter, rule="gap", start=timezone.now(), end=timezone.now(), rules="meter-anomalies@1"
    )
    meter_import = MeterImport.objects.create(
        organisation_id=school, source="file", name="a.csv", status="stored"
    )
    document = IssuedDocument.objects.create(
        office=rongcheng, region=rongcheng, kind="statistics", period="2025", title=f"{RONGCHENG[0]}公报",
        snapshot={}, template="statistics@1", blocks={},
    )  # fmt: skip
    batch = CardBatch.objects.create(region=rongcheng, year=2025, status="done", file="none.zip")
    return SimpleNamespace(
        letter=letter.pk,
        plan=plan.pk,
        action=action.pk,
        file=minutes.pk,
        deployment=deployment.pk,
        assignment=deployment.assignments.get().pk,
        round=round_.pk,
        other_round=other_round.pk,
        party=party.pk,
        own_party=Party.objects.get(round=round_, region=jiexi).pk,
        evidence=Entry.objects.get(party=party, item="leadership").evidence.get().pk,
        meter=meter.pk,
        alert=alert.pk,
        meter_import=meter_import.pk,
        batch=batch.pk,
        document=document.pk,
        target=target.pk,
        unit_target=unit_target.pk,
        count_target=count_target.pk,
        project=project.pk,
        school=school,
        submission=submission.pk,
        reporter=people.reporter.pk,
        membership=Membership.objects.get(user=people.reporter).pk,
        token=token.pk,
        job=job.pk,
        rongcheng_region=Region.objects.current().get(code="445202").pk,
    )


def _state(t: SimpleNamespace) -> tuple[Any, ...]:
    """What the probes must not change."""
    from django.contrib.auth import get_user_model

    school = Organisation.objects.get(pk=t.school)
    return (
        school.name,
        school.region_id,
        Submission.objects.get(pk=t.submission).status,
        Membership.objects.filter(pk=t.membership).exists(),
        get_user_model().objects.get(pk=t.reporter).is_active,
        ApiToken.objects.get(pk=t.token).revoked_at,
        Region.objects.get(pk=t.rongcheng_region).name,
        get_user_model().objects.filter(username="intruder").exists(),
        Organisation.objects.filter(credit_code="12445202100000083A").exists(),
        tuple(Target.objects.order_by("pk").values_list("name", "reduction", "region", "parent")),
        tuple(Membership.objects.filter(user_id=t.reporter).values_list("role", "region", "organisation")),
        Project.objects.get(pk=t.project).name,
        Project.objects.filter(name="探针项目").exists(),
        ProgressEntry.objects.filter(project_id=t.project).count(),
        LampClass.objects.filter(project_id=t.project).count(),
        MeasuredSavings.objects.filter(project_id=t.project).count(),
        tuple(Group.objects.values_list("region", "leader")),
        Meeting.objects.count(),
        tuple(Letter.objects.order_by("pk").values_list("region", "signed_on", "scan")),
        Deployment.objects.count(),
        tuple(Assignment.objects.values_list("done_on", "note")),
        Notice.objects.count(),
        tuple(Action.objects.values_list("status", "done_on")),
        tuple(ActionGoal.objects.values_list("current", flat=True)),
        ActionPlan.objects.count(),
        ActionReport.objects.count(),
        Application.objects.count(),
        CountReport.objects.count(),
        DailyRollup.objects.filter(meter_id=t.meter).count(),
        MeterImport.objects.filter(status="stored").count(),
        _assessment_state(),
    )


def _assessment_state() -> tuple[Any, ...]:
    from jieneng.assessment.models import Adjustment, Entry, Event, Round

    return (
        tuple(Round.objects.order_by("pk").values_list("state", "title")),
        tuple(Entry.objects.order_by("pk").values_list("value", "verified", "note")),
        Adjustment.objects.count(),
        tuple(Event.objects.order_by("pk").values_list("region", "title")),
        tuple(IssuedDocument.objects.order_by("pk").values_list("status", "number")),
        IssuedDocument.objects.count(),
        CardBatch.objects.count(),
    )


def test_every_route_has_a_probe() -> None:
    names = {name for name, _route in routes()} - EXEMPT
    assert sorted(names - PROBES.keys()) == [], "routes without a refusal probe"
    assert sorted(PROBES.keys() - names) == [], "probes of routes that no longer exist"


def _assert_public(response: Any, where: str) -> None:
    assert response.status_code == 200, where
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}, where


def _send(client: Client, probe: Probe, t: SimpleNamespace, **headers: Any) -> Any:
    url = probe.url(t)
    if probe.method == "get":
        return client.get(url, **headers)
    data = probe.data(t) if probe.data else {}
    if url.startswith(API):
        import json

        return getattr(client, probe.method)(
            url, json.dumps(data), content_type="application/json", **headers
        )
    return getattr(client, probe.method)(url, data, **headers)


@pytest.mark.parametrize("name", sorted(PROBES))
def test_a_probe_from_outside_the_place_is_refused(
    name: str, people: SimpleNamespace, targets: SimpleNamespace, client: Client
) -> None:
    before = _state(targets)
    _token, secret = ApiToken.issue(
        people.other_county_admin, "prober", ["view", "report", "review", "directory", "users"]
    )
    client.force_login(people.other_county_admin)
    for probe in PROBES[name]:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if probe.url(targets).startswith(API) else {}
        response = _send(client, probe, targets, **headers)
        body = (
            response.content.decode("utf-8", "replace")
            if not response.get("Content-Type", "").startswith("application/vnd")
            else ""
        )
        where = f"{probe.method.upper()} {probe.url(targets)} → {response.status_code}"
        if probe.expect == "public":
            _assert_public(response, where)
        elif probe.expect == "refused":
            assert response.status_code in REFUSED, where
        elif probe.expect == "refused_or_gone":
            assert response.status_code in REFUSED | {302, 405}, where
        elif probe.expect == "blocked":
            assert response.status_code in REFUSED | {200, 400}, where
        elif probe.expect in ("absent", "absent_api"):
            assert response.status_code in {200, 302} | REFUSED, where
        leaked = [n for n in RONGCHENG if n in body] + (
            ["445202"] if probe.expect == "absent_api" and "445202" in body else []
        )
        assert not leaked, f"{where} shows {leaked}"
    assert _state(targets) == before


@pytest.mark.parametrize("name", sorted(PROBES))
def test_anonymous_requests_are_sent_to_sign_in(name: str, targets: SimpleNamespace, client: Client) -> None:
    for probe in PROBES[name]:
        response = _send(client, probe, targets)
        where = f"{probe.method.upper()} {probe.url(targets)} → {response.status_code}"
        if probe.expect == "public":
            _assert_public(response, where)
        elif probe.url(targets).startswith(API):
            assert response.status_code == 401, where
        elif probe.expect == "refused_or_gone":
            assert response.status_code in REFUSED | {302, 405}, where
        else:
            assert response.status_code in (302, 403), where
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"], where


def test_a_random_job_id_is_not_found(people: SimpleNamespace, client: Client) -> None:
    client.force_login(people.reporter)
    assert client.get(f"/reporting/import/{uuid.uuid4()}/").status_code == 404
