"""Documents generated and issued by an office, and the templates an office uploaded.

A document keeps its data snapshot and the exact template (id@version and its blocks) it was made from,
so it is made again byte for byte in content. Its 发文字号 is given when it is issued: the office's
prefix, the year, and the next number of that office and year.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Region


class IssuedDocument(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued")

    office = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("issuing office"))
    region = models.ForeignKey(Region, models.PROTECT, related_name="documents", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=32)
    period = models.CharField(_("period"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    prefix = models.CharField(_("number prefix"), max_length=32, blank=True)
    year = models.PositiveSmallIntegerField(_("year of the number"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number = models.CharField(_("document number"), max_length=64, blank=True)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: the region codes it is addressed to (those below the region), who read it once issued
    addressed_to = models.JSONField(_("addressed to"), default=list)
    snapshot = models.JSONField(_("data snapshot"))
    template = models.CharField(_("template"), max_length=80)
    blocks = models.JSONField(_("template used"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("-created_at", "-pk")
        constraints = (
            models.UniqueConstraint(
                fields=("office", "year", "sequence"), name="document_number_once_per_office_year"
            ),
        )

    def __str__(self) -> str:
        return self.number or self.title


class OfficeTemplate(models.Model):
    """An office's own version of a kind's template (uploaded as .docx, kept as blocks)."""

    office = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    header = models.JSONField(_("head and record"), default=dict)
    blocks = models.JSONField(_("blocks"))
    file_name = models.CharField(_("file"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = (
            models.UniqueConstraint(fields=("office", "kind", "version"), name="office_template_version"),
        )

    def __str__(self) -> str:
        return f"{self.kind}@office-{self.office_id}-{self.version}"


class CardBatch(models.Model):
    """A region's unit report cards, made in the task worker: its progress and its .zip."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("cards made"), default=0)
    total = models.PositiveIntegerField(_("cards"), default=0)
    file = models.CharField(_("file"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("batch of report cards")
        verbose_name_plural = _("batches of report cards")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.region_id}-{self.year}"
