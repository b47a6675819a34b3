"""An organisation's change history for its page: the audit entries (django-auditlog) of the
organisation and of its yearly facts, each field's old and new value as a person reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Field, Q

from jieneng.directory.models import Organisation, OrganisationYear, Region


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: int
    subject: str
    changes: list[Change] = field(default_factory=list)


HISTORY_LIMIT = 200
_EMPTY = "—"


def history(org: Organisation, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Audit entries of the organisation and of its yearly facts, newest first: when, who, and each
    field's old and new value as a person reads them (names for regions and organisations)."""
    types = ContentType.objects.get_for_models(Organisation, OrganisationYear)
    facts = dict(OrganisationYear.objects.filter(organisation=org).values_list("pk", "year"))
    q = Q(content_type=types[Organisation], object_id=org.pk)
    if facts:
        q |= Q(content_type=types[OrganisationYear], object_id__in=list(facts))
    entries = list(LogEntry.objects.filter(q).select_related("actor").order_by("-timestamp", "-pk")[:limit])
    names = _related_names(entries)
    out = []
    for entry in entries:
        model = Organisation if entry.content_type_id == types[Organisation].pk else OrganisationYear
        subject = str(facts.get(entry.object_id, "")) if model is OrganisationYear else ""
        changes = [
            Change(_label(model, name), _shown(model, name, old, names), _shown(model, name, new, names))
            for name, (old, new) in (entry.changes_dict or {}).items()
            if name != "id"
        ]
        out.append(HistoryEntry(entry.timestamp, _actor(entry), entry.action, subject, changes))
    return out


def _actor(entry: LogEntry) -> str:
    if entry.actor is None:
        return entry.actor_email or ""
    return str(entry.actor.get_full_name() or entry.actor.get_username())


_RELATED: dict[str, type[Region] | type[Organisation]] = {
    "region": Region,
    "supervisor": Organisation,
    "organisation": Organisation,
}


def _related_names(entries: list[LogEntry]) -> dict[tuple[str, str], str]:
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for name, values in (entry.changes_dict or {}).items():
            if name in _RELATED:
                wanted.setdefault(name, set()).update(int(v) for v in values if _is_id(v))
    names: dict[tuple[str, str], str] = {}
    for name, ids in wanted.items():
        for pk, label in _RELATED[name].objects.filter(pk__in=ids).values_list("pk", "name"):
            names[(name, str(pk))] = label
    return names


def _is_id(value: Any) -> bool:
    return isinstance(value, (int, str)) and str(value).isdigit()


def _label(model: type[Organisation | OrganisationYear], name: str) -> str:
    try:
        field = model._meta.get_field(name)
        return str(field.verbose_name) if isinstance(field, Field) else name
    except Exception:  # a field removed since the entry was written
        return name


def _shown(model: type[Any], name: str, value: Any, names: dict[tuple[str, str], str]) -> str:
    if value is None or value in ("None", ""):
        return _EMPTY
    text = str(value)
    if name in _RELATED:
        return names.get((name, text), text)
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except Exception:
        choices = {}
    return str(choices.get(text, text))
