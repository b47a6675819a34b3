from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "jieneng.projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jieneng.projects import models

        for model in (
            models.Project,
            models.ProgressEntry,
            models.LampClass,
            models.OptionAEstimate,
            models.MeasuredSavings,
            models.SubsidyDecision,
            models.ContractPeriod,
        ):
            if not auditlog.contains(model):
                auditlog.register(model)
