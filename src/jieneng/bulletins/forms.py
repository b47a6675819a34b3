from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jieneng.bulletins import kinds


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    region = forms.ChoiceField(label=_("Region"))
    period = forms.RegexField(
        label=_("Year"), regex=r"^(19|20)\d\d$", error_messages={"invalid": _("Enter a year such as 2025.")}
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(k.code, k.name) for k in kinds.all_kinds()]
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = regions
        self.fields["period"].initial = str(timezone.localdate().year - 1)


class IssueForm(forms.Form):
    number_prefix = forms.CharField(label=_("Number prefix"), max_length=32)
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


class TemplateForm(forms.Form):
    file = forms.FileField(label=_("Word file (.docx)"))
