"""The forms of the reporting pages: download a template, upload a filled form, filter the review
queue, approve or return submissions. They check what a person typed and say what is wrong in the
person's language; the work itself is done by the services."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jieneng.core.forms import Edition, Form
from jieneng.directory.models import Region
from jieneng.io import cells
from jieneng.reference import load_forms
from jieneng.reporting.templates import period_key

#: file types the importer reads
EXTENSIONS = (".xlsx", ".xls", ".xlsm", ".ods", ".csv")
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
BAD_PERIOD = _("“%(value)s” is not a period. Write a month (2025-03), a quarter (2025Q1) or a year (2025).")
FREQUENCIES = {"month": _("monthly"), "quarter": _("quarterly"), "year": _("yearly")}


def form_choices() -> list[tuple[str, str]]:
    """(form id, Chinese name): the names are the legal ones, the same in both languages."""
    return [(form.id, form.zh) for form in load_forms().values()]


def default_form() -> str | None:
    """The form offered first: one reported monthly (the consumption form), the most used."""
    forms_ = list(load_forms().values())
    monthly = [form.id for form in forms_ if "month" in form.editions[-1].frequencies]
    return (monthly or [form.id for form in forms_] or [None])[0]


def frequency_of(period: cells.Period) -> str:
    return "month" if period.month else "quarter" if period.quarter else "year"


class TemplateForm(forms.Form):
    """Which template to download: a form, a period, and optionally a region whose units are listed."""

    form = forms.ChoiceField(label=_("Form"), choices=form_choices)
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("A month (2025-03), a quarter (2025Q1) or a year (2025)."),
        widget=forms.TextInput(attrs={"placeholder": "2025-03", "size": 10}),
    )
    region = forms.CharField(
        label=_("Region code (optional)"),
        max_length=6,
        required=False,
        help_text=_("Six digits, e.g. 445200; leave empty to list every unit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )

    def clean_period(self) -> cells.Period:
        text = self.cleaned_data["period"]
        try:
            period = cells.period(text)
        except ValueError:
            period = None
        if period is None:
            raise forms.ValidationError(
                BAD_PERIOD,
                params={"value": text},
                code="bad_period",
            )
        return period

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip()
        if code and not Region.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("No region has the code %(code)s."), params={"code": code}, code="unknown_region"
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        form_id, period = data.get("form"), data.get("period")
        if form_id and period:
            form = load_forms()[form_id]
            edition = form.edition_for(period.year)
            if edition is None:
                self.add_error(
                    "period",
                    forms.ValidationError(
                        _("The form “%(form)s” is used for the years %(years)s, not for %(year)s."),
                        params={"form": form.zh, "years": form.years, "year": period.year},
                        code="year_not_covered",
                    ),
                )
            elif frequency_of(period) not in edition.frequencies:
                self.add_error(
                    "period",
                    forms.ValidationError(
                        _("The form “%(form)s” is not reported %(frequency)s."),
                        params={"form": form.zh, "frequency": FREQUENCIES[frequency_of(period)]},
                        code="frequency",
                    ),
                )
            else:
                data["edition"] = edition
        return data

    @property
    def chosen(self) -> tuple[Form, Edition, cells.Period, str]:
        """(form, edition, period, region code) once the form is valid."""
        data = self.cleaned_data
        return load_forms()[data["form"]], data["edition"], data["period"], data["region"]


class UploadForm(forms.Form):
    """A filled form to import."""

    form = forms.ChoiceField(label=_("Form"), choices=form_choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("The filled template: Excel (.xlsx, .xls, .xlsm), .ods or CSV, at most 200 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(
                _(
                    "“%(name)s” is not a spreadsheet this site reads. "
                    "Upload an Excel file (.xlsx, .xls, .xlsm), an .ods or a .csv file."
                ),
                params={"name": upload.name},
                code="extension",
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file has %(size)s MB; at most 200 MB can be uploaded. Split it into several files."),
                params={"size": f"{upload.size / 1024 / 1024:,.0f}"},
                code="too_large",
            )
        return upload


class QueueFilter(forms.Form):
    """Filters of the review queue; every field may stay empty."""

    STATUSES = ("submitted", "returned", "approved")

    status = forms.ChoiceField(choices=[(s, s) for s in STATUSES], required=False, widget=forms.HiddenInput)
    form = forms.ChoiceField(label=_("Form"), required=False)
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2025-03", "size": 9}),
    )
    region = forms.CharField(
        label=_("Region code"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "445200", "size": 8, "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", _("All forms")), *form_choices()]

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or "submitted"

    def clean_period(self) -> str:
        """The period as submissions store it (``2025-03``, ``2025Q1``, ``2025``), whatever was typed."""
        text = self.cleaned_data["period"].strip()
        if not text:
            return ""
        try:
            period = cells.period(text)
        except ValueError:
            period = None
        if period is None:
            raise forms.ValidationError(
                BAD_PERIOD,
                params={"value": text},
                code="bad_period",
            )
        return period_key(period)

    def clean_region(self) -> str:
        """A division code as a prefix: 445200 (a city) covers 4452xx, 440000 (a province) 44xxxx."""
        code = self.cleaned_data["region"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("A region code has digits only, e.g. 445200."), code="region")
        while len(code) > 2 and code.endswith("00"):
            code = code[:-2]
        return code


class IdsField(forms.Field):
    """The ids of the ticked submissions (``ids`` repeated in the form data)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        try:
            return sorted({int(v) for v in value or ()})
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Choose submissions from the list."), code="ids") from exc


class ReviewForm(forms.Form):
    """Approve or return: the chosen submissions and, for a return, the reason."""

    action = forms.ChoiceField(choices=[("approve", "approve"), ("return", "return")])
    ids = IdsField(required=False)
    reason = forms.CharField(label=_("Reason for returning"), required=False, max_length=2000)
