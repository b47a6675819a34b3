"""Forms of the project pages: the register's filters, a project, a progress entry, a lamp class and the
upload of meter data for measured savings. Every bad input gets a message in the user's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jieneng.accounts.scope import Scope
from jieneng.directory.models import Region
from jieneng.projects.models import LampClass, ProgressEntry, Project, kind_choices
from jieneng.reference import builtin_coefficient_sets

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = (".xlsx", ".csv")


def _regions(scope: Scope, capability: str) -> Any:
    return scope.regions(capability).current().order_by("code")


class RegionChoices(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class ProjectFilter(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    region = forms.CharField(label=gettext_lazy("Region code"), required=False, max_length=6)
    contract = forms.ChoiceField(label=gettext_lazy("Contract type"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["kind"].choices = every + kind_choices()  # type: ignore[attr-defined]
        self.fields["status"].choices = every + list(Project.Status.choices)  # type: ignore[attr-defined]
        contracts = [c for c in Project.Contract.choices if c[0]]
        self.fields["contract"].choices = every + contracts  # type: ignore[attr-defined]

    def clean_region(self) -> str:
        code = str(self.cleaned_data["region"]).strip()
        if code and not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(_("A region code has six digits, e.g. 445200."))
        return code


class ProjectForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Project
        fields = (
            "name", "kind", "region", "owner", "site", "start", "end", "status", "planned_quantity",
            "investment_yuan", "fiscal_yuan", "own_yuan", "emc_yuan", "esco", "contract_type", "esco_share",
            "contract_years", "guaranteed_kwh", "fee_yuan", "tariff", "coefficient_set", "industrial",
        )  # fmt: skip
        widgets = {  # noqa: RUF012 (Django reads the class attribute)
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = RegionChoices(queryset=_regions(scope, "directory"), label=_("Region"))
        self.fields["region"] = region
        self.fields["owner"].queryset = scope.organisations("directory").order_by("name")  # type: ignore[attr-defined]
        sets = builtin_coefficient_sets()
        self.fields["coefficient_set"] = forms.ChoiceField(
            label=_("Electricity conversion"), choices=[(s, s) for s in sets]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The completion date is before the start date."))
        total = sum(data.get(k) or 0 for k in ("fiscal_yuan", "own_yuan", "emc_yuan"))
        investment = data.get("investment_yuan") or 0
        if investment and total > investment:
            self.add_error("investment_yuan", _("The funding sources add up to more than the investment."))
        contract = data.get("contract_type")
        if contract == Project.Contract.SHARED_SAVINGS and data.get("esco_share") is None:
            self.add_error("esco_share", _("A shared-savings contract needs the ESCO's share (e.g. 0.8)."))
        if contract == Project.Contract.GUARANTEED_SAVINGS and data.get("guaranteed_kwh") is None:
            self.add_error("guaranteed_kwh", _("A guaranteed-savings contract needs the guaranteed savings."))
        if contract and not data.get("esco"):
            self.add_error("esco", _("An energy-performance contract needs the energy service company."))
        return data


class ProgressForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ProgressEntry
        fields = ("on", "quantity_done", "note")
        widgets = {  # noqa: RUF012 (Django reads the class attribute)
            "on": forms.DateInput(attrs={"type": "date"})
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on, done = data.get("on"), data.get("quantity_done")
        if on is None or done is None:
            return data
        if on > timezone.localdate():
            self.add_error("on", _("A quantity done cannot be dated in the future."))
        if done > self.project.planned_quantity:
            self.add_error("quantity_done", _("The quantity done is more than the planned quantity."))
        earlier = ProgressEntry.objects.filter(project=self.project, on__lt=on).order_by("-on").first()
        if earlier is not None and done < earlier.quantity_done:
            self.add_error(
                "quantity_done",
                _("Quantities are cumulative: %(done)s is less than the %(before)s done by %(on)s.")
                % {"done": done, "before": earlier.quantity_done, "on": earlier.on},
            )
        return data


class LampClassForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LampClass
        fields = ("name", "count", "old_watts", "new_watts", "hours")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        old, new = data.get("old_watts"), data.get("new_watts")
        if old is not None and new is not None and new >= old:
            self.add_error("new_watts", _("The new wattage must be lower than the old one."))
        return data


class MeasureForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Daily use and temperatures (.xlsx or .csv)"))
    interval = forms.ChoiceField(
        label=gettext_lazy("Method"),
        choices=[
            ("daily", gettext_lazy("CalTRACK 2.0 daily")),
            ("billing", gettext_lazy("CalTRACK 2.0 billing")),
        ],
    )
    unit = forms.ChoiceField(label=gettext_lazy("Temperature unit"), choices=[("C", "°C"), ("F", "°F")])
    baseline_start = forms.DateField(
        label=gettext_lazy("Baseline from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    baseline_end = forms.DateField(
        label=gettext_lazy("Baseline to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reporting_start = forms.DateField(
        label=gettext_lazy("Reporting from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reporting_end = forms.DateField(
        label=gettext_lazy("Reporting to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for first, last in (("baseline_start", "baseline_end"), ("reporting_start", "reporting_end")):
            if data.get(first) and data.get(last) and data[last] < data[first]:
                self.add_error(last, _("The period ends before it starts."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Project register (.xlsx or .csv)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


def region_of(code: str) -> Region | None:
    return Region.objects.current().filter(code=code).first()
