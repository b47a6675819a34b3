"""The stored assessment: a :class:`Round` (an office's assessment of its regions or units under one
scheme, the scheme's merged mapping kept so that it can be rebuilt), its :class:`Party` rows, each
party's :class:`Entry` per item (self-check value, note, evidence; the check team's value), every
:class:`Adjustment` of the check team with its reason, the finalised :class:`Result`, the
:class:`Event` records (training, publicity, meetings) that count items read, and the
:class:`Application` of a unit to be a demonstration unit. Every row is audited (see ``apps.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Organisation, Region


class State(models.TextChoices):
    OPEN = "open", _("opened")
    SELF_CHECK = "self_check", _("self-check")
    VERIFICATION = "verification", _("verification")
    FINALISED = "finalised", _("finalised")


class Round(models.Model):
    """One assessment round of an office (the region ``region``) under one scheme for one year."""

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("office"))
    scheme = models.CharField(_("scheme"), max_length=100)  # id@version
    scheme_data = models.JSONField(default=dict)  # the merged mapping the scores are computed with
    lineage = models.JSONField(default=list)
    year = models.PositiveSmallIntegerField(_("year assessed"))
    self_check_due = models.DateField(_("self-check due"))
    verification_due = models.DateField(_("verification due"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assessment round")
        ordering = ("-year", "-pk")

    def __str__(self) -> str:
        return self.title

    @property
    def locked(self) -> bool:
        return self.state == State.FINALISED


class Party(models.Model):
    """One assessed party of a round: a region or an organisation (exactly one of the two)."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="parties")
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("assessed party"), max_length=200)
    submitted_at = models.DateTimeField(_("self-check submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessed party")
        ordering = ("round", "pk")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, organisation__isnull=True)
                | models.Q(region__isnull=True, organisation__isnull=False),
                name="party_one_owner",
            ),
        )

    def __str__(self) -> str:
        return self.name


class Entry(models.Model):
    """One item of one party: the self-check value (a score, yes 1 / no 0, or a count), the inputs of
    a computed item (``inputs``: target and actual, or value and peer), the note and the evidence, and
    the value after verification (``verified``; None: unchanged)."""

    party = models.ForeignKey(Party, models.CASCADE, related_name="entries")
    item = models.CharField(_("item"), max_length=64)
    value = models.FloatField(_("self-check"), null=True, blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    source = models.CharField(_("from"), max_length=200, blank=True)  # what the data said, "" by hand
    note = models.CharField(_("note"), max_length=500, blank=True)
    verified = models.FloatField(_("verified"), null=True, blank=True)
    verified_inputs = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("item entry")
        ordering = ("party", "pk")
        constraints = (models.UniqueConstraint(fields=("party", "item"), name="entry_once"),)


class Evidence(models.Model):
    """A file attached to an entry (kept in the database: it is saved with the self-check or not)."""

    entry = models.ForeignKey(Entry, models.CASCADE, related_name="evidence")
    name = models.CharField(_("file"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        ordering = ("pk",)


class Adjustment(models.Model):
    """One change of the check team: the item's value before and after, and why."""

    entry = models.ForeignKey(Entry, models.CASCADE, related_name="adjustments")
    old = models.FloatField(_("before"), null=True)
    new = models.FloatField(_("after"), null=True)
    old_inputs = models.JSONField(null=True, blank=True)  # a computed item's figures before
    new_inputs = models.JSONField(null=True, blank=True)  # … and after
    reason = models.CharField(_("reason"), max_length=500)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification adjustment")
        ordering = ("at", "pk")


class Result(models.Model):
    """A party's finalised result, with the inputs and the scheme it was computed from."""

    party = models.OneToOneField(Party, models.CASCADE, related_name="result")
    score = models.FloatField(_("score"))
    bonus = models.FloatField(_("bonus"))
    total = models.FloatField(_("total"))
    grade = models.CharField(_("grade"), max_length=32)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    veto_reason = models.CharField(_("veto reason"), max_length=500, blank=True)
    rank = models.PositiveIntegerField(_("rank"))
    consequences = models.CharField(_("consequences"), max_length=500, blank=True)
    reward_yuan = models.DecimalField(_("reward [yuan]"), max_digits=14, decimal_places=2, null=True)
    items = models.JSONField(default=dict)  # item id → points
    inputs = models.JSONField(default=dict)  # the input columns scored
    scheme = models.CharField(_("scheme"), max_length=100)

    class Meta:
        verbose_name = _("assessment result")
        ordering = ("rank", "pk")


class EventKind(models.TextChoices):
    TRAINING = "training", _("training")
    PUBLICITY = "publicity", _("publicity")
    MEETING = "meeting", _("meeting")


class Event(models.Model):
    """A training, publicity activity or meeting held by a region or a unit."""

    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+")
    on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    materials = models.PositiveIntegerField(_("materials distributed"), default=0)

    class Meta:
        verbose_name = _("event")
        ordering = ("-on", "pk")
        indexes = (models.Index(fields=("region", "kind", "on")),)


class Level(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCIAL = "provincial", _("provincial")
    CITY = "city", _("city")


class UnitKind(models.TextChoices):
    SAVING = "saving", _("energy-saving (节约型)")
    WATER = "water", _("water-saving (节水型)")


class Application(models.Model):
    """A unit's application to be a demonstration unit, evaluated against the criteria scheme."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    inputs = models.JSONField(default=dict)
    total = models.FloatField(_("total"), null=True)
    accepted = models.BooleanField(_("accepted"), null=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    scheme = models.CharField(_("scheme"), max_length=100, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demonstration unit application")
        ordering = ("-year", "level", "pk")
