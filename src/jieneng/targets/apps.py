from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "jieneng.targets"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jieneng.targets.models import CountReport, Milestone, Target

        for model in (Target, Milestone, CountReport):
            if not auditlog.contains(model):
                auditlog.register(model)
