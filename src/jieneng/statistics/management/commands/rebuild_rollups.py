"""``jieneng manage rebuild_rollups``: recompute the roll-ups from the approved records,
e.g. after the coefficient set (``JIENENG_COEFFICIENT_SET``) has changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jieneng.statistics import rollups


class Command(BaseCommand):
    help = "Recompute the dashboards' roll-up tables from the approved records."

    def handle(self, *args: Any, **options: Any) -> None:
        units, regions = rollups.rebuild()
        self.stdout.write(
            _("Roll-ups rebuilt with %(set)s: %(units)s unit rows, %(regions)s region rows.")
            % {"set": rollups.coefficient_set_id(), "units": f"{units:,}", "regions": f"{regions:,}"}
        )
