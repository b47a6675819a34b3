"""The application of a unit to be a demonstration unit (示范单位): which unit, year, level and kind, and
one field per input of the criteria scheme (an item's score, a yes/no, a count, the unit's and its
peers' ratio — the ratios left blank are read from the approved statistics)."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jieneng.assessment.models import Level, UnitKind
from jieneng.core.scoring.scheme import Scheme
from jieneng.directory.models import Organisation

#: what an input of each kind asks for (the item's title goes before it)
ASKS = {
    "score": _("points given (at most %(points)s)"),
    "yes_no": _("done (yes / no)"),
    "certified": _("certified (yes / no)"),
    "count": _("how many"),
    "value": _("the unit's figure (blank: from the statistics)"),
    "peer": _("the average of its peers (blank: from the statistics)"),
    "target": _("target"),
    "actual": _("actual"),
}


class ApplicationForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("unit applying"))
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("level"), choices=Level.choices)
    kind = forms.ChoiceField(label=_("kind of demonstration unit"), choices=UnitKind.choices)

    def __init__(self, *args: Any, units: QuerySet[Organisation], scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = units  # type: ignore[attr-defined]
        self.inputs: list[tuple[str, str]] = []  # (column, kind)
        for column, kind, item in scheme.inputs():
            ask = ASKS.get(kind, kind) % {"points": f"{item.points:g}"}
            label = f"{item.title}{'（★）' if item.starred else ''}：{ask}"
            if kind in ("yes_no", "certified"):
                field: forms.Field = forms.BooleanField(label=label, required=False)
            else:
                most = item.points if kind == "score" else None
                field = forms.FloatField(label=label, required=False, min_value=0, max_value=most)
            self.fields[f"in_{column}"] = field  # apart from the fields above (an item may be called so)
            self.inputs.append((column, kind))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for column, kind in self.inputs:
            value = data.get(f"in_{column}")
            if kind not in ("yes_no", "certified") and value is not None and not math.isfinite(value):
                self.add_error(column, _("Enter a number."))
        return data

    def scheme_inputs(self) -> dict[str, Any]:
        return {column: self.cleaned_data.get(f"in_{column}") for column, _kind in self.inputs}
