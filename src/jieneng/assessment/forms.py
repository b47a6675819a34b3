"""The forms of the assessment pages: opening a round (a Django form) and the per-item fields of a
self-check or a verification, read from the request into :class:`~.services.ItemInput` values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jieneng.assessment.evidence import Upload
from jieneng.assessment.models import EventKind
from jieneng.assessment.services import ItemInput
from jieneng.core.scoring import Scheme
from jieneng.reference.schemes import builtin_schemes, load_scheme


def scheme_choices() -> list[tuple[str, str]]:
    return [(ref, load_scheme(ref).title) for ref in builtin_schemes()]


class RoundForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    scheme = forms.ChoiceField(label=gettext_lazy("scheme"), choices=())
    year = forms.IntegerField(label=gettext_lazy("year assessed"), min_value=2000, max_value=2100)
    self_check_due = forms.DateField(label=gettext_lazy("self-check due"))
    verification_due = forms.DateField(label=gettext_lazy("verification due"))
    parties = forms.MultipleChoiceField(
        label=gettext_lazy("assessed parties"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, parties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = scheme_choices()  # type: ignore[attr-defined]
        self.fields["parties"].choices = parties  # type: ignore[attr-defined]


def _number(text: str) -> float:
    return float(text.strip().replace(",", "").replace("，", "").replace("−", "-"))


def read_items(
    built: Scheme, data: Any, files: Any, *, editable: set[str] | None = None
) -> tuple[dict[str, ItemInput], list[str]]:
    """The items given in ``data`` (``v_<id>``, ``in_<id>_<name>``, ``note_<id>``, ``reason_<id>``,
    files ``file_<id>``); a number that is not one is a problem naming its item."""
    given: dict[str, ItemInput] = {}
    problems: list[str] = []
    for iid, item in built.items.items():
        if editable is not None and iid not in editable:
            continue
        g = ItemInput(note=data.get(f"note_{iid}", ""), reason=data.get(f"reason_{iid}", ""))
        names = {"completion": ("target", "actual"), "ratio": ("value", "peer")}.get(item.method, ())
        texts = {n: data.get(f"in_{iid}_{n}", "").strip() for n in names}
        text = data.get(f"v_{iid}", "").strip()
        try:
            g.inputs = {n: _number(t) if t else None for n, t in texts.items()}
            g.value = _number(text) if text else None
        except ValueError:
            problems.append(
                _("“%(item)s”: “%(value)s” is not a number.") % {"item": item.title, "value": text}
            )
            continue
        if names and not any(texts.values()):
            g.inputs = {}
        g.files = [Upload(f.name, f.read(), item.title) for f in files.getlist(f"file_{iid}")]
        if text or any(texts.values()) or g.note or g.files:
            given[iid] = g
    return given, problems


class EventForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("date"))
    kind = forms.ChoiceField(label=gettext_lazy("kind of event"), choices=EventKind.choices)
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    participants = forms.IntegerField(label=gettext_lazy("participants"), min_value=0, initial=0)
    materials = forms.IntegerField(label=gettext_lazy("materials distributed"), min_value=0, initial=0)
