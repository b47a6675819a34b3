"""Forms of the directory pages: the list's search and filters, an organisation, its yearly facts and a
region's name. Every bad input gets a message in the user's language that says what to type instead;
the rules of who may put what where live in :mod:`jieneng.registry.maintenance`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jieneng.accounts.scope import Scope
from jieneng.core import credit_code
from jieneng.directory.models import Organisation, OrganisationYear, Region, validate_credit_code
from jieneng.registry import maintenance
from jieneng.registry.browse import filter_regions

TYPES = Organisation.Type.choices
EARLIEST_YEAR = 1949


def region_label(region: Region) -> str:
    indent = "\u3000" * (region.level - 1)
    return f"{indent}{region.code} {region.name}"


# ModelChoiceField is generic in django-stubs only (django_stubs_ext.monkeypatch() is not called)
if TYPE_CHECKING:
    _RegionChoices = forms.ModelChoiceField[Region]
else:
    _RegionChoices = forms.ModelChoiceField


class RegionChoiceField(_RegionChoices):
    def label_from_instance(self, obj: Region) -> str:
        return region_label(obj)


class CreditCodeField(forms.CharField):
    """A unified social credit code; full-width characters, spaces, dashes and lower case are folded
    before the model's validator (GB 32100) checks it."""

    # an instance attribute in Django's Field (set from the class's list)
    default_validators: list[Callable[[Any], None]] = [validate_credit_code]  # noqa: RUF012

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return credit_code.normalise(text) if text else text


# --- the list ----------------------------------------------------------------------------------------


class OrganisationFilter(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or credit code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Part of a name, or a code"), "size": 26}
        ),
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("All types")), *TYPES],
        error_messages={"invalid_choice": gettext_lazy("Choose a type from the list.")},
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in filter_regions(scope)}
        field = cast(forms.ChoiceField, self.fields["region"])
        field.choices = [("", _("All regions")), *((r.code, region_label(r)) for r in self.regions.values())]
        field.error_messages["invalid_choice"] = _(
            "Region %(value)s is not within your place. Choose a region from the list."
        )

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        return self.regions.get(code) if code else None


# --- an organisation ---------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    """Register an organisation (with ``credit_code``) or change one (``org``)."""

    credit_code = CreditCodeField(
        label=gettext_lazy("Unified social credit code"),
        max_length=40,
        help_text=gettext_lazy("18 characters, as on the registration certificate."),
        error_messages={"required": gettext_lazy("Enter the organisation's unified social credit code.")},
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Enter the organisation's name.")},
    )
    type_code = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=[("", "—"), *TYPES],
        error_messages={
            "required": gettext_lazy("Choose the type of the organisation (单位性质)."),
            "invalid_choice": gettext_lazy("Choose a type from the list."),
        },
    )
    region = RegionChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.none(),
        empty_label="—",
        error_messages={
            "required": gettext_lazy("Choose the region the organisation is in."),
            "invalid_choice": gettext_lazy(
                "This region is not within your place. Choose a region from the list."
            ),
        },
    )
    supervisor = CreditCodeField(
        label=gettext_lazy("Supervising department"),
        required=False,
        max_length=40,
        help_text=gettext_lazy(
            "The credit code of the supervising department (主管部门); leave empty if none."
        ),
    )
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, scope: Scope, org: Organisation | None = None, **kwargs: Any) -> None:
        if org is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": org.name,
                    "type_code": org.type_code,
                    "region": org.region_id,
                    "supervisor": org.supervisor.credit_code if org.supervisor else "",
                    "address": org.address,
                },
            )
        super().__init__(*args, **kwargs)
        self.scope, self.org = scope, org
        regions = maintenance.directory_regions(scope)
        if org is not None:
            del self.fields["credit_code"]
            regions = regions | Region.objects.filter(pk=org.region_id)
        cast(RegionChoiceField, self.fields["region"]).queryset = regions.order_by("code", "valid_from")
        own = maintenance.departments(scope)
        if org is None and own and not self.is_bound:
            self.initial.setdefault("supervisor", own[0].credit_code)

    def clean_credit_code(self) -> str:
        code: str = self.cleaned_data["credit_code"]
        if Organisation.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("An organisation with the credit code %(code)s is already in the directory."),
                params={"code": code},
                code="unique",
            )
        return code

    def clean_supervisor(self) -> Organisation | None:
        code = self.cleaned_data.get("supervisor")
        if not code:
            return None
        found = self.scope.organisations("view").filter(credit_code=code).first()
        if found is None:
            raise forms.ValidationError(
                _(
                    "No organisation within your place has the credit code %(code)s. Check the code, or "
                    "leave the field empty."
                ),
                params={"code": code},
                code="unknown",
            )
        return found

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        region = data.get("region")
        if region is not None and "supervisor" not in self.errors:
            problem = maintenance.placement_problem(
                self.scope, region=region, supervisor=data.get("supervisor"), org=self.org
            )
            if problem:
                self.add_error(problem[0], problem[1])
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned values by the names of :data:`maintenance.EDITABLE`."""
        return {name: self.cleaned_data[name] for name in maintenance.EDITABLE}


# --- yearly facts ------------------------------------------------------------------------------------


class FactsForm(forms.Form):
    """建筑面积, 用能人数 and 公务用车 of one year; a year already stored is corrected."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy("Enter the year, e.g. 2025."),
            "invalid": gettext_lazy("Enter the year as four digits, e.g. 2025."),
        },
    )
    building_area_m2 = forms.DecimalField(
        label=gettext_lazy("Building area [m²]"),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy("Enter the building area in square metres."),
            "invalid": gettext_lazy(
                "Enter the building area as a number of square metres, e.g. 5200.5, without units or commas."
            ),
            "max_decimal_places": gettext_lazy("Enter the building area with at most two decimal places."),
            "max_digits": gettext_lazy("This building area is too large; check the unit (square metres)."),
            "max_whole_digits": gettext_lazy(
                "This building area is too large; check the unit (square metres)."
            ),
        },
    )
    persons = forms.IntegerField(
        label=gettext_lazy("Energy-using persons"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": gettext_lazy("Enter the number of energy-using persons."),
            "invalid": gettext_lazy("Enter the number of persons as a whole number, e.g. 120."),
        },
    )
    vehicles = forms.IntegerField(
        label=gettext_lazy("Official vehicles"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"invalid": gettext_lazy("Enter the number of vehicles as a whole number, e.g. 3.")},
    )

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if year > this_year:
            raise forms.ValidationError(
                _("%(year)s has not come yet; facts can be entered up to %(this_year)s."),
                params={"year": year, "this_year": this_year},
                code="future",
            )
        if year < EARLIEST_YEAR:
            raise forms.ValidationError(
                _("Enter a year from %(earliest)s on."), params={"earliest": EARLIEST_YEAR}, code="early"
            )
        return year

    def clean_building_area_m2(self) -> Any:
        area = self.cleaned_data["building_area_m2"]
        if area < 0:
            raise forms.ValidationError(_("The building area cannot be negative."), code="negative")
        return area

    def clean_persons(self) -> int:
        persons: int = self.cleaned_data["persons"]
        if persons < 0:
            raise forms.ValidationError(_("The number of persons cannot be negative."), code="negative")
        if persons > 2_147_483_647:
            raise forms.ValidationError(_("This number of persons is too large."), code="too_large")
        return persons

    def clean_vehicles(self) -> int:
        vehicles = self.cleaned_data.get("vehicles")
        if vehicles is None:
            return 0
        if vehicles < 0:
            raise forms.ValidationError(_("The number of vehicles cannot be negative."), code="negative")
        if vehicles > 32_767:
            raise forms.ValidationError(_("This number of vehicles is too large."), code="too_large")
        return int(vehicles)

    @classmethod
    def for_year(cls, org: Organisation, year: int | None) -> FactsForm:
        """An empty form, or the stored facts of ``year`` to correct."""
        fact = OrganisationYear.objects.filter(organisation=org, year=year).first() if year else None
        if fact is None:
            return cls(initial={"year": year or timezone.localdate().year - 1, "vehicles": 0})
        return cls(
            initial={
                "year": fact.year,
                "building_area_m2": fact.building_area_m2,
                "persons": fact.persons,
                "vehicles": fact.vehicles,
            }
        )


class RegionNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("New name"),
        max_length=64,
        error_messages={"required": gettext_lazy("Enter the new name of the region.")},
    )
