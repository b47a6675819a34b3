"""The forms of the target pages: a target (checked by the core: each problem becomes a message in the
user's language, and nothing is stored) and a split among the regions below."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jieneng.core import targets as core
from jieneng.i18n import render
from jieneng.targets.models import Method, Target

#: which field a problem of the core belongs to on the form (None: the whole form)
PROBLEM_FIELD = {
    "range_reversed": "low",
    "base_after_period": "base_year",
    "missing_base": "base_year",
    "unknown_indicator": "indicator",
    "target_period_reversed": "end_year",
}


class TargetForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(label=_("reason for the change"), max_length=300, required=False)

    class Meta:
        model = Target
        fields = (
            "name",
            "indicator",
            "counted_unit",
            "plan",
            "start_year",
            "end_year",
            "base_year",
            "kind",
            "value",
            "reduction",
            "low",
            "high",
            "binding",
            "tier",
            "warning_rule",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        start, end = data.get("start_year"), data.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", _("The last year comes before the first year."))
            return data
        candidate = Target(**{k: v for k, v in data.items() if k != "reason"})
        for problem in core.validate(candidate.core()):
            self.add_error(PROBLEM_FIELD.get(problem.code), render(problem))
        return data


class SplitForm(forms.Form):
    method = forms.ChoiceField(label=_("split method"), choices=Method.choices)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def __init__(self, *args: Any, children: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = dict(children)
        for code, name in self.children.items():
            self.fields[f"share_{code}"] = forms.FloatField(
                label=name,
                required=False,
                help_text=_("weight (by weights) or the value or reduction % (by hand)"),
            )

    def shares(self) -> dict[str, float]:
        return {
            code: self.cleaned_data[f"share_{code}"]
            for code in self.children
            if self.cleaned_data.get(f"share_{code}") is not None
        }
