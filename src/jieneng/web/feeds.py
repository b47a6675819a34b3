"""What one domain offers another, wired here, above both (the domain apps do not import each other).

The project register's quantities done are offered to the targets as count sources: a target on
"LED street lights installed" counts the lamps of the street-lighting projects of its region and
every region below it, as the register records them (:mod:`jieneng.targets.counting`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from jieneng.reference.projects import ProjectKind, load_project_kinds


def _title(kind: ProjectKind) -> str:
    name = kind.en if (get_language() or "zh-hans").startswith("en") else kind.zh
    return gettext("the project register: %(kind)s") % {"kind": name}


def _counter(kind: str) -> Any:
    def cumulative(region: str, on: date) -> float:
        from jieneng.projects.services import quantity_done  # models are loaded by now

        return float(quantity_done(region, kind, on))

    return cumulative


def offer_project_counts() -> None:
    """A count source per kind of project: ``projects:<kind>``."""
    from jieneng.targets import counting  # imports the targets' models: only once the apps are ready

    table = load_project_kinds()
    for kind in table.kinds.values():
        counting.register(
            counting.Source(
                code=f"projects:{kind.code}",
                title=lazy(_title, str)(kind),
                unit=table.units[kind.unit][0],
                ref=table.ref,
                cumulative=_counter(kind.code),
            )
        )


class Feeds(AppConfig):
    name = "jieneng.web"
    label = "jieneng_web"
    verbose_name = _("Links between the domains")

    def ready(self) -> None:
        offer_project_counts()
