"""``jieneng manage audit_export``: the audit trail of a period — changes, revisions and reviews — with
people named by their account id only, limited to the period and, with ``--as``, to what that
account may see."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.utils import timezone

from jieneng.accounts.models import Membership
from jieneng.directory.models import Organisation
from jieneng.reporting import review
from jieneng.reporting.models import ReviewEvent, Revision, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(people):
    """A rename in each of two counties, a revoked role, a new account; a revision of a school's
    month handed in by its reporter and approved by the county's reviewer, with a reason."""
    school = Organisation.objects.get(pk=people.org[2])
    library = Organisation.objects.get(pk=people.org[6])
    with set_actor(people.county_admin):
        school.name = "榕城区第一中学（新校区）"
        school.save()
        membership = Membership.objects.get(user=people.viewer)
        membership.note = "王五 的检查任务"  # free text: not exported
        membership.save()
    with set_actor(people.other_county_admin):
        library.name = "揭西县图书馆（分馆）"
        library.save()
    with set_actor(people.city_admin):
        from django.contrib.auth import get_user_model

        account = get_user_model().objects.create_user(
            username="li.si", first_name="李四", email="li.si@example.gov.cn", password="x" * 20
        )
    submission = Submission.objects.filter(organisation=school, month__isnull=False).order_by("period")[0]
    current = Revision.objects.get(submission=submission, number=submission.current)
    revision = Revision.objects.create(
        submission=submission,
        number=submission.current + 1,
        edition=current.edition,
        values=current.values,
        digest="export-test",
        source=Revision.Source.UPLOAD,
        author=people.reporter.username,
        created_by=people.reporter,
        created_at=timezone.now(),
    )
    submission.current += 1
    submission.status = Submission.Status.SUBMITTED
    submission.save()
    assert review.approve([submission.pk], actor="reviewer", user=people.reviewer, reason="李四说可以") == 1
    return {
        "school": school,
        "library": library,
        "submission": submission,
        "account": account,
        "revision": revision,
    }


def export(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_export", *args, stdout=out, stderr=err)
    assert "audit records exported" in err.getvalue() or "条" in err.getvalue()
    return out.getvalue()


def today() -> str:
    return timezone.localdate().isoformat()


def test_the_operators_export_holds_every_kind_with_ids_and_no_names(people, trail):
    text = export("--from", today(), "--to", today(), "--format", "jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["time"] for line in lines] == sorted(line["time"] for line in lines)
    renames = [
        line
        for line in lines
        if line["kind"] == "change"
        and line["object"] == "directory.organisation"
        and line["action"] == "update"
    ]
    assert {(r["object_id"], r["actor"]) for r in renames} == {
        (str(trail["school"].pk), people.county_admin.pk),
        (str(trail["library"].pk), people.other_county_admin.pk),
    }
    school = next(r for r in renames if r["object_id"] == str(trail["school"].pk))
    assert school["fields"] == "name"
    assert school["detail"]["name"] == ["榕城区第一中学", "榕城区第一中学（新校区）"]
    account = next(
        line
        for line in lines
        if (line["object"], line["object_id"]) == ("auth.user", str(trail["account"].pk))
    )
    assert account["actor"] == people.city_admin.pk and "username" in account["fields"].split()
    assert account["detail"] == {}  # of accounts only which fields changed
    role = next(line for line in lines if line["object"] == "accounts.membership")
    assert "note" in role["fields"].split() and "note" not in role["detail"]
    revision = next(
        line
        for line in lines
        if (line["object"], line["object_id"]) == ("reporting.revision", str(trail["revision"].pk))
    )
    assert revision["actor"] == people.reporter.pk and revision["action"] == "upload"
    assert revision["detail"]["submission"] == trail["submission"].pk
    assert revision["detail"]["organisation"] == trail["school"].pk
    approved = next(
        line
        for line in lines
        if line["kind"] == "review"
        and (line["detail"]["submission"], line["detail"]["revision"])
        == (trail["submission"].pk, trail["revision"].number)
    )
    assert approved["actor"] == people.reviewer.pk and approved["action"] == "approved"
    assert approved["detail"]["reason_given"] is True
    # no personal data beyond ids: no user names, full names, e-mail, free text
    for personal in ("li.si", "李四", "example.gov.cn", "王五", "county_admin", "city_admin", "李四说"):
        assert personal not in text, personal


def test_csv_has_a_header_and_the_same_records(people, trail):
    rows = list(csv.DictReader(io.StringIO(export("--from", today(), "--to", today()))))
    lines = export("--from", today(), "--to", today(), "--format", "jsonl").splitlines()
    assert len(rows) == len(lines) > 0
    assert list(rows[0]) == ["time", "kind", "action", "object", "object_id", "actor", "fields", "detail"]
    assert {row["kind"] for row in rows} == {"change", "revision", "review"}


def test_only_the_period_is_exported(people, trail):
    old = LogEntry.objects.get(object_pk=str(trail["library"].pk), action=LogEntry.Action.UPDATE)
    old.timestamp = timezone.now() - timedelta(days=40)
    old.save()
    ReviewEvent.objects.filter(submission=trail["submission"]).update(at=timezone.now() + timedelta(days=3))
    lines = [
        json.loads(line)
        for line in export("--from", today(), "--to", today(), "--format", "jsonl").splitlines()
    ]
    ids = {(line["object"], line["object_id"]) for line in lines}
    assert ("directory.organisation", str(trail["library"].pk)) not in ids
    reviews = [line for line in lines if line["kind"] == "review"]
    moved = (trail["submission"].pk, trail["revision"].number)
    assert reviews and moved not in {(r["detail"]["submission"], r["detail"]["revision"]) for r in reviews}
    day = (timezone.localdate() - timedelta(days=40)).isoformat()
    earlier = [
        json.loads(line) for line in export("--from", day, "--to", day, "--format", "jsonl").splitlines()
    ]
    assert [(line["object"], line["object_id"]) for line in earlier] == [
        ("directory.organisation", str(trail["library"].pk))
    ]


def test_as_an_account_exports_only_what_it_may_see(people, trail):
    mine = [
        json.loads(line)
        for line in export(
            "--from", today(), "--to", today(), "--format", "jsonl", "--as", "county_admin"
        ).splitlines()
    ]
    objects = {(line["object"], line["object_id"]) for line in mine}
    assert ("directory.organisation", str(trail["school"].pk)) in objects
    assert ("directory.organisation", str(trail["library"].pk)) not in objects  # the other county
    assert {line["kind"] for line in mine} == {"change", "revision", "review"}
    theirs = [
        json.loads(line)
        for line in export(
            "--from", today(), "--to", today(), "--format", "jsonl", "--as", "other_reporter"
        ).splitlines()
    ]
    assert theirs  # their own unit's submissions, and nothing of the directory (no audit page)
    assert {line["kind"] for line in theirs} <= {"revision", "review"}
    assert {line["detail"]["organisation"] for line in theirs} == {people.org[5]}


def test_bad_arguments_are_refused(people):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        export("--from", "2026-13-01", "--to", today())
    with pytest.raises(CommandError):
        export("--from", today(), "--to", "2020-01-01")
    with pytest.raises(CommandError):
        export("--from", today(), "--to", today(), "--as", "nobody-of-that-name")
