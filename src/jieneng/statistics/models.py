"""The statistics store: approved energy records and the roll-ups read by every domain.

:class:`EnergyRecord` holds what reviewers approved (written by :mod:`jieneng.statistics.records`);
:class:`RegionFigure` and :class:`UnitFigure` hold the sums kept current by
:mod:`jieneng.statistics.rollups`, each row recording the coefficient set (id@version) its kgce came
from and the emission-factor set and convention (``emission_factors``) of its CO₂; :class:`Stamp`
marks the state of each province's data (:mod:`jieneng.statistics.freshness`).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Organisation


class EnergyRecord(models.Model):
    """Approved quantity [``unit``] and cost [元] of one energy type used by one organisation in one
    period: a month, or a whole quarter or year (``month`` empty) when the form was reported so.
    ``submission_id``/``revision``: the approved revision the record came from (empty for old loads)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="energy_records",
        db_index=False,  # the unique constraint starts with it
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    energy_type = models.CharField(_("energy type"), max_length=32, help_text=_("Code of the energy type."))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=16)
    cost = models.DecimalField(_("cost [yuan]"), max_digits=14, decimal_places=2, null=True, blank=True)
    # where the record came from: the approved submission and revision (reporting), kept as plain
    # numbers so that the store does not depend on the app that writes into it
    submission_id = models.BigIntegerField(_("submission"), null=True, blank=True, db_index=True)
    revision = models.PositiveIntegerField(_("revision"), null=True, blank=True)

    class Meta:
        verbose_name = _("energy record")
        verbose_name_plural = _("energy records")
        ordering = ("organisation", "year", "month", "energy_type")
        constraints = (
            models.UniqueConstraint(  # an empty quarter or month counts as one value, not as distinct NULLs
                "organisation",
                "year",
                Coalesce("quarter", 0),
                Coalesce("month", 0),
                "energy_type",
                name="energy_record_unique",
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="energy_record_month_1_12",
            ),
        )
        indexes = (models.Index(fields=["year", "organisation"], name="energy_record_year_org"),)

    def __str__(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else f"{self.year}Q{self.quarter or ''}"
        return f"{self.organisation} {period} {self.energy_type}"


class RegionFigure(models.Model):
    """Sums for one region (its whole subtree) and year over one slice: the whole year (``month`` 0),
    a month, a type of unit (``type_code``) or an energy type (``energy``); empty means all."""

    region = models.CharField(_("region"), max_length=6)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0)
    type_code = models.CharField(_("type"), max_length=3, blank=True, default="")
    energy = models.CharField(_("energy type"), max_length=32, blank=True, default="")
    kgce = models.FloatField(default=0)
    kgce_excl_vehicle = models.FloatField(default=0)
    water_m3 = models.FloatField(default=0)
    cost = models.FloatField(default=0)
    persons = models.FloatField(default=0)
    area_m2 = models.FloatField(default=0)
    kgco2 = models.FloatField(default=0, help_text=_("CO₂ [kgCO₂] of the units that have a CO₂ figure."))
    co2_missing = models.IntegerField(default=0, help_text=_("Units of the slice without a CO₂ figure."))
    units = models.IntegerField(default=0)
    coefficient_set = models.CharField(max_length=64)
    emission_factors = models.CharField(
        max_length=128,
        blank=True,
        default="",
        help_text=_("Emission-factor set (id@version) and convention."),
    )

    class Meta:
        verbose_name = _("region figure")
        verbose_name_plural = _("region figures")
        constraints = (
            models.UniqueConstraint(
                fields=["region", "year", "month", "type_code", "energy"], name="region_figure_unique"
            ),
        )


class UnitFigure(models.Model):
    """Sums for one organisation and year (only years with approved records)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="figures", db_index=False
    )
    region = models.CharField(_("region"), max_length=6)
    type_code = models.CharField(_("type"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"))
    kgce = models.FloatField(default=0)
    kgce_excl_vehicle = models.FloatField(default=0)
    water_m3 = models.FloatField(default=0)
    cost = models.FloatField(default=0)
    persons = models.FloatField(default=0)
    area_m2 = models.FloatField(default=0)
    kgco2 = models.FloatField(
        null=True, blank=True, help_text=_("CO₂ [kgCO₂]; empty when a factor is missing.")
    )
    months = models.PositiveSmallIntegerField(default=0)
    co2_problem = models.TextField(
        blank=True,
        default="",
        help_text=_("Why there is no CO₂ figure: the problem's code and parameters (JSON)."),
    )
    coefficient_set = models.CharField(max_length=64)
    emission_factors = models.CharField(
        max_length=128,
        blank=True,
        default="",
        help_text=_("Emission-factor set (id@version) and convention."),
    )

    class Meta:
        verbose_name = _("unit figure")
        verbose_name_plural = _("unit figures")
        constraints = (models.UniqueConstraint(fields=["organisation", "year"], name="unit_figure_unique"),)
        indexes = (models.Index(fields=["region", "year"], name="unit_figure_region_year"),)


class Stamp(models.Model):
    """A random token per province (two digits; ``*``: everything), replaced by every write that
    changes what its dashboards show (:mod:`jieneng.statistics.freshness`)."""

    province = models.CharField(max_length=2, primary_key=True)
    value = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("dashboard stamp")
        verbose_name_plural = _("dashboard stamps")
