"""Action plans (行动计划 / 实施方案) of numbered actions: each :class:`Action` with its lead department,
partners, deadline and status, its :class:`ActionGoal` on counted quantities (a base and a target), and
the :class:`ActionReport` progress reports. The state on a day (done, late, not started) is computed by
:func:`jieneng.core.action_plans.state`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jieneng.directory.models import Region


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    UNDER_WAY = "under_way", _("under way")
    DONE = "done", _("done")


class ActionPlan(models.Model):
    region = models.ForeignKey(Region, models.PROTECT, related_name="action_plans", verbose_name=_("region"))
    title = models.CharField(pgettext_lazy("action plan", "plan"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    source = models.CharField(_("imported from"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action plan")
        ordering = ("-end_year", "title", "pk")

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    plan = models.ForeignKey(ActionPlan, models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(pgettext_lazy("action plan", "action"), max_length=300)
    lead = models.CharField(_("lead department"), max_length=200)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action")
        ordering = ("plan", "number")
        constraints = (models.UniqueConstraint(fields=("plan", "number"), name="action_number_once"),)

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ActionGoal(models.Model):
    """A goal on a counted quantity: ``base`` in ``base_year`` → ``target`` in ``year``; ``current`` is
    the last value reported."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="goals")
    quantity = models.CharField(_("quantity"), max_length=100)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    base_year = models.PositiveSmallIntegerField(_("base year"))
    base = models.FloatField(_("base value"))
    year = models.PositiveSmallIntegerField(_("target year"))
    target = models.FloatField(_("target value"))
    current = models.FloatField(_("reported value"), null=True, blank=True)

    class Meta:
        verbose_name = _("goal of an action")


class ActionReport(models.Model):
    """A progress report on an action: its status then, a note, and the goal's value reported."""

    action = models.ForeignKey(Action, models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("reported on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    note = models.TextField(_("progress"), blank=True)
    value = models.FloatField(_("reported value"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        ordering = ("-reported_on", "-pk")
