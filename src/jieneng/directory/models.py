"""Regions (GB/T 2260, with validity dates), organisations (名录库) and their per-year facts."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jieneng.core import credit_code
from jieneng.i18n import message


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters with the right check character."""
    try:
        credit_code.validate(value)
    except credit_code.InvalidCreditCode as error:
        raise ValidationError(message(error), code=error.code) from error


class RegionQuerySet(models.QuerySet["Region"]):
    def valid_on(self, day: date) -> RegionQuerySet:
        """The rows in force on ``day`` (``valid_to`` is inclusive)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def current(self) -> RegionQuerySet:
        """The rows in force today (Asia/Shanghai)."""
        return self.valid_on(timezone.localdate())


class Region(models.Model):
    """One GB/T 2260 division under one name and parent for a span of days; codes are reused over time."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        PREFECTURE = 2, _("Prefecture")
        COUNTY = 3, _("County")

    code = models.CharField(_("division code"), max_length=6, validators=[RegexValidator(r"^\d{6}$")])
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Inclusive; empty while in force.")
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("code", "valid_from")
        constraints = (
            models.UniqueConstraint(fields=["code", "valid_from"], name="region_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="region_valid_to_after_valid_from",
            ),
        )

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Organisation(models.Model):
    """A reporting unit of the registry (名录库), identified by its unified social credit code."""

    class Type(models.TextChoices):
        """单位性质 of the public-institution statistics (01 国家机关, 021–026 事业单位, 03 社会团体)."""

        STATE_ORGAN = "01", _("State organ")
        EDUCATION = "021", _("Education")
        SCIENCE = "022", _("Science and technology")
        CULTURE = "023", _("Culture")
        HEALTH = "024", _("Health")
        SPORTS = "025", _("Sports")
        OTHER_INSTITUTION = "026", _("Other public service unit")
        SOCIAL_ORGANISATION = "03", _("Social organisation")

    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("name"), max_length=200)
    type_code = models.CharField(_("type"), max_length=3, choices=Type.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervising department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("credit_code",)

    def __str__(self) -> str:
        return self.name


class OrganisationYear(models.Model):
    """Facts of one organisation for one year (建筑面积, 用能人数, vehicles); each year keeps its own row."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1949)])
    building_area_m2 = models.DecimalField(
        _("building area [m²]"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    persons = models.PositiveIntegerField(_("energy-using persons"))
    vehicles = models.PositiveSmallIntegerField(_("official vehicles"), default=0)

    class Meta:
        verbose_name = _("yearly facts")
        verbose_name_plural = _("yearly facts")
        ordering = ("organisation", "year")
        constraints = (
            models.UniqueConstraint(fields=["organisation", "year"], name="organisation_year_unique"),
        )

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"
