"""How a region organises the work of 节能目标责任制: its leadership group (领导小组: leader, deputies,
member units), whether it runs a joint-meeting system (联席会议) and has a dedicated agency with staff,
the meetings it held (minutes attached), and the responsibility letters (目标责任书) it signed with the
regions and units below. An :class:`Attachment` holds an attached file in the database (its type checked
by content, its size limited: :mod:`jieneng.core.attachments`), so that a row and its file are stored in
one transaction and backed up together. Coverage is computed from these rows
(:mod:`jieneng.targets.coverage`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jieneng.directory.models import Organisation, Region
from jieneng.targets.models.targets import Target


class Attachment(models.Model):
    """An attached file: its name as uploaded, its kind found by content, its size and SHA-256."""

    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveIntegerField(_("size [bytes]"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A region's leadership group and the rest of its organisation of the work (one row a region)."""

    region = models.OneToOneField(Region, models.PROTECT, related_name="work_group", verbose_name=_("region"))
    leader = models.CharField(_("group leader"), max_length=100, blank=True)
    deputies = models.CharField(_("deputy leaders"), max_length=300, blank=True)
    members = models.TextField(_("member units (one a line)"), blank=True)
    joint_meeting = models.BooleanField(_("joint-meeting system in place"), default=False)
    agency = models.CharField(_("dedicated agency"), max_length=200, blank=True)
    staff = models.PositiveSmallIntegerField(_("staff of the agency"), default=0)
    established = models.DateField(_("group set up on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("leadership group")

    def __str__(self) -> str:
        return f"{self.region.name}"

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]

    @property
    def has_agency(self) -> bool:
        return bool(self.agency.strip())


class Meeting(models.Model):
    """A meeting a region held on the work (a leadership-group or joint meeting, a deployment meeting)."""

    class Kind(models.TextChoices):
        GROUP = "group", _("leadership-group meeting")
        JOINT = "joint", _("joint meeting")
        DEPLOYMENT = "deployment", _("deployment meeting")

    region = models.ForeignKey(Region, models.PROTECT, related_name="work_meetings", verbose_name=_("region"))
    kind = models.CharField(_("kind of meeting"), max_length=12, choices=Kind.choices, default=Kind.GROUP)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes = models.ForeignKey(
        Attachment, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("minutes")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        ordering = ("-held_on", "pk")
        indexes = (models.Index(fields=("region", "held_on")),)


class Letter(models.Model):
    """A responsibility letter of ``year`` between a region (the issuer) and a region or unit below it.
    Not signed while ``signed_on`` is empty; the signed scan is attached."""

    issuer = models.ForeignKey(
        Region, models.PROTECT, related_name="letters_issued", verbose_name=_("issued by")
    )
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("signed by region"),
    )
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("signed by unit"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    targets = models.ManyToManyField(
        Target, blank=True, related_name="letters", verbose_name=_("targets covered")
    )
    scan = models.ForeignKey(
        Attachment, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signed scan")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("responsibility letter")
        ordering = ("year", "issuer", "pk")
        constraints = (
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, organisation__isnull=True)
                | models.Q(region__isnull=True, organisation__isnull=False),
                name="letter_one_party",
            ),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def party_name(self) -> str:
        party = self.region if self.region_id else self.organisation
        return party.name if party is not None else ""
