"""The forms of the reporting pages: download a template, upload a filled form, choose what to fill
online, filter the review queue and the list of who has not reported, approve or return submissions.
They check what a person typed and say what is wrong in the person's language; the work itself is
done by the services."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jieneng.core.forms import Edition, Form
from jieneng.directory.models import Organisation, Region
from jieneng.io import cells
from jieneng.reference import load_forms

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
    ids = monthly or [form.id for form in forms_]
    return ids[0] if ids else None


def frequency_of(period: cells.Period) -> str:
    return "month" if period.month else "quarter" if period.quarter else "year"


class FormPeriod(forms.Form):
    """A form and a period it can be reported for (an edition covers the year, the frequency fits)."""

    form = forms.ChoiceField(label=_("Form"), choices=form_choices)
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        help_text=_("A month (2025-03), a quarter (2025Q1) or a year (2025)."),
        widget=forms.TextInput(attrs={"placeholder": "2025-03", "size": 10}),
    )

    def clean_period(self) -> cells.Period:
        return parse_period(self.cleaned_data["period"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
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
    def form_period(self) -> tuple[Form, Edition, cells.Period]:
        """(form, edition, period) once the form is valid."""
        data = self.cleaned_data
        return load_forms()[data["form"]], data["edition"], data["period"]


def parse_period(text: str) -> cells.Period:
    """A period as typed (2025-03, 2025年3月, 2025Q1, 2025), or a ValidationError saying how to write it."""
    try:
        period = cells.period(text)
    except ValueError:
        period = None
    if period is None:
        raise forms.ValidationError(BAD_PERIOD, params={"value": text}, code="bad_period")
    return period


class TemplateForm(FormPeriod):
    """Which template to download: a form, a period, and optionally a region whose units are listed."""

    region = forms.CharField(
        label=_("Region code (optional)"),
        max_length=6,
        required=False,
        help_text=_("Six digits, e.g. 445200; leave empty to list every unit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )

    def clean_region(self) -> str:
        code: str = self.cleaned_data["region"].strip()
        if code and not Region.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("No region has the code %(code)s."), params={"code": code}, code="unknown_region"
            )
        return code

    @property
    def chosen(self) -> tuple[Form, Edition, cells.Period, str]:
        """(form, edition, period, region code) once the form is valid."""
        form, edition, period = self.form_period
        return form, edition, period, self.cleaned_data["region"]


class FillTarget(FormPeriod):
    """The organisation, form and period of the online form (``?org=&form=&period=``)."""

    org = forms.IntegerField(label=_("Organisation"), min_value=1, widget=forms.HiddenInput)


class PeriodPicker(FormPeriod):
    """The reporter's home: which form and period to list the units' reports of."""


class OverdueFilter(FormPeriod):
    """Who has not reported: a form and a period."""


class UploadForm(forms.Form):
    """A filled form to import."""

    form = forms.ChoiceField(label=_("Form"), choices=form_choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("The filled template: Excel (.xlsx, .xls, .xlsm), .ods or CSV, at most 200 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    clear_blanks = forms.BooleanField(
        label=_("Clear the stored values of blank cells"),
        required=False,
        help_text=_(
            "Leave unticked: a blank cell keeps the value already stored for it, and the report lists "
            "every such cell. Tick only when the blank cells are meant to clear those values."
        ),
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
    """Filters and order of the review queue; every field may stay empty. ``regions``: the (code,
    label) choices of the regions within the reviewer's scope."""

    STATUSES = ("submitted", "returned", "approved")
    ALL = "all"
    SORTS: ClassVar[dict[str, Any]] = {
        "flags": _("Most notes first"),
        "period": _("Latest period first"),
        "organisation": _("Organisation"),
    }

    status = forms.ChoiceField(choices=[(s, s) for s in STATUSES], required=False, widget=forms.HiddenInput)
    form = forms.ChoiceField(label=_("Form"), required=False)
    period = forms.CharField(
        label=_("Period"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2025-03", "size": 9}),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("“%(value)s” is not a region whose submissions you review.")},
    )
    type = forms.ChoiceField(label=_("Type of institution"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False)

    def __init__(self, *args: Any, regions: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["form"]).choices = [*form_choices(), (self.ALL, _("All forms"))]
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("All my regions")), *(regions or [])]
        cast(forms.ChoiceField, self.fields["type"]).choices = [
            ("", _("All types")),
            *Organisation.Type.choices,
        ]
        cast(forms.ChoiceField, self.fields["sort"]).choices = list(self.SORTS.items())

    def clean_status(self) -> str:
        return self.cleaned_data["status"] or "submitted"

    def clean_form(self) -> str | None:
        """The form id; None for all forms; the monthly form when nothing is chosen."""
        value = self.cleaned_data["form"]
        return None if value == self.ALL else value or default_form()

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or "flags"

    def clean_period(self) -> cells.Period | None:
        """The period typed, whatever its writing (2025-03, 2025年3月, 2025Q1, 2025)."""
        text = self.cleaned_data["period"].strip()
        return parse_period(text) if text else None


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
