"""The forms of the account pages: make an account, give a role at a place, make an API token, filter
the audit trail. They check what a person typed and say what is wrong in the person's language; who may
do what where is decided by :mod:`jieneng.accounts.services`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from jieneng.accounts.roles import Role

#: what each capability lets a person (or a token) do, as shown on the pages
CAPABILITY_LABELS = {
    "view": _("see the figures and reports of the place"),
    "report": _("fill in and submit reports"),
    "review": _("approve or return reports"),
    "directory": _("maintain the directory (organisations, yearly facts)"),
    "users": _("give accounts and roles"),
}
CAPABILITY_NAMES = {
    "view": _("View"),
    "report": _("Report"),
    "review": _("Review"),
    "directory": _("Directory"),
    "users": _("Accounts"),
}
PLACE_HELP = _(
    "A six-digit region code (e.g. 445202) or an organisation's 18-character unified social credit code."
)


def _place_field(lookup_url: str) -> forms.CharField:
    return forms.CharField(
        label=_("Place"),
        max_length=18,
        help_text=PLACE_HELP,
        error_messages={"required": _("Write the region code or the credit code of the place.")},
        widget=forms.TextInput(
            attrs={
                "size": 22,
                "autocomplete": "off",
                "list": "my-places",
                "hx-get": lookup_url,
                "hx-trigger": "input changed delay:300ms, change",
                "hx-target": "next .place-name",
                "hx-swap": "innerHTML",
            }
        ),
    )


def clean_place_text(value: str) -> str:
    value = value.strip().upper()
    if not ((len(value) == 6 and value.isdigit()) or len(value) == 18):
        raise forms.ValidationError(PLACE_HELP)
    return value


class GrantForm(forms.Form):
    """A role at a place (for an existing account)."""

    role = forms.ChoiceField(
        label=_("Role"),
        error_messages={
            "required": _("Choose a role."),
            "invalid_choice": _("You may not give this role: choose one from the list."),
        },
    )
    place = forms.CharField()
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        help_text=_("E.g. the check assignment."),
    )

    def __init__(self, *args: Any, roles: list[str], lookup_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [("", "—")] + [
            (r, Role(r).label) for r in roles
        ]
        self.fields["place"] = _place_field(lookup_url)
        self.order_fields(["username", "full_name", "password", "role", "place", "note"])

    def clean_place(self) -> str:
        return clean_place_text(self.cleaned_data["place"])


class AccountForm(GrantForm):
    """A new account and its first role."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Used to sign in: letters, digits and @ . + - _ only, e.g. zhang.wei"),
        error_messages={"required": _("Choose a user name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As colleagues know the person, e.g. 张伟."),
        error_messages={"required": _("Write the person's name.")},
    )
    password = forms.CharField(
        label=_("Initial password (optional)"),
        required=False,
        strip=False,
        help_text=_(
            "Leave empty to have one made and shown once. A typed password needs at least 10 characters, "
            "not only digits, not a common one."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the meter data system."),
        error_messages={"required": _("Give the token a name, e.g. the system that will use it.")},
    )
    capabilities = forms.MultipleChoiceField(
        label=_("The token may"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one thing the token may do."),
            "invalid_choice": _("A token may do only what you may do yourself."),
        },
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        initial=90,
        min_value=1,
        max_value=365,
        error_messages={
            "required": _("Write for how many days the token is valid (1 to 365)."),
            "invalid": _("Write a whole number of days (1 to 365)."),
            "min_value": _("A token is valid for 1 to 365 days."),
            "max_value": _("A token is valid for 1 to 365 days."),
        },
        widget=forms.NumberInput(attrs={"size": 5}),
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["capabilities"]).choices = [
            (c, f"{CAPABILITY_NAMES[c]}: {CAPABILITY_LABELS[c]}") for c in allowed
        ]
        self.fields["capabilities"].initial = ["view"] if "view" in allowed else []


class UserSearch(forms.Form):
    q = forms.CharField(label=_("User name or full name"), max_length=150, required=False)


class AuditFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Object type"), required=False)
    who = forms.CharField(label=_("Changed by"), max_length=150, required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        error_messages={"invalid": _("Write a date like 2026-03-01.")},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        error_messages={"invalid": _("Write a date like 2026-03-31.")},
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("All")), *kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data
