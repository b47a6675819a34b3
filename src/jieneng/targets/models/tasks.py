"""Work deployed by a region to the regions below (工作部署: "submit your implementation plan by 20
September"), the monthly work report (工作情况月报) every unit files by the end of the month, and an
assessment's rectification reports: a :class:`Deployment` with a due date, one :class:`Assignment` per
recipient with its :class:`Evidence` (files and a note), and the :class:`Notice` reminders sent to the
late ones. Whether an assignment is done, late or not started is computed on the day asked
(:func:`jieneng.targets.tasks.status`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Region
from jieneng.targets.models.organisation import Attachment
from jieneng.targets.models.targets import Target


class Deployment(models.Model):
    class Kind(models.TextChoices):
        TASK = "task", _("task")
        MONTHLY = "monthly", _("monthly work report")
        RECTIFICATION = "rectification", _("rectification report")

    issuer = models.ForeignKey(
        Region, models.PROTECT, related_name="deployments", verbose_name=_("deployed by")
    )
    kind = models.CharField(_("kind of task"), max_length=16, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("what to do"), blank=True)
    due = models.DateField(_("due on"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    target = models.ForeignKey(
        Target, models.SET_NULL, null=True, blank=True, related_name="deployments", verbose_name=_("target")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deployed task")
        ordering = ("-due", "pk")
        constraints = (
            models.UniqueConstraint(
                fields=("issuer", "year", "month"),
                condition=models.Q(kind="monthly"),
                name="monthly_report_once",
            ),
        )

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """A deployed task as one recipient region holds it; done when ``done_on`` is set."""

    deployment = models.ForeignKey(Deployment, models.CASCADE, related_name="assignments")
    region = models.ForeignKey(Region, models.PROTECT, related_name="assignments", verbose_name=_("region"))
    note = models.TextField(_("note"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment")
        ordering = ("deployment", "region__code")
        constraints = (models.UniqueConstraint(fields=("deployment", "region"), name="assigned_once"),)


class Evidence(models.Model):
    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="evidence")
    file = models.ForeignKey(Attachment, models.PROTECT, related_name="+", verbose_name=_("file"))

    class Meta:
        verbose_name = _("evidence")


class Notice(models.Model):
    """A reminder of a late assignment, shown in the platform to the recipient (and emailed where a mail
    server is configured: ``emailed`` counts the addresses it went to)."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="notices")
    text = models.CharField(_("text"), max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    emailed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder")
        ordering = ("-sent_at", "pk")
