"""Demonstration documents for the loaded demonstration city, relative to ``today``: last year's
statistics bulletin, issued in the spring as the office's first number of the year, and a draft
progress bulletin of this year's targets waiting to be issued. Only snapshots are taken (no PDF is
made). Made once: nothing is made when documents exist or when the store holds no city."""

from __future__ import annotations

from datetime import date

from jieneng.bulletins import services
from jieneng.bulletins.models import IssuedDocument, OfficeTemplate
from jieneng.directory.models import Region

#: the day of the year the statistics bulletin of last year was issued (month, day)
ISSUED_ON = (4, 7)


def ensure(today: date) -> int:
    """Make the demonstration documents unless there are documents already; how many were made."""
    if IssuedDocument.objects.exists():
        return 0
    city = Region.objects.current().filter(level=Region.Level.PREFECTURE).order_by("code").first()
    if city is None:
        return 0
    statistics = services.generate("statistics", city, str(today.year - 1))
    on = date(today.year, *ISSUED_ON)
    if on < today:
        services.issue(statistics, user=None, prefix=services.default_prefix(city), on=on)
    services.generate("progress", city, str(today.year))
    return IssuedDocument.objects.count()


def forget() -> None:
    """Delete every document and office template (they name the store's regions)."""
    IssuedDocument.objects.all().delete()
    OfficeTemplate.objects.all().delete()
