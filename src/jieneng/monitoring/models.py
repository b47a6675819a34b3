"""Meters, their daily roll-ups, the import log with every rejected reading, and the alerts found.

Readings themselves are not here: they live in the Parquet store (:mod:`.store`). A :class:`Meter`
belongs to an organisation and a building; its energy type and unit are codes of the reference tables
(``energy/energy_types.toml``, ``energy/units.toml``), its end use a code of ``monitoring/end_uses.toml``.
Every model is audited (django-auditlog)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Organisation
from jieneng.reference import load_energy_types
from jieneng.reference.monitoring import load_end_uses


def _zh() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def end_use_choices() -> list[tuple[str, str]]:
    return [(u.code, u.zh if _zh() else u.en) for u in load_end_uses().uses.values()]


def energy_choices() -> list[tuple[str, str]]:
    return [
        (t.code, t.zh if _zh() else t.en) for t in load_energy_types().types.values() if t.kind == "energy"
    ]


class Meter(models.Model):
    class Kind(models.TextChoices):
        REGISTER = "register", _("Register (cumulative count)")
        INTERVAL = "interval", _("Interval (consumption per interval)")
        VIRTUAL = "virtual", _("Virtual (formula over other meters)")

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="meters", verbose_name=_("organisation")
    )
    building = models.CharField(_("building"), max_length=120)
    code = models.CharField(_("meter code"), max_length=60)
    name = models.CharField(_("name"), max_length=160)
    energy = models.CharField(_("energy type"), max_length=40, choices=energy_choices)
    unit = models.CharField(_("unit"), max_length=20)
    end_use = models.CharField(_("end use"), max_length=40, choices=end_use_choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent meter")
    )
    multiplier = models.FloatField(_("multiplier (CT ratio)"), default=1.0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INTERVAL)
    formula = models.CharField(_("formula"), max_length=400, blank=True)
    rollover = models.FloatField(_("register rolls over at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        constraints = (models.UniqueConstraint(fields=["organisation", "code"], name="meter_code_per_org"),)
        ordering = ("organisation_id", "building", "code")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def counts(self) -> bool:
        """Whether its consumption counts in the building's total: a meter without a parent (a main
        meter, or a virtual one computed from meters)."""
        return self.parent_id is None and self.kind != self.Kind.VIRTUAL


class DailyRollup(models.Model):
    """One meter's consumption on one local day [the meter's unit × multiplier]."""

    meter = models.ForeignKey(Meter, models.CASCADE, related_name="days", verbose_name=_("meter"))
    day = models.DateField(_("day"))
    value = models.FloatField(_("consumption"), null=True)
    intervals = models.IntegerField(_("intervals"), default=0)
    resets = models.IntegerField(_("resets"), default=0)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["meter", "day"], name="one_rollup_per_meter_day"),)
        indexes = (models.Index(fields=["day"]),)


class ImportLog(models.Model):
    class Status(models.TextChoices):
        STORED = "stored", _("Stored")
        REFUSED = "refused", _("Refused")

    organisation = models.ForeignKey(
        Organisation, models.SET_NULL, null=True, blank=True, related_name="meter_imports"
    )
    source = models.CharField(_("source"), max_length=10)  # file | api
    name = models.CharField(_("file or gateway"), max_length=200)
    created_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    accepted = models.IntegerField(_("readings stored"), default=0)
    duplicates = models.IntegerField(_("identical resends skipped"), default=0)
    rejected = models.IntegerField(_("readings rejected"), default=0)
    notes = models.JSONField(_("notes"), default=list)  # advisory problems as dicts

    class Meta:
        ordering = ("-created_at",)


class RejectedReading(models.Model):
    log = models.ForeignKey(ImportLog, models.CASCADE, related_name="rejections")
    row = models.IntegerField(_("row"), null=True)
    column = models.CharField(_("column"), max_length=40, blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)
    code = models.CharField(_("reason"), max_length=40)
    params = models.JSONField(default=dict)


class Alert(models.Model):
    """An anomaly found on a meter: its rule, the local time span and the figures that show it."""

    meter = models.ForeignKey(Meter, models.CASCADE, related_name="alerts", verbose_name=_("meter"))
    rule = models.CharField(_("rule"), max_length=40)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    evidence = models.JSONField(default=dict)
    rules = models.CharField(_("rules"), max_length=60)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-start",)
        constraints = (
            models.UniqueConstraint(fields=["meter", "rule", "start"], name="one_alert_per_start"),
        )


class MeterOffer(models.Model):
    """A month's metered consumption offered to the statistics form as a draft value: what the meters
    said, kept beside what the reporter then submitted (the difference is shown)."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="meter_offers")
    form = models.CharField(max_length=40)
    period = models.CharField(max_length=10)
    item = models.CharField(max_length=60)
    metered = models.FloatField(_("metered"))
    unit = models.CharField(max_length=20)
    #: where the figure came from: the meters (id, code), the days covered, missing and short, resets
    source = models.JSONField(_("source"), default=dict)
    offered_by = models.ForeignKey("auth.User", models.SET_NULL, null=True, blank=True)
    offered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "form", "period", "item"], name="one_offer_per_item"
            ),
        )
