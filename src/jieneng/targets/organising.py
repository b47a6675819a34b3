"""What the pages and the demo do with the organisation of the work: keep a region's leadership group,
record a meeting with its minutes, issue and sign responsibility letters. Each function stores all or
nothing: an attached file that is not what its name says stores neither the file nor the row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from jieneng.core import attachments as kinds
from jieneng.directory.models import Organisation, Region
from jieneng.targets import attachments
from jieneng.targets.models import Group, Letter, Meeting, Target


def save_group(group: Group) -> Group:
    group.save()
    return group


def record_meeting(meeting: Meeting, minutes: Any = None, *, user: Any = None) -> Meeting:
    """Store ``meeting`` with its ``minutes`` (an upload: PDF, image, .docx or .xlsx) if given.
    Raises :class:`~jieneng.targets.attachments.AttachmentRejected`, storing nothing."""
    read = attachments.read(minutes, kinds.DOCUMENT) if minutes is not None else None
    with transaction.atomic():
        if read is not None:
            meeting.minutes = attachments.store(*read, user=user)
        if meeting.created_by_id is None and getattr(user, "is_authenticated", False):
            meeting.created_by = user
        meeting.save()
    return meeting


def issue_letters(
    issuer: Region,
    year: int,
    title: str,
    *,
    regions: Iterable[Region] = (),
    organisations: Iterable[Organisation] = (),
    targets: Iterable[Target] = (),
    user: Any = None,
) -> list[Letter]:
    """One unsigned letter of ``year`` for each region and unit (an existing one is kept)."""
    covered = list(targets)
    made = []
    with transaction.atomic():
        parties: list[Region | Organisation] = [*regions, *organisations]
        for party in parties:
            key = {"region": party} if isinstance(party, Region) else {"organisation": party}
            letter, _new = Letter.objects.get_or_create(
                issuer=issuer,
                year=year,
                **key,
                defaults={"title": f"{year}年{party.name}{title}", "created_by": _user(user)},
            )
            owner = "region_id" if isinstance(party, Region) else "organisation_id"
            by_party = [t for t in covered if getattr(t, owner) == party.pk]
            if by_party:
                letter.targets.add(*by_party)
            made.append(letter)
    return made


def sign(letter: Letter, signed_on: date, scan: Any = None, *, user: Any = None) -> Letter:
    """Record that ``letter`` was signed on ``signed_on``, with its signed ``scan`` (PDF or image).
    Raises :class:`~jieneng.targets.attachments.AttachmentRejected`, storing nothing."""
    read = attachments.read(scan, kinds.SCAN) if scan is not None else None
    with transaction.atomic():
        if read is not None:
            letter.scan = attachments.store(*read, user=user)
        letter.signed_on = signed_on
        letter.save()
    return letter


def unsigned(issuer: Region, year: int) -> list[Letter]:
    """The letters of ``year`` issued by ``issuer`` that have not been signed yet."""
    return list(
        Letter.objects.filter(issuer=issuer, year=year, signed_on__isnull=True).select_related(
            "region", "organisation"
        )
    )


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None
