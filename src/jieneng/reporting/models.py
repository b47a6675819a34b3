"""Reporting: submissions of statistics forms, their revisions and review, and the imports that
brought them.

A submission (organisation × form × period) keeps every revision of its values; nothing is ever
overwritten. Only an approved revision's values reach the statistics store
(:class:`jieneng.statistics.models.EnergyRecord`, and for the basic information form the yearly
facts), so the indicators count approved data only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jieneng.directory.models import Organisation


class Submission(models.Model):
    """What one organisation reports on one form for one period; its values live in its revisions.

    ``current`` is the number of the latest revision; ``approved`` the number of the revision whose
    values feed the indicators (``None`` until a reviewer approves one). A new revision after an
    approval leaves the approved values in place until it is approved in turn.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="submissions",
        db_index=False,  # the unique constraint starts with it
    )
    form = models.CharField(_("form"), max_length=32)
    period = models.CharField(_("period"), max_length=8, help_text=_("2025-03, 2025Q1 or 2025."))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    current = models.PositiveIntegerField(_("current revision"), default=1)
    approved = models.PositiveIntegerField(_("approved revision"), null=True, blank=True)
    flags = models.PositiveIntegerField(_("advisory flags"), default=0)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ("form", "period", "organisation")
        constraints = (
            models.UniqueConstraint(fields=["organisation", "form", "period"], name="submission_unique"),
        )
        indexes = (
            models.Index(fields=["form", "status", "year"], name="submission_form_status_year"),
            # the review queue: most flags first, then arrival order, one status of one form
            models.Index(fields=["form", "status", "-flags", "id"], name="submission_queue"),
        )
        permissions = (("review_submission", _("Can approve or return submissions")),)

    def __str__(self) -> str:
        return f"{self.organisation} {self.form} {self.period}"


class Revision(models.Model):
    """One saved version of a submission's values; never changed or deleted once written.

    ``values``: item code → value in the item's unit (see the form's reference file). ``digest``: a
    hash of the values, so that the same values arriving again make no new revision.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded file")
        CLI = "cli", _("Command line")
        ONLINE = "online", _("Online form")
        API = "api", _("API")
        DEMO = "demo", _("Demonstration data")

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="revisions",
        db_index=False,  # the unique constraint starts with it
    )
    number = models.PositiveIntegerField(_("number"))
    edition = models.CharField(_("form edition"), max_length=48, help_text=_("e.g. pi-energy@2022"))
    values = models.JSONField(_("values"))
    digest = models.CharField(_("digest"), max_length=64)
    flags = models.JSONField(_("advisory flags"), default=list, blank=True)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        default="",
        help_text=_("The unit's explanation (填写说明) of what the verification checks flagged."),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    author = models.CharField(_("author"), max_length=150)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"))
    import_job = models.ForeignKey(
        "ImportJob",
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revisions",
        db_index=False,
    )
    row = models.PositiveIntegerField(_("row in the file"), null=True, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ("submission", "number")
        constraints = (models.UniqueConstraint(fields=["submission", "number"], name="revision_unique"),)

    def __str__(self) -> str:
        return f"{self.submission} r{self.number}"


class ReviewEvent(models.Model):
    """The review of a submission: returned (with a reason) or approved, by whom and when. Together with
    the revisions (each with its author and time) this is the submission's audit trail; ``submitted``
    marks a revision handed in separately from its saving (the online form's draft, next issue)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("review action", "Submitted")
        RETURNED = "returned", pgettext_lazy("review action", "Returned")
        APPROVED = "approved", pgettext_lazy("review action", "Approved")

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,  # the (submission, at) index starts with it
    )
    revision = models.PositiveIntegerField(_("revision"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.CharField(_("by"), max_length=150)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ("submission", "at", "id")
        indexes = (models.Index(fields=["submission", "at"], name="review_event_submission_at"),)

    def __str__(self) -> str:
        return f"{self.submission} r{self.revision} {self.action}"


#: the error of an import whose worker died (:mod:`jieneng.operations.recovery`); the page translates it
ABANDONED = (
    "The worker running this import stopped before it finished (it was stopped or ran out of memory). "
    "Nothing of the file was stored: upload it again."
)


class ImportJob(models.Model):
    """One uploaded file and what became of it: progress while it runs, the report when done.

    The file itself and the full problem report are kept in the data directory (``uploads/<id>/``);
    the row holds the counts the pages show.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        BLOCKED = "blocked", _("Blocked: nothing imported")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    form = models.CharField(_("form"), max_length=32)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size [bytes]"))
    source = models.CharField(_("source"), max_length=16, choices=Revision.Source.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("phase"), max_length=32, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("new submissions"), default=0)
    revised = models.PositiveIntegerField(_("new revisions"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    held = models.PositiveIntegerField(
        _("kept as drafts"),
        default=0,
        help_text=_("Rows flagged by a verification check, kept as drafts until the unit explains them."),
    )
    blocking = models.PositiveIntegerField(_("blocking problems"), default=0)
    advisory = models.PositiveIntegerField(_("advisory problems"), default=0)
    error = models.TextField(_("error"), blank=True)
    checks = models.CharField(
        _("checks"), max_length=64, blank=True, help_text=_("The thresholds of the checks run (id@version).")
    )
    clear_blanks = models.BooleanField(
        _("clear the stored values of blank cells"),
        default=False,
        help_text=_("Confirmed by the uploader: a blank cell clears the value stored for it."),
    )
    again_of = models.ForeignKey(
        "self",
        verbose_name=_("run again from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs_again",
    )
    author = models.CharField(_("author"), max_length=150)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def abandoned(self) -> bool:
        """Failed because the worker running it died (marked so by the worker that found it)."""
        return self.status == self.Status.FAILED and self.error == ABANDONED

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.BLOCKED, self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.finished else int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
