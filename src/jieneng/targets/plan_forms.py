"""The forms of the action plans: importing a plan from its sheet, and a progress report on an action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jieneng.targets.models import Status
from jieneng.targets.work_forms import DateInput


class PlanImportForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("action plan", "plan"), max_length=200)
    start_year = forms.IntegerField(label=_("first year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("last year"), min_value=2000, max_value=2100)
    sheet = forms.FileField(label=_("action plan sheet (.xlsx or .csv)"))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        first, last = data.get("start_year"), data.get("end_year")
        if first is not None and last is not None and last < first:
            self.add_error("end_year", _("The last year comes after the first."))
        return data


class ReportForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)
    reported_on = forms.DateField(label=_("reported on"), widget=DateInput())
    value = forms.FloatField(label=_("reported value"), required=False)
    note = forms.CharField(label=_("progress"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
