"""The stored targets: :class:`Target` (owned by a region or an organisation), its yearly
:class:`Milestone` values, the :class:`CountReport` of a counted quantity and the :class:`TargetChange`
history (what changed, by whom, why). Every row is also audited by django-auditlog (see ``apps.py``).

The fields mirror :class:`jieneng.core.targets.Target`; :meth:`Target.core` turns a row into it, and the
core's ``validate`` decides what may be stored (:mod:`jieneng.targets.services`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jieneng.core import targets as core
from jieneng.directory.models import Organisation, Region
from jieneng.reference.targets import DEFAULT_WARNING_RULE


class Indicator(models.TextChoices):
    ENERGY_TOTAL = "energy_total", _("total energy [tce]")
    ENERGY_PER_PERSON = "energy_per_person", _("energy per person [kgce/person]")
    ENERGY_PER_M2 = "energy_per_m2", _("energy per m² [kgce/m²]")
    ENERGY_PER_GDP = "energy_per_gdp", _("energy per 10,000 yuan GDP [tce/10,000 yuan]")
    WATER_PER_PERSON = "water_per_person", _("water per person [m³/person]")
    CO2_TOTAL = "co2_total", _("total CO₂ [tCO₂]")
    CO2_PER_M2 = "co2_per_m2", _("CO₂ per m² [kgCO₂/m²]")
    COUNT = "count", _("counted quantity (by hand or from the records)")


class Kind(models.TextChoices):
    VALUE = core.Kind.VALUE.value, _("reach a value")
    CAP = core.Kind.CAP.value, _("cap (at most)")
    FLOOR = core.Kind.FLOOR.value, _("floor (at least)")
    REDUCTION = core.Kind.REDUCTION.value, _("reduction % on the base year")
    RANGE = core.Kind.RANGE.value, _("range of reductions %")


class Binding(models.TextChoices):
    BINDING = core.Binding.BINDING.value, _("binding")
    EXPECTED = core.Binding.EXPECTED.value, _("expected")


class Tier(models.TextChoices):
    SINGLE = core.Tier.SINGLE.value, _("single target")
    BASIC = core.Tier.BASIC.value, _("basic target")
    INCENTIVE = core.Tier.INCENTIVE.value, _("incentive target")


class Method(models.TextChoices):
    WEIGHTS = core.Method.WEIGHTS.value, _("by weights")
    EQUAL = core.Method.EQUAL.value, _("equally")
    PROPORTIONAL = core.Method.PROPORTIONAL.value, _("in proportion to base-year values")
    HAND = core.Method.HAND.value, _("by hand")


class Target(models.Model):
    """One target of a region or an organisation (exactly one of the two)."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, models.PROTECT, null=True, blank=True, related_name="targets", verbose_name=_("region")
    )
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("organisation"),
    )
    indicator = models.CharField(_("indicator"), max_length=32, choices=Indicator.choices)
    counted_unit = models.CharField(_("unit counted"), max_length=20, blank=True)
    count_source = models.CharField(
        _("counted from"),
        max_length=64,
        blank=True,
        help_text=_("blank: the counts are reported by hand each month"),
    )
    plan = models.CharField(_("plan"), max_length=20, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    base_year = models.PositiveSmallIntegerField(_("base year"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    value = models.FloatField(_("value"), null=True, blank=True)
    reduction = models.FloatField(_("reduction [%]"), null=True, blank=True)
    low = models.FloatField(_("range from [%]"), null=True, blank=True)
    high = models.FloatField(_("range to [%]"), null=True, blank=True)
    binding = models.CharField(_("binding or expected"), max_length=10, choices=Binding.choices)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.SINGLE)
    basic = models.OneToOneField(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="incentive",
        verbose_name=_("basic target of this incentive target"),
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent target"),
    )
    split_method = models.CharField(_("split method"), max_length=12, choices=Method.choices, blank=True)
    split_weight = models.FloatField(_("weight in the split"), null=True, blank=True)
    warning_rule = models.CharField(_("warning rule"), max_length=64, default=DEFAULT_WARNING_RULE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ("start_year", "pk")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, organisation__isnull=True)
                | models.Q(region__isnull=True, organisation__isnull=False),
                name="target_one_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="target_period_order"
            ),
        )
        indexes = (models.Index(fields=("region", "start_year")), models.Index(fields=("parent",)))

    def __str__(self) -> str:
        return self.name

    @property
    def owner_name(self) -> str:
        owner = self.region if self.region_id else self.organisation
        return owner.name if owner is not None else ""

    def period(self) -> core.Period:
        return core.Period(self.start_year, self.end_year, self.plan)

    def core(self) -> core.Target:
        """The target as the core computes with it."""
        return core.Target(
            id=str(self.pk or self.name),
            indicator=self.indicator,
            period=self.period(),
            kind=core.Kind(self.kind),
            value=self.value,
            reduction=self.reduction,
            low=self.low,
            high=self.high,
            base_year=self.base_year,
            binding=core.Binding(self.binding),
            tier=core.Tier(self.tier),
            milestones={m.year: m.value for m in self.milestones.all()} if self.pk else {},
        )


class Milestone(models.Model):
    """A plan's yearly value (or reduction %) in one year of its period."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("milestone")
        ordering = ("year",)
        constraints = (models.UniqueConstraint(fields=("target", "year"), name="milestone_once"),)


class CountReport(models.Model):
    """The quantity counted in one month for a target on a counted quantity (LED lamps installed)."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="counts")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    count = models.FloatField(_("count"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("count report")
        ordering = ("year", "month")
        constraints = (
            models.UniqueConstraint(fields=("target", "year", "month"), name="count_once_a_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="count_month"),
            models.CheckConstraint(condition=models.Q(count__gte=0), name="count_not_negative"),
        )


class TargetChange(models.Model):
    """One change of a target: the field, its old and new value, who changed it, when and why."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=32)
    old = models.CharField(_("old value"), max_length=100, blank=True)
    new = models.CharField(_("new value"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target change")
        ordering = ("at", "pk")
