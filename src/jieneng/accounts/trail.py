"""The audit trail as a person reads it: the change records (django-auditlog's ``LogEntry``) about
objects inside the actor's place, newest first, with the changed fields in words.

Which records are inside the place is decided in SQL on the record's ``content_type`` and ``object_id``:
organisations and their yearly facts of ``scope.organisations("directory")``, regions of
``scope.regions("directory")``, memberships whose node is in the ``users`` place, and the accounts
and tokens of the accounts the actor sees. A deleted object no longer exists, so its deletion (and
creation) records are matched on the node they named (``changes``, kept by auditlog as strings). A
page costs the same few queries however long the trail is.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import CharField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jieneng.accounts.audit import token_id
from jieneng.accounts.forms import CAPABILITY_NAMES
from jieneng.accounts.models import ApiToken, Membership
from jieneng.accounts.scope import Scope
from jieneng.accounts.services import visible_memberships, visible_users
from jieneng.directory.models import Organisation, OrganisationYear, Region

PER_PAGE = 50
ACTIONS = {
    LogEntry.Action.CREATE: pgettext_lazy("audit action", "created"),
    LogEntry.Action.UPDATE: pgettext_lazy("audit action", "changed"),
    LogEntry.Action.DELETE: pgettext_lazy("audit action", "deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("audit action", "opened"),
}
SKIPPED_FIELDS = {"id", "digest", "password", "last_login", "last_used_at"}


def _kinds() -> dict[str, type[models.Model]]:
    return {
        "organisation": Organisation,
        "organisationyear": OrganisationYear,
        "region": Region,
        "membership": Membership,
        "user": get_user_model(),
        "apitoken": ApiToken,
    }


def kinds(scope: Scope) -> list[tuple[str, str]]:
    """The object types the actor may filter on: (key, name)."""
    shown = []
    for key, model in _kinds().items():
        if key in ("organisation", "organisationyear", "region") and not _sees(scope, "directory"):
            continue
        if key in ("membership", "user", "apitoken") and not _sees(scope, "users"):
            continue
        shown.append((key, str(model._meta.verbose_name)))
    return shown


def _sees(scope: Scope, capability: str) -> bool:
    return scope.can(capability)


def _as_text(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``queryset``'s primary keys as text, to compare with the ids auditlog keeps in ``changes``."""
    texts: QuerySet[Any] = queryset.annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    return texts


def _named(field: str, ids: QuerySet[Any]) -> Q:
    """Records whose ``changes`` name one of ``ids`` as ``field``, before (deleted) or after (created)."""
    return Q(**{f"_{field}_old__in": _as_text(ids)}) | Q(**{f"_{field}_new__in": _as_text(ids)})


def _scope_q(scope: Scope, types: dict[str, ContentType]) -> Q | None:
    """The records inside the actor's place; None: every record (a superuser)."""
    if scope.everything:
        return None
    q = Q(pk__in=[])
    gone = Q(action__in=[LogEntry.Action.CREATE, LogEntry.Action.DELETE])
    if scope.can("directory"):
        organisations = scope.organisations("directory").values("pk")
        regions = scope.regions("directory").values("pk")
        years = OrganisationYear.objects.filter(organisation__in=organisations).values("pk")
        q |= Q(content_type=types["organisation"], object_id__in=organisations)
        q |= Q(content_type=types["organisation"]) & gone & _named("region", regions)
        q |= Q(content_type=types["organisationyear"], object_id__in=years)
        q |= Q(content_type=types["organisationyear"]) & gone & _named("organisation", organisations)
        q |= Q(content_type=types["region"], object_id__in=regions)
    if scope.can("users"):
        users = visible_users(scope).values("pk")
        memberships = visible_memberships(scope)
        q |= Q(content_type=types["membership"], object_id__in=memberships.values("pk"))
        node_regions = scope.regions("users").values("pk")
        node_organisations = scope.organisations("users").values("pk")
        q |= (
            Q(content_type=types["membership"])
            & gone
            & (_named("region", node_regions) | _named("organisation", node_organisations))
        )
        q |= Q(content_type=types["user"], object_id__in=users)
        q |= Q(
            content_type=types["apitoken"], object_id__in=ApiToken.objects.filter(user__in=users).values("pk")
        )
    return q


def entries(
    scope: Scope,
    *,
    kind: str = "",
    who: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[LogEntry]:
    """The change records inside the actor's place, newest first, filtered by object type (a key of
    :func:`kinds`), by who made the change (user name or full name contains ``who``) and by day
    (``since``/``until`` inclusive, in the site's time zone)."""
    models_ = _kinds()
    types = ContentType.objects.get_for_models(*models_.values())
    types_by_key = {key: types[model] for key, model in models_.items()}
    rows: QuerySet[LogEntry] = LogEntry.objects.filter(content_type__in=types_by_key.values())
    rows = rows.annotate(
        **{
            f"_{f}_{age}": KT(f"changes__{f}__{i}")
            for f in ("region", "organisation")
            for age, i in (("old", 0), ("new", 1))
        }
    )
    allowed = _scope_q(scope, types_by_key)
    if allowed is not None:
        rows = rows.filter(allowed)
    if kind in types_by_key:
        rows = rows.filter(content_type=types_by_key[kind])
    if who.strip():
        rows = rows.filter(
            Q(actor__username__icontains=who.strip()) | Q(actor__first_name__icontains=who.strip())
        )
    if since:
        rows = rows.filter(timestamp__gte=_start_of(since))
    if until:
        rows = rows.filter(timestamp__lt=_start_of(until + timedelta(days=1)))
    return rows.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- one page, in words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Row:
    entry: LogEntry
    when: datetime
    who: str
    action: str
    kind: str
    thing: str
    changes: list[Change]


def page(queryset: QuerySet[LogEntry], number: int) -> tuple[list[Row], bool]:
    """Page ``number`` (from 1) of ``queryset`` in words, and whether there is a next page. The related
    objects the changes name are looked up once per model for the whole page."""
    start = (max(number, 1) - 1) * PER_PAGE
    found = list(queryset[start : start + PER_PAGE + 1])
    more = len(found) > PER_PAGE
    found = found[:PER_PAGE]
    names = _related_names(found)
    return [_row(entry, names) for entry in found], more


def _fields(entry: LogEntry) -> list[tuple[models.Field[Any, Any], list[str]]]:
    model = entry.content_type.model_class()
    out = []
    for name, values in (entry.changes_dict or {}).items():
        if name in SKIPPED_FIELDS or model is None:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not getattr(field, "concrete", False):
            continue  # reverse relations auditlog lists on creation
        out.append((field, [str(v) for v in values]))
    return out


def _related_names(found: list[LogEntry]) -> dict[type[models.Model], dict[str, str]]:
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for entry in found:
        for field, values in _fields(entry):
            if field.is_relation and field.related_model is not None:
                wanted[field.related_model].update(v for v in values if v not in ("None", ""))
    names: dict[type[models.Model], dict[str, str]] = {}
    for model, ids in wanted.items():
        pks = [int(i) for i in ids if i.isdigit()]
        names[model] = {str(obj.pk): _name(obj) for obj in model._default_manager.filter(pk__in=pks)}
    return names


def _name(obj: Any) -> str:
    if hasattr(obj, "get_username"):
        return str(obj.get_full_name() or obj.get_username())
    return str(obj)


def _shown(field: models.Field[Any, Any], value: str, names: dict[type[models.Model], dict[str, str]]) -> str:
    """A value as auditlog kept it (text), in words: the related object's name, the choice's label,
    yes/no, a local time, a list joined."""
    if value in ("None", ""):
        return "—"
    if field.is_relation and field.related_model is not None:
        return names.get(field.related_model, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value == "True" else _("no")
    for kind, shown in ((models.DateTimeField, _local_time), (models.JSONField, _listed)):
        if isinstance(field, kind):
            return shown(field, value)
    return value


def _local_time(field: models.Field[Any, Any], value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_fixed_timezone(0))
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _listed(field: models.Field[Any, Any], value: str) -> str:
    """A JSON list (a token's capabilities) as words, joined."""
    try:
        items = json.loads(value)
    except ValueError:
        return value
    if not isinstance(items, list):
        return value
    if field.name == "capabilities":
        items = [CAPABILITY_NAMES.get(item, item) for item in items]
    return "、".join(str(item) for item in items) or "—"


def _stamps(model: type[models.Model] | None) -> set[str]:
    """Names of the fields stamped with the time of creation (the record's own time says it)."""
    if model is None:
        return set()
    return {
        str(field.verbose_name)
        for n in ("created_at", "date_joined")
        if _has(model, n) and isinstance(field := model._meta.get_field(n), models.Field)
    }


def _has(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _who(entry: LogEntry) -> str:
    """The actor's name, and the API token it acted through (“张三 (API token “nightly sync”)”)."""
    who = _name(entry.actor) if entry.actor else _("the system")
    token = token_id(entry.cid)
    if token is None:
        return who
    name = ApiToken.objects.filter(pk=token).values_list("name", flat=True).first() or f"#{token}"
    return _("%(who)s (API token “%(token)s”)") % {"who": who, "token": name}


def _row(entry: LogEntry, names: dict[type[models.Model], dict[str, str]]) -> Row:
    model = entry.content_type.model_class()
    changes = [
        Change(str(field.verbose_name), _shown(field, values[0], names), _shown(field, values[-1], names))
        for field, values in _fields(entry)
    ]
    if entry.action == LogEntry.Action.CREATE:  # what was set, without the empty and the obvious
        changes = [c for c in changes if c.new not in ("—", _("no")) and c.field not in _stamps(model)]
    return Row(
        entry=entry,
        when=entry.timestamp,
        who=_who(entry),
        action=str(ACTIONS.get(entry.action, entry.action)),
        kind=str(model._meta.verbose_name) if model else entry.content_type.model,
        thing=entry.object_repr,
        changes=changes,
    )
