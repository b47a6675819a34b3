"""The forms of the target pages: a target (checked by the core: each problem becomes a message in the
user's language, and nothing is stored) and a split among the regions below."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jieneng.core import targets as core
from jieneng.i18n import render
from jieneng.targets import counting
from jieneng.targets.models import CountReport, Method, Target

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
            "count_source",
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_hand = ("", _("reported by hand each month"))
        self.fields["count_source"] = forms.ChoiceField(
            label=_("counted from"), choices=[by_hand, *counting.choices()], required=False
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        source = counting.get(data.get("count_source") or "")
        if source is not None and data.get("indicator") != core.INDICATORS["count"].code:
            self.add_error("count_source", _("Only a counted quantity is counted from the records."))
            return data
        if source is not None and self.instance.region_id is None:
            self.add_error("count_source", _("Only a region's target is counted from the records."))
            return data
        if source is not None and not data.get("counted_unit"):
            data["counted_unit"] = source.unit
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


class CountForm(forms.ModelForm):  # type: ignore[type-arg]
    """The count of one month of a target counted by hand (again for the same month: replaced)."""

    class Meta:
        model = CountReport
        fields = ("year", "month", "count", "note")

    def __init__(self, *args: Any, target: Target, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target, self.today = target, today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, month, count = data.get("year"), data.get("month"), data.get("count")
        if year is None or month is None:
            return data
        if not 1 <= month <= 12:
            self.add_error("month", _("A month is from 1 to 12."))
        elif not self.target.start_year <= year <= self.target.end_year:
            self.add_error("year", _("The year is outside the target's period."))
        elif (year, month) > (self.today.year, self.today.month):
            self.add_error("month", _("This month has not begun yet."))
        if count is not None and not (math.isfinite(count) and count >= 0):
            self.add_error("count", _("A count is a number of at least 0."))
        return data

    def validate_unique(self) -> None:  # a month counted again replaces the earlier count
        pass
