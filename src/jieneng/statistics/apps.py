from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "jieneng.statistics"
    label = "statistics"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from jieneng.directory.models import Organisation, Region

        # saves only: regions and organisations are never deleted one by one (a register keeps its
        # history), and clearing the store renews every stamp itself
        for model in (Region, Organisation):
            post_save.connect(_renamed_or_moved, sender=model, dispatch_uid=f"statistics-{model.__name__}")


def _renamed_or_moved(sender: type, instance: Any, **kwargs: Any) -> None:
    """A region's or organisation's name, place or type shows on the pages of its province
    (:mod:`jieneng.statistics.freshness`). A move to another province also runs ``rollups.tracking``,
    which renews the province left."""
    from jieneng.directory.models import Region
    from jieneng.statistics import freshness

    if isinstance(instance, Region):
        freshness.renew([instance.code])
        return
    code = Region.objects.filter(pk=instance.region_id).values_list("code", flat=True).first()
    freshness.renew([code] if code else [])
