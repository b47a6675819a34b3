"""Monthly energy and water consumption of an organisation: a simple store for now; submissions,
revisions and review come on top of it in the next issue."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Organisation


class EnergyRecord(models.Model):
    """Quantity [``unit``] and cost [元] of one energy type used by one organisation in one month."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="energy_records"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    energy_type = models.CharField(_("energy type"), max_length=32, help_text=_("Code of the energy type."))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=16)
    cost = models.DecimalField(_("cost [yuan]"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("energy record")
        verbose_name_plural = _("energy records")
        ordering = ("organisation", "year", "month", "energy_type")
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "year", "month", "energy_type"], name="energy_record_unique"
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="energy_record_month_1_12"),
        )
        indexes = (models.Index(fields=["year", "organisation"], name="energy_record_year_org"),)

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}-{self.month:02d} {self.energy_type}"
