"""Loading a whole generated city (the demo) and clearing everything: the directory, the statistics
store and the reporting tables together. Reading approved records back is the store's
(:mod:`jieneng.statistics.records`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jieneng.directory.models import Organisation, OrganisationYear, Region
from jieneng.directory.services import load_facts, load_organisations, load_regions
from jieneng.reporting import demo
from jieneng.reporting.models import ImportJob, ReviewEvent, Revision, Submission
from jieneng.statistics import freshness, records


def load_demo(data: Any, progress: Callable[[str], object] = print) -> dict[str, int]:
    """Load a generated city (``regions, organisations, facts, records`` frames) in one transaction.

    Idempotent: what is already stored is kept. Returns the number of rows of each frame.
    """
    with transaction.atomic():
        load_regions(data.regions)
        progress(_("Regions: %(count)s") % {"count": f"{data.regions.height:,}"})
        org_ids = load_organisations(data.organisations)
        progress(_("Organisations: %(count)s") % {"count": f"{data.organisations.height:,}"})
        load_facts(data.facts, org_ids)
        progress(_("Yearly facts: %(count)s") % {"count": f"{data.facts.height:,}"})
        today = getattr(data, "today", None) or timezone.localdate()
        demo.load_records(data.records, org_ids, progress, today, getattr(data, "reports", None))
        freshness.renew_all()  # the directory was loaded in bulk, without signals
    return {name: getattr(data, name).height for name in ("regions", "organisations", "facts", "records")}


def clear_store() -> None:
    """Delete every record, yearly fact, organisation and region (``jieneng demo --reset``)."""
    with transaction.atomic():
        records.clear()
        ReviewEvent.objects.all().delete()
        Revision.objects.all().delete()
        Submission.objects.all().delete()
        ImportJob.objects.all().delete()
        OrganisationYear.objects.all().delete()
        Organisation.objects.update(supervisor=None)
        Organisation.objects.all().delete()
        Region.objects.update(parent=None)
        Region.objects.all().delete()
