from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "jieneng.targets"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jieneng.targets import models

        for model in (
            models.Target, models.Milestone, models.CountReport, models.Group, models.Meeting,
            models.Letter, models.Deployment, models.Assignment, models.Evidence, models.Notice,
            models.ActionPlan, models.Action, models.ActionGoal, models.ActionReport,
        ):  # fmt: skip
            if not auditlog.contains(model):
                auditlog.register(model)
        if not auditlog.contains(models.Attachment):  # the file's bytes stay out of the log
            auditlog.register(models.Attachment, exclude_fields=["data"])
