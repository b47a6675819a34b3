from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "jieneng.assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from jieneng.assessment import models

        for model in (
            models.Round,
            models.Party,
            models.Entry,
            models.Adjustment,
            models.Result,
            models.Event,
            models.Application,
        ):
            if not auditlog.contains(model):
                auditlog.register(model)
