"""The project register and what is computed for each project.

A :class:`Project` belongs to a region (the office that runs it) and optionally to an owner
organisation; it is seen by whoever sees that region or organisation. Its kind is a code of the
reference table ``projects/kinds.toml``. Quantities done are dated :class:`ProgressEntry` rows (the
cumulative quantity on a date). Figures computed by the core are stored with the data version they used:
:class:`OptionAEstimate` (the coefficient set), :class:`MeasuredSavings` (the method's id@version),
:class:`SubsidyDecision` (the rule's id@version). Every model is audited (django-auditlog).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Organisation, Region
from jieneng.reference import DEFAULT_COEFFICIENT_SET
from jieneng.reference.projects import load_project_kinds

ZERO = Decimal(0)


def kind_choices() -> list[tuple[str, str]]:
    zh = (get_language() or "zh-hans").startswith("zh")
    return [(k.code, k.zh if zh else k.en) for k in load_project_kinds().kinds.values()]


def unit_title(unit: str) -> str:
    zh_title, en_title = load_project_kinds().units[unit]
    return zh_title if (get_language() or "zh-hans").startswith("zh") else en_title


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")
        SUSPENDED = "suspended", _("Suspended")

    class Contract(models.TextChoices):
        NONE = "", _("No energy-performance contract")
        SHARED_SAVINGS = "shared_savings", _("Shared savings (节能效益分享型)")
        GUARANTEED_SAVINGS = "guaranteed_savings", _("Guaranteed savings (节能量保证型)")
        ENERGY_COST_TRUSTEESHIP = "energy_cost_trusteeship", _("Energy-cost trusteeship (能源费用托管型)")
        FINANCE_LEASE = "finance_lease", _("Finance lease (融资租赁型)")
        HYBRID = "hybrid", _("Hybrid (混合型)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=kind_choices)
    region = models.ForeignKey(Region, models.PROTECT, related_name="projects", verbose_name=_("region"))
    owner = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("owner unit"),
    )
    site = models.CharField(_("site"), max_length=200, blank=True)
    start = models.DateField(_("start date"))
    end = models.DateField(_("planned completion"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    planned_quantity = models.DecimalField(
        _("planned quantity"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    investment_yuan = models.DecimalField(_("investment (元)"), max_digits=16, decimal_places=2, default=ZERO)
    fiscal_yuan = models.DecimalField(_("fiscal funds (元)"), max_digits=16, decimal_places=2, default=ZERO)
    own_yuan = models.DecimalField(_("own funds (元)"), max_digits=16, decimal_places=2, default=ZERO)
    emc_yuan = models.DecimalField(_("ESCO investment (元)"), max_digits=16, decimal_places=2, default=ZERO)
    esco = models.CharField(_("energy service company"), max_length=200, blank=True)
    contract_type = models.CharField(
        _("contract type"), max_length=32, choices=Contract.choices, blank=True, default=""
    )
    esco_share = models.DecimalField(
        _("ESCO's share of savings"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(1))],
    )
    contract_years = models.PositiveSmallIntegerField(_("contract years"), null=True, blank=True)
    guaranteed_kwh = models.DecimalField(
        _("guaranteed savings a year (kWh)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    fee_yuan = models.DecimalField(
        _("fee a year (元)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    tariff = models.DecimalField(
        _("electricity tariff (元/kWh)"), max_digits=8, decimal_places=4, default=ZERO
    )
    industrial = models.BooleanField(_("industrial project"), default=False)
    coefficient_set = models.CharField(
        _("electricity conversion"), max_length=100, default=DEFAULT_COEFFICIENT_SET
    )  # a built-in set: 当量值 (public-institution) or an 等价值 set

    class Meta:
        ordering = ("region__code", "name")
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="project_end_after_start",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def kind_title(self) -> str:
        return dict(kind_choices()).get(self.kind, self.kind)

    @property
    def unit(self) -> str:
        return load_project_kinds().kinds[self.kind].unit

    @property
    def unit_title(self) -> str:
        return unit_title(self.unit)


class ProgressEntry(models.Model):
    """The cumulative quantity done on a date (lamps, m², units — the kind's unit)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="progress")
    on = models.DateField(_("date"))
    quantity_done = models.DecimalField(
        _("quantity done"), max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ("project", "on")
        constraints = (models.UniqueConstraint(fields=["project", "on"], name="progress_project_on_unique"),)

    def __str__(self) -> str:
        return f"{self.project_id} {self.on} {self.quantity_done}"


class LampClass(models.Model):
    """One lamp class of a lighting retrofit (IPMVP Option A key parameters)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="lamp_classes")
    name = models.CharField(_("lamp class"), max_length=100)
    count = models.PositiveIntegerField(_("count"))
    old_watts = models.FloatField(_("old wattage incl. ballast (W)"), validators=[MinValueValidator(0.1)])
    new_watts = models.FloatField(_("new wattage incl. ballast (W)"), validators=[MinValueValidator(0.1)])
    hours = models.FloatField(
        _("stipulated burning hours a year"), validators=[MinValueValidator(0), MaxValueValidator(8784)]
    )

    class Meta:
        ordering = ("project", "pk")

    def __str__(self) -> str:
        return f"{self.name}: {self.count} × {self.old_watts} → {self.new_watts} W"


class OptionAEstimate(models.Model):
    """The estimated savings a year of the project's lamp classes, as computed by the core."""

    project = models.OneToOneField(Project, models.CASCADE, related_name="estimate")
    kwh = models.FloatField()
    tce = models.FloatField()
    money_yuan = models.DecimalField(max_digits=16, decimal_places=2)
    coefficient_set = models.CharField(max_length=100)  # id@version
    kgce_per_kwh = models.FloatField()
    tariff = models.DecimalField(max_digits=8, decimal_places=4)
    detail = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.project_id}: {self.kwh:.0f} kWh ({self.coefficient_set})"


class MeasuredSavings(models.Model):
    """Measured savings of a whole building (IPMVP Option C, CalTRACK 2.0), with the fit statistics."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="measured")
    method = models.CharField(max_length=100)  # id@version
    interval = models.CharField(max_length=16)
    baseline_start = models.DateField()
    baseline_end = models.DateField()
    reporting_start = models.DateField()
    reporting_end = models.DateField()
    model_type = models.CharField(max_length=32)
    predicted = models.FloatField()
    observed = models.FloatField()
    savings = models.FloatField()
    fractional_savings = models.FloatField(null=True)
    r_squared = models.FloatField(null=True)
    cvrmse = models.FloatField(null=True)
    nmbe = models.FloatField(null=True)
    calibrated = models.BooleanField()  # passes ASHRAE Guideline 14
    uncertainty = models.FloatField(null=True)  # fractional savings uncertainty
    detail = models.JSONField(default=dict)  # the core's result (as_dict) and the series
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("project", "-computed_at")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.savings:.0f} ({self.method})"


class SubsidyDecision(models.Model):
    """A project's eligibility under a subsidy rule, with the reasons and the amount."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="subsidies")
    rule = models.CharField(max_length=100)  # id@version
    annual_tce = models.DecimalField(max_digits=14, decimal_places=4)
    basis = models.CharField(
        max_length=100
    )  # where annual_tce came from, e.g. the estimate's coefficient set
    eligible = models.BooleanField()
    reasons = models.JSONField(default=list)  # [{code, params}]
    central_yuan = models.DecimalField(max_digits=16, decimal_places=2)
    provincial_yuan = models.DecimalField(max_digits=16, decimal_places=2)
    amount_yuan = models.DecimalField(max_digits=16, decimal_places=2)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["project", "rule"], name="subsidy_project_rule_unique"),
        )

    def __str__(self) -> str:
        return f"{self.project_id} {self.rule}: {self.amount_yuan}"


class ContractPeriod(models.Model):
    """One period of an energy-performance contract: verified savings and what the ESCO is owed (shared
    savings) or owes (guaranteed savings), as computed by the core."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="contract_periods")
    period = models.CharField(_("period"), max_length=16)  # "2025-03" or "2025"
    savings_kwh = models.DecimalField(_("verified savings (kWh)"), max_digits=16, decimal_places=2)
    value_yuan = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    esco_yuan = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    shortfall_kwh = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    owed_yuan = models.DecimalField(max_digits=16, decimal_places=2, null=True)

    class Meta:
        ordering = ("project", "period")
        constraints = (
            models.UniqueConstraint(fields=["project", "period"], name="contract_period_project_unique"),
        )

    def __str__(self) -> str:
        return f"{self.project_id} {self.period}"
