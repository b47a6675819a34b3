"""The forms of the organisation of the work, the letters and the tasks. A file's type and size are
checked by the services (:mod:`jieneng.targets.attachments`), which name the file in the message."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jieneng.targets.models import Group, Meeting


class DateInput(forms.DateInput):
    input_type = "date"


class GroupForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Group
        fields = ("leader", "deputies", "members", "joint_meeting", "agency", "staff", "established")
        widgets = {"established": DateInput(), "members": forms.Textarea(attrs={"rows": 5})}  # noqa: RUF012


class MeetingForm(forms.ModelForm):  # type: ignore[type-arg]
    file = forms.FileField(label=_("minutes (PDF, image, .docx or .xlsx)"), required=False)

    class Meta:
        model = Meeting
        fields = ("kind", "held_on", "topic", "decisions")
        widgets = {"held_on": DateInput(), "decisions": forms.Textarea(attrs={"rows": 4})}  # noqa: RUF012


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput())
    scan = forms.FileField(label=_("signed scan (PDF or image)"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class DeployForm(forms.Form):
    title = forms.CharField(label=_("task"), max_length=200)
    description = forms.CharField(
        label=_("what to do"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due = forms.DateField(label=_("due on"), widget=DateInput())

    def __init__(self, *args: Any, recipients: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipients"] = forms.MultipleChoiceField(
            label=_("deploy to"),
            choices=list(recipients.items()),
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )


class EvidenceForm(forms.Form):
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence = MultipleFileField(label=_("evidence (PDF, image, .docx or .xlsx)"), required=False)
