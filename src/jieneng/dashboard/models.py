"""Roll-up tables the dashboards read (never the reported rows): kept current on every approval by
:mod:`jieneng.dashboard.rollups`. Both record the coefficient set (id@version) their kgce came from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Organisation


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
    units = models.IntegerField(default=0)
    coefficient_set = models.CharField(max_length=64)

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
    months = models.PositiveSmallIntegerField(default=0)
    coefficient_set = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("unit figure")
        verbose_name_plural = _("unit figures")
        constraints = (models.UniqueConstraint(fields=["organisation", "year"], name="unit_figure_unique"),)
        indexes = (models.Index(fields=["region", "year"], name="unit_figure_region_year"),)


class Stamp(models.Model):
    """A random token per province (two digits; ``*``: everything), replaced by every write that
    changes what its dashboards show (:mod:`jieneng.dashboard.freshness`)."""

    province = models.CharField(max_length=2, primary_key=True)
    value = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("dashboard stamp")
        verbose_name_plural = _("dashboard stamps")
